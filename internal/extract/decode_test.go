package extract_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/govkpi/govkpi/internal/extract"
	"github.com/govkpi/govkpi/internal/kpi"
)

const sample = "配备专职人民调解员497名，建立调委会194个。"

func TestReadText(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(sample)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{
		"utf8.txt":     sample,
		"bom.txt":      "\xEF\xBB\xBF" + sample,
		"gbk.txt":      gbk,
		"crlf.txt":     strings.ReplaceAll(sample, "。", "。\r\n"),
		"report.TXT":   sample,
		"no-extension": sample,
	} {
		got, err := extract.Read(name, []byte(data), extract.DefaultLimits)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if strings.TrimSpace(got) != sample || strings.Contains(got, "\r") {
			t.Errorf("%s: got %q", name, got)
		}
	}
}

func TestReadDocx(t *testing.T) {
	body := para("配备专职人民调解员", "497", "名，") + para("建立调委会194个。") +
		`<w:p><w:r><w:delText>删除的1000件</w:delText></w:r><w:r><w:instrText>PAGE 3</w:instrText></w:r></w:p>` +
		`<w:tbl><w:tr><w:tc>` + para("诉前分流案件") + `</w:tc><w:tc>` + para("20299件") + `</w:tc></w:tr></w:tbl>`
	got, err := extract.Read("报告.docx", docx(t, body), extract.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	// The paragraph of deleted text and a field code is empty.
	want := "配备专职人民调解员497名，\n建立调委会194个。\n\n诉前分流案件 \t20299件"
	if got != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
	cs := shipped(t).Extract(got)
	if len(cs) != 3 || cs[2].Indicator != "prelit_diverted" || cs[2].Value != 20299 {
		t.Errorf("table row figure: %+v", cs)
	}
}

// invalid asserts err is an invalid-input error whose message contains want.
func invalid(t *testing.T, what string, err error, want string) {
	t.Helper()
	var ke *kpi.Error
	if !errors.As(err, &ke) || ke.Code != kpi.EINVALID {
		t.Fatalf("%s: got %v, want an invalid-input error", what, err)
	}
	if !strings.Contains(ke.Message, want) {
		t.Errorf("%s: message %q does not say %q", what, ke.Message, want)
	}
}

func TestReadBadInput(t *testing.T) {
	lim := extract.DefaultLimits
	_, err := extract.Read("空.txt", nil, lim)
	invalid(t, "empty", err, "是空的")
	_, err = extract.Read("空白.txt", []byte(" \n\t "), lim)
	invalid(t, "blank", err, "是空的")
	_, err = extract.Read("程序.txt", []byte("\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00"), lim)
	invalid(t, "binary", err, "不是文本文件")
	_, err = extract.Read("图片.txt", []byte{0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0xff, 0xfe, 0x80}, lim)
	invalid(t, "png renamed", err, "不是文本文件")
	_, err = extract.Read("u16.txt", []byte{0xFF, 0xFE, 'a', 0}, lim)
	invalid(t, "utf-16", err, "UTF-16")
	_, err = extract.Read("文档.txt", docx(t, para("x")), lim)
	invalid(t, "docx named .txt", err, "压缩包")
	_, err = extract.Read("旧.doc", []byte("\xd0\xcf\x11\xe0"), lim)
	invalid(t, "old .doc", err, ".doc")
	big := strings.Repeat("配备专职人民调解员497名。", 50<<20/len("配备专职人民调解员497名。"))
	_, err = extract.Read("粘贴.txt", []byte(big), lim)
	invalid(t, "50 MB paste", err, "超过")

	_, err = extract.Read("假.docx", []byte("这不是压缩包"), lim)
	invalid(t, "docx not a zip", err, "不是有效的 Word 文档")
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("hello.txt")
	w.Write([]byte("hi"))
	zw.Close()
	_, err = extract.Read("无正文.docx", buf.Bytes(), lim)
	invalid(t, "zip without document.xml", err, "不是有效的 Word 文档")
	_, err = extract.Read("坏.docx", docx(t, "<w:p><w:t>未闭合"), lim)
	invalid(t, "broken XML", err, "不是有效的 Word 文档")
	_, err = extract.Read("空文档.docx", docx(t, para("")), lim)
	invalid(t, "empty docx", err, "是空的")
	_, err = extract.Read("炸弹.docx", zipBomb(t, 64<<20), lim)
	invalid(t, "zip bomb", err, "压缩炸弹")
	// A smaller bomb under the entry limit is still refused by its ratio.
	_, err = extract.Read("小炸弹.docx", zipBomb(t, 8<<20), lim)
	invalid(t, "ratio", err, "压缩炸弹")
	// Text beyond the limit inside a well-formed document.
	small := lim
	small.MaxText = 1 << 10
	_, err = extract.Read("长.docx", docx(t, strings.Repeat(para("配备专职人民调解员497名。"), 100)), small)
	invalid(t, "long docx", err, "超过")
}

// zipBomb is a .docx whose document.xml is n bytes of one repeated
// character: it compresses about a thousandfold.
func zipBomb(t *testing.T, n int) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte("a"), 1<<20)
	for i := 0; i < n>>20; i++ {
		w.Write(chunk)
	}
	zw.Close()
	return buf.Bytes()
}

// FuzzReadDocx: any bytes as a .docx: no panic, an invalid-input error or
// text within the limit, and the extractor copes with the text.
func FuzzReadDocx(f *testing.F) {
	f.Add(docx(f, para("配备专职人民调解员497名。")))
	f.Add(docx(f, `<w:tbl><w:tr><w:tc>`+para("诉前分流案件")+`</w:tc><w:tc>`+para("20299件")+`</w:tc></w:tr></w:tbl>`))
	f.Add(docx(f, "<w:p><w:t>未闭合"))
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte("not a zip"))
	lim := extract.DefaultLimits
	lim.MaxEntry, lim.MaxTotal, lim.MaxText = 1<<20, 4<<20, 64<<10
	f.Fuzz(func(t *testing.T, data []byte) {
		text, err := extract.Read("f.docx", data, lim)
		if err != nil {
			if kpi.ErrorCode(err) != kpi.EINVALID {
				t.Fatalf("error %v is not an invalid-input error", err)
			}
			return
		}
		if len(text) > lim.MaxText {
			t.Fatalf("text of %d bytes over the limit", len(text))
		}
		shipped(t).Extract(text)
	})
}

// FuzzExtract: any text: no panic, offsets inside the text and on rune
// boundaries, the quote at its offsets.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{sample, "工程建设项目审批事项从96项减至66项。", "政府投资、一般社会投资项目审批用时分别压缩到72个和55个工作日。",
		"受理121件，审结115件，同比增长4.3个百分点", "《三项制度》“七证合一”1+10+N第一名", "3至5天和6个", "从", "分别", "百分之", "320余万份以上"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, c := range shipped(t).Extract(s) {
			if c.Start < 0 || c.End > len(s) || c.Start >= c.End || c.QuoteStart > c.Start || c.QuoteEnd < c.End || c.QuoteEnd > len(s) {
				t.Fatalf("%q: offsets %+v", s, c)
			}
			if s[c.QuoteStart:c.QuoteEnd] != c.Quote {
				t.Fatalf("%q: quote %q not at its offsets", s, c.Quote)
			}
		}
	})
}
