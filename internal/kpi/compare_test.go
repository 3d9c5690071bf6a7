package kpi_test

import (
	"reflect"
	"testing"

	"github.com/govkpi/govkpi/internal/kpi"
)

func TestRank(t *testing.T) {
	up0 := casesCount() // up, 0 decimals
	up1 := satisfactionRate()
	up3 := satisfactionRate()
	up3.Decimals = 3
	down1 := startupDays() // down, 1 decimal
	neutral := casesCount()
	neutral.Direction = kpi.Neutral

	tests := []struct {
		name string
		ind  kpi.Indicator
		in   []*float64
		want []int
	}{
		{"competition ranking 1,2,2,4", up0, []*float64{f(30), f(20), f(20), f(10)}, []int{1, 2, 2, 4}},
		{"input order does not matter", up0, []*float64{f(20), f(30), f(10), f(20)}, []int{2, 1, 4, 2}},
		{"three-way tie then next is 4", up0, []*float64{f(5), f(5), f(5), f(1)}, []int{1, 1, 1, 4}},
		{"tie at the top", up0, []*float64{f(9), f(9), f(3)}, []int{1, 1, 3}},
		{"all distinct", up0, []*float64{f(1), f(2), f(3)}, []int{3, 2, 1}},
		// ties at the displayed precision
		{"98.44 and 98.441 tie at 1 decimal", up1, []*float64{f(98.44), f(98.441), f(97)}, []int{1, 1, 3}},
		{"98.44 and 98.441 differ at 3 decimals", up3, []*float64{f(98.44), f(98.441)}, []int{2, 1}},
		{"98.449 and 98.45 differ at 1 decimal (98.4 vs 98.5)", up1, []*float64{f(98.449), f(98.45)}, []int{2, 1}},
		{"2.4 and 2.6 differ at 0 decimals (2 vs 3)", up0, []*float64{f(2.4), f(2.6)}, []int{2, 1}},
		{"2.5 and 3 tie at 0 decimals (both 3)", up0, []*float64{f(2.5), f(3)}, []int{1, 1}},
		// lower is better
		{"lower is better ranks ascending", down1, []*float64{f(3.5), f(1.2), f(2.0)}, []int{3, 1, 2}},
		{"lower is better with a tie", down1, []*float64{f(1), f(1.04), f(2)}, []int{1, 1, 3}}, // 1.04 shows as 1.0
		{"lower is better: zero is best", down1, []*float64{f(0.5), f(0), f(3)}, []int{2, 1, 3}},
		// missing values
		{"missing values get rank 0", up0, []*float64{nil, f(5), nil, f(7)}, []int{0, 2, 0, 1}},
		{"missing is not zero", up0, []*float64{f(0), nil, f(3)}, []int{2, 0, 1}},
		{"missing and lower-is-better", down1, []*float64{nil, f(2), f(1)}, []int{0, 2, 1}},
		{"all missing", up0, []*float64{nil, nil}, []int{0, 0}},
		{"empty", up0, []*float64{}, []int{}},
		{"neutral ranks highest first", neutral, []*float64{f(1), f(3), f(2)}, []int{3, 1, 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := kpi.Rank(tc.ind, tc.in)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Rank = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestRound(t *testing.T) {
	tests := []struct {
		v    float64
		d    int
		want float64
	}{
		{2.5, 0, 3},   // half away from zero
		{-2.5, 0, -3}, // half away from zero
		{2.4, 0, 2},
		{98.44, 1, 98.4},
		{98.45, 1, 98.5},
		{98.441, 2, 98.44},
		{1234.5678, 2, 1234.57},
		{0.125, 2, 0.13},
		{7, 3, 7},
	}
	for _, tc := range tests {
		if got := kpi.Round(tc.v, tc.d); !near(got, tc.want) {
			t.Errorf("Round(%v, %d) = %v, want %v", tc.v, tc.d, got, tc.want)
		}
	}
}

func TestChange(t *testing.T) {
	tru, fals := true, false
	up := casesCount()
	down := newCases() // civil new cases: fewer is better
	neutral := casesCount()
	neutral.Direction = kpi.Neutral
	pct := satisfactionRate()   // unit %
	lossRate := diversionRate() // a ratio in %
	lossRate.Code, lossRate.Direction = "lit_loss_rate", kpi.Down
	days := startupDays()     // 个工作日, down
	per10k := diversionRate() // a ratio that is not a percentage
	per10k.Code, per10k.Unit, per10k.UnitEN, per10k.Direction, per10k.Scale = "lawsuit_rate_per10k", "件/万人", "cases per 10,000 residents", kpi.Down, 1

	tests := []struct {
		name      string
		ind       kpi.Indicator
		cur, prev *float64
		want      *kpi.Delta
	}{
		{"count up +10%", up, f(110), f(100), &kpi.Delta{Value: 10, Improved: &tru}},  // (110-100)/100*100
		{"count up -10%", up, f(90), f(100), &kpi.Delta{Value: -10, Improved: &fals}}, // (90-100)/100*100
		{"count down -10% improves", down, f(90), f(100), &kpi.Delta{Value: -10, Improved: &tru}},
		{"count down +10% worsens", down, f(110), f(100), &kpi.Delta{Value: 10, Improved: &fals}},
		{"count +275%", up, f(150), f(40), &kpi.Delta{Value: 275, Improved: &tru}}, // 110/40*100
		{"count to zero is -100%", up, f(0), f(50), &kpi.Delta{Value: -100, Improved: &fals}},
		{"one third", up, f(4), f(3), &kpi.Delta{Value: 100.0 / 3, Improved: &tru}}, // 1/3*100 = 33.33…
		{"neutral has no judgement", neutral, f(110), f(100), &kpi.Delta{Value: 10}},
		{"no change has no judgement", up, f(100), f(100), &kpi.Delta{Value: 0}},
		{"duration -50% improves", days, f(1.5), f(3), &kpi.Delta{Value: -50, Improved: &tru}}, // -1.5/3*100
		{"per-10k ratio changes in percent", per10k, f(16), f(20), &kpi.Delta{Value: -20, Improved: &tru}},
		// percentage points for % indicators
		{"rate +2.1 pp", pct, f(98.5), f(96.4), &kpi.Delta{Value: 2.1, Points: true, Improved: &tru}}, // 98.5-96.4
		{"rate -1.5 pp", pct, f(95), f(96.5), &kpi.Delta{Value: -1.5, Points: true, Improved: &fals}},
		{"ratio in % changes in points", diversionRate(), f(9.09), f(8), &kpi.Delta{Value: 1.09, Points: true, Improved: &tru}},
		{"loss rate down 2 pp improves", lossRate, f(3), f(5), &kpi.Delta{Value: -2, Points: true, Improved: &tru}},
		{"points from zero are defined", pct, f(5), f(0), &kpi.Delta{Value: 5, Points: true, Improved: &tru}},
		// nothing to compare
		{"prev missing", up, f(10), nil, nil},
		{"cur missing", up, nil, f(10), nil},
		{"both missing", pct, nil, nil, nil},
		{"prev zero: percent undefined", up, f(10), f(0), nil},
		{"prev zero and cur zero: percent undefined", up, f(0), f(0), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := kpi.Change(tc.ind, tc.cur, tc.prev)
			if (got == nil) != (tc.want == nil) {
				t.Fatalf("Change = %+v, want %+v", got, tc.want)
			}
			if got == nil {
				return
			}
			if !near(got.Value, tc.want.Value) || got.Points != tc.want.Points {
				t.Errorf("Change = {%v points=%v}, want {%v points=%v}", got.Value, got.Points, tc.want.Value, tc.want.Points)
			}
			if (got.Improved == nil) != (tc.want.Improved == nil) || (got.Improved != nil && *got.Improved != *tc.want.Improved) {
				t.Errorf("Improved = %v, want %v", boolPtr(got.Improved), boolPtr(tc.want.Improved))
			}
		})
	}
}

func boolPtr(b *bool) string {
	switch {
	case b == nil:
		return "nil"
	case *b:
		return "true"
	default:
		return "false"
	}
}

func TestCompare(t *testing.T) {
	ind := casesCount() // up, count, 0 decimals
	reg := func(code int, name string) kpi.Region {
		return kpi.Region{Code: code, Name: name, Level: kpi.LevelCounty, Parent: 330100}
	}
	A, B, C, D, E := reg(330102, "A"), reg(330105, "B"), reg(330106, "C"), reg(330108, "D"), reg(330109, "E")
	pt := func(r kpi.Region, v *float64) kpi.Point { return kpi.Point{Region: r, Value: v} }
	year := kpi.Period{Year: 2024}
	cur := []kpi.Point{pt(A, f(34)), pt(B, nil), pt(C, f(20)), pt(D, f(20)), pt(E, f(10))}
	prev := map[int]*float64{A.Code: f(30), B.Code: f(5), C.Code: f(25), E.Code: f(0)}
	targets := map[int]float64{A.Code: 40, B.Code: 10, C.Code: 20, D.Code: 22}

	c := kpi.Compare(ind, year, cur, prev, targets, kpi.DefaultThresholds)
	if c.Indicator.Code != ind.Code || c.Period != year {
		t.Errorf("Compare echoes %s %v, want %s %v", c.Indicator.Code, c.Period, ind.Code, year)
	}
	// Ranks: A 34 → 1; C 20, D 20 → 2, 2; E 10 → 4; B missing → 0, last.
	type row struct {
		code     int
		rank     int
		prev     *float64
		change   *float64
		improved string
		target   *float64
		ratio    *float64
		status   kpi.ProgressStatus
	}
	want := []row{
		// (34-30)/30*100 = 13.33%; 34/40 = 0.85 → behind
		{A.Code, 1, f(30), f(400.0 / 30), "true", f(40), f(0.85), kpi.StatusBehind},
		// (20-25)/25*100 = -20%; 20/20 = 1 → met
		{C.Code, 2, f(25), f(-20), "false", f(20), f(1), kpi.StatusMet},
		// no prev; 20/22 = 0.909 → near
		{D.Code, 2, nil, nil, "", f(22), f(20.0 / 22), kpi.StatusNear},
		// prev 0: percent change undefined; no target → unknown
		{E.Code, 4, f(0), nil, "", nil, nil, kpi.StatusUnknown},
		// missing value: no change, no progress (never 0%)
		{B.Code, 0, f(5), nil, "", f(10), nil, kpi.StatusUnknown},
	}
	if len(c.Rows) != len(want) {
		t.Fatalf("%d rows, want %d", len(c.Rows), len(want))
	}
	for i, w := range want {
		r := c.Rows[i]
		if r.Point.Region.Code != w.code || r.Rank != w.rank {
			t.Errorf("row %d = region %d rank %d, want region %d rank %d", i, r.Point.Region.Code, r.Rank, w.code, w.rank)
			continue
		}
		if !ptrEq(r.Prev, w.prev) {
			t.Errorf("row %d Prev = %s, want %s", i, fmtPtr(r.Prev), fmtPtr(w.prev))
		}
		var ch *float64
		improved := ""
		if r.Change != nil {
			ch = &r.Change.Value
			if r.Change.Improved != nil {
				improved = boolPtr(r.Change.Improved)
			}
		}
		if !ptrEq(ch, w.change) || improved != w.improved {
			t.Errorf("row %d Change = %s improved %q, want %s improved %q", i, fmtPtr(ch), improved, fmtPtr(w.change), w.improved)
		}
		if !ptrEq(r.Target, w.target) {
			t.Errorf("row %d Target = %s, want %s", i, fmtPtr(r.Target), fmtPtr(w.target))
		}
		if !ptrEq(r.Progress.Ratio, w.ratio) || r.Progress.Status != w.status {
			t.Errorf("row %d Progress = %s %q, want %s %q", i, fmtPtr(r.Progress.Ratio), r.Progress.Status, fmtPtr(w.ratio), w.status)
		}
	}
	// Average of the shown values (34+20+20+10)/4 = 21; median of 10,20,20,34 = (20+20)/2 = 20.
	if !ptrEq(c.Average, f(21)) || !ptrEq(c.Median, f(20)) {
		t.Errorf("Average, Median = %s, %s; want 21, 20", fmtPtr(c.Average), fmtPtr(c.Median))
	}
}

func TestCompareAverageMedian(t *testing.T) {
	ind := casesCount()
	pts := func(vs ...*float64) []kpi.Point {
		var ps []kpi.Point
		for i, v := range vs {
			ps = append(ps, kpi.Point{Region: kpi.Region{Code: 330101 + i}, Value: v})
		}
		return ps
	}
	tests := []struct {
		name        string
		cur         []kpi.Point
		avg, median *float64
	}{
		{"odd count", pts(f(5), f(1), f(12)), f(6), f(5)},          // 18/3; sorted 1,5,12
		{"even count", pts(f(4), f(1), f(10), f(9)), f(6), f(6.5)}, // 24/4; sorted 1,4,9,10 → (4+9)/2
		{"one value", pts(f(7)), f(7), f(7)},
		{"two values", pts(f(3), f(8)), f(5.5), f(5.5)},                              // 11/2; (3+8)/2
		{"missing values are left out", pts(f(2), nil, f(4), nil, f(9)), f(5), f(4)}, // 15/3; sorted 2,4,9
		{"zeros count", pts(f(0), f(0), f(9)), f(3), f(0)},                           // 9/3; sorted 0,0,9
		{"all missing: no average", pts(nil, nil), nil, nil},
		{"no rows", nil, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := kpi.Compare(ind, kpi.Period{Year: 2024}, tc.cur, nil, nil, kpi.DefaultThresholds)
			if !ptrEq(c.Average, tc.avg) || !ptrEq(c.Median, tc.median) {
				t.Errorf("Average, Median = %s, %s; want %s, %s", fmtPtr(c.Average), fmtPtr(c.Median), fmtPtr(tc.avg), fmtPtr(tc.median))
			}
			if len(c.Rows) != len(tc.cur) {
				t.Errorf("%d rows, want %d", len(c.Rows), len(tc.cur))
			}
		})
	}
}

func TestCompareOrder(t *testing.T) {
	pts := func(vs ...*float64) []kpi.Point {
		var ps []kpi.Point
		for i, v := range vs {
			ps = append(ps, kpi.Point{Region: kpi.Region{Code: 1 + i}, Value: v})
		}
		return ps
	}
	codes := func(c kpi.Comparison) (cs, ranks []int) {
		for _, r := range c.Rows {
			cs = append(cs, r.Point.Region.Code)
			ranks = append(ranks, r.Rank)
		}
		return
	}
	tests := []struct {
		name         string
		ind          kpi.Indicator
		cur          []kpi.Point
		codes, ranks []int
	}{
		{"higher first, missing last", casesCount(), pts(nil, f(1), f(3), nil, f(2)), []int{3, 5, 2, 1, 4}, []int{1, 2, 3, 0, 0}},
		{"lower first for durations, missing last", startupDays(), pts(f(3.5), nil, f(1.2)), []int{3, 1, 2}, []int{1, 2, 0}},
		{"ties keep input order", casesCount(), pts(f(5), f(7), f(5)), []int{2, 1, 3}, []int{1, 2, 2}},
		{"all missing keep input order", casesCount(), pts(nil, nil, nil), []int{1, 2, 3}, []int{0, 0, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			gotCodes, gotRanks := codes(kpi.Compare(tc.ind, kpi.Period{Year: 2024}, tc.cur, nil, nil, kpi.DefaultThresholds))
			if !reflect.DeepEqual(gotCodes, tc.codes) || !reflect.DeepEqual(gotRanks, tc.ranks) {
				t.Errorf("order %v ranks %v, want %v ranks %v", gotCodes, gotRanks, tc.codes, tc.ranks)
			}
		})
	}
}

// TestCompareQuarterProgress: in a quarter, a flow is measured against a
// quarter of its annual target.
func TestCompareQuarterProgress(t *testing.T) {
	r := kpi.Region{Code: 330102}
	c := kpi.Compare(casesCount(), kpi.Period{Year: 2024, Quarter: 2},
		[]kpi.Point{{Region: r, Value: f(30)}}, nil, map[int]float64{r.Code: 100}, kpi.DefaultThresholds)
	// 30 / (100/4) = 1.2 → met
	p := c.Rows[0].Progress
	if !ptrEq(p.Ratio, f(1.2)) || p.Status != kpi.StatusMet {
		t.Errorf("Progress = %s %q, want 1.2 met", fmtPtr(p.Ratio), p.Status)
	}
	if !ptrEq(c.Rows[0].Target, f(100)) {
		t.Errorf("Target = %s, want the annual 100 as stored", fmtPtr(c.Rows[0].Target))
	}
}
