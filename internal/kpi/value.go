package kpi

import (
	"math"
	"slices"
	"time"
)

// Status is where a value stands in the entry workflow.
type Status string

const (
	StatusDraft     Status = "draft"
	StatusSubmitted Status = "submitted"
	StatusApproved  Status = "approved"
	StatusReturned  Status = "returned"
	StatusDeleted   Status = "deleted" // only in history: the value was removed
)

// Visible lists the statuses that charts and tables show. Drafts and
// returned values belong to their department until submitted again.
func Visible(approvedOnly bool) []Status {
	if approvedOnly {
		return []Status{StatusApproved}
	}
	return []Status{StatusSubmitted, StatusApproved}
}

// Source says how a value arrived.
type Source string

const (
	SourceForm     Source = "form"
	SourceImport   Source = "import"
	SourceAPI      Source = "api"
	SourceDocument Source = "document"
	SourceDemo     Source = "demo"
)

// Value is one stored figure: region × indicator × period.
type Value struct {
	ID        int64
	Region    int
	Indicator string
	Period    Period
	Value     float64
	Status    Status
	Version   int
	Source    Source
	SourceRef string // e.g. the document and quote it came from
	UpdatedBy string
	UpdatedAt time.Time
	// Comment is the department's note (required for big jumps);
	// ReviewComment the reviewer's, e.g. why it was returned.
	Comment       string
	ReviewComment string
	SubmittedAt   *time.Time
}

// ValueInput is a write: the version the writer last saw (0 for a new
// value) guards against silently overwriting someone else's change.
type ValueInput struct {
	Region    int
	Indicator string
	Period    Period
	Value     float64
	Status    Status
	Version   int
	Source    Source
	SourceRef string
	Reason    string
	Comment   string
}

// HistoryEntry is one appended change to a value; history is never edited.
type HistoryEntry struct {
	ValueID              int64
	Region               int
	Indicator            string
	Period               Period
	OldValue, NewValue   *float64
	OldStatus, NewStatus Status
	Version              int
	Actor                string
	Source               Source
	SourceRef            string
	Reason               string
	At                   time.Time
}

// SharedHistory is one value's history as people outside its department
// see it. Drafts stay with the department: only the steps that reach a
// status others see (submitted, approved, returned — a reopening returns)
// are kept, and each shows the change from the step before it that they
// saw, so that the edits made in between are folded into it rather than
// leaving a trail whose old and new values do not connect. entries and the
// result are newest first, as the store returns them.
func SharedHistory(entries []HistoryEntry) []HistoryEntry {
	var out []HistoryEntry
	var lastValue *float64 // what the last shared step showed, going forward in time
	var lastStatus Status
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		if e.NewStatus == StatusDraft {
			continue
		}
		e.OldValue, e.OldStatus = lastValue, lastStatus
		lastValue, lastStatus = e.NewValue, e.NewStatus
		out = append(out, e)
	}
	slices.Reverse(out)
	return out
}

// CheckValue validates a number against an indicator: its range, whole
// numbers for counts and stocks, and rates not above 100.
func CheckValue(ind Indicator, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < ind.Min || v > ind.Max {
		return Invalid(ind.Code, "%s 的数值 %s 超出有效范围 %s–%s", "%s: %s is outside the valid range %s–%s",
			ind.NameZH, trimFloat(v), trimFloat(ind.Min), trimFloat(ind.Max))
	}
	whole := ind.Kind == KindCount || ((ind.Kind == KindStock || ind.Kind == KindList) && ind.Decimals == 0)
	if whole && v != float64(int64(v)) {
		return Invalid(ind.Code, "%s 是计数，须为整数，收到 %s", "%s is a count and must be a whole number, got %s", ind.NameZH, trimFloat(v))
	}
	if ind.IsPercent() && v > 100 {
		return Invalid(ind.Code, "%s 是百分比，不能超过100，收到 %s", "%s is a percentage and cannot exceed 100, got %s", ind.NameZH, trimFloat(v))
	}
	return nil
}
