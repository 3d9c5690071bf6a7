package kpi_test

import (
	"testing"
	"time"

	"github.com/govkpi/govkpi/internal/kpi"
)

func TestDeadlinesAndLocks(t *testing.T) {
	d := kpi.Deadlines{DueDays: 15, LockDays: 60}
	q3 := kpi.Period{Year: 2026, Quarter: 3}
	if got := d.Due(q3).Format("2006-01-02"); got != "2026-10-16" { // quarter ends 30 Sep 24:00 = 1 Oct; +15 days
		t.Errorf("Q3 2026 due %s, want 2026-10-16", got)
	}
	if got := d.LastDay(q3); got != "2026-10-15" { // the 15th day after the quarter: on time until its end
		t.Errorf("Q3 2026's last day shown as %s, want 2026-10-15", got)
	}
	if d.Locked(q3, time.Date(2026, 12, 14, 0, 0, 0, 0, time.UTC)) {
		t.Error("Q3 locked on 14 Dec, before due+60 days (15 Dec)")
	}
	if !d.Locked(q3, time.Date(2026, 12, 16, 0, 0, 0, 0, time.UTC)) {
		t.Error("Q3 not locked on 16 Dec")
	}
	for _, tt := range []struct {
		st   kpi.ReportState
		now  time.Time
		want bool
	}{
		{kpi.StateNotStarted, time.Date(2026, 10, 16, 0, 0, 0, 0, time.UTC), false}, // the due day itself: not yet
		{kpi.StateNotStarted, time.Date(2026, 10, 16, 0, 0, 1, 0, time.UTC), true},
		{kpi.StateDraft, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), true},
		{kpi.StateReturned, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), true},
		{kpi.StateSubmitted, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), false},
		{kpi.StateApproved, time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), false},
	} {
		if got := d.Overdue(q3, tt.st, tt.now); got != tt.want {
			t.Errorf("Overdue(Q3 2026, %s, %v) = %v, want %v", tt.st, tt.now, got, tt.want)
		}
	}
	at := func(y int, m time.Month, d, h int) *time.Time {
		t := time.Date(y, m, d, h, 0, 0, 0, time.UTC)
		return &t
	}
	for _, tt := range []struct {
		st        kpi.ReportState
		submitted *time.Time
		want      bool
	}{
		{kpi.StateSubmitted, at(2026, 10, 15, 23), false}, // the last day shown, still on time
		{kpi.StateSubmitted, at(2026, 10, 16, 9), true},
		{kpi.StateApproved, at(2026, 11, 2, 9), true},
		{kpi.StateDraft, at(2026, 11, 2, 9), false}, // sent back to a draft since: not reported, so not late
		{kpi.StateSubmitted, nil, false},
	} {
		if got := d.Late(q3, tt.st, tt.submitted); got != tt.want {
			t.Errorf("Late(Q3 2026, %s, %v) = %v, want %v", tt.st, tt.submitted, got, tt.want)
		}
	}
	if got := kpi.QuarterEnd(kpi.Period{Year: 2025, Quarter: 4}); !got.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Q4 2025 ends %v", got)
	}
	for _, tt := range []struct {
		now  time.Time
		want kpi.Period
	}{
		{time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), kpi.Period{Year: 2026, Quarter: 3}},
		{time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), kpi.Period{Year: 2025, Quarter: 4}},
		{time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), kpi.Period{Year: 2026, Quarter: 1}},
	} {
		if got := kpi.LatestQuarter(tt.now); got != tt.want {
			t.Errorf("LatestQuarter(%v) = %v, want %v", tt.now, got, tt.want)
		}
	}
}

