package store

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"

	"golang.org/x/sync/errgroup"
	"gorm.io/gorm"

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

// Aggregate applies DESIGN §3: period aggregation per region (quarters →
// year), then region aggregation over the leaf regions under each requested
// region, with ratios summing numerator and denominator separately. It
// returns one kpi.Raw per region and period that has anything;
// kpi.BuildPoint turns each into what the pages show.
//
// A region's own figures are read raw and period-aggregated by the domain
// rules (ownRows). Figures computed from the leaves come by year from the
// rollups, kept by every write (rollup.go), and by quarter from one SQL
// statement (leafRows), which is also what the tests hold the rollups to.
//
// Every chart, table and API response goes through here. Answers may come
// from the cache (cache.go) and are shared: callers must not modify them.
func (s *Store) Aggregate(ctx context.Context, q AggregateQuery) ([]kpi.Raw, error) {
	if len(q.Regions) == 0 {
		return nil, nil
	}
	if s.cache == nil {
		return s.aggregate(ctx, q)
	}
	gens, err := s.generations(ctx, queryIndicators(q))
	if err != nil {
		return nil, s.wrap(err)
	}
	key := cacheKey(q)
	if raws, ok := s.cache.get(key, gens); ok {
		return raws, nil
	}
	// Requests that miss together on the same answer (a popular chart after
	// a write, or right after start-up) wait for one computation instead of
	// each running it: under load they would otherwise pile up on the CPU.
	// The shared computation does not end with the request that began it.
	flight := fmt.Sprintf("%x/%v", key, gens)
	v, err, _ := s.flight.Do(flight, func() (any, error) {
		raws, err := s.aggregate(context.WithoutCancel(ctx), q)
		if err == nil {
			s.cache.put(key, gens, raws)
		}
		return raws, err
	})
	if err != nil {
		return nil, err
	}
	return v.([]kpi.Raw), nil
}

// aggregate computes what Aggregate returns, without the cache: the
// regions' own figures from kpi_values, and the figures computed from their
// leaves from the rollups by year (rollup.go) or from kpi_values by quarter.
func (s *Store) aggregate(ctx context.Context, q AggregateQuery) ([]kpi.Raw, error) {
	db := s.db.WithContext(ctx)
	own, err := ownRows(db, q)
	if err != nil {
		return nil, s.wrap(err)
	}
	// Leaves have no figure computed from below: ask only about parents.
	tree, err := s.tree(ctx)
	if err != nil {
		return nil, err
	}
	pq := q
	pq.Regions = nil
	for _, code := range q.Regions {
		if tree.byCode[code].Leaves > 0 {
			pq.Regions = append(pq.Regions, code)
		}
	}
	var leaf []aggRow
	switch {
	case len(pq.Regions) == 0:
	case q.ByQuarter:
		leaf, err = leafRows(db, pq)
	default:
		leaf, err = readRollups(db, pq)
	}
	if err != nil {
		return nil, s.wrap(err)
	}
	return mergeRaw(own, leaf), nil
}

// aggregateLive is aggregate without the rollups: every figure computed
// from kpi_values. Tests hold the rollups to it.
func (s *Store) aggregateLive(ctx context.Context, q AggregateQuery) ([]kpi.Raw, error) {
	db := s.db.WithContext(ctx)
	own, err := ownRows(db, q)
	if err != nil {
		return nil, s.wrap(err)
	}
	leaf, err := leafRows(db, q)
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
	NqVal    int
	NqNum    int
	NqDen    int
	NqStated int
	Leaves   int
	Partials int
}

// part is one indicator of a period CTE and the column its value gets.
type part struct {
	col string
	ind kpi.Indicator
}

