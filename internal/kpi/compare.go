package kpi

import (
	"cmp"
	"math"
	"slices"
	"sort"
)

// Rank gives competition ranks ("1, 2, 2, 4"): equal values — equal as
// displayed, at the indicator's decimals — share a rank, and the best value
// ranks first whichever way the indicator points. Missing values get rank 0.
func Rank(ind Indicator, values []*float64) []int {
	ranks, _ := rankOrder(ind, values)
	return ranks
}

// rankOrder is Rank, and the indices of values in table order: ranked
// ones by rank, then input order; unranked ones last, in input order. One
// sort serves both, with the index as the last key so that it needs no
// stable sort (a nationwide ranking orders 2,850 values).
func rankOrder(ind Indicator, values []*float64) (ranks, order []int) {
	type item struct {
		i int
		v float64
	}
	items := make([]item, 0, len(values))
	for i, v := range values {
		if v != nil {
			items = append(items, item{i, Round(*v, ind.Decimals)})
		}
	}
	better := func(a, b item) int { return cmp.Compare(b.v, a.v) } // larger first
	if ind.Direction == Down {
		better = func(a, b item) int { return cmp.Compare(a.v, b.v) }
	}
	slices.SortFunc(items, func(a, b item) int { return cmp.Or(better(a, b), cmp.Compare(a.i, b.i)) })
	ranks = make([]int, len(values))
	order = make([]int, 0, len(values))
	for n, it := range items {
		if n > 0 && it.v == items[n-1].v {
			ranks[it.i] = ranks[items[n-1].i]
		} else {
			ranks[it.i] = n + 1
		}
		order = append(order, it.i)
	}
	for i, v := range values {
		if v == nil {
			order = append(order, i)
		}
	}
	return ranks, order
}

// Round rounds half away from zero to the given decimals.
func Round(v float64, decimals int) float64 {
	p := math.Pow(10, float64(decimals))
	return math.Round(v*p) / p
}

// Delta is a year-on-year change: in percent for counts and levels, in
// percentage points for indicators that are themselves percentages.
type Delta struct {
	Value    float64
	Points   bool  // percentage points (个百分点) rather than percent
	Decimals int   // to show: the indicator's for points, one for percent
	Improved *bool // nil for neutral indicators or no change
}

// Change computes the year-on-year change of cur against prev, from the
// figures as displayed (rounded to the indicator's decimals), so that every
// page, export and the generated summary state the same change. It is nil
// when either is missing, or when a percent change would divide by zero.
func Change(ind Indicator, cur, prev *float64) *Delta {
	if cur == nil || prev == nil {
		return nil
	}
	c, p := Round(*cur, ind.Decimals), Round(*prev, ind.Decimals)
	d := Delta{Points: ind.IsPercent(), Decimals: 1}
	if d.Points {
		d.Value, d.Decimals = Round(c-p, ind.Decimals), max(ind.Decimals, 1)
	} else {
		if p == 0 {
			return nil
		}
		d.Value = (c - p) / math.Abs(p) * 100
	}
	if ind.Direction != Neutral && c != p {
		up := c > p
		improved := up == (ind.Direction == Up)
		d.Improved = &improved
	}
	return &d
}

// ComparisonRow is one line of a ranking table.
type ComparisonRow struct {
	Rank     int
	Point    Point
	Prev     *float64 // the same period a year earlier
	Change   *Delta
	Target   *float64
	Progress Progress
}

// Comparison is a ranking of regions for one indicator and period.
type Comparison struct {
	Indicator Indicator
	Period    Period
	Rows      []ComparisonRow // best first; regions without a value last
	Average   *float64        // mean of the shown values
	Median    *float64
}

// Compare ranks cur, attaching last year's values, targets and progress.
// prev and targets are keyed by region code.
func Compare(ind Indicator, period Period, cur []Point, prev map[int]*float64, targets map[int]float64, th Thresholds) Comparison {
	values := make([]*float64, len(cur))
	present := make([]float64, 0, len(cur)) // in input order, so the average's sum is as before
	for i := range cur {
		values[i] = cur[i].Value
		if v := cur[i].Value; v != nil {
			present = append(present, *v)
		}
	}
	ranks, order := rankOrder(ind, values)
	// The rows are large: build them in table order rather than sort them.
	sorted := make([]ComparisonRow, len(cur))
	for n, i := range order {
		p := cur[i]
		row := ComparisonRow{Rank: ranks[i], Point: p, Prev: prev[p.Region.Code]}
		row.Change = Change(ind, p.Value, row.Prev)
		if t, ok := targets[p.Region.Code]; ok {
			row.Target = &t
		}
		row.Progress = ProgressOf(ind, period, p.Value, row.Target, th)
		sorted[n] = row
	}
	c := Comparison{Indicator: ind, Period: period, Rows: sorted}
	if len(present) > 0 {
		avg := sum(present) / float64(len(present))
		med := median(present)
		c.Average, c.Median = &avg, &med
	}
	return c
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// SortByProgress orders rows by target progress, best first; rows without
// progress go last, in rank order.
func SortByProgress(rows []ComparisonRow) {
	sort.SliceStable(rows, func(a, b int) bool {
		pa, pb := rows[a].Progress.Ratio, rows[b].Progress.Ratio
		if (pa == nil) != (pb == nil) {
			return pb == nil
		}
		return pa != nil && *pa > *pb
	})
}

// Quartile places a rank among n ranked regions: 1 for the best quarter, 4
// for the worst; 0 when unranked.
func Quartile(rank, n int) int {
	if rank <= 0 || n <= 0 {
		return 0
	}
	return min(4, (rank-1)*4/n+1)
}