func TestStateOf(t *testing.T) {
	S := func(ss ...kpi.Status) []kpi.Status { return ss }
	for _, tt := range []struct {
		in   []kpi.Status
		want kpi.ReportState
	}{
		{nil, kpi.StateNotStarted},
		{S(kpi.StatusDraft, kpi.StatusSubmitted), kpi.StateDraft},
		{S(kpi.StatusSubmitted, kpi.StatusApproved), kpi.StateSubmitted},
		{S(kpi.StatusApproved, kpi.StatusApproved), kpi.StateApproved},
		{S(kpi.StatusApproved, kpi.StatusReturned, kpi.StatusDraft), kpi.StateReturned},
	} {
		if got := kpi.StateOf(tt.in); got != tt.want {
			t.Errorf("StateOf(%v) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestCheckCell(t *testing.T) {
	count := kpi.Indicator{Code: "cases", NameZH: "案件数", Kind: kpi.KindCount, Min: 0, Max: 10000, Unit: "件"}
	rate := kpi.Indicator{Code: "rate", NameZH: "成功率", Kind: kpi.KindRate, Min: 0, Max: 100, Unit: "%", Decimals: 1}
	last := 100.0
	tests := []struct {
		name    string
		ind     kpi.Indicator
		text    string
		comment string
		submit  bool
		value   float64
		empty   bool
		err     bool
		warn    bool
	}{
		{"full-width digits", count, "１２３", "", false, 123, false, false, false},
		{"thousands separator", count, "1,234", "", false, 1234, false, false, true},
		{"empty is not zero", count, "  ", "", true, 0, true, false, false},
		{"an ideographic space is empty too", count, "\u3000", "", true, 0, true, false, false},
		{"letters", count, "12a", "", false, 0, false, true, false},
		{"fraction of a count", count, "12.5", "", false, 12.5, false, true, false},
		{"rate over 100", rate, "100.5", "", false, 100.5, false, true, false},
		{"jump saved as a draft with a warning", count, "151", "", false, 151, false, false, true},
		{"jump cannot be submitted without a note", count, "151", "", true, 151, false, true, true},
		{"jump submitted with a note", count, "151", "新设调解室", true, 151, false, false, true},
		{"within 50%", count, "149", "", true, 149, false, false, false},
	}
	for _, tt := range tests {
		c := kpi.CheckCell(tt.ind, tt.text, &last, tt.comment, tt.submit, "zh")
		if c.Empty != tt.empty || (c.Error != nil) != tt.err || (c.Warning != "") != tt.warn || (!tt.err && !tt.empty && c.Value != tt.value) {
			t.Errorf("%s: %+v", tt.name, c)
		}
	}
}

func TestCheckShares(t *testing.T) {
	cat := kpi.Catalogue{
		{Code: "diverted", NameZH: "诉前分流"},
		{Code: "newcases", NameZH: "新收案件"},
		{Code: "rate", Kind: kpi.KindRatio, Unit: "%", Numerator: "diverted", Denominator: "newcases"},
	}
	if errs := kpi.CheckShares(cat, map[string]float64{"diverted": 90, "newcases": 100}); len(errs) != 0 {
		t.Errorf("90 ≤ 100 flagged: %v", errs)
	}
	errs := kpi.CheckShares(cat, map[string]float64{"diverted": 101, "newcases": 100})
	if errs["diverted"] == nil {
		t.Errorf("101 > 100 not flagged on the numerator: %v", errs)
	}
}

func TestReviewedAsYear(t *testing.T) {
	quarterly := kpi.Indicator{Code: "cases", Kind: kpi.KindCount, Frequency: kpi.Quarterly}
	annual := kpi.Indicator{Code: "items", Kind: kpi.KindList, Frequency: kpi.Annual}
	rate := kpi.Indicator{Code: "rate", Kind: kpi.KindRatio, Frequency: kpi.Annual}
	for _, c := range []struct {
		ind  kpi.Indicator
		p    kpi.Period
		want bool
	}{
		{quarterly, kpi.Period{2025, 0}, true}, // a whole-year figure of a quarterly indicator
		{quarterly, kpi.Period{2025, 4}, false},
		{annual, kpi.Period{2025, 0}, false}, // the Q4 grid's cell
		{rate, kpi.Period{2025, 0}, true},    // a stated rate: no grid holds ratios
		{rate, kpi.Period{2025, 2}, false},
	} {
		if got := kpi.ReviewedAsYear(c.ind, c.p); got != c.want {
			t.Errorf("kpi.ReviewedAsYear(%s, %v) = %v", c.ind.Code, c.p, got)
		}
	}
	if !kpi.YearReviewedWith(2025, kpi.Period{2025, 1}) || !kpi.YearReviewedWith(2025, kpi.Period{2025, 4}) || kpi.YearReviewedWith(2025, kpi.Period{2026, 1}) {
		t.Error("YearReviewedWith: a year's figures belong to the reviews of its own quarters")
	}
}
