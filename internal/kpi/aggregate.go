package kpi

// This file states the aggregation rules of DESIGN §3 in plain Go. The store
// runs the same rules as SQL inside the database (it must, at national
// scale); its tests check the SQL against these functions on every engine.

// AggregatePeriod turns one region's stored values within a year into the
// year's value. byQuarter maps quarter (1–4) to value; quarter 0, if present,
// is a figure reported for the whole year and wins over derived ones. ok is
// false when nothing was reported: missing is not zero.
func AggregatePeriod(agg PeriodAgg, byQuarter map[int]float64) (v float64, ok bool) {
	return QuartersOf(byQuarter).Aggregate(agg)
}

// AggregateRegion turns the values of the leaf regions under a parent into
// the parent's computed value. ok is false when no leaf reported, or when the
// indicator does not roll up (RegionNone).
func AggregateRegion(agg RegionAgg, leaves []float64) (v float64, ok bool) {
	if len(leaves) == 0 {
		return 0, false
	}
	switch agg {
	case RegionSum:
		return sum(leaves), true
	case RegionAvg:
		return sum(leaves) / float64(len(leaves)), true
	}
	return 0, false
}

// RatioOf divides aggregated numerator by aggregated denominator. A zero
// denominator gives no value rather than infinity or zero.
func RatioOf(num, den, scale float64) (float64, bool) {
	if den == 0 {
		return 0, false
	}
	return num / den * scale, true
}

func sum(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s
}

func extreme(xs []float64, pick func(a, b float64) float64) float64 {
	m := xs[0]
	for _, x := range xs[1:] {
		m = pick(m, x)
	}
	return m
}

// Paired reports whether a region's numerator and denominator for a year
// can form a ratio: both reported, and for two flows over the same number
// of quarters (nq counts quarters, 4 for a whole-year figure) — four
// quarters of diverted cases over one quarter of new cases is no rate.
func Paired(num, den Indicator, nqNum, nqDen int) bool {
	if nqNum == 0 || nqDen == 0 {
		return false
	}
	return num.PeriodAgg != PeriodSum || den.PeriodAgg != PeriodSum || nqNum == nqDen
}
