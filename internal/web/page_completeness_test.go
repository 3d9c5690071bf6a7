package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// A quarter past its deadline (testNow is 2026-11-25; 2026 Q3 was due on
// the end of 2026-10-15) shows every department that has not submitted as overdue: on
// the editor's grid and, counted, on the reviewer's completeness page. A
// draft is still overdue; submitting ends it (and counts as late). A
// quarter not yet due shows nothing of the kind.
func TestOverdueQuarter(t *testing.T) {
	path := demoCopy(t)
	ed := newServerAs(t, path, "editor", "demo-editor")
	rev := newServerAs(t, path, "reviewer", "demo-reviewer")
	counts := regexp.MustCompile(`id="total-rate">[^<]*</b>（(\d+)/(\d+)）`)
	overdue := func() (reported, expected, late int, overdueText string) {
		t.Helper()
		_, _, body := get(t, rev, "/completeness?period=2026-3")
		m := counts.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no reporting rate on the completeness page:\n%.4000s", body)
		}
		reported, _ = strconv.Atoi(m[1])
		expected, _ = strconv.Atoi(m[2])
		if i := strings.Index(body, "逾期报送 "); i >= 0 {
			late, _ = strconv.Atoi(strings.Fields(body[i+len("逾期报送 "):])[0])
		}
		if o := regexp.MustCompile(`id="overdue">([^<]*)<`).FindStringSubmatch(body); o != nil {
			overdueText = o[1]
		}
		return
	}

	reported, expected, _, text := overdue()
	if reported != 0 || expected == 0 || text != "逾期未报 "+strconv.Itoa(expected) {
		t.Fatalf("2026 Q3 before anything is entered: %d/%d reported, overdue %q", reported, expected, text)
	}
	if _, _, body := get(t, rev, "/completeness?period=2026-3&region=330102"); !strings.Contains(body, `<span class="state-overdue">逾期未报</span>`) {
		t.Error("a department that has not started is not shown as overdue on its cell")
	}
	if _, _, body := get(t, ed, "/entry?period=2026-3"); !strings.Contains(body, `id="entry-overdue"`) || !strings.Contains(body, "报送截止 2026-10-15") {
		t.Errorf("the editor's 2026 Q3 grid does not say it is overdue, or not its last day:\n%.3000s", body)
	}
	// A department with nothing to enter in the quarter (统计局's indicators
	// are annual, entered with Q4) is not overdue.
	st, err := openSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	depts, err := st.Departments(context.Background(), 330102)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	admin := newServer(t, path)
	found := false
	for _, d := range depts {
		if d.Region == 330102 && d.Type == "stats" {
			found = true
			_, _, body := get(t, admin, "/entry?period=2026-3&department="+strconv.FormatInt(d.ID, 10))
			if strings.Contains(body, `id="entry-overdue"`) {
				t.Error("统计局, with nothing to enter in Q3, is told it is overdue")
			}
		}
	}
	if !found {
		t.Fatal("the demo has no 上城区统计局")
	}
	if _, _, body := get(t, ed, "/entry?period=2026-3&lang=en"); !strings.Contains(body, "past the deadline and not submitted") {
		t.Error("the English grid does not say it is overdue")
	}

	// A draft is not a report.
	form := url.Values{"year": {"2026"}, "quarter": {"3"}, "v.fulltime_mediators": {"41"}, "action": {"save"}}
	if code, _, body := ed.post(t, "/entry", "/entry", form); code != http.StatusSeeOther {
		t.Fatalf("saving a draft: %d\n%.500s", code, body)
	}
	if _, _, _, text := overdue(); text != "逾期未报 "+strconv.Itoa(expected) {
		t.Errorf("after a draft: overdue %q, want all %d", text, expected)
	}
	form.Set("action", "submit")
	form.Set("ver.fulltime_mediators", "1") // the version the draft made
	if code, _, body := ed.post(t, "/entry", "/entry", form); code != http.StatusSeeOther {
		t.Fatalf("submitting: %d\n%s", code, body[strings.Index(body, "<main"):])
	}
	if _, _, body := get(t, ed, "/entry?period=2026-3"); strings.Contains(body, `id="entry-overdue"`) {
		t.Error("the submitted grid still says it is overdue")
	}
	reported, _, late, text := overdue()
	want := "逾期未报 " + strconv.Itoa(expected-1)
	if expected == 1 {
		want = ""
	}
	if reported != 1 || late != 1 || text != want {
		t.Errorf("after submitting: %d reported, %d late, overdue %q; want 1, 1, %q", reported, late, text, want)
	}
	if _, _, body := get(t, rev, "/completeness?period=2026-3&region=330102"); !strings.Contains(body, `<span class="tag late">逾期报送</span>`) {
		t.Error("上城区's late submission is not marked late on its row")
	}
	// Back to a draft (a change after submitting), the quarter is neither
	// reported nor late: it is overdue again, and the counts add up.
	form.Set("action", "save")
	form.Set("v.fulltime_mediators", "42")
	form.Set("ver.fulltime_mediators", gridVersion(t, ed, "2026-3", "fulltime_mediators"))
	if code, _, body := ed.post(t, "/entry", "/entry", form); code != http.StatusSeeOther {
		t.Fatalf("changing the submitted figure: %d\n%.500s", code, body)
	}
	if reported, _, late, text := overdue(); reported != 0 || late != 0 || text != "逾期未报 "+strconv.Itoa(expected) {
		t.Errorf("back to a draft: %d reported, %d late, overdue %q; want 0, 0, all %d", reported, late, text, expected)
	}

	// 2026 Q4 is due on 2027-01-16: nobody is overdue yet.
	if _, _, body := get(t, rev, "/completeness?period=2026-4"); strings.Contains(body, `id="overdue"`) || strings.Contains(body, "overdue\"") {
		t.Error("2026 Q4, not yet due, shows overdue departments")
	}
	if _, _, body := get(t, ed, "/entry?period=2026-4"); strings.Contains(body, `id="entry-overdue"`) {
		t.Error("the 2026 Q4 grid, not yet due, says it is overdue")
	}
}
