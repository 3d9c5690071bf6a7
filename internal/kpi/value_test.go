package kpi_test

import (
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/govkpi/govkpi/internal/kpi"
)

func TestCheckValue(t *testing.T) {
	population := mediatorsStock() // a stock with decimals: 万人
	population.Code, population.Unit, population.Decimals, population.Max = "population", "万人", 1, 1000
	misconfiguredPct := satisfactionRate()
	misconfiguredPct.Max = 1000 // so the percent rule, not the range, catches 150
	score := satisfactionRate()
	score.Code, score.Unit, score.Max = "eval_score", "分", 120

	tests := []struct {
		name  string
		ind   kpi.Indicator
		v     float64
		ok    bool
		enHas string
	}{
		{"count at min", casesCount(), 0, true, ""},
		{"count at max", casesCount(), 5000, true, ""},
		{"count inside", casesCount(), 497, true, ""},
		{"negative count", casesCount(), -1, false, "-1 is outside the valid range 0–5000"},
		{"count over max", casesCount(), 5001, false, "5001 is outside the valid range 0–5000"},
		{"fractional count", casesCount(), 3.5, false, "whole number, got 3.5"},
		{"tiny fraction on a count", casesCount(), 10.001, false, "whole number"},
		{"huge count", casesCount(), 1e12, false, "outside the valid range"},
		{"+Inf", casesCount(), math.Inf(1), false, "outside the valid range"},
		{"-Inf", startupDays(), math.Inf(-1), false, "outside the valid range"},
		{"whole stock", mediatorsStock(), 12, true, ""},
		{"fractional stock with 0 decimals", mediatorsStock(), 12.5, false, "whole number"},
		{"fractional stock with decimals", population, 12.5, true, ""},
		{"fractional list with 0 decimals", itemsList(), 3.5, false, "whole number"},
		{"whole list", itemsList(), 66, true, ""},
		{"fractional duration", startupDays(), 1.5, true, ""},
		{"duration finer than its decimals", startupDays(), 1.25, true, ""},
		{"duration over max", startupDays(), 61, false, "outside the valid range 0–60"},
		{"rate 100", satisfactionRate(), 100, true, ""},
		{"rate 98.47", satisfactionRate(), 98.47, true, ""},
		{"rate over 100 by range", satisfactionRate(), 100.5, false, "outside the valid range 0–100"},
		{"percent over 100 even when max allows it", misconfiguredPct, 150, false, "percentage and cannot exceed 100, got 150"},
		{"a score is not a percent", score, 110, true, ""},
		{"negative rate", satisfactionRate(), -0.1, false, "outside the valid range"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := kpi.CheckValue(tc.ind, tc.v)
			if tc.ok {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			wantInvalid(t, err, tc.ind.Code) // the field is the indicator
			if en := kpi.ErrorMessage(err, "en"); !strings.Contains(en, tc.enHas) {
				t.Errorf("en message %q should contain %q", en, tc.enHas)
			}
			if zh := kpi.ErrorMessage(err, "zh"); !strings.Contains(zh, tc.ind.NameZH) {
				t.Errorf("zh message %q should name the indicator %q", zh, tc.ind.NameZH)
			}
		})
	}
}

func TestCheckValueRejectsNaN(t *testing.T) {
	for _, ind := range []kpi.Indicator{startupDays(), satisfactionRate(), casesCount()} {
		if err := kpi.CheckValue(ind, math.NaN()); kpi.ErrorCode(err) != kpi.EINVALID {
			t.Errorf("%s: CheckValue(NaN) = %v, want an invalid-input error", ind.Code, err)
		}
	}
}

func TestVisible(t *testing.T) {
	if got := kpi.Visible(true); !reflect.DeepEqual(got, []kpi.Status{kpi.StatusApproved}) {
		t.Errorf("Visible(true) = %v", got)
	}
	if got := kpi.Visible(false); !reflect.DeepEqual(got, []kpi.Status{kpi.StatusSubmitted, kpi.StatusApproved}) {
		t.Errorf("Visible(false) = %v; drafts and returned values must never show", got)
	}
}

