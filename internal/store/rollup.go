package store

import (
	"context"
	"database/sql"
	"maps"
	"slices"

	"gorm.io/gorm"

	"github.com/govkpi/govkpi/internal/kpi"
)

// A parent region's year figure computed from its leaves (all 342 cities
// from 2,850 counties' quarters, say) is what the comparisons and trends
// ask for most, and at national scale aggregating it on every request costs
// more than a page may. region_rollups keeps those figures, one row per
// indicator, visibility, parent region and year, computed by the domain
// rules (kpi.RollupBase, kpi.RollupRatio) from the leaves' stored values,
// and written in the transaction that changes the values they depend on
// (settle, changes.go): a reader sees the values and the rollups of one
// commit, never one without the other. The tests hold them to the SQL of
// the live path (leafRows). The regions' own figures and anything by
// quarter are still read from kpi_values.

// rollupRow is one row of region_rollups.
type rollupRow struct {
	IndicatorID  int64 `gorm:"primaryKey;autoIncrement:false"`
	ApprovedOnly int   `gorm:"primaryKey;autoIncrement:false"`
	RegionCode   int   `gorm:"primaryKey;autoIncrement:false"`
	Year         int   `gorm:"primaryKey;autoIncrement:false"`
	LeafVal      *float64
	LeafNum      *float64
	LeafDen      *float64
	Leaves       int
	Partials     int
}

func (rollupRow) TableName() string { return "region_rollups" }

// visibilities are the two rollups kept of everything: over every visible
// value, and over approved values only.
var visibilities = []bool{false, true}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// readRollups returns the leaf rows of a by-year query from the rollups.
func readRollups(db *gorm.DB, q AggregateQuery) ([]aggRow, error) {
	if !q.Indicator.IsRatio() && q.Indicator.RegionAgg == kpi.RegionNone {
		return nil, nil
	}
	var rows []aggRow
	err := db.Raw(`SELECT region_code AS region, year, 0 AS quarter, leaf_val AS val, leaf_num AS num,
		leaf_den AS den, leaves, partials FROM region_rollups
		WHERE indicator_id = ? AND approved_only = ? AND region_code IN ? AND year BETWEEN ? AND ?`,
		q.Indicator.ID, boolInt(q.ApprovedOnly), q.Regions, q.From, q.To).Scan(&rows).Error
	return rows, err
}

// refreshRollups recomputes the rollups that the changed cells feed.
func (s *Store) refreshRollups(tx *gorm.DB, cs *changeSet) error {
	plan, err := s.planRollups(tx, cs.cells)
	if err != nil {
		return err
	}
	return plan.recompute(tx)
}

// rollupPlan is the rollups some changed cells feed: for every parent of a
// changed leaf, each changed indicator and each ratio with a changed
// numerator or denominator, over the years changed, with what computing
// them needs to read.
type rollupPlan struct {
	inds     []kpi.Indicator
	inputs   [][]kpi.Indicator // by inds' index: rollupInputs
	parents  []int             // sorted
	leavesOf map[int][]int     // parent → its leaves
	leaves   []int             // every leaf of parents, sorted
	need     []int64           // the indicators whose values are read, sorted
	from, to int
}

// planRollups plans the rollups that the changed cells feed, locking their
// parents (lockParents); nil when they feed none. Only leaves count: a
// parent's own figure is in no rollup.
func (s *Store) planRollups(tx *gorm.DB, cells map[cellKey]struct{}) (*rollupPlan, error) {
	regions := map[int]bool{}
	changed := map[int64]bool{}
	from, to := 1<<30, -1
	for k := range cells {
		regions[k.region] = true
		changed[k.indicator] = true
		from, to = min(from, k.year), max(to, k.year)
	}
	parentsOf, err := leafAncestors(tx, regions)
	if err != nil {
		return nil, err
	}
	parents := map[int]bool{}
	for _, ps := range parentsOf {
		for _, p := range ps {
			parents[p] = true
		}
	}
	if len(parents) == 0 {
		return nil, nil
	}
	codes := slices.Sorted(maps.Keys(parents))
	if err := s.lockParents(tx, codes); err != nil {
		return nil, err
	}
	cat, err := s.indicatorsIn(tx)
	if err != nil {
		return nil, err
	}
	var inds []kpi.Indicator
	for _, ind := range cat {
		inputs, err := rollupInputs(cat, ind)
		if err != nil {
			return nil, err
		}
		if slices.ContainsFunc(inputs, func(in kpi.Indicator) bool { return changed[in.ID] }) {
			inds = append(inds, ind)
		}
	}
	return newRollupPlan(tx, cat, inds, codes, from, to)
}

