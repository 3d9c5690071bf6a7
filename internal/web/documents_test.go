package web

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

const docText = "上城区2025年法治政府建设情况。全区配备专职人民调解员120名，建立调委会30个。今年上半年诉前分流案件2000件。"

var docLocation = regexp.MustCompile(`^/documents/(\d+)$`)

// countDocuments is how many documents the database holds.
func countDocuments(t *testing.T, ts *testServer) int {
	t.Helper()
	st, err := openSQLite(ts.path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	list, err := st.Documents(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

// addDoc uploads a file and returns the new document's path.
func addDoc(t *testing.T, ts *testServer, filename string, content []byte, fields url.Values) string {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	fields.Set("_csrf", ts.csrf(t, "/documents"))
	for k, vs := range fields {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	part, _ := w.CreateFormFile("file", filename)
	part.Write(content)
	w.Close()
	resp, err := ts.client.Post(ts.URL+"/documents", w.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload %s: %d\n%.1500s", filename, resp.StatusCode, b)
	}
	return resp.Header.Get("Location")
}

func docxOf(t *testing.T, paragraphs ...string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for _, p := range paragraphs {
		b.WriteString("<w:p><w:r><w:t>" + p + "</w:t></w:r></w:p>")
	}
	b.WriteString("</w:body></w:document>")
	w.Write([]byte(b.String()))
	zw.Close()
	return buf.Bytes()
}

func TestDocumentUploadConfirmHistory(t *testing.T) {
	ts := newServerAs(t, demoCopy(t), "editor", "demo-editor")
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String(docText)
	region := url.Values{"region": {"330102"}, "year": {"2025"}}
	for name, content := range map[string][]byte{
		"报告.txt":  []byte(docText),
		"gbk.txt": []byte(gbk),
		"报告.docx": docxOf(t, "上城区2025年法治政府建设情况。", "全区配备专职人民调解员120名，建立调委会30个。", "今年上半年诉前分流案件2000件。"),
	} {
		loc := addDoc(t, ts, name, content, region)
		if !docLocation.MatchString(loc) {
			t.Fatalf("%s: redirected to %q", name, loc)
		}
		code, _, body := get(t, ts, loc)
		if code != 200 || !strings.Contains(body, `<mark id="c-`) || !strings.Contains(body, "全区配备专职人民调解员120名") ||
			!strings.Contains(body, `value="fulltime_mediators" selected`) {
			t.Fatalf("%s: document page %d\n%.3000s", name, code, body)
		}
	}
	// Pasted text, with the region detected from the text (上城区).
	code, h, body := ts.post(t, "/documents", "/documents", url.Values{"text": {docText}, "region": {"auto"}, "year": {"2025"}})
	if code != http.StatusSeeOther {
		t.Fatalf("paste: %d\n%.2000s", code, body)
	}
	loc := h.Get("Location")
	_, _, body = get(t, ts, loc)
	if !strings.Contains(body, "上城区 · 2025") {
		t.Errorf("detected region not shown:\n%.1500s", body)
	}
	start := strings.Index(docText, "120名")
	k := itoa(start)
	// Confirm the mediators; reject the committees; the court's figure is not the editor's to take.
	form := url.Values{"take." + k: {"1"}, "ind." + k: {"fulltime_mediators"}, "val." + k: {"120"}, "year." + k: {"2025"}, "q." + k: {"0"}}
	rk := itoa(strings.Index(docText, "30个"))
	form.Set("reject."+rk, "1")
	code, h, body = ts.post(t, loc, loc+"/confirm", form)
	if code != http.StatusSeeOther {
		t.Fatalf("confirm: %d\n%.3000s", code, body)
	}
	_, _, body = get(t, ts, h.Get("Location"))
	if !strings.Contains(body, "已处理 2 个数字") || !strings.Contains(body, `class="fig confirmed"`) || !strings.Contains(body, `class="fig rejected"`) {
		t.Errorf("after confirming:\n%.4000s", body)
	}
	// The value's history quotes the document and links to the figure.
	_, _, body = get(t, ts, "/history?region=330102&indicator=fulltime_mediators&year=2025")
	if !strings.Contains(body, "全区配备专职人民调解员120名") || !strings.Contains(body, loc+"#c-"+k) || !strings.Contains(body, "材料摘录") {
		t.Errorf("history:\n%.4000s", body)
	}
	// A court indicator: refused, nothing written.
	ck := itoa(strings.Index(docText, "2000件"))
	form = url.Values{"take." + ck: {"1"}, "ind." + ck: {"prelit_diverted"}, "val." + ck: {"2000"}, "year." + ck: {"2025"}, "q." + ck: {"2"}}
	code, _, body = ts.post(t, loc, loc+"/confirm", form)
	if code != http.StatusForbidden || !strings.Contains(body, "该指标不由本部门填报") {
		t.Errorf("court figure by a justice editor: %d\n%.2000s", code, body)
	}
	// A value that fails validation: the page says why, nothing written.
	code, _, body = ts.post(t, loc, loc+"/confirm", url.Values{"take." + ck: {"1"}, "ind." + ck: {"recon_applications"}, "val." + ck: {"-5"}, "year." + ck: {"2026"}, "q." + ck: {"4"}})
	if code != http.StatusBadRequest || !strings.Contains(body, `id="doc-error"`) {
		t.Errorf("negative value: %d\n%.2000s", code, body)
	}
	// Confirming the same figure twice is a conflict.
	code, _, _ = ts.post(t, loc, loc+"/confirm", url.Values{"take." + k: {"1"}, "ind." + k: {"fulltime_mediators"}, "val." + k: {"120"}, "year." + k: {"2025"}, "q." + k: {"0"}})
	if code != http.StatusBadRequest { // decided rows are not in the form any more: nothing ticked
		t.Errorf("second confirmation: %d", code)
	}
}

func TestDocumentBadInput(t *testing.T) {
	ts := newServerAs(t, demoCopy(t), "editor", "demo-editor")
	before := countDocuments(t, ts)
	region := url.Values{"region": {"330102"}, "year": {"2025"}}
	var bomb bytes.Buffer
	zw := zip.NewWriter(&bomb)
	w, _ := zw.Create("word/document.xml")
	w.Write(bytes.Repeat([]byte("a"), 20<<20))
	zw.Close()
	for _, tc := range []struct {
		name    string
		content []byte
		fields  url.Values
		status  int
		want    string
	}{
		{"空.txt", nil, region, 400, "是空的"},
		{"程序.txt", []byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00"), region, 400, "不是文本文件"},
		{"假.docx", []byte("not a zip at all"), region, 400, "不是有效的 Word 文档"},
		{"炸弹.docx", bomb.Bytes(), region, 400, "压缩炸弹"},
		{"无数字.txt", []byte("本文没有任何数字，只有文字。"), region, 400, "没有找到任何数字"},
		{"报告.txt", []byte(docText), url.Values{"region": {"999999"}, "year": {"2025"}}, 400, "不存在"},
		{"报告.txt", []byte(docText), url.Values{"region": {"330102"}, "year": {"1800"}}, 400, "超出范围"},
		{"报告.txt", []byte(docText), url.Values{"region": {"330100"}, "year": {"2025"}}, 403, "本部门所在地区"},
	} {
		code, body := ts.upload(t, "/documents", "/documents", tc.name, tc.content, tc.fields)
		if code != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("%s %v: %d, want %d with %q\n%.1200s", tc.name, tc.fields, code, tc.status, tc.want, body)
		}
	}
	// A 50 MB paste is refused before it is read.
	big := strings.Repeat("配备专职人民调解员497名。", 50<<20/len("配备专职人民调解员497名。"))
	code, _, body := ts.post(t, "/documents", "/documents", url.Values{"text": {big}, "region": {"330102"}, "year": {"2025"}})
	if code != http.StatusRequestEntityTooLarge || !strings.Contains(body, "超过") {
		t.Errorf("50 MB paste: %d\n%.800s", code, body)
	}
	// A 2.5 MB paste gets through the body limit and is refused by the reader.
	mid := strings.Repeat("x", 5<<19) + "配备专职人民调解员497名。" // 2.5 MB, mostly ASCII so the form stays under the body limit
	code, _, body = ts.post(t, "/documents", "/documents", url.Values{"text": {mid}, "region": {"330102"}, "year": {"2025"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "超过") {
		t.Errorf("2.5 MB paste: %d\n%.800s", code, body)
	}
	code, _, body = ts.post(t, "/documents", "/documents", url.Values{"text": {"  "}, "region": {"330102"}, "year": {"2025"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "粘贴") {
		t.Errorf("nothing posted: %d\n%.800s", code, body)
	}
	if after := countDocuments(t, ts); after != before {
		t.Errorf("bad input stored %d documents", after-before)
	}
}

func TestDocumentEscaping(t *testing.T) {
	ts := newServerAs(t, demoCopy(t), "admin", "demo-admin")
	hostile := "<script>alert(1)</script>配备专职人民调解员120名</script><img src=x onerror=alert(2)>，\"'&建立调委会30个。"
	loc := addDoc(t, ts, "<b>x</b>.txt", []byte(hostile), url.Values{"region": {"330102"}, "year": {"2025"}, "title": {"</title><script>alert(3)</script>"}})
	_, _, body := get(t, ts, loc)
	for _, raw := range []string{"<script>alert", "</script><img", "<img src=x", "<b>x</b>"} {
		if strings.Contains(body, raw) {
			t.Errorf("document page contains raw %q", raw)
		}
	}
	if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") || !strings.Contains(body, "&lt;/title&gt;&lt;script&gt;alert(3)") {
		t.Errorf("escaped text missing:\n%.3000s", body)
	}
	_, _, body = get(t, ts, "/documents")
	if strings.Contains(body, "<script>alert(3)") || strings.Contains(body, "<b>x</b>") {
		t.Error("document list shows raw HTML")
	}
	// The quote in a value's history is escaped too.
	k := itoa(strings.Index(hostile, "120名"))
	code, h, b := ts.post(t, loc, loc+"/confirm", url.Values{"take." + k: {"1"}, "ind." + k: {"fulltime_mediators"}, "val." + k: {"120"}, "year." + k: {"2025"}, "q." + k: {"0"}, "submit": {"1"}})
	if code != http.StatusSeeOther {
		t.Fatalf("confirm: %d %s\n%.2000s", code, h.Get("Location"), b)
	}
	_, _, body = get(t, ts, "/history?region=330102&indicator=fulltime_mediators&year=2025")
	if strings.Contains(body, "<script>alert") || !strings.Contains(body, "&lt;/script&gt;") {
		t.Errorf("history quote not escaped:\n%.3000s", body)
	}
	// "Confirm and submit": a viewer, who never sees drafts, sees the submitted figure's history.
	viewer := newServerAs(t, ts.path, "viewer", "demo-viewer")
	_, _, body = get(t, viewer, "/history?region=330102&indicator=fulltime_mediators&year=2025")
	if !strings.Contains(body, "已报送") || !strings.Contains(body, "查看原文") {
		t.Errorf("submitted figure not in the viewer's history:\n%.3000s", body)
	}
}

func TestDocumentAuthorization(t *testing.T) {
	path := demoCopy(t)
	admin := newServerAs(t, path, "admin", "demo-admin")
	// The demo's seed reports are there, extracted.
	_, _, body := get(t, admin, "/documents")
	if n := strings.Count(body, `href="/documents/`); n != 5 {
		t.Fatalf("demo documents listed: %d\n%.2000s", n, body)
	}
	code, _, body := get(t, admin, "/documents/1")
	if code != 200 || !strings.Contains(body, `<mark id="c-`) || !strings.Contains(body, ">497名</mark>") || !strings.Contains(body, "海口市") {
		t.Fatalf("seed report 1: %d\n%.2000s", code, body)
	}
	viewer := newServerAs(t, path, "viewer", "demo-viewer") // Zhejiang
	if code, _, _ := get(t, viewer, "/documents/2"); code != 200 {
		t.Errorf("viewer, a Zhejiang document: %d", code)
	}
	if code, _, _ := get(t, viewer, "/documents/1"); code != http.StatusForbidden {
		t.Errorf("viewer, a Haikou document: %d", code)
	}
	_, _, body = get(t, viewer, "/documents")
	if strings.Contains(body, "doc-upload") || strings.Contains(body, "多维度推进") {
		t.Errorf("viewer sees the upload form or documents outside the scope")
	}
	if strings.Contains(body, "上传工作报告") || !strings.Contains(body, "各地上传的工作报告") {
		t.Errorf("the viewer, who cannot upload, is told to")
	}
	code, _ = viewer.upload(t, "/documents", "/documents", "r.txt", []byte(docText), url.Values{"region": {"330102"}, "year": {"2025"}})
	if code != http.StatusForbidden {
		t.Errorf("viewer upload: %d", code)
	}
	reviewer := newServerAs(t, path, "reviewer", "demo-reviewer")
	code, _, _ = reviewer.post(t, "/documents", "/documents/2/confirm", url.Values{})
	if code != http.StatusForbidden {
		t.Errorf("reviewer confirming: %d", code)
	}
	// Remember a phrase: administrators only; it takes effect at once.
	editor := newServerAs(t, path, "editor", "demo-editor")
	loc := addDoc(t, editor, "r.txt", []byte("全区调处邻里纠纷员额85名。"), url.Values{"region": {"330102"}, "year": {"2025"}})
	_, _, body = get(t, editor, loc)
	if strings.Contains(body, `value="mediators" selected`) {
		t.Fatal("the phrase is already known")
	}
	code, _, _ = editor.post(t, loc, loc+"/alias", url.Values{"phrase": {"调处邻里纠纷员额"}, "indicator": {"mediators"}})
	if code != http.StatusForbidden {
		t.Errorf("editor adding a phrase: %d", code)
	}
	code, _, body = admin.post(t, loc, loc+"/alias", url.Values{"phrase": {"调处邻里纠纷员额"}, "indicator": {"mediators"}})
	if code != http.StatusSeeOther {
		t.Fatalf("admin adding a phrase: %d\n%.1500s", code, body)
	}
	_, _, body = get(t, editor, loc)
	if !strings.Contains(body, `value="mediators" selected`) {
		t.Errorf("the remembered phrase is not used:\n%.3000s", body)
	}
	code, _, body = admin.post(t, loc, loc+"/alias", url.Values{"phrase": {"调处邻里纠纷员额"}, "indicator": {"mediators"}})
	if code != http.StatusConflict || !strings.Contains(body, "已是指标") {
		t.Errorf("the same phrase again: %d", code)
	}
}
