package store

import (
	"context"
	"fmt"
	"math"
	"sort"

	"github.com/govkpi/govkpi/internal/kpi"
)

// AggregateQuery asks for one indicator's values for some regions over a
// run of periods.
type AggregateQuery struct {
	Indicator kpi.Indicator
	// Num and Den are the ratio's parts (from kpi.Catalogue.Parts); unused
	// for other indicators.
	Num, Den kpi.Indicator
	Regions  []int
	From, To int // years, inclusive
	// ByQuarter asks for quarter values instead of year aggregates; Quarter,
	// if not 0, keeps only that quarter of each year.
	ByQuarter    bool
	Quarter      int
	ApprovedOnly bool
}

// Aggregate runs DESIGN §3 inside the database: period aggregation per
// region (quarters → year), then region aggregation over the leaf regions
// under each requested region, with ratios summing numerator and
// denominator separately. It returns one kpi.Raw per region and period that
// has anything; kpi.BuildPoint turns each into what the pages show.
//
// Every chart, table and API response goes through here.
func (s *Store) Aggregate(ctx context.Context, q AggregateQuery) ([]kpi.Raw, error) {
	if len(q.Regions) == 0 {
		return nil, nil
	}
	var own, leaf []aggRow
	var err error
	if q.Indicator.IsRatio() {
		own, leaf, err = s.aggregateRatio(ctx, q)
	} else {
		own, leaf, err = s.aggregateBase(ctx, q)
	}
	if err != nil {
		return nil, s.wrap(err)
	}
	return mergeRaw(own, leaf), nil
}

// aggRow is one row of any aggregate query; unused columns stay nil.
type aggRow struct {
	Region   int
	Year     int
	Quarter  int
	Val      *float64
	Num      *float64
	Den      *float64
	Stated   *float64
	Nq       int
	Leaves   int
	Partials int
}

// periodCTE is the SQL of one period-aggregation CTE for ind over the
// regions in scope, and its arguments.
//
// By year, a figure stored for the whole year (quarter 0) wins; otherwise
// the quarters aggregate by the indicator's rule. LAST is the latest quarter
// with a value, written as COALESCE over quarters 4..1 so that every engine
// runs the same plain GROUP BY. nq counts the quarters reported (4 when a
// whole-year figure exists); a single quarter counts as complete.
func periodCTE(ind kpi.Indicator, q AggregateQuery) (string, []any) {
	statuses := statusStrings(kpi.Visible(q.ApprovedOnly))
	from := `FROM kpi_values v JOIN scope s ON s.code = v.region_code
		WHERE v.indicator_id = ? AND v.year BETWEEN ? AND ? AND v.status IN ?`
	args := []any{ind.ID, q.From, q.To, statuses}
	if q.ByQuarter {
		sql := `SELECT v.region_code AS region, v.year, v.quarter, v.value AS val, 1 AS nq ` + from
		if q.Quarter != 0 {
			sql += ` AND v.quarter = ?`
			args = append(args, q.Quarter)
		} else {
			sql += ` AND v.quarter BETWEEN 1 AND 4`
		}
		return sql, args
	}
	quarterly := func(agg string) string {
		return fmt.Sprintf("%s(CASE WHEN v.quarter > 0 THEN v.value END)", agg)
	}
	var derived string
	switch ind.PeriodAgg {
	case kpi.PeriodSum:
		derived = quarterly("SUM")
	case kpi.PeriodAvg:
		derived = quarterly("AVG")
	case kpi.PeriodMax:
		derived = quarterly("MAX")
	case kpi.PeriodMin:
		derived = quarterly("MIN")
	default: // kpi.PeriodLast
		derived = `COALESCE(MAX(CASE WHEN v.quarter = 4 THEN v.value END), MAX(CASE WHEN v.quarter = 3 THEN v.value END),
			MAX(CASE WHEN v.quarter = 2 THEN v.value END), MAX(CASE WHEN v.quarter = 1 THEN v.value END))`
	}
	sql := `SELECT v.region_code AS region, v.year, 0 AS quarter,
		COALESCE(MAX(CASE WHEN v.quarter = 0 THEN v.value END), ` + derived + `) AS val,
		CASE WHEN MAX(CASE WHEN v.quarter = 0 THEN 1 ELSE 0 END) = 1 THEN 4
			ELSE SUM(CASE WHEN v.quarter > 0 THEN 1 ELSE 0 END) END AS nq ` + from + `
		GROUP BY v.region_code, v.year`
	return sql, args
}

// scopeCTE is the requested regions and every leaf under them.
func scopeCTE(regions []int) (string, []any) {
	return `scope AS (SELECT code FROM regions WHERE code IN ?
		UNION SELECT leaf_code FROM region_leaves WHERE ancestor_code IN ?)`, []any{regions, regions}
}

// complete is the nq of a complete period: four quarters, or one quarter.
func complete(q AggregateQuery) int {
	if q.ByQuarter {
		return 1
	}
	return 4
}