// A note of 1000 characters is kept; one more is a clear error, in the
// grid's check too, even for an empty cell.
func TestNotesHaveALimit(t *testing.T) {
	ind := kpi.Indicator{Code: "mediators", NameZH: "调解员", Kind: kpi.KindCount, Min: 0, Max: 1e6}
	ok := strings.Repeat("说", kpi.MaxNote)
	if err := kpi.CheckNote("c", ok); err != nil {
		t.Errorf("%d characters: %v", kpi.MaxNote, err)
	}
	long := ok + "x"
	if err := kpi.CheckNote("c", long); kpi.ErrorCode(err) != kpi.EINVALID || !strings.Contains(err.Error(), "1001") {
		t.Errorf("%d characters: %v", kpi.MaxNote+1, err)
	}
	for _, text := range []string{"12", ""} {
		if c := kpi.CheckCell(ind, text, nil, long, false, "zh"); c.Error == nil {
			t.Errorf("cell %q with a long note passed", text)
		}
	}
}

// The helper's walk: the editor drafts 1,200, submits it, the reviewer
// returns it, the editor corrects it to 495 in two drafts and submits, the
// reviewer approves. Outside the department that reads: submitted 1,200,
// returned, submitted 495 (from 1,200), approved — connected, drafts folded in.
func TestSharedHistory(t *testing.T) {
	step := func(oldV *float64, oldS kpi.Status, newV *float64, newS kpi.Status, reason string) kpi.HistoryEntry {
		return kpi.HistoryEntry{OldValue: oldV, OldStatus: oldS, NewValue: newV, NewStatus: newS, Reason: reason}
	}
	v := func(x float64) *float64 { return &x }
	forward := []kpi.HistoryEntry{
		step(nil, "", v(1200), kpi.StatusDraft, "typed"),
		step(v(1200), kpi.StatusDraft, v(1200), kpi.StatusSubmitted, "submit"),
		step(v(1200), kpi.StatusSubmitted, v(1200), kpi.StatusReturned, "return: 偏高"),
		step(v(1200), kpi.StatusReturned, v(500), kpi.StatusDraft, "typed"),
		step(v(500), kpi.StatusDraft, v(495), kpi.StatusDraft, "typed"),
		step(v(495), kpi.StatusDraft, v(495), kpi.StatusSubmitted, "submit"),
		step(v(495), kpi.StatusSubmitted, v(495), kpi.StatusApproved, "approve"),
	}
	newestFirst := slices.Clone(forward)
	slices.Reverse(newestFirst)
	got := kpi.SharedHistory(newestFirst)
	type row struct {
		old    string
		oldS   kpi.Status
		new    string
		newS   kpi.Status
		reason string
	}
	str := func(p *float64) string {
		if p == nil {
			return "—"
		}
		return strconv.FormatFloat(*p, 'f', -1, 64)
	}
	var rows []row
	for _, e := range got {
		rows = append(rows, row{str(e.OldValue), e.OldStatus, str(e.NewValue), e.NewStatus, e.Reason})
	}
	want := []row{
		{"495", kpi.StatusSubmitted, "495", kpi.StatusApproved, "approve"},
		{"1200", kpi.StatusReturned, "495", kpi.StatusSubmitted, "submit"},
		{"1200", kpi.StatusSubmitted, "1200", kpi.StatusReturned, "return: 偏高"},
		{"—", "", "1200", kpi.StatusSubmitted, "submit"},
	}
	if !slices.Equal(rows, want) {
		t.Errorf("shared history:\n got %v\nwant %v", rows, want)
	}
	if newestFirst[0].Reason != "approve" || *newestFirst[3].NewValue != 500 {
		t.Error("SharedHistory changed its input")
	}
}