// rollupInputs are the indicators whose stored values make ind's rollups:
// its numerator and denominator for a ratio, itself otherwise, none for an
// indicator that does not roll up over regions.
func rollupInputs(cat kpi.Catalogue, ind kpi.Indicator) ([]kpi.Indicator, error) {
	switch {
	case ind.IsRatio():
		num, den, err := cat.Parts(ind)
		return []kpi.Indicator{num, den}, err
	case ind.RegionAgg == kpi.RegionNone:
		return nil, nil
	}
	return []kpi.Indicator{ind}, nil
}

// lockParents serialises the writers whose changes feed the same parents.
// Two transactions writing different counties of one city would otherwise
// each compute the city's rollup without the other's county, and the later
// commit would keep a figure that misses the earlier one. On PostgreSQL and
// MySQL each takes the parents' rows in regions FOR UPDATE, in code order
// (no deadlock between two such writers), before it reads the leaves; on
// SQLite the transaction already holds the only write lock.
func (s *Store) lockParents(tx *gorm.DB, codes []int) error {
	if s.engine == SQLite {
		return nil
	}
	for start := 0; start < len(codes); start += 1000 {
		var locked []int
		if err := tx.Raw(`SELECT code FROM regions WHERE code IN ? ORDER BY code FOR UPDATE`,
			codes[start:min(start+1000, len(codes))]).Scan(&locked).Error; err != nil {
			return err
		}
	}
	return nil
}

// leafAncestors maps each leaf among regions to the regions above it;
// regions that are not leaves map to nothing.
func leafAncestors(tx *gorm.DB, regions map[int]bool) (map[int][]int, error) {
	pairs, err := leafPairs(tx, "leaf_code", slices.Sorted(maps.Keys(regions)))
	if err != nil {
		return nil, err
	}
	out := map[int][]int{}
	for _, p := range pairs {
		out[p.LeafCode] = append(out[p.LeafCode], p.AncestorCode)
	}
	return out, nil
}

type leafPair struct{ AncestorCode, LeafCode int }

// leafPairs reads the (ancestor, leaf) pairs whose column col is in codes.
func leafPairs(tx *gorm.DB, col string, codes []int) ([]leafPair, error) {
	var out []leafPair
	for start := 0; start < len(codes); start += 1000 {
		var pairs []leafPair
		if err := tx.Raw(`SELECT ancestor_code, leaf_code FROM region_leaves WHERE `+col+` IN ?`,
			codes[start:min(start+1000, len(codes))]).Scan(&pairs).Error; err != nil {
			return nil, err
		}
		out = append(out, pairs...)
	}
	return out, nil
}

// newRollupPlan plans the rollups of inds over parents (sorted) and the
// years from..to; nil when there are none.
func newRollupPlan(tx *gorm.DB, cat kpi.Catalogue, inds []kpi.Indicator, parents []int, from, to int) (*rollupPlan, error) {
	if len(inds) == 0 || len(parents) == 0 {
		return nil, nil
	}
	pairs, err := leafPairs(tx, "ancestor_code", parents)
	if err != nil {
		return nil, err
	}
	p := &rollupPlan{inds: inds, inputs: make([][]kpi.Indicator, len(inds)), parents: parents,
		leavesOf: map[int][]int{}, from: from, to: to}
	leafSet := map[int]bool{}
	for _, pair := range pairs {
		p.leavesOf[pair.AncestorCode] = append(p.leavesOf[pair.AncestorCode], pair.LeafCode)
		leafSet[pair.LeafCode] = true
	}
	need := map[int64]bool{}
	for i, ind := range inds {
		if p.inputs[i], err = rollupInputs(cat, ind); err != nil {
			return nil, err
		}
		for _, in := range p.inputs[i] {
			need[in.ID] = true
		}
	}
	p.leaves, p.need = slices.Sorted(maps.Keys(leafSet)), slices.Sorted(maps.Keys(need))
	return p, nil
}

