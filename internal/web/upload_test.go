package web

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/govkpi/govkpi/internal/kpi"
)

// upload posts a file as a browser form does, with the CSRF token of formPage.
func (ts *testServer) upload(t *testing.T, formPage, path, filename string, content []byte, fields url.Values) (int, string) {
	t.Helper()
	fields.Set("_csrf", ts.csrf(t, formPage))
	return ts.uploadRaw(t, path, filename, content, fields)
}

var uploadID = regexp.MustCompile(`name="upload" value="(\d+)"`)

func TestTemplateUploadPreviewConfirm(t *testing.T) {
	ts := newServerAs(t, demoCopy(t), "editor", "demo-editor")
	resp, err := ts.client.Get(ts.URL + "/entry/template?year=2026&quarter=3")
	if err != nil {
		t.Fatal(err)
	}
	xlsx, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	cd := resp.Header.Get("Content-Disposition")
	if resp.StatusCode != 200 || !strings.Contains(cd, "filename*=UTF-8''") || !strings.Contains(cd, url.PathEscape("2026年第3季度_上城区司法局_填报模板.xlsx")) {
		t.Fatalf("template: %d %q", resp.StatusCode, cd)
	}
	// Fill it in as a department would in Excel: two figures.
	f, err := excelize.OpenReader(bytes.NewReader(xlsx))
	if err != nil {
		t.Fatal(err)
	}
	sheetName := f.GetSheetName(0)
	rows, _ := f.GetRows(sheetName)
	lastYear := map[string]string{}
	for i, row := range rows {
		if i >= 3 && len(row) > 4 {
			lastYear[row[0]] = row[4]
			switch row[0] {
			case "fulltime_mediators", "mediators":
				f.SetCellValue(sheetName, "F"+itoa(i+1), row[4]) // this year as last year
			}
		}
	}
	var filled bytes.Buffer
	f.Write(&filled)
	code, body := ts.upload(t, "/entry", "/entry/upload", "上城区.xlsx", filled.Bytes(), url.Values{})
	m := uploadID.FindStringSubmatch(body)
	if code != 200 || m == nil || !strings.Contains(body, "确认写入 2 项") {
		t.Fatalf("preview: %d\n%.2000s", code, body)
	}
	// Nothing is written before the confirmation.
	if _, _, page := get(t, ts, "/entry?year=2026&quarter=3"); strings.Contains(page, `name="v.fulltime_mediators" value="`+lastYear["fulltime_mediators"]+`"`) {
		t.Fatal("the preview wrote values")
	}
	code, _, _ = ts.post(t, "/entry", "/entry/upload/confirm", url.Values{"upload": {m[1]}, "year": {"2026"}, "quarter": {"3"}})
	if code != http.StatusSeeOther {
		t.Fatalf("confirm: %d", code)
	}
	_, _, page := get(t, ts, "/entry?year=2026&quarter=3")
	if !strings.Contains(page, `name="v.fulltime_mediators" value="`+lastYear["fulltime_mediators"]+`"`) {
		t.Errorf("confirmed value not in the grid")
	}
	// The same upload cannot be confirmed twice.
	if code, _, _ := ts.post(t, "/entry", "/entry/upload/confirm", url.Values{"upload": {m[1]}}); code != http.StatusConflict {
		t.Errorf("second confirmation: %d, want 409", code)
	}
	// Another user cannot confirm it.
	other := newServerAs(t, ts.path, "admin", "demo-admin")
	if code, _, _ := other.post(t, "/", "/entry/upload/confirm", url.Values{"upload": {m[1]}}); code != http.StatusNotFound {
		t.Errorf("someone else's upload: %d, want 404", code)
	}
}

