package kpi_test

import (
	"testing"

	"github.com/govkpi/govkpi/internal/kpi"
)

func TestBuildPoint(t *testing.T) {
	year := kpi.Period{Year: 2024}
	q2 := kpi.Period{Year: 2024, Quarter: 2}
	annualCount := casesCount()
	annualCount.Code, annualCount.Frequency = "approvals_cancelled", kpi.Annual

	type want struct {
		value, reported, computed *float64
		origin                    kpi.Origin
		partial, approx, differs  bool
	}
	tests := []struct {
		name string
		ind  kpi.Indicator
		reg  kpi.Region
		raw  kpi.Raw
		tol  float64
		want want
	}{
		// which value is shown
		{"reported wins over computed", casesCount(), hangzhou,
			kpi.Raw{Period: year, Own: f(120), OwnQuarters: 4, Leaf: f(100), LeavesReporting: 3}, kpi.DefaultTolerance,
			// |120-100| / max(120,100) = 0.1667 > 0.01
			want{value: f(120), reported: f(120), computed: f(100), origin: kpi.OriginReported, differs: true}},
		{"computed used when nothing reported", casesCount(), hangzhou,
			kpi.Raw{Period: year, Leaf: f(100), LeavesReporting: 3}, kpi.DefaultTolerance,
			want{value: f(100), computed: f(100), origin: kpi.OriginComputed}},
		{"nothing at all is missing, not zero", casesCount(), hangzhou,
			kpi.Raw{Period: year}, kpi.DefaultTolerance,
			want{}},
		{"a reported zero is a value", casesCount(), hangzhou,
			kpi.Raw{Period: year, Own: f(0), OwnQuarters: 4, Leaf: f(0), LeavesReporting: 3}, kpi.DefaultTolerance,
			// both zero: no difference to flag
			want{value: f(0), reported: f(0), computed: f(0), origin: kpi.OriginReported}},
		{"reported zero against computed 5 differs", casesCount(), hangzhou,
			kpi.Raw{Period: year, Own: f(0), OwnQuarters: 4, Leaf: f(5), LeavesReporting: 3}, kpi.DefaultTolerance,
			// |0-5| / 5 = 1 > 0.01
			want{value: f(0), reported: f(0), computed: f(5), origin: kpi.OriginReported, differs: true}},

		// tolerance
		{"within tolerance: 100.5 vs 100", casesCount(), hangzhou,
			kpi.Raw{Period: year, Own: f(100.5), OwnQuarters: 4, Leaf: f(100), LeavesReporting: 3}, kpi.DefaultTolerance,
			// 0.5/100.5 = 0.00498 <= 0.01
			want{value: f(100.5), reported: f(100.5), computed: f(100), origin: kpi.OriginReported}},
		{"within tolerance: 101 vs 100", casesCount(), hangzhou,
			kpi.Raw{Period: year, Own: f(101), OwnQuarters: 4, Leaf: f(100), LeavesReporting: 3}, kpi.DefaultTolerance,
			// 1/101 = 0.0099 <= 0.01
			want{value: f(101), reported: f(101), computed: f(100), origin: kpi.OriginReported}},
		{"beyond tolerance: 102 vs 100", casesCount(), hangzhou,
			kpi.Raw{Period: year, Own: f(102), OwnQuarters: 4, Leaf: f(100), LeavesReporting: 3}, kpi.DefaultTolerance,
			// 2/102 = 0.0196 > 0.01
			want{value: f(102), reported: f(102), computed: f(100), origin: kpi.OriginReported, differs: true}},
		{"beyond tolerance below: 98 vs 100", casesCount(), hangzhou,
			kpi.Raw{Period: year, Own: f(98), OwnQuarters: 4, Leaf: f(100), LeavesReporting: 3}, kpi.DefaultTolerance,
			// 2/100 = 0.02 > 0.01
			want{value: f(98), reported: f(98), computed: f(100), origin: kpi.OriginReported, differs: true}},
		{"children sum to zero while the parent reports 5", casesCount(), hangzhou,
			kpi.Raw{Period: year, Own: f(5), OwnQuarters: 4, Leaf: f(0), LeavesReporting: 3}, kpi.DefaultTolerance,
			// |5-0| / max(5,0) = 1 > 0.01
			want{value: f(5), reported: f(5), computed: f(0), origin: kpi.OriginReported, differs: true}},
		{"a wider tolerance accepts 120 vs 100", casesCount(), hangzhou,
			kpi.Raw{Period: year, Own: f(120), OwnQuarters: 4, Leaf: f(100), LeavesReporting: 3}, 0.2,
			// 0.1667 <= 0.2
			want{value: f(120), reported: f(120), computed: f(100), origin: kpi.OriginReported}},

		// leaves have nothing below them
		{"leaf region never gets Computed", casesCount(), shangcheng,
			kpi.Raw{Period: year, Own: f(7), OwnQuarters: 4, Leaf: f(9), LeavesReporting: 1}, kpi.DefaultTolerance,
			want{value: f(7), reported: f(7), origin: kpi.OriginReported}},
		{"leaf region without its own figure is missing", casesCount(), shangcheng,
			kpi.Raw{Period: year, Leaf: f(9), LeavesReporting: 1}, kpi.DefaultTolerance,
			want{}},

		// RegionNone: a parent only has what it reports itself
		{"list: no computed value from children", itemsList(), hangzhou,
			kpi.Raw{Period: year, Leaf: f(500), LeavesReporting: 3}, kpi.DefaultTolerance,
			want{}},
		{"list: own figure shown, never compared with children", itemsList(), hangzhou,
			kpi.Raw{Period: year, Own: f(80), OwnQuarters: 4, Leaf: f(500), LeavesReporting: 3}, kpi.DefaultTolerance,
			want{value: f(80), reported: f(80), origin: kpi.OriginReported}},

		// partial years
		{"quarterly indicator, 2 of 4 quarters: partial", casesCount(), hangzhou,
			kpi.Raw{Period: year, Own: f(50), OwnQuarters: 2}, kpi.DefaultTolerance,
			want{value: f(50), reported: f(50), origin: kpi.OriginReported, partial: true}},
		{"quarterly indicator, 3 of 4 quarters: partial", mediatorsStock(), shangcheng,
			kpi.Raw{Period: year, Own: f(12), OwnQuarters: 3}, kpi.DefaultTolerance,
			want{value: f(12), reported: f(12), origin: kpi.OriginReported, partial: true}},
		{"quarterly indicator, 4 of 4 quarters: complete", casesCount(), hangzhou,
			kpi.Raw{Period: year, Own: f(50), OwnQuarters: 4}, kpi.DefaultTolerance,
			want{value: f(50), reported: f(50), origin: kpi.OriginReported}},
		{"a single quarter is complete", casesCount(), hangzhou,
			kpi.Raw{Period: q2, Own: f(50), OwnQuarters: 1}, kpi.DefaultTolerance,
			want{value: f(50), reported: f(50), origin: kpi.OriginReported}},
		{"annual indicator is never partial on quarters", annualCount, hangzhou,
			kpi.Raw{Period: year, Own: f(5), OwnQuarters: 1}, kpi.DefaultTolerance,
			want{value: f(5), reported: f(5), origin: kpi.OriginReported}},
		{"computed with a leaf missing: partial", casesCount(), hangzhou,
			kpi.Raw{Period: year, Leaf: f(70), LeavesReporting: 2}, kpi.DefaultTolerance,
			want{value: f(70), computed: f(70), origin: kpi.OriginComputed, partial: true}},
		{"computed with a leaf's year incomplete: partial", casesCount(), hangzhou,
			kpi.Raw{Period: year, Leaf: f(70), LeavesReporting: 3, LeavesPartial: 1}, kpi.DefaultTolerance,
			want{value: f(70), computed: f(70), origin: kpi.OriginComputed, partial: true}},
		{"computed for an annual indicator with a leaf missing: partial", annualCount, hangzhou,
			kpi.Raw{Period: year, Leaf: f(70), LeavesReporting: 2}, kpi.DefaultTolerance,
			want{value: f(70), computed: f(70), origin: kpi.OriginComputed, partial: true}},
		{"reported complete year while leaves are missing: the shown value is complete", casesCount(), hangzhou,
			kpi.Raw{Period: year, Own: f(70), OwnQuarters: 4, Leaf: f(69.5), LeavesReporting: 1}, kpi.DefaultTolerance,
			// 0.5/70 = 0.0071 <= 0.01
			want{value: f(70), reported: f(70), computed: f(69.5), origin: kpi.OriginReported}},

		// approximations
		{"averaged rate is approximate", satisfactionRate(), hangzhou,
			kpi.Raw{Period: year, Leaf: f(97.5), LeavesReporting: 3}, kpi.DefaultTolerance,
			want{value: f(97.5), computed: f(97.5), origin: kpi.OriginComputed, approx: true}},
		{"averaged duration is not flagged approximate", startupDays(), hangzhou,
			kpi.Raw{Period: year, Leaf: f(1.5), LeavesReporting: 3}, kpi.DefaultTolerance,
			want{value: f(1.5), computed: f(1.5), origin: kpi.OriginComputed}},

		// ratios
		{"ratio reported from own numerator and denominator", diversionRate(), hangzhou,
			kpi.Raw{Period: year, OwnNum: f(45), OwnDen: f(300), Own: f(20), OwnQuarters: 4}, kpi.DefaultTolerance,
			// 45/300*100 = 15, the stated 20 is ignored
			want{value: f(15), reported: f(15), origin: kpi.OriginReported}},
		{"ratio falls back to a stated rate", diversionRate(), hangzhou,
			kpi.Raw{Period: year, Own: f(20), OwnQuarters: 4}, kpi.DefaultTolerance,
			want{value: f(20), reported: f(20), origin: kpi.OriginReported}},
		{"ratio with only a numerator falls back to the stated rate", diversionRate(), hangzhou,
			kpi.Raw{Period: year, OwnNum: f(45), Own: f(20), OwnQuarters: 4}, kpi.DefaultTolerance,
			want{value: f(20), reported: f(20), origin: kpi.OriginReported}},
		{"ratio with zero own denominator falls back to the stated rate", diversionRate(), hangzhou,
			kpi.Raw{Period: year, OwnNum: f(0), OwnDen: f(0), Own: f(12), OwnQuarters: 4}, kpi.DefaultTolerance,
			want{value: f(12), reported: f(12), origin: kpi.OriginReported}},
		{"ratio with zero own denominator and no stated rate uses the children", diversionRate(), hangzhou,
			kpi.Raw{Period: year, OwnNum: f(5), OwnDen: f(0), OwnQuarters: 4, LeafNum: f(100), LeafDen: f(1100), LeavesReporting: 3}, kpi.DefaultTolerance,
			// 100/1100*100 = 9.0909…
			want{value: f(100.0 / 11), computed: f(100.0 / 11), origin: kpi.OriginComputed}},
		{"ratio computed with zero leaf denominator is missing", diversionRate(), hangzhou,
			kpi.Raw{Period: year, LeafNum: f(0), LeafDen: f(0), LeavesReporting: 3}, kpi.DefaultTolerance,
			want{}},
		{"ratio reported and computed disagree", diversionRate(), hangzhou,
			kpi.Raw{Period: year, OwnNum: f(10), OwnDen: f(100), OwnQuarters: 4, LeafNum: f(100), LeafDen: f(1100), LeavesReporting: 3}, kpi.DefaultTolerance,
			// reported 10, computed 9.0909; |10-9.0909|/10 = 0.0909 > 0.01
			want{value: f(10), reported: f(10), computed: f(100.0 / 11), origin: kpi.OriginReported, differs: true}},
		{"ratio reported and computed agree", diversionRate(), hangzhou,
			kpi.Raw{Period: year, OwnNum: f(91), OwnDen: f(1000), OwnQuarters: 4, LeafNum: f(100), LeafDen: f(1100), LeavesReporting: 3}, kpi.DefaultTolerance,
			// reported 9.1, computed 9.0909; 0.0091/9.1 = 0.001 <= 0.01
			want{value: f(9.1), reported: f(9.1), computed: f(100.0 / 11), origin: kpi.OriginReported}},
		{"ratio on a leaf never gets Computed", diversionRate(), shangcheng,
			kpi.Raw{Period: year, OwnNum: f(90), OwnDen: f(100), OwnQuarters: 4, LeafNum: f(1), LeafDen: f(2), LeavesReporting: 1}, kpi.DefaultTolerance,
			want{value: f(90), reported: f(90), origin: kpi.OriginReported}},
		{"ratio with 2 of 4 quarters: partial", diversionRate(), shangcheng,
			kpi.Raw{Period: year, OwnNum: f(9), OwnDen: f(10), OwnQuarters: 2}, kpi.DefaultTolerance,
			want{value: f(90), reported: f(90), origin: kpi.OriginReported, partial: true}},
		{"computed ratio with a leaf missing: partial", diversionRate(), hangzhou,
			kpi.Raw{Period: year, LeafNum: f(1), LeafDen: f(4), LeavesReporting: 2}, kpi.DefaultTolerance,
			want{value: f(25), computed: f(25), origin: kpi.OriginComputed, partial: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.raw.Region = tc.reg.Code
			p := kpi.BuildPoint(tc.ind, tc.reg, tc.raw, tc.tol)
			w := tc.want
			if !ptrEq(p.Value, w.value) {
				t.Errorf("Value = %s, want %s", fmtPtr(p.Value), fmtPtr(w.value))
			}
			if !ptrEq(p.Reported, w.reported) {
				t.Errorf("Reported = %s, want %s", fmtPtr(p.Reported), fmtPtr(w.reported))
			}
			if !ptrEq(p.Computed, w.computed) {
				t.Errorf("Computed = %s, want %s", fmtPtr(p.Computed), fmtPtr(w.computed))
			}
			if p.Origin != w.origin {
				t.Errorf("Origin = %q, want %q", p.Origin, w.origin)
			}
			if p.Partial != w.partial {
				t.Errorf("Partial = %v, want %v", p.Partial, w.partial)
			}
			if p.Approx != w.approx {
				t.Errorf("Approx = %v, want %v", p.Approx, w.approx)
			}
			if p.Differs != w.differs {
				t.Errorf("Differs = %v, want %v", p.Differs, w.differs)
			}
			// bookkeeping is passed through unchanged
			if p.Region != tc.reg || p.Period != tc.raw.Period {
				t.Errorf("Region/Period = %v/%v, want %v/%v", p.Region, p.Period, tc.reg, tc.raw.Period)
			}
			if p.QuartersReported != tc.raw.OwnQuarters || p.LeavesReporting != tc.raw.LeavesReporting || p.LeavesTotal != tc.reg.Leaves {
				t.Errorf("counts = %d quarters, %d/%d leaves; want %d, %d/%d",
					p.QuartersReported, p.LeavesReporting, p.LeavesTotal, tc.raw.OwnQuarters, tc.raw.LeavesReporting, tc.reg.Leaves)
			}
		})
	}
}

// TestBuildPointValueMatchesOrigin checks that Value is the figure its Origin
// names — charts read Value, tables read Reported and Computed.
func TestBuildPointValueMatchesOrigin(t *testing.T) {
	p := kpi.BuildPoint(casesCount(), hangzhou, kpi.Raw{Period: kpi.Period{Year: 2024}, Own: f(3), OwnQuarters: 4, Leaf: f(4), LeavesReporting: 3}, kpi.DefaultTolerance)
	if p.Value == nil || p.Reported == nil || *p.Value != *p.Reported {
		t.Fatalf("reported point: Value %s, Reported %s", fmtPtr(p.Value), fmtPtr(p.Reported))
	}
	p = kpi.BuildPoint(casesCount(), hangzhou, kpi.Raw{Period: kpi.Period{Year: 2024}, Leaf: f(4), LeavesReporting: 3}, kpi.DefaultTolerance)
	if p.Value == nil || p.Computed == nil || *p.Value != *p.Computed {
		t.Fatalf("computed point: Value %s, Computed %s", fmtPtr(p.Value), fmtPtr(p.Computed))
	}
}