// recompute reads, computes and writes the plan's rollups; a nil plan has
// nothing to do.
func (p *rollupPlan) recompute(tx *gorm.DB) error {
	if p == nil {
		return nil
	}
	cells, err := p.read(tx)
	if err != nil {
		return err
	}
	return p.write(tx, p.compute(cells))
}

// read reads the stored values the plan's rollups are made of — read once
// for all indicators, so that a bulk load of a province costs one pass.
func (p *rollupPlan) read(tx *gorm.DB) (leafCells, error) {
	return readLeafCells(tx, p.need, p.leaves, p.from, p.to)
}

// compute makes the plan's rollups, for both visibilities, from the
// leaves' values by kpi.RollupBase and kpi.RollupRatio. It touches no
// database: a bulk load runs it beside its inserts.
func (p *rollupPlan) compute(cells leafCells) []rollupRow {
	var out []rollupRow
	for _, approved := range visibilities {
		for i, ind := range p.inds {
			for _, parent := range p.parents {
				leaves := p.leavesOf[parent]
				for y := p.from; y <= p.to; y++ {
					var r kpi.Rollup
					var ok bool
					if ind.IsRatio() {
						num, den := p.inputs[i][0], p.inputs[i][1]
						r, ok = kpi.RollupRatio(num, den, cells.of(num.ID, leaves, y, approved), cells.of(den.ID, leaves, y, approved))
					} else {
						r, ok = kpi.RollupBase(ind, cells.present(ind.ID, leaves, y, approved))
					}
					if ok { // r's pointers are its own: round6 may round them in place
						out = append(out, rollupRow{IndicatorID: ind.ID, ApprovedOnly: boolInt(approved), RegionCode: parent,
							Year: y, LeafVal: round6(r.Val), LeafNum: round6(r.Num), LeafDen: round6(r.Den),
							Leaves: r.Leaves, Partials: r.Partials})
					}
				}
			}
		}
	}
	return out
}

// write replaces the plan's rollups with rows.
func (p *rollupPlan) write(tx *gorm.DB, rows []rollupRow) error {
	for start := 0; start < len(p.parents); start += 1000 {
		if err := tx.Where("indicator_id IN ? AND region_code IN ? AND year BETWEEN ? AND ?",
			idsOf(p.inds), p.parents[start:min(start+1000, len(p.parents))], p.from, p.to).Delete(&rollupRow{}).Error; err != nil {
			return err
		}
	}
	if len(rows) == 0 {
		return nil
	}
	return tx.CreateInBatches(rows, 500).Error
}

type cellAt struct {
	indicator int64
	region    int
	year      int
}

// leafCells holds the visible values of some indicators, leaves and years:
// for each leaf and year its quarters over every visible value ([0]) and
// over approved values only ([1]).
type leafCells map[cellAt]*[2]kpi.Quarters

// of returns each leaf's quarters in year (empty for a leaf with none),
// of approved values only if approved.
func (c leafCells) of(indicator int64, leaves []int, year int, approved bool) []kpi.Quarters {
	out := make([]kpi.Quarters, len(leaves))
	for i, leaf := range leaves {
		if qs := c[cellAt{indicator, leaf, year}]; qs != nil {
			out[i] = qs[boolInt(approved)]
		}
	}
	return out
}

// present is of without the leaves that have nothing.
func (c leafCells) present(indicator int64, leaves []int, year int, approved bool) []kpi.Quarters {
	return slices.DeleteFunc(c.of(indicator, leaves, year, approved), kpi.Quarters.Empty)
}