func TestUploadWithErrorsWritesNothing(t *testing.T) {
	path := demoCopy(t)
	ts := newServerAs(t, path, "editor", "demo-editor")
	csv := "上城区司法局 2026年第3季度\nregion,330102,year,2026,quarter,3\n指标代码,指标名称,单位,上季度,上年同期,本期填报,说明\n" +
		"fulltime_mediators,专职人民调解员,名,,,６２,\nmediators,人民调解员,名,,,abc,\nmediation_rooms,调解室,个,,,1.5,\ncourt_mediators,驻院调解员,名,,,3,\n"
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String(csv)
	code, body := ts.upload(t, "/entry", "/entry/upload", "上城区.csv", []byte(gbk), url.Values{})
	if code != http.StatusUnprocessableEntity || uploadID.MatchString(body) {
		t.Fatalf("bad file: %d, want 422 and no confirm button", code)
	}
	for _, want := range []string{"F5", "abc", "F6", "整数", "F7", "不由本部门"} {
		if !strings.Contains(body, want) {
			t.Errorf("preview does not mention %q", want)
		}
	}
	st, _ := openSQLite(path)
	defer st.Close()
	cat, _ := st.Indicators(context.Background())
	ind, _ := cat.Get("fulltime_mediators")
	if h, _ := st.History(context.Background(), 330102, ind, kpi.Period{Year: 2026, Quarter: 3}); len(h) != 0 {
		t.Errorf("a refused upload wrote %d history rows", len(h))
	}
	// A file that is not a spreadsheet is one clear error.
	code, body = ts.upload(t, "/entry", "/entry/upload", "x.xlsx", []byte("PK\x03\x04garbage"), url.Values{})
	if code != http.StatusBadRequest || !strings.Contains(body, "x.xlsx") {
		t.Errorf("broken xlsx: %d", code)
	}
}

func TestBackfill(t *testing.T) {
	path := demoCopy(t)
	admin := newServerAs(t, path, "admin", "demo-admin")
	csv := "地区代码,年份,季度,fulltime_mediators,startup_days\n330102,2015,4,40,6.5\n330106,2015,4,35,\n"
	code, body := admin.upload(t, "/backfill", "/backfill", "补录.csv", []byte(csv), url.Values{})
	m := uploadID.FindStringSubmatch(body)
	if code != 200 || m == nil || !strings.Contains(body, "确认写入 3 项") {
		t.Fatalf("backfill preview: %d\n%.1500s", code, body)
	}
	if code, _, _ := admin.post(t, "/backfill", "/backfill/confirm", url.Values{"upload": {m[1]}, "back": {"/backfill"}}); code != http.StatusSeeOther {
		t.Fatalf("confirm: %d", code)
	}
	var api apiComparisonJSON
	getJSON(t, admin, "/api/v1/comparison?indicator=fulltime_mediators&year=2015&quarter=4&parent=330100", &api)
	for _, row := range api.Rows {
		if row.Region.Code == "330102" && (row.Value == nil || *row.Value != 40) {
			t.Errorf("backfilled 上城区 2015Q4 = %v", row.Value)
		}
	}
	bad := "地区代码,年份,季度,fulltime_mediators,prelit_diversion_rate\n999999,2015,4,1,\n330102,2015,4,,50\n"
	if code, body := admin.upload(t, "/backfill", "/backfill", "bad.csv", []byte(bad), url.Values{}); code != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "999999") || !strings.Contains(body, "比率") {
		t.Errorf("bad backfill: %d", code)
	}
	editor := newServerAs(t, path, "editor", "demo-editor")
	if code, _, _ := get(t, editor, "/backfill"); code != http.StatusForbidden {
		t.Errorf("editor on /backfill: %d", code)
	}
}

