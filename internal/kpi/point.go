package kpi

import "math"

// DefaultTolerance is the relative difference between a parent's reported
// figure and the figure computed from its children beyond which the two are
// flagged as disagreeing.
const DefaultTolerance = 0.01

// Raw is what the store's aggregate query returns for one region and period,
// before any judgement: the region's own figures and the sums over the leaf
// regions beneath it.
type Raw struct {
	Region int
	Period Period

	Own         *float64 // the region's own figure, period-aggregated; for a ratio, a stated rate
	OwnNum      *float64 // ratio only: the region's own numerator …
	OwnDen      *float64 // … and denominator
	OwnQuarters int      // quarters reported; 4 when a whole-year figure is stored

	Leaf            *float64 // base indicators: the region aggregate over the leaves
	LeafNum         *float64 // ratio only: numerator and denominator summed over
	LeafDen         *float64 // the leaves that reported both
	LeavesReporting int
	LeavesPartial   int // leaves whose year is incomplete
}

// Origin says where a shown value comes from.
type Origin string

const (
	OriginReported Origin = "reported" // the region's own figure
	OriginComputed Origin = "computed" // aggregated from the regions below it
)

// Point is one region's value for one period, as every chart, table and API
// response shows it.
type Point struct {
	Region   Region
	Period   Period
	Value    *float64 // reported if present, else computed; nil when missing
	Origin   Origin
	Reported *float64
	Computed *float64
	// Partial: the year has quarters missing, or some leaf regions have not
	// reported. The value is real but incomplete.
	Partial          bool
	Approx           bool // averaged rates (DESIGN §3)
	Differs          bool // reported and computed disagree beyond the tolerance
	QuartersReported int
	LeavesReporting  int
	LeavesTotal      int
}

// BuildPoint judges one Raw: picks the value to show, marks partial years,
// computes ratios last, and flags disagreement between reported and computed.
func BuildPoint(ind Indicator, reg Region, raw Raw, tolerance float64) Point {
	p := Point{
		Region: reg, Period: raw.Period,
		QuartersReported: raw.OwnQuarters,
		LeavesReporting:  raw.LeavesReporting, LeavesTotal: reg.Leaves,
		Approx: ind.Approximate(),
	}
	if ind.IsRatio() {
		p.Reported = ratioPtr(raw.OwnNum, raw.OwnDen, ind.Scale)
		if p.Reported == nil {
			p.Reported = raw.Own
		}
		p.Computed = ratioPtr(raw.LeafNum, raw.LeafDen, ind.Scale)
	} else {
		p.Reported = raw.Own
		if ind.RegionAgg != RegionNone {
			p.Computed = raw.Leaf
		}
	}
	if reg.IsLeaf() {
		p.Computed = nil // a leaf has nothing below it to compute from
	}
	ownPartial := raw.Period.IsYear() && ind.Frequency == Quarterly && raw.OwnQuarters < 4
	leafPartial := raw.LeavesReporting < reg.Leaves || raw.LeavesPartial > 0
	switch {
	case p.Reported != nil:
		p.Value, p.Origin, p.Partial = p.Reported, OriginReported, ownPartial
	case p.Computed != nil:
		p.Value, p.Origin, p.Partial = p.Computed, OriginComputed, leafPartial
	}
	if p.Reported != nil && p.Computed != nil {
		p.Differs = differs(*p.Reported, *p.Computed, tolerance)
	}
	return p
}

func ratioPtr(num, den *float64, scale float64) *float64 {
	if num == nil || den == nil {
		return nil
	}
	if v, ok := RatioOf(*num, *den, scale); ok {
		return &v
	}
	return nil
}

func differs(reported, computed, tolerance float64) bool {
	base := math.Max(math.Abs(computed), math.Abs(reported))
	if base == 0 {
		return false
	}
	return math.Abs(reported-computed)/base > tolerance
}
