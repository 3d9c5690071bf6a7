package kpi_test

import (
	"testing"

	"github.com/govkpi/govkpi/internal/kpi"
)

func TestAggregatePeriod(t *testing.T) {
	full := map[int]float64{1: 10, 2: 20, 3: 30, 4: 40}
	tests := []struct {
		name   string
		agg    kpi.PeriodAgg
		in     map[int]float64
		want   float64
		wantOK bool
	}{
		// sum
		{"sum all four quarters", kpi.PeriodSum, full, 100, true},                                           // 10+20+30+40
		{"sum Q1 and Q3 only: missing is not zero", kpi.PeriodSum, map[int]float64{1: 10, 3: 30}, 40, true}, // 10+30
		{"sum one quarter", kpi.PeriodSum, map[int]float64{2: 7}, 7, true},
		{"sum of reported zeros is a real zero", kpi.PeriodSum, map[int]float64{1: 0, 2: 0}, 0, true},
		// last
		{"last of all four is Q4", kpi.PeriodLast, full, 40, true},
		{"last with Q1 and Q3 only is Q3", kpi.PeriodLast, map[int]float64{1: 5, 3: 7}, 7, true},
		{"last is the latest quarter, not the largest", kpi.PeriodLast, map[int]float64{1: 50, 2: 60, 4: 3}, 3, true},
		{"last with only Q2", kpi.PeriodLast, map[int]float64{2: 12}, 12, true},
		{"last reported zero", kpi.PeriodLast, map[int]float64{1: 5, 2: 0}, 0, true},
		// avg
		{"avg all four", kpi.PeriodAvg, full, 25, true},                                             // 100/4
		{"avg over reported quarters only", kpi.PeriodAvg, map[int]float64{1: 10, 3: 20}, 15, true}, // (10+20)/2, not 30/4
		{"avg of three", kpi.PeriodAvg, map[int]float64{1: 1.5, 2: 2.5, 4: 3.5}, 2.5, true},         // 7.5/3
		// max / min
		{"max", kpi.PeriodMax, map[int]float64{1: 3, 2: 9, 3: 4}, 9, true},
		{"min", kpi.PeriodMin, map[int]float64{1: 3, 2: 9, 3: 4}, 3, true},
		{"min with a reported zero", kpi.PeriodMin, map[int]float64{1: 5, 2: 0, 4: 2}, 0, true},
		{"max single quarter", kpi.PeriodMax, map[int]float64{4: 1.5}, 1.5, true},
		// a whole-year figure (quarter 0) wins over quarters
		{"annual figure overrides quarter sum", kpi.PeriodSum, map[int]float64{0: 100, 1: 10, 2: 20}, 100, true},
		{"annual figure overrides last", kpi.PeriodLast, map[int]float64{0: 100, 4: 90}, 100, true},
		{"annual figure overrides avg", kpi.PeriodAvg, map[int]float64{0: 2.5, 1: 10, 2: 20}, 2.5, true},
		{"annual figure overrides max", kpi.PeriodMax, map[int]float64{0: 1, 3: 99}, 1, true},
		{"annual figure only", kpi.PeriodSum, map[int]float64{0: 42}, 42, true},
		{"annual zero is reported", kpi.PeriodSum, map[int]float64{0: 0, 1: 5}, 0, true},
		// nothing reported: ok=false, not zero
		{"nil map sum", kpi.PeriodSum, nil, 0, false},
		{"empty map sum", kpi.PeriodSum, map[int]float64{}, 0, false},
		{"empty map last", kpi.PeriodLast, map[int]float64{}, 0, false},
		{"empty map avg", kpi.PeriodAvg, map[int]float64{}, 0, false},
		{"empty map max", kpi.PeriodMax, map[int]float64{}, 0, false},
		{"empty map min", kpi.PeriodMin, map[int]float64{}, 0, false},
		{"quarters outside 1-4 are ignored", kpi.PeriodSum, map[int]float64{5: 10, -1: 3}, 0, false},
		{"quarter 5 does not count towards the sum", kpi.PeriodSum, map[int]float64{1: 1, 5: 100}, 1, true},
		{"unknown aggregation gives no value", kpi.PeriodAgg("median"), map[int]float64{1: 1}, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := kpi.AggregatePeriod(tc.agg, tc.in)
			if ok != tc.wantOK || !near(got, tc.want) {
				t.Errorf("AggregatePeriod(%s, %v) = %v, %v; want %v, %v", tc.agg, tc.in, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestAggregateRegion(t *testing.T) {
	tests := []struct {
		name   string
		agg    kpi.RegionAgg
		in     []float64
		want   float64
		wantOK bool
	}{
		{"sum", kpi.RegionSum, []float64{1, 2, 3}, 6, true}, // 1+2+3
		{"sum one leaf", kpi.RegionSum, []float64{497}, 497, true},
		{"sum of a reported zero", kpi.RegionSum, []float64{0}, 0, true},
		{"avg", kpi.RegionAvg, []float64{2, 4, 9}, 5, true},                     // 15/3
		{"avg of durations", kpi.RegionAvg, []float64{1.5, 2, 3.5, 1}, 2, true}, // 8/4
		{"avg of zeros", kpi.RegionAvg, []float64{0, 0}, 0, true},
		{"none never rolls up", kpi.RegionNone, []float64{1, 2}, 0, false},
		{"sum of nothing is missing", kpi.RegionSum, nil, 0, false},
		{"avg of nothing is missing", kpi.RegionAvg, []float64{}, 0, false},
		{"none of nothing", kpi.RegionNone, nil, 0, false},
		{"unknown aggregation", kpi.RegionAgg("max"), []float64{1, 2}, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := kpi.AggregateRegion(tc.agg, tc.in)
			if ok != tc.wantOK || !near(got, tc.want) {
				t.Errorf("AggregateRegion(%s, %v) = %v, %v; want %v, %v", tc.agg, tc.in, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestRatioOf(t *testing.T) {
	tests := []struct {
		name         string
		num, den, sc float64
		want         float64
		wantOK       bool
	}{
		{"90 of 100 in percent", 90, 100, 100, 90, true},
		{"1 of 4", 1, 4, 100, 25, true},
		{"one third", 1, 3, 100, 100.0 / 3, true},                                   // 33.333…
		{"seed report: 20299 of 20614", 20299, 20614, 100, 2029900.0 / 20614, true}, // 98.4719…
		{"zero numerator is a real 0%", 0, 10, 100, 0, true},
		{"per 10,000 residents, scale 1", 800, 50, 1, 16, true}, // 800 cases / 50 万人
		{"zero denominator: no value", 5, 0, 100, 0, false},
		{"zero over zero: no value", 0, 0, 100, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := kpi.RatioOf(tc.num, tc.den, tc.sc)
			if ok != tc.wantOK || !near(got, tc.want) {
				t.Errorf("RatioOf(%v, %v, %v) = %v, %v; want %v, %v", tc.num, tc.den, tc.sc, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

// TestRatioSumFirstDivideLast follows the diversion rate from two counties'
// quarterly figures to their city, the right way (DESIGN §3) — sum the parts
// over quarters, then over regions, divide last — and shows that averaging the
// counties' percentages gives a very different, wrong number.
func TestRatioSumFirstDivideLast(t *testing.T) {
	// County A: diverted 40+50 = 90 of new cases 60+40 = 100  → 90%.
	// County B: diverted 4+6 = 10 of new cases 500+500 = 1000 → 1%.
	aNum, _ := kpi.AggregatePeriod(kpi.PeriodSum, map[int]float64{1: 40, 2: 50})
	aDen, _ := kpi.AggregatePeriod(kpi.PeriodSum, map[int]float64{1: 60, 2: 40})
	bNum, _ := kpi.AggregatePeriod(kpi.PeriodSum, map[int]float64{1: 4, 2: 6})
	bDen, _ := kpi.AggregatePeriod(kpi.PeriodSum, map[int]float64{1: 500, 2: 500})
	if aNum != 90 || aDen != 100 || bNum != 10 || bDen != 1000 {
		t.Fatalf("period sums: A %v/%v, B %v/%v; want 90/100 and 10/1000", aNum, aDen, bNum, bDen)
	}
	num, _ := kpi.AggregateRegion(kpi.RegionSum, []float64{aNum, bNum}) // 100
	den, _ := kpi.AggregateRegion(kpi.RegionSum, []float64{aDen, bDen}) // 1100
	ind := diversionRate()
	city := kpi.Region{Code: 330100, Name: "杭州市", Level: kpi.LevelCity, Parent: 330000, Leaves: 2}
	countyA := kpi.Region{Code: 330102, Name: "A", Level: kpi.LevelCounty, Parent: 330100}
	countyB := kpi.Region{Code: 330105, Name: "B", Level: kpi.LevelCounty, Parent: 330100}
	y := kpi.Period{Year: 2024}

	pa := kpi.BuildPoint(ind, countyA, kpi.Raw{Period: y, OwnNum: f(aNum), OwnDen: f(aDen), OwnQuarters: 4}, kpi.DefaultTolerance)
	pb := kpi.BuildPoint(ind, countyB, kpi.Raw{Period: y, OwnNum: f(bNum), OwnDen: f(bDen), OwnQuarters: 4}, kpi.DefaultTolerance)
	if !ptrEq(pa.Value, f(90)) || !ptrEq(pb.Value, f(1)) { // 90/100*100, 10/1000*100
		t.Fatalf("county rates = %s, %s; want 90 and 1", fmtPtr(pa.Value), fmtPtr(pb.Value))
	}

	pc := kpi.BuildPoint(ind, city, kpi.Raw{Period: y, LeafNum: f(num), LeafDen: f(den), LeavesReporting: 2}, kpi.DefaultTolerance)
	right := 100.0 / 1100 * 100 // (90+10)/(100+1000)*100 = 9.0909…%
	wrong := (90.0 + 1.0) / 2   // average of 90% and 1% = 45.5%
	if pc.Value == nil || !near(*pc.Value, right) {
		t.Fatalf("city diversion rate = %s, want %v (sum first, divide last)", fmtPtr(pc.Value), right)
	}
	if near(*pc.Value, wrong) {
		t.Fatalf("city diversion rate is the average of percentages (%v)", wrong)
	}
	if pc.Origin != kpi.OriginComputed || pc.Partial || pc.Approx {
		t.Errorf("city point: origin %q partial %v approx %v; want computed, complete, exact", pc.Origin, pc.Partial, pc.Approx)
	}
	if got := kpi.FormatValue(ind, pc.Value, "zh"); got != "9.09%" {
		t.Errorf("shown as %q, want 9.09%%", got)
	}
}
