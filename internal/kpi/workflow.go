package kpi

import "time"

// Deadlines and locks of the entry workflow. A quarter's figures are due a
// number of days after it ends; some days after that the period locks and
// only a reviewer's reopening lets a department change it again.
type Deadlines struct {
	DueDays  int // after quarter end; default 15
	LockDays int // after the deadline; default 60
}

// DefaultDeadlines: due 15 days after the quarter, locked 60 days later.
var DefaultDeadlines = Deadlines{DueDays: 15, LockDays: 60}

// QuarterEnd is the last instant of a period (a year's end for quarter 0).
func QuarterEnd(p Period) time.Time {
	q := p.Quarter
	if q == 0 {
		q = 4
	}
	return time.Date(p.Year, time.Month(3*q)+1, 1, 0, 0, 0, 0, time.UTC)
}

// Due is the deadline of a period: the instant after its last day to
// report (a quarter ends at 24:00 on its last day; 15 days after that is
// 00:00 on the 16th day, so the 15th is the last day to report).
func (d Deadlines) Due(p Period) time.Time { return QuarterEnd(p).AddDate(0, 0, d.DueDays) }

// LastDay is the date a page shows as the deadline: the last day on which
// a report is on time. Showing Due itself would name a day on which the
// report is already late.
func (d Deadlines) LastDay(p Period) string { return d.Due(p).AddDate(0, 0, -1).Format("2006-01-02") }

// Locked reports whether a period is locked at now (absent a reopening).
func (d Deadlines) Locked(p Period, now time.Time) bool {
	return now.After(d.Due(p).AddDate(0, 0, d.LockDays))
}

// Overdue reports whether a department whose quarter stands at st has
// missed its deadline at now: the period is due and nothing is submitted
// (a draft or a returned grid is not a report).
func (d Deadlines) Overdue(p Period, st ReportState, now time.Time) bool {
	return !st.Reported() && now.After(d.Due(p))
}

// Late reports whether a department whose quarter stands at st, last
// submitted at submitted, reported it after its deadline. Only a quarter
// that stands reported counts: one sent back to a draft since is not
// reported at all (and is Overdue if past the deadline).
func (d Deadlines) Late(p Period, st ReportState, submitted *time.Time) bool {
	return st.Reported() && submitted != nil && submitted.After(d.Due(p))
}

// LatestQuarter is the latest quarter that has ended at now.
func LatestQuarter(now time.Time) Period {
	q := (int(now.Month())-1)/3 + 1 // the current quarter
	if q == 1 {
		return Period{now.Year() - 1, 4}
	}
	return Period{now.Year(), q - 1}
}

// JumpThreshold is the year-on-year change beyond which an entered value
// needs a comment before it can be submitted.
const JumpThreshold = 0.5

// Jumps reports whether v changes by more than JumpThreshold against the
// same period last year.
func Jumps(v float64, lastYear *float64) bool {
	if lastYear == nil || *lastYear == 0 {
		return false
	}
	d := (v - *lastYear) / *lastYear
	return d > JumpThreshold || d < -JumpThreshold
}

// ReportState is where a department's quarter stands.
type ReportState string

const (
	StateNotStarted ReportState = "not_started"
	StateDraft      ReportState = "draft"
	StateSubmitted  ReportState = "submitted"
	StateApproved   ReportState = "approved"
	StateReturned   ReportState = "returned"
)

// Label names the state in lang.
func (s ReportState) Label(lang string) string {
	zh := map[ReportState]string{StateNotStarted: "未填报", StateDraft: "草稿", StateSubmitted: "已报送", StateApproved: "已审核", StateReturned: "已退回"}
	en := map[ReportState]string{StateNotStarted: "not started", StateDraft: "draft", StateSubmitted: "submitted", StateApproved: "approved", StateReturned: "returned"}
	if lang == "en" {
		return en[s]
	}
	return zh[s]
}

// StateOf sums up the statuses of a department's values for a quarter:
// anything returned makes it returned, any draft a draft, all approved is
// approved, otherwise it is submitted.
func StateOf(statuses []Status) ReportState {
	if len(statuses) == 0 {
		return StateNotStarted
	}
	count := map[Status]int{}
	for _, s := range statuses {
		count[s]++
	}
	switch {
	case count[StatusReturned] > 0:
		return StateReturned
	case count[StatusDraft] > 0:
		return StateDraft
	case count[StatusApproved] == len(statuses):
		return StateApproved
	}
	return StateSubmitted
}

// Reported reports whether the state counts as reported for the reporting rate.
func (s ReportState) Reported() bool { return s == StateSubmitted || s == StateApproved }

// ReviewedAsYear reports whether a stored value of ind for period p is a
// whole-year figure that no quarter's grid holds, so that it is reviewed on
// its own: a figure given for the whole year of an indicator entered by
// quarter (typically confirmed from an annual report on the Documents
// page), or a rate stated for the year. An annual indicator's yearly figure
// is not one of these: it is a cell of the fourth quarter's grid.
func ReviewedAsYear(ind Indicator, p Period) bool {
	return p.IsYear() && (ind.Frequency != Annual || ind.IsRatio())
}

// YearReviewedWith reports whether the review of quarter q shows the
// whole-year figures of year that still wait for a decision. They are shown
// with every quarter of their own year, not only the fourth: a figure for
// the year can be confirmed from a report at any time (a half-year report
// read as the year so far, last year's report in the spring), and the
// reviewer must see it whichever quarter of that year they are looking at.
// It has its own decision, separate from the quarter's, and leaves the list
// waiting for review once decided (approved ones stay listed with the
// year's quarters for reopening), so showing it in four places can neither
// decide it twice nor approve it along with a quarter.
func YearReviewedWith(year int, q Period) bool {
	return q.Year == year && q.Quarter >= 1 && q.Quarter <= 4
}