func TestTargetsGrid(t *testing.T) {
	path := demoCopy(t)
	ts := newServerAs(t, path, "reviewer", "demo-reviewer")
	q := "?indicator=prelit_diversion_rate&year=2026&parent=330100"
	code, _, body := get(t, ts, "/targets"+q)
	if code != 200 || !strings.Contains(body, `name="t.330102"`) {
		t.Fatalf("targets page: %d", code)
	}
	bad := url.Values{"indicator": {"prelit_diversion_rate"}, "year": {"2026"}, "parent": {"330100"}, "t.330102": {"95"}, "t.330105": {"101"}}
	if code, _, body := ts.post(t, "/targets"+q, "/targets", bad); code != http.StatusUnprocessableEntity || !strings.Contains(body, "0–100") {
		t.Fatalf("a rate target over 100: %d", code)
	}
	var api apiComparisonJSON
	getJSON(t, ts, "/api/v1/comparison?indicator=prelit_diversion_rate&year=2026&parent=330100", &api)
	for _, row := range api.Rows {
		if row.Target != nil {
			t.Fatalf("the refused save wrote a target for %s", row.Region.Name)
		}
	}
	good := url.Values{"indicator": {"prelit_diversion_rate"}, "year": {"2026"}, "parent": {"330100"}, "t.330102": {"95.5"}}
	if code, _, _ := ts.post(t, "/targets"+q, "/targets", good); code != http.StatusSeeOther {
		t.Fatalf("saving a target: %d", code)
	}
	getJSON(t, ts, "/api/v1/comparison?indicator=prelit_diversion_rate&year=2026&parent=330100", &api)
	for _, row := range api.Rows {
		if row.Region.Code == "330102" && (row.Target == nil || *row.Target != 95.5) {
			t.Errorf("上城区 target = %v", row.Target)
		}
	}
	// Outside the reviewer's scope, and for other roles: refused.
	if code, _, _ := get(t, ts, "/targets?parent=330200"); code != http.StatusForbidden {
		t.Errorf("reviewer of 杭州 on 宁波's targets: %d", code)
	}
	if code, _, _ := get(t, newServerAs(t, path, "editor", "demo-editor"), "/targets"); code != http.StatusForbidden {
		t.Errorf("editor on targets: %d", code)
	}
}

func TestTargetsUpload(t *testing.T) {
	path := demoCopy(t)
	ts := newServerAs(t, path, "reviewer", "demo-reviewer")
	resp, err := ts.client.Get(ts.URL + "/targets/template?parent=330100&year=2026")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("template: %v %d", err, resp.StatusCode)
	}
	resp.Body.Close()
	csv := "地区代码,年份,季度,startup_days,prelit_diversion_rate\n330102,2026,0,1.2,96\n330106,2026,0,,97.5\n"
	code, body := ts.upload(t, "/targets", "/targets/upload", "目标.csv", []byte(csv), url.Values{})
	m := uploadID.FindStringSubmatch(body)
	if code != 200 || m == nil || !strings.Contains(body, "确认写入 3 项") {
		t.Fatalf("preview: %d\n%.1500s", code, body)
	}
	if code, _, _ := ts.post(t, "/targets", "/targets/confirm", url.Values{"upload": {m[1]}, "back": {"/targets"}, "parent": {"330100"}}); code != http.StatusSeeOther {
		t.Fatalf("confirm: %d", code)
	}
	var tg struct {
		Targets []struct {
			Region apiRegion `json:"region"`
			Target *float64  `json:"target"`
		} `json:"targets"`
	}
	getJSON(t, ts, "/api/v1/targets?indicator=prelit_diversion_rate&year=2026&parent=330100", &tg)
	found := 0
	for _, row := range tg.Targets {
		if (row.Region.Code == "330102" && row.Target != nil && *row.Target == 96) || (row.Region.Code == "330106" && row.Target != nil && *row.Target == 97.5) {
			found++
		}
	}
	if found != 2 {
		t.Errorf("uploaded targets not stored: %+v", tg.Targets)
	}
	bad := "地区代码,年份,季度,prelit_diversion_rate\n330102,2026,3,90\n330203,2026,0,90\n330102,2026,0,101\n"
	if code, body := ts.upload(t, "/targets", "/targets/upload", "bad.csv", []byte(bad), url.Values{}); code != http.StatusUnprocessableEntity ||
		!strings.Contains(body, "季度须为 0") || !strings.Contains(body, "审核范围") || !strings.Contains(body, "100") {
		t.Errorf("bad targets file: %d", code)
	}
}
