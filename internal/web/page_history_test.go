package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestHistoryReasons: the reasons the store records for workflow steps
// read in the page's language; a reason a person typed stays as typed.
func TestHistoryReasons(t *testing.T) {
	for _, tc := range []struct{ lang, in, want string }{
		{"zh", "approve", "审核通过"},
		{"zh", "return: 数据有误", "退回：数据有误"},
		{"en", "return: 数据有误", "returned: 数据有误"},
		{"zh", "reopen: 补报材料", "重新打开：补报材料"},
		{"zh", "bulk load", "批量载入"},
		{"en", "bulk load", "bulk load"},
		{"zh", "backfill 2016年.xlsx", "补录：2016年.xlsx"},
		{"zh", "submit", "报送"},
		{"zh", "submitted late by phone", "submitted late by phone"}, // typed, not a key
		{"zh", "较上季度增长较多：新设调解室", "较上季度增长较多：新设调解室"},
		{"zh", "", ""},
	} {
		if got := (page{Lang: tc.lang}).Reason(tc.in); got != tc.want {
			t.Errorf("%s %q → %q, want %q", tc.lang, tc.in, got, tc.want)
		}
	}
}

// The history of a figure that has none of its own says where its changes
// are: a rate's numerator and denominator, a city's counties. The title
// names the quarter when one is asked for.
func TestHistoryPointsOnward(t *testing.T) {
	ts := newServer(t, demoCopy(t))
	_, _, body := get(t, ts, "/history?indicator=recon_acceptance_rate&region=330600&year=2025")
	for _, want := range []string{
		`id="history-parts"`, `/history?indicator=recon_applications&amp;region=330600&amp;year=2025`,
		`id="history-children"`, `/compare?indicator=recon_acceptance_rate&amp;parent=330600&amp;year=2025`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the history of 绍兴市's rate lacks %s", want)
		}
	}
	// Asked for one quarter, the links keep it.
	_, _, body = get(t, ts, "/history?indicator=recon_acceptance_rate&region=330600&year=2025&quarter=2")
	if !strings.Contains(body, `/history?indicator=recon_applications&amp;quarter=2&amp;region=330600&amp;year=2025`) ||
		!strings.Contains(body, `/compare?indicator=recon_acceptance_rate&amp;parent=330600&amp;quarter=2&amp;year=2025`) {
		t.Error("the links from one quarter's history lose the quarter")
	}
	_, _, body = get(t, ts, "/history?indicator=fulltime_mediators&region=330102&year=2025&quarter=4")
	if strings.Contains(body, `id="history-parts"`) || strings.Contains(body, `id="history-children"`) {
		t.Error("a county's count points elsewhere for its history")
	}
	if !strings.Contains(body, "<h1>上城区 专职人民调解员数 2025年第4季度 修改记录</h1>") {
		t.Errorf("the title does not name the quarter:\n%.1500s", body[strings.Index(body, "<main"):])
	}
}

// Outside the department, a value's history shows the return and the
// resubmission as connected steps (1,200 submitted, returned, 495
// submitted from 1,200) and none of the drafts in between; the department
// itself sees every step.
func TestHistoryAsOthersSeeIt(t *testing.T) {
	path := demoCopy(t)
	ed := newServerAs(t, path, "editor", "demo-editor")
	rev := newServerAs(t, path, "reviewer", "demo-reviewer")
	save := func(value, version, action string) {
		t.Helper()
		form := url.Values{"year": {"2026"}, "quarter": {"3"}, "v.fulltime_mediators": {value}, "ver.fulltime_mediators": {version},
			"c.fulltime_mediators": {"核实后更正"}, "action": {action}}
		if code, _, body := ed.post(t, "/entry", "/entry", form); code != http.StatusSeeOther {
			t.Fatalf("%s %s: %d\n%s", action, value, code, body[strings.Index(body, "<main"):])
		}
	}
	save("120", "0", "submit")
	_, _, body := get(t, rev, "/review?period=2026-3")
	ver := regexp.MustCompile(`name="ver\.(\d+)" value="(\d+)"`).FindStringSubmatch(body)
	dept := regexp.MustCompile(`name="department" value="(\d+)"`).FindStringSubmatch(body)
	if ver == nil || dept == nil {
		t.Fatalf("nothing to review:\n%.3000s", body[strings.Index(body, "<main"):])
	}
	// One figure of the department's quarter was sent: the reviewer sees so.
	if !regexp.MustCompile(`<span class="tag overdue" id="filled-\d+">已填 1/(1[0-9]|[2-9]\d) 项</span>`).MatchString(body) {
		t.Error("the review does not show that the quarter came incomplete")
	}
	if _, _, grid := get(t, ed, "/entry?period=2026-3"); !regexp.MustCompile(`id="entry-filled">已填 1/\d+ 项<`).MatchString(grid) {
		t.Error("the grid does not count its filled figures")
	}
	ret := url.Values{"department": {dept[1]}, "year": {"2026"}, "quarter": {"3"}, "decision": {"return"},
		"comment": {"偏高，请核实"}, "ver." + ver[1]: {ver[2]}}
	if code, _, body := rev.post(t, "/review", "/review", ret); code != http.StatusSeeOther {
		t.Fatalf("return: %d\n%.2000s", code, body)
	}
	v := gridVersion(t, ed, "2026-3", "fulltime_mediators")
	save("50", v, "save")
	n, _ := strconv.Atoi(v)
	save("49", strconv.Itoa(n+1), "submit")

	history := "/history?indicator=fulltime_mediators&region=330102&year=2026&quarter=3"
	rows := func(ts *testServer) []string {
		_, _, body := get(t, ts, history)
		var out []string
		for _, m := range regexp.MustCompile(`(?s)<tr><td>\d{4}-.*?</tr>`).FindAllString(body, -1) {
			out = append(out, regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m, "|"))
		}
		return out
	}
	others := rows(rev)
	if len(others) != 3 {
		t.Fatalf("the reviewer sees %d steps, want 3 (submit, return, resubmit):\n%s", len(others), strings.Join(others, "\n"))
	}
	for i, want := range [][]string{{"|120名|", "|49名|", "已退回 → 已报送"}, {"|120名|", "已报送 → 已退回", "偏高"}, {"|120名|", "已报送"}} {
		for _, w := range want {
			if !strings.Contains(others[i], w) {
				t.Errorf("reviewer's step %d lacks %q: %s", i, w, others[i])
			}
		}
	}
	if strings.Contains(strings.Join(others, ""), "50名") || strings.Contains(strings.Join(others, ""), "草稿") {
		t.Errorf("the reviewer sees a draft:\n%s", strings.Join(others, "\n"))
	}
	if mine := rows(ed); len(mine) <= len(others) || !strings.Contains(strings.Join(mine, ""), "50名") {
		t.Errorf("the department does not see its drafts:\n%s", strings.Join(mine, "\n"))
	}
}