// readLeafCells reads the visible values of indicators in leaves over the
// years. The database puts each leaf's year side by side — its quarters
// (q0 the whole-year figure) over all visible values, then over approved
// ones — so a quarter of the rows cross into Go: a bulk load recomputes
// the rollups of a whole province from these.
func readLeafCells(tx *gorm.DB, indicators []int64, leaves []int, from, to int) (leafCells, error) {
	query := `SELECT indicator_id, region_code * 10000000000 + year AS cell` + quarterColumns("") +
		quarterColumns("status IN @approved") + ` FROM kpi_values
		WHERE indicator_id IN @indicators AND region_code IN @leaves AND year BETWEEN @from AND @to
		AND status IN @visible GROUP BY indicator_id, region_code, year`
	out := leafCells{}
	for start := 0; start < len(leaves); start += 1000 {
		rows, err := tx.Raw(query, map[string]any{
			"indicators": indicators, "leaves": leaves[start:min(start+1000, len(leaves))], "from": from, "to": to,
			"visible": statusStrings(kpi.Visible(false)), "approved": statusStrings(kpi.Visible(true)),
		}).Rows()
		if err != nil {
			return nil, err
		}
		if err := scanLeafCells(rows, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// scanLeafCells adds the rows of readLeafCells' query to out, and closes them.
func scanLeafCells(rows *sql.Rows, out leafCells) error {
	defer rows.Close()
	row := newPivotRow(10) // quarters 0–4 of all visible values, then of approved ones
	for rows.Next() {
		ind, c, err := row.scan(rows)
		if err != nil {
			return err
		}
		qs := new([2]kpi.Quarters)
		if err := row.each(func(col int, v float64) { qs[col/5].Set(col%5, v) }); err != nil {
			return err
		}
		out[cellAt{ind, int(c / 10000000000), int(c % 10000000000)}] = qs
	}
	return rows.Err()
}

// RebuildRollups computes every rollup again from kpi_values, in one
// transaction: after a migration adds the table to a database with values,
// and whenever the region tree or an indicator's aggregation changes.
func (s *Store) RebuildRollups(ctx context.Context) error {
	return s.tx(ctx, s.rebuildRollups)
}

// rebuildRollups works a province at a time (the province and every
// parent under it), so that it holds one province's values in memory.
func (s *Store) rebuildRollups(tx *gorm.DB) error {
	cat, err := s.readIndicators(tx)
	if err != nil {
		return err
	}
	if err := tx.Where("1 = 1").Delete(&rollupRow{}).Error; err != nil {
		return err
	}
	// Answers cached under the old rollups must go too.
	if err := s.bumpGeneration(tx, idsOf(cat)...); err != nil {
		return err
	}
	first, found, err := yearEnd(tx, false, nil, 0)
	if err != nil || !found {
		return err
	}
	last, _, err := yearEnd(tx, true, nil, 0)
	if err != nil {
		return err
	}
	var inds []kpi.Indicator
	for _, ind := range cat {
		if inputs, err := rollupInputs(cat, ind); err != nil {
			return err
		} else if len(inputs) > 0 {
			inds = append(inds, ind)
		}
	}
	var parents []struct{ Code, Province int }
	if err := tx.Raw(`SELECT DISTINCT rl.ancestor_code AS code, top.ancestor_code AS province
		FROM region_leaves rl JOIN region_leaves top ON top.leaf_code = rl.leaf_code
		JOIN regions p ON p.code = top.ancestor_code AND p.parent_code IS NULL`).Scan(&parents).Error; err != nil {
		return err
	}
	byProvince := map[int][]int{}
	for _, p := range parents {
		byProvince[p.Province] = append(byProvince[p.Province], p.Code)
	}
	for _, prov := range slices.Sorted(maps.Keys(byProvince)) {
		ps := byProvince[prov]
		slices.Sort(ps)
		plan, err := newRollupPlan(tx, cat, inds, slices.Compact(ps), first, last)
		if err != nil {
			return err
		}
		if err := plan.recompute(tx); err != nil {
			return err
		}
	}
	return nil
}