// periodCTE is the SQL of the period aggregation of the parts over the
// regions in scope, one row per region and period with a column per part,
// and its arguments. All parts come from one pass over kpi_values with
// conditional aggregates, so a ratio's numerator and denominator need no join.
//
// By year, a figure stored for the whole year (quarter 0) wins; otherwise
// the quarters aggregate by the indicator's rule. LAST is the latest quarter
// with a value, written as COALESCE over quarters 4..1 so that every engine
// runs the same plain GROUP BY. nq_<col> counts the quarters reported (4 when
// a whole-year figure exists; by quarter, 1 when the quarter has a value).
func periodCTE(parts []part, q AggregateQuery) (string, []any) {
	var cols []string
	var args []any
	ids := make([]any, len(parts))
	for i, p := range parts {
		id := p.ind.ID
		ids[i] = id
		if q.ByQuarter {
			cols = append(cols,
				fmt.Sprintf("MAX(CASE WHEN v.indicator_id = ? THEN v.value END) AS %s", p.col),
				fmt.Sprintf("MAX(CASE WHEN v.indicator_id = ? THEN 1 ELSE 0 END) AS nq_%s", p.col))
			args = append(args, id, id)
			continue
		}
		inQ := func(cond string) string {
			return fmt.Sprintf("CASE WHEN v.indicator_id = ? AND %s THEN v.value END", cond)
		}
		var derived string
		var derivedArgs []any
		switch p.ind.PeriodAgg {
		case kpi.PeriodSum, kpi.PeriodAvg, kpi.PeriodMax, kpi.PeriodMin:
			fn := map[kpi.PeriodAgg]string{kpi.PeriodSum: "SUM", kpi.PeriodAvg: "AVG", kpi.PeriodMax: "MAX", kpi.PeriodMin: "MIN"}[p.ind.PeriodAgg]
			derived = fmt.Sprintf("%s(%s)", fn, inQ("v.quarter > 0"))
			derivedArgs = []any{id}
		default: // kpi.PeriodLast
			derived = fmt.Sprintf("COALESCE(MAX(%s), MAX(%s), MAX(%s), MAX(%s))",
				inQ("v.quarter = 4"), inQ("v.quarter = 3"), inQ("v.quarter = 2"), inQ("v.quarter = 1"))
			derivedArgs = []any{id, id, id, id}
		}
		cols = append(cols,
			fmt.Sprintf("COALESCE(MAX(%s), %s) AS %s", inQ("v.quarter = 0"), derived, p.col),
			fmt.Sprintf(`CASE WHEN MAX(CASE WHEN v.indicator_id = ? AND v.quarter = 0 THEN 1 ELSE 0 END) = 1 THEN 4
				ELSE SUM(CASE WHEN v.indicator_id = ? AND v.quarter > 0 THEN 1 ELSE 0 END) END AS nq_%s`, p.col))
		args = append(append(append(args, id), derivedArgs...), id, id)
	}
	quarter, group := "0 AS quarter", "v.region_code, v.year"
	if q.ByQuarter {
		quarter, group = "v.quarter", "v.region_code, v.year, v.quarter"
	}
	sql := `SELECT v.region_code AS region, v.year, ` + quarter + `, ` + strings.Join(cols, ", ") + `
		FROM kpi_values v JOIN scope s ON s.code = v.region_code
		WHERE v.indicator_id IN ? AND v.year BETWEEN ? AND ? AND v.status IN ?`
	args = append(args, ids, q.From, q.To, statusStrings(kpi.Visible(q.ApprovedOnly)))
	switch {
	case q.ByQuarter && q.Quarter != 0:
		sql += ` AND v.quarter = ?`
		args = append(args, q.Quarter)
	case q.ByQuarter:
		sql += ` AND v.quarter BETWEEN 1 AND 4`
	}
	return sql + ` GROUP BY ` + group, args
}

// with is the WITH clause of a leaf statement: the leaf regions under the
// regions asked for (each once, however many of its ancestors were asked
// for) and their period values.
func with(parts []part, q AggregateQuery) (string, []any) {
	pv, pvArgs := periodCTE(parts, q)
	sql := `WITH scope AS (SELECT DISTINCT leaf_code AS code FROM region_leaves WHERE ancestor_code IN ?), pv AS (` + pv + `) `
	return sql, append([]any{q.Regions}, pvArgs...)
}

// The leaf statements filter region_leaves with +rl.ancestor_code: the
// unary plus keeps SQLite from probing (ancestor, leaf) once per ancestor in
// the list for every period row — 340 cities × 6,000 county rows, a second
// nationwide — and makes it look up each row's few ancestors by leaf_code.

// complete is the nq of a complete period: four quarters, or one quarter.
func complete(q AggregateQuery) int {
	if q.ByQuarter {
		return 1
	}
	return 4
}

// ratioParts are the columns of a ratio's period values in a leaf
// statement: numerator and denominator.
func ratioParts(q AggregateQuery) []part {
	return []part{{"num", q.Num}, {"den", q.Den}}
}

// paired is the condition under which a region's numerator and denominator
// count: both present and, for two flows by year, over the same quarters —
// four quarters of diverted cases over one quarter of new cases is no rate.
func paired(q AggregateQuery) string {
	cond := "pv.num IS NOT NULL AND pv.den IS NOT NULL"
	if !q.ByQuarter && q.Num.PeriodAgg == kpi.PeriodSum && q.Den.PeriodAgg == kpi.PeriodSum {
		cond += " AND pv.nq_num = pv.nq_den"
	}
	return cond
}

