package kpi

// Rollup is a parent region's figure for one year computed from the leaf
// regions under it (DESIGN §3): the region aggregation of the leaves' year
// values, or for a ratio the numerator and denominator summed over the
// leaves that reported both. The division is left to BuildPoint.
type Rollup struct {
	Val      *float64 // base indicators
	Num, Den *float64 // ratios
	Leaves   int      // leaves that count
	Partials int      // of those, leaves whose year is incomplete
}

// YearOf is the year value of one leaf's quarters and the number of
// quarters it covers (4 for a whole-year figure); ok is false when nothing
// was reported.
func YearOf(agg PeriodAgg, qs Quarters) (v float64, covered int, ok bool) {
	v, ok = qs.Aggregate(agg)
	if !ok {
		return 0, 0, false
	}
	if _, whole := qs.Get(0); whole {
		return v, 4, true
	}
	return v, qs.Count(), true
}

// RollupBase aggregates a base indicator over the leaves' quarters (one
// entry per leaf that has any). ok is false when no leaf reported or the
// indicator does not roll up.
func RollupBase(ind Indicator, leaves []Quarters) (Rollup, bool) {
	if ind.RegionAgg == RegionNone {
		return Rollup{}, false
	}
	var vals []float64
	var r Rollup
	for _, qs := range leaves {
		v, covered, ok := YearOf(ind.PeriodAgg, qs)
		if !ok {
			continue
		}
		vals = append(vals, v)
		if covered < 4 {
			r.Partials++
		}
	}
	v, ok := AggregateRegion(ind.RegionAgg, vals)
	if !ok {
		return Rollup{}, false
	}
	r.Val, r.Leaves = &v, len(vals)
	return r, true
}

// RollupRatio sums numerator and denominator over the leaves that reported
// both (Paired); nums[i] and dens[i] are the same leaf's quarters.
func RollupRatio(num, den Indicator, nums, dens []Quarters) (Rollup, bool) {
	var r Rollup
	var sn, sd float64
	for i := range nums {
		n, nqNum, okN := YearOf(num.PeriodAgg, nums[i])
		d, nqDen, okD := YearOf(den.PeriodAgg, dens[i])
		if !okN || !okD || !Paired(num, den, nqNum, nqDen) {
			continue
		}
		sn, sd = sn+n, sd+d
		r.Leaves++
		if nqNum < 4 || nqDen < 4 {
			r.Partials++
		}
	}
	if r.Leaves == 0 {
		return Rollup{}, false
	}
	r.Num, r.Den = &sn, &sd
	return r, true
}
