package web

import (
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