// ownRows reads each region's own values and period-aggregates them by
// the domain rules (kpi.YearOf): read raw, the rows come straight off an
// index, where SQLite spends more evaluating the conditional aggregates of
// periodCTE than reading (45 ms against 5 ms for every county of China).
// For a ratio the rows hold its paired numerator and denominator and any
// stated rate; the division is left to kpi.BuildPoint.
func ownRows(db *gorm.DB, q AggregateQuery) ([]aggRow, error) {
	parts := []kpi.Indicator{q.Indicator}
	if q.Indicator.IsRatio() {
		stated := q.Indicator
		stated.PeriodAgg = kpi.PeriodLast // a stated rate is a level: its latest figure
		parts = []kpi.Indicator{q.Num, q.Den, stated}
	}
	cells, err := readOwnCells(db, parts, q)
	if err != nil {
		return nil, err
	}
	rows := make([]aggRow, 0, len(cells.keys))
	// One allocation for every value of the rows rather than one each.
	store := make([]float64, 0, len(cells.keys)*len(parts))
	for c, k := range cells.keys {
		qs := cells.of(c)
		var vals [3]*float64
		var nqs [3]int
		for i, part := range parts {
			if q.ByQuarter {
				if v, ok := qs[i].Get(k.quarter); ok {
					store = append(store, v)
					vals[i], nqs[i] = &store[len(store)-1], 1
				}
				continue
			}
			if v, n, ok := kpi.YearOf(part.PeriodAgg, qs[i]); ok {
				store = append(store, v)
				vals[i], nqs[i] = &store[len(store)-1], n
			}
		}
		r := aggRow{Region: k.region, Year: k.year, Quarter: k.quarter}
		if !q.Indicator.IsRatio() {
			r.Val, r.NqVal = vals[0], nqs[0]
		} else {
			r.NqNum, r.NqDen, r.Stated, r.NqStated = nqs[0], nqs[1], vals[2], nqs[2]
			if vals[0] != nil && vals[1] != nil && (q.ByQuarter || kpi.Paired(q.Num, q.Den, nqs[0], nqs[1])) {
				r.Num, r.Den = vals[0], vals[1]
			}
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// scanAbove is the number of regions above which readOwnCells reads every
// region's values of the years and keeps those asked for, rather than
// seeking each region: one range of kpi_values_by_year instead of
// thousands of seeks. A seek costs about ten rows of a range, and the
// nation has about four rows per county and year, so the range wins from
// about a thousand regions on. A variable so that tests can take either path.
var scanAbove = 1000

type ownKey struct{ region, year, quarter int }

// ownCells is what readOwnCells read: for each key, one kpi.Quarters per
// part, in one slice rather than a slice per key (a nationwide ranking has
// thousands of keys).
type ownCells struct {
	parts int
	keys  []ownKey
	qs    []kpi.Quarters // parts per key, in the order of keys
}

// of returns the parts' quarters of the c-th key.
func (o *ownCells) of(c int) []kpi.Quarters { return o.qs[c*o.parts : (c+1)*o.parts] }

// add appends a key with no values yet and returns its index.
func (o *ownCells) add(k ownKey) int {
	o.keys = append(o.keys, k)
	o.qs = append(o.qs, make([]kpi.Quarters, o.parts)...)
	return len(o.keys) - 1
}

// readOwnCells reads the visible values of parts for q's regions and years,
// grouped by region and period (quarter 0 by year), one kpi.Quarters per part.
func readOwnCells(db *gorm.DB, parts []kpi.Indicator, q AggregateQuery) (*ownCells, error) {
	years := make([]int, 0, q.To-q.From+1)
	for y := q.From; y <= q.To; y++ {
		years = append(years, y)
	}
	if len(q.Regions) <= scanAbove || len(years) == 1 {
		return readOwnYears(db, parts, q, years)
	}
	// A scan of every region reads each year as a range of its own: the
	// ranges go to the cores in parallel (every county of China for a year
	// and the year before: 54 → 33 ms on two cores), and their cells,
	// disjoint by year, are put together after.
	byYear := make([]*ownCells, len(years))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, y := range years {
		g.Go(func() error {
			var err error
			byYear[i], err = readOwnYears(db, parts, q, []int{y})
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return nil, err
	}
	n := 0
	for _, o := range byYear {
		n += len(o.keys)
	}
	out := &ownCells{parts: len(parts), keys: make([]ownKey, 0, n), qs: make([]kpi.Quarters, 0, n*len(parts))}
	for _, o := range byYear {
		out.keys = append(out.keys, o.keys...)
		out.qs = append(out.qs, o.qs...)
	}
	return out, nil
}

// readOwnYears is readOwnCells for some of the years. db is a connection
// pool, never a transaction: readOwnCells uses it from several goroutines.
func readOwnYears(db *gorm.DB, parts []kpi.Indicator, q AggregateQuery, years []int) (*ownCells, error) {
	// Region, year and quarter come packed in one integer: every column
	// costs a conversion per row, and a range may hold 20,000 rows. The
	// literal 10^10 is a BIGINT on every engine, so the product is too.
	// By year, the database puts each region's quarters side by side (q0
	// is the whole-year figure): a quarter of the rows cross into Go, and
	// the year rules stay in kpi.YearOf.
	sql := `SELECT indicator_id, region_code * 10000000000 + year * 10 AS cell` + quarterColumns("") + ` FROM kpi_values`
	group := ` GROUP BY indicator_id, year, region_code`
	if q.ByQuarter {
		sql = `SELECT indicator_id, region_code * 10000000000 + year * 10 + quarter AS cell, value FROM kpi_values`
		group = ""
	}
	sql += ` WHERE indicator_id IN ? AND year IN ? AND status IN ?`
	args := []any{idsOf(parts), years, statusStrings(kpi.Visible(q.ApprovedOnly))}
	switch {
	case q.ByQuarter && q.Quarter != 0:
		sql += ` AND quarter = ?`
		args = append(args, q.Quarter)
	case q.ByQuarter:
		sql += ` AND quarter BETWEEN 1 AND 4`
	}
	wanted := map[int]bool{}
	if len(q.Regions) > scanAbove {
		for _, r := range q.Regions {
			wanted[r] = true
		}
	} else {
		sql += ` AND region_code IN ?`
		args = append(args, q.Regions)
	}
	rows, err := db.Raw(sql+group, args...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	// At most a key per region and period: sized for that, the slices
	// never grow while thousands of rows come in.
	keys := len(q.Regions) * len(years)
	if q.ByQuarter && q.Quarter == 0 {
		keys *= 4
	}
	out := &ownCells{parts: len(parts), keys: make([]ownKey, 0, keys), qs: make([]kpi.Quarters, 0, keys*len(parts))}
	// With one part every row is a key of its own (the GROUP BY, or the
	// cell's uniqueness by quarter); only parts that share keys need a map.
	var at map[ownKey]int
	if len(parts) > 1 {
		at = map[ownKey]int{}
	}
	row := newPivotRow(5)
	if q.ByQuarter {
		row = newPivotRow(1) // the value of the row's quarter
	}
	for rows.Next() {
		ind, c, err := row.scan(rows)
		if err != nil {
			return nil, err
		}
		k := ownKey{region: int(c / 10000000000), year: int(c % 10000000000 / 10), quarter: int(c % 10)}
		if len(wanted) > 0 && !wanted[k.region] {
			continue
		}
		n, ok := at[k]
		if !ok {
			n = out.add(k)
			if at != nil {
				at[k] = n
			}
		}
		qs := out.of(n)
		for i, p := range parts {
			if p.ID != ind {
				continue
			}
			err := row.each(func(quarter int, v float64) {
				if q.ByQuarter {
					quarter = k.quarter
				}
				qs[i].Set(quarter, v)
			})
			if err != nil {
				return nil, err
			}
		}
	}
	return out, rows.Err()
}

// leafRows computes each region's figure from the leaf regions under it:
// the region aggregation of their period values, or for a ratio the sums of
// numerator and denominator over the leaves that reported both (aggregate
// first, divide last).
func leafRows(db *gorm.DB, q AggregateQuery) ([]aggRow, error) {
	var rows []aggRow
	n := complete(q)
	if !q.Indicator.IsRatio() {
		if q.Indicator.RegionAgg == kpi.RegionNone {
			return nil, nil
		}
		agg := "SUM"
		if q.Indicator.RegionAgg == kpi.RegionAvg {
			agg = "AVG"
		}
		w, args := with([]part{{"val", q.Indicator}}, q)
		sql := w + `SELECT rl.ancestor_code AS region, pv.year, pv.quarter, ` + agg + `(pv.val) AS val,
			COUNT(*) AS leaves, SUM(CASE WHEN pv.nq_val < ? THEN 1 ELSE 0 END) AS partials
			FROM region_leaves rl JOIN pv ON pv.region = rl.leaf_code
			WHERE +rl.ancestor_code IN ?
			GROUP BY rl.ancestor_code, pv.year, pv.quarter`
		err := db.Raw(sql, append(args, n, q.Regions)...).Scan(&rows).Error
		return rows, err
	}
	w, args := with(ratioParts(q), q)
	sql := w + `SELECT rl.ancestor_code AS region, pv.year, pv.quarter, SUM(pv.num) AS num, SUM(pv.den) AS den,
		COUNT(*) AS leaves, SUM(CASE WHEN pv.nq_num < ? OR pv.nq_den < ? THEN 1 ELSE 0 END) AS partials
		FROM region_leaves rl JOIN pv ON pv.region = rl.leaf_code
		WHERE +rl.ancestor_code IN ? AND ` + paired(q) + `
		GROUP BY rl.ancestor_code, pv.year, pv.quarter`
	err := db.Raw(sql, append(args, n, n, q.Regions)...).Scan(&rows).Error
	return rows, err
}

// mergeRaw joins own and leaf rows by region and period, in region then
// period order. Sums are rounded to 1e-6 so that every engine, whatever
// order it adds floating-point numbers in, returns the same figures.
func mergeRaw(own, leaf []aggRow) []kpi.Raw {
	out := make([]kpi.Raw, len(own), len(own)+len(leaf))
	for i, r := range own { // one row per region and period
		raw := &out[i]
		raw.Region, raw.Period = r.Region, kpi.Period{Year: r.Year, Quarter: r.Quarter}
		switch {
		case r.Num != nil && r.Den != nil: // a ratio's own parts
			raw.OwnNum, raw.OwnDen, raw.OwnQuarters = round6(r.Num), round6(r.Den), min(r.NqNum, r.NqDen)
			raw.Own = round6(r.Stated)
		case r.Stated != nil: // a ratio stated outright
			raw.Own, raw.OwnQuarters = round6(r.Stated), r.NqStated
		default:
			raw.Own, raw.OwnQuarters = round6(r.Val), r.NqVal
		}
	}
	// Only leaf rows need looking up (a ranking of counties has none).
	if len(leaf) > 0 {
		type key struct{ region, year, quarter int }
		at := make(map[key]int, len(out)+len(leaf)) // index into out
		for i, raw := range out {
			at[key{raw.Region, raw.Period.Year, raw.Period.Quarter}] = i
		}
		for _, r := range leaf {
			k := key{r.Region, r.Year, r.Quarter}
			i, ok := at[k]
			if !ok {
				i = len(out)
				at[k] = i
				out = append(out, kpi.Raw{Region: r.Region, Period: kpi.Period{Year: r.Year, Quarter: r.Quarter}})
			}
			raw := &out[i]
			raw.Leaf, raw.LeafNum, raw.LeafDen = round6(r.Val), round6(r.Num), round6(r.Den)
			raw.LeavesReporting, raw.LeavesPartial = r.Leaves, r.Partials
		}
	}
	return sortRaw(out)
}

// sortRaw puts raws in region, year, quarter order. A nationwide ranking
// has thousands of them, each a hundred bytes: rather than move them about,
// it sorts integers that hold the key in their high bits and the raw's
// index in the low 29 (region codes fit 20 bits, years 12, quarters 3).
// Keys outside those widths, which no valid region or period has but the
// database does not forbid, take a plain sort.
func sortRaw(raws []kpi.Raw) []kpi.Raw {
	keys := make([]uint64, len(raws))
	for i, r := range raws {
		if uint(r.Region) >= 1<<20 || uint(r.Period.Year) >= 1<<12 || uint(r.Period.Quarter) >= 1<<3 || i >= 1<<29 {
			slices.SortFunc(raws, func(a, b kpi.Raw) int {
				return cmp.Or(cmp.Compare(a.Region, b.Region), cmp.Compare(a.Period.Year, b.Period.Year),
					cmp.Compare(a.Period.Quarter, b.Period.Quarter))
			})
			return raws
		}
		keys[i] = uint64(r.Region)<<44 | uint64(r.Period.Year)<<32 | uint64(r.Period.Quarter)<<29 | uint64(i)
	}
	slices.Sort(keys)
	out := make([]kpi.Raw, len(raws))
	for n, k := range keys {
		out[n] = raws[k&(1<<29-1)]
	}
	return out
}

// round6 rounds the value v points to in place: every aggRow holds values
// of its own query, so rounding needs no copy.
func round6(v *float64) *float64 {
	if v != nil {
		*v = math.Round(*v*1e6) / 1e6
	}
	return v
}
