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

// Quarters is one leaf's stored values of one indicator in one year, by
// quarter; quarter 0 is a figure for the whole year.
type Quarters map[int]float64

// YearOf is the year value of one leaf's quarters and the number of
// quarters it covers (4 for a whole-year figure); ok is false when nothing
// was reported.
func YearOf(agg PeriodAgg, qs Quarters) (v float64, covered int, ok bool) {
	v, ok = AggregatePeriod(agg, qs)
	if !ok {
		return 0, 0, false
	}
	if _, whole := qs[0]; whole {
		return v, 4, true
	}
	for q := range qs {
		if q >= 1 && q <= 4 {
			covered++
		}
	}
	return v, covered, true
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
