package kpi

import (
	"math"
	"math/bits"
)

// Quarters is one region's stored values of one indicator in one year, by
// quarter; quarter 0 is a figure for the whole year. It is a small value,
// not a map: a nationwide ranking builds thousands of them per request and
// a bulk load's rollups hundreds of thousands.
type Quarters struct {
	vals [5]float64
	set  uint8 // bit q is set when quarter q was reported
}

// QuartersOf collects a map of quarter to value; quarters outside 0–4 are
// not periods of a year and are left out.
func QuartersOf(byQuarter map[int]float64) Quarters {
	var qs Quarters
	for q, v := range byQuarter {
		qs.Set(q, v)
	}
	return qs
}

// Set records the value of quarter q (0 for the whole year); other
// quarters are ignored.
func (qs *Quarters) Set(q int, v float64) {
	if q < 0 || q > 4 {
		return
	}
	qs.vals[q] = v
	qs.set |= 1 << q
}

// Get returns the value of quarter q and whether it was reported.
func (qs Quarters) Get(q int) (float64, bool) {
	if q < 0 || q > 4 || qs.set&(1<<q) == 0 {
		return 0, false
	}
	return qs.vals[q], true
}

// Empty reports whether nothing was reported.
func (qs Quarters) Empty() bool { return qs.set == 0 }

// Count is the number of quarters 1–4 reported.
func (qs Quarters) Count() int { return bits.OnesCount8(qs.set &^ 1) }

// Aggregate is the year's value (DESIGN §3): a whole-year figure if one
// was reported, else agg over the quarters reported, in quarter order. ok
// is false when nothing was reported: missing is not zero.
func (qs Quarters) Aggregate(agg PeriodAgg) (v float64, ok bool) {
	if annual, has := qs.Get(0); has {
		return annual, true
	}
	var buf [4]float64
	vals := buf[:0]
	for q := 1; q <= 4; q++ {
		if v, has := qs.Get(q); has {
			vals = append(vals, v)
		}
	}
	if len(vals) == 0 {
		return 0, false
	}
	switch agg {
	case PeriodSum:
		return sum(vals), true
	case PeriodLast:
		return vals[len(vals)-1], true
	case PeriodAvg:
		return sum(vals) / float64(len(vals)), true
	case PeriodMax:
		return extreme(vals, math.Max), true
	case PeriodMin:
		return extreme(vals, math.Min), true
	}
	return 0, false
}