func (s *Store) aggregateBase(ctx context.Context, q AggregateQuery) (own, leaf []aggRow, err error) {
	scope, args := scopeCTE(q.Regions)
	pv, pvArgs := periodCTE(q.Indicator, q)
	with := "WITH " + scope + ", pv AS (" + pv + ") "
	args = append(args, pvArgs...)

	db := s.db.WithContext(ctx)
	ownSQL := with + `SELECT region, year, quarter, val, nq FROM pv WHERE region IN ?`
	if err = db.Raw(ownSQL, append(args, q.Regions)...).Scan(&own).Error; err != nil {
		return nil, nil, err
	}
	if q.Indicator.RegionAgg == kpi.RegionNone {
		return own, nil, nil
	}
	agg := "SUM"
	if q.Indicator.RegionAgg == kpi.RegionAvg {
		agg = "AVG"
	}
	leafSQL := with + `SELECT rl.ancestor_code AS region, pv.year, pv.quarter, ` + agg + `(pv.val) AS val,
		COUNT(*) AS leaves, SUM(CASE WHEN pv.nq < ? THEN 1 ELSE 0 END) AS partials
		FROM region_leaves rl JOIN pv ON pv.region = rl.leaf_code
		WHERE rl.ancestor_code IN ?
		GROUP BY rl.ancestor_code, pv.year, pv.quarter`
	err = db.Raw(leafSQL, append(args, complete(q), q.Regions)...).Scan(&leaf).Error
	return own, leaf, err
}

// aggregateRatio pairs numerator and denominator per region and period,
// keeps the pairs where both exist, sums each over the leaves and leaves the
// division to kpi.BuildPoint: aggregate first, divide last.
func (s *Store) aggregateRatio(ctx context.Context, q AggregateQuery) (own, leaf []aggRow, err error) {
	scope, args := scopeCTE(q.Regions)
	num, numArgs := periodCTE(q.Num, q)
	den, denArgs := periodCTE(q.Den, q)
	stated, statedArgs := periodCTE(q.Indicator, q)
	with := "WITH " + scope + ", n AS (" + num + "), d AS (" + den + "), " +
		`pv AS (SELECT n.region, n.year, n.quarter, n.val AS num, d.val AS den,
			CASE WHEN n.nq < d.nq THEN n.nq ELSE d.nq END AS nq
			FROM n JOIN d ON d.region = n.region AND d.year = n.year AND d.quarter = n.quarter) `
	args = append(append(args, numArgs...), denArgs...)

	db := s.db.WithContext(ctx)
	ownSQL := with + `SELECT region, year, quarter, num, den, nq FROM pv WHERE region IN ?`
	if err = db.Raw(ownSQL, append(args, q.Regions)...).Scan(&own).Error; err != nil {
		return nil, nil, err
	}
	// Rates stated outright (say, taken from a report) count as the region's
	// own figure where it has no numerator and denominator of its own.
	var statedRows []aggRow
	sscope, sargs := scopeCTE(q.Regions)
	statedSQL := "WITH " + sscope + ", st AS (" + stated + `) SELECT region, year, quarter, val AS stated, nq FROM st WHERE region IN ?`
	sargs = append(append(sargs, statedArgs...), q.Regions)
	if err = db.Raw(statedSQL, sargs...).Scan(&statedRows).Error; err != nil {
		return nil, nil, err
	}
	own = append(own, statedRows...)
	leafSQL := with + `SELECT rl.ancestor_code AS region, pv.year, pv.quarter, SUM(pv.num) AS num, SUM(pv.den) AS den,
		COUNT(*) AS leaves, SUM(CASE WHEN pv.nq < ? THEN 1 ELSE 0 END) AS partials
		FROM region_leaves rl JOIN pv ON pv.region = rl.leaf_code
		WHERE rl.ancestor_code IN ?
		GROUP BY rl.ancestor_code, pv.year, pv.quarter`
	err = db.Raw(leafSQL, append(args, complete(q), q.Regions)...).Scan(&leaf).Error
	return own, leaf, err
}

// mergeRaw joins own and leaf rows by region and period, in region then
// period order. Sums are rounded to 1e-6 so that every engine, whatever
// order it adds floating-point numbers in, returns the same figures.
func mergeRaw(own, leaf []aggRow) []kpi.Raw {
	type key struct{ region, year, quarter int }
	byKey := map[key]*kpi.Raw{}
	get := func(r aggRow) *kpi.Raw {
		k := key{r.Region, r.Year, r.Quarter}
		if byKey[k] == nil {
			byKey[k] = &kpi.Raw{Region: r.Region, Period: kpi.Period{Year: r.Year, Quarter: r.Quarter}}
		}
		return byKey[k]
	}
	for _, r := range own {
		raw := get(r)
		switch {
		case r.Stated != nil:
			raw.Own = round6(r.Stated)
			if raw.OwnNum == nil {
				raw.OwnQuarters = r.Nq
			}
		case r.Num != nil || r.Den != nil:
			raw.OwnNum, raw.OwnDen, raw.OwnQuarters = round6(r.Num), round6(r.Den), r.Nq
		default:
			raw.Own, raw.OwnQuarters = round6(r.Val), r.Nq
		}
	}
	for _, r := range leaf {
		raw := get(r)
		raw.Leaf, raw.LeafNum, raw.LeafDen = round6(r.Val), round6(r.Num), round6(r.Den)
		raw.LeavesReporting, raw.LeavesPartial = r.Leaves, r.Partials
	}
	out := make([]kpi.Raw, 0, len(byKey))
	for _, r := range byKey {
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Region != b.Region {
			return a.Region < b.Region
		}
		if a.Period.Year != b.Period.Year {
			return a.Period.Year < b.Period.Year
		}
		return a.Period.Quarter < b.Period.Quarter
	})
	return out
}

func round6(v *float64) *float64 {
	if v == nil {
		return nil
	}
	r := math.Round(*v*1e6) / 1e6
	return &r
}
