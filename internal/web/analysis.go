package web

import (
	"context"

	"github.com/govkpi/govkpi/internal/kpi"
	"github.com/govkpi/govkpi/internal/store"
)

// The functions here compute what a view shows. Pages and the JSON API call
// the same ones, so they cannot disagree.

// points aggregates ind for regions over from..to and returns the points
// keyed by region code and period.
func (s *Server) points(ctx context.Context, cat kpi.Catalogue, ind kpi.Indicator, regions []kpi.Region,
	from, to int, byQuarter bool, quarter int, approvedOnly bool) (pointSet, error) {
	q := store.AggregateQuery{Indicator: ind, From: from, To: to, ByQuarter: byQuarter, Quarter: quarter, ApprovedOnly: approvedOnly}
	if ind.IsRatio() {
		var err error
		if q.Num, q.Den, err = cat.Parts(ind); err != nil {
			return pointSet{}, err
		}
	}
	byCode := make(map[int]kpi.Region, len(regions))
	q.Regions = make([]int, 0, len(regions))
	for _, r := range regions {
		q.Regions = append(q.Regions, r.Code)
		byCode[r.Code] = r
	}
	raws, err := s.store.Aggregate(ctx, q)
	if err != nil {
		return pointSet{}, err
	}
	out := pointSet{at: make(map[pointKey]int, len(raws)), pts: make([]kpi.Point, len(raws))}
	for i, raw := range raws {
		out.pts[i] = kpi.BuildPoint(ind, byCode[raw.Region], raw, s.tolerance)
		out.at[pointKey{raw.Region, raw.Period}] = i
	}
	return out, nil
}

// pointSet holds the points of an aggregate by region and period: one
// index, not a map per region, since a nationwide ranking has thousands of
// regions; the points themselves, a few hundred bytes each, sit in a slice.
type pointSet struct {
	at  map[pointKey]int // index into pts
	pts []kpi.Point
}

type pointKey struct {
	region int
	period kpi.Period
}

// pointAt returns the point of a region and period, or an empty one that
// says "missing" — never zero.
func pointAt(pts pointSet, r kpi.Region, p kpi.Period) kpi.Point {
	if i, ok := pts.at[pointKey{r.Code, p}]; ok {
		return pts.pts[i]
	}
	return kpi.Point{Region: r, Period: p, LeavesTotal: r.Leaves}
}

// compareQuery is a ranking request: one indicator and period over the
// children of Parent, or over every region of Level (within Within, if set).
type compareQuery struct {
	Indicator    kpi.Indicator
	Period       kpi.Period
	Parent       *kpi.Region
	Level        int
	Within       int
	ApprovedOnly bool
	// Regions, when set, are the regions to rank, already looked up (a
	// scorecard ranks the same peers on every indicator).
	Regions []kpi.Region
}

// comparison ranks the regions of q with last year's values, targets and progress.
func (s *Server) comparison(ctx context.Context, cat kpi.Catalogue, q compareQuery) (kpi.Comparison, error) {
	regions := q.Regions
	var err error
	switch {
	case regions != nil:
	case q.Parent != nil:
		regions, err = s.store.Children(ctx, q.Parent.Code)
	default:
		regions, err = s.store.RegionsAtLevel(ctx, q.Level, q.Within)
	}
	if err != nil {
		return kpi.Comparison{}, err
	}
	pts, err := s.points(ctx, cat, q.Indicator, regions, q.Period.Year-1, q.Period.Year,
		!q.Period.IsYear(), q.Period.Quarter, q.ApprovedOnly)
	if err != nil {
		return kpi.Comparison{}, err
	}
	cur := make([]kpi.Point, len(regions))
	prev := map[int]*float64{}
	codes := make([]int, len(regions))
	for i, r := range regions {
		cur[i] = pointAt(pts, r, q.Period)
		prev[r.Code] = pointAt(pts, r, q.Period.Prev()).Value
		codes[i] = r.Code
	}
	targets, err := s.store.Targets(ctx, q.Indicator, codes, q.Period.Year, q.Period.Year)
	if err != nil {
		return kpi.Comparison{}, err
	}
	return kpi.Compare(q.Indicator, q.Period, cur, prev, targets[q.Period.Year], s.thresholds), nil
}

// regionSeries is one line of a trend chart.
type regionSeries struct {
	Region  kpi.Region
	Points  []kpi.Point // one per period of the span, missing ones included
	Targets map[int]float64
}

// series returns one line per region over the span, with each region's targets.
func (s *Server) series(ctx context.Context, cat kpi.Catalogue, ind kpi.Indicator, regions []kpi.Region, span kpi.Span, approvedOnly bool) ([]regionSeries, error) {
	pts, err := s.points(ctx, cat, ind, regions, span.From, span.To, span.ByQuarter, 0, approvedOnly)
	if err != nil {
		return nil, err
	}
	codes := make([]int, len(regions))
	for i, r := range regions {
		codes[i] = r.Code
	}
	targets, err := s.store.Targets(ctx, ind, codes, span.From, span.To)
	if err != nil {
		return nil, err
	}
	periods := span.Periods()
	out := make([]regionSeries, len(regions))
	for i, r := range regions {
		rs := regionSeries{Region: r, Targets: map[int]float64{}}
		for _, p := range periods {
			rs.Points = append(rs.Points, pointAt(pts, r, p))
		}
		for year, byRegion := range targets {
			if t, ok := byRegion[r.Code]; ok {
				rs.Targets[year] = t
			}
		}
		out[i] = rs
	}
	return out, nil
}
