package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/govkpi/govkpi/internal/kpi"
	"github.com/govkpi/govkpi/internal/store"
)

// yearSection is the whole-year part of a department's card on the review page.
var yearSection = regexp.MustCompile(`(?s)<div class="review-year".*?</form>`)

// A figure an editor confirms and submits from an annual report for the
// whole year of a quarterly indicator waits on the review page of the
// year's quarters in its own section, with its quote; the completeness
// page and the editor's grid show it too; the reviewer's approval (with
// CSRF and the version the page showed) approves it and nothing else.
func TestWholeYearFigureOnTheReviewPage(t *testing.T) {
	path := demoCopy(t)
	ed := newServerAs(t, path, "editor", "demo-editor")
	text := "上城区2026年法治政府建设情况。全区配备专职人民调解员130名。"
	code, h, body := ed.post(t, "/documents", "/documents", url.Values{"text": {text}, "region": {"330102"}, "year": {"2026"}})
	if code != http.StatusSeeOther {
		t.Fatalf("paste: %d\n%.2000s", code, body)
	}
	loc := h.Get("Location")
	k := strconv.Itoa(strings.Index(text, "130名"))
	form := url.Values{"take." + k: {"1"}, "ind." + k: {"fulltime_mediators"}, "val." + k: {"130"}, "year." + k: {"2026"}, "q." + k: {"0"}, "submit": {"1"}}
	if code, _, body := ed.post(t, loc, loc+"/confirm", form); code != http.StatusSeeOther {
		t.Fatalf("confirm and submit: %d\n%.3000s", code, body)
	}
	st, err := openSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	cat, _ := st.Indicators(ctx)
	depts, _ := st.Departments(ctx, 330102)
	var dept kpi.Department
	for _, d := range depts {
		if d.Region == 330102 && d.Type == "justice" {
			dept = d
		}
	}
	figure := func() store.YearFigure {
		t.Helper()
		figs, err := st.YearFigures(ctx, cat, dept, 2026)
		if err != nil || len(figs) != 1 {
			t.Fatalf("whole-year figures of %s: %v %+v", dept.Name, err, figs)
		}
		return figs[0]
	}
	f := figure()
	if f.Value.Status != kpi.StatusSubmitted || f.Indicator.Code != "fulltime_mediators" {
		t.Fatalf("confirmed figure: %+v", f.Value)
	}

	// The editor's grid of any quarter of 2026 shows it, read-only.
	_, _, body = get(t, ed, "/entry?year=2026&quarter=2")
	if !strings.Contains(body, `id="entry-year"`) || !strings.Contains(body, "全区配备专职人民调解员130名") || !strings.Contains(body, "已报送") {
		t.Errorf("entry grid without the whole-year figure:\n%.6000s", body)
	}

	// The reviewer of 杭州市 sees it on the default review (2026 Q3), in its own section.
	rev := newServerAs(t, path, "reviewer", "demo-reviewer")
	_, _, body = get(t, rev, "/review")
	sec := yearSection.FindString(body)
	if sec == "" || !strings.Contains(sec, "2026年全年数据") || !strings.Contains(sec, "全区配备专职人民调解员130名") ||
		!strings.Contains(sec, "材料摘录") || !strings.Contains(sec, loc+"#c-"+k) || !strings.Contains(sec, `name="part" value="year"`) {
		t.Fatalf("review page without the whole-year section:\n%.8000s", body)
	}
	ver := `name="ver.` + strconv.FormatInt(f.Value.ID, 10) + `" value="` + strconv.Itoa(f.Value.Version) + `"`
	if !strings.Contains(sec, ver) {
		t.Errorf("the section does not carry the version it shows (%s):\n%s", ver, sec)
	}
	_, _, body = get(t, rev, "/review?period=2026-1")
	if !strings.Contains(body, `<div class="review-year"`) {
		t.Error("another quarter of 2026 does not show the waiting whole-year figure")
	}
	_, _, body = get(t, rev, "/completeness")
	if !strings.Contains(body, `id="year-pending"`) || !strings.Contains(body, "全年待审 1") {
		t.Errorf("completeness does not show the whole-year figure waiting:\n%.6000s", body)
	}

	decide := func(fields url.Values) (int, string) {
		t.Helper()
		fields.Set("department", strconv.FormatInt(dept.ID, 10))
		fields.Set("year", "2026")
		fields.Set("quarter", "3")
		code, h, body := rev.post(t, "/review", "/review", fields)
		return code, h.Get("Location") + body
	}
	// The quarter's approval does not reach it (the quarter has nothing submitted).
	if code, _ := decide(url.Values{"decision": {"approve"}}); code != http.StatusConflict {
		t.Errorf("approving the empty quarter: %d", code)
	}
	// Without the versions the page showed, or with a stale one: refused.
	if code, _ := decide(url.Values{"decision": {"approve"}, "part": {"year"}}); code != http.StatusBadRequest {
		t.Errorf("approving the year without versions: %d", code)
	}
	stale := "ver." + strconv.FormatInt(f.Value.ID, 10)
	if code, _ := decide(url.Values{"decision": {"approve"}, "part": {"year"}, stale: {strconv.Itoa(f.Value.Version - 1)}}); code != http.StatusConflict {
		t.Errorf("approving a stale version: %d", code)
	}
	if figure().Value.Status != kpi.StatusSubmitted {
		t.Fatal("a refused decision changed the figure")
	}
	// A request without the CSRF token is refused.
	resp, err := rev.client.PostForm(rev.URL+"/review", url.Values{"department": {strconv.FormatInt(dept.ID, 10)}, "year": {"2026"},
		"quarter": {"3"}, "part": {"year"}, "decision": {"approve"}, stale: {strconv.Itoa(f.Value.Version)}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || figure().Value.Status != kpi.StatusSubmitted {
		t.Fatalf("approval without CSRF: %d", resp.StatusCode)
	}
	// Approved as shown.
	code, where := decide(url.Values{"decision": {"approve"}, "part": {"year"}, stale: {strconv.Itoa(f.Value.Version)}})
	if code != http.StatusSeeOther || !strings.Contains(where, "done=approve") {
		t.Fatalf("approve: %d %.2000s", code, where)
	}
	if f := figure(); f.Value.Status != kpi.StatusApproved || f.Value.UpdatedBy != "reviewer" {
		t.Fatalf("after approval: %+v", f.Value)
	}
	_, _, body = get(t, rev, "/review")
	if strings.Contains(body, `<div class="review-year"`) || !strings.Contains(body, `id="review-year-done"`) {
		t.Errorf("after approval the figure should be listed for reopening only:\n%.8000s", body)
	}
	_, _, body = get(t, rev, "/history?region=330102&indicator=fulltime_mediators&year=2026&quarter=0")
	if !strings.Contains(body, "已报送 → 已审核") {
		t.Errorf("history without the approval:\n%.4000s", body)
	}
	// English page: the section's labels are translated.
	_, _, body = get(t, rev, "/review?lang=en")
	if !strings.Contains(body, "Approved whole-year figures 2026") || !strings.Contains(body, "Reopen the whole-year figures") {
		t.Errorf("English review page:\n%.6000s", body)
	}
}
