package store

import (
	"context"
	"slices"

	"gorm.io/gorm"

	"github.com/govkpi/govkpi/internal/kpi"
)

// A parent region's year figure computed from its leaves (all 342 cities
// from 2,850 counties' quarters, say) is what the comparisons and trends
// ask for most, and at national scale aggregating it on every request costs
// more than a page may. region_rollups keeps those figures, one row per
// indicator, visibility, parent region and year, computed by the same
// statement as the live path (leafRows) and written in the transaction
// that changes the values they depend on (settle, changes.go): a reader
// sees the values and the rollups of one commit, never one without the
// other. The regions' own figures and anything by quarter are still read
// from kpi_values.

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

// rollupTarget is one indicator whose rollups must be computed again, over
// some parent regions and a span of years.
type rollupTarget struct {
	ind      kpi.Indicator
	num, den kpi.Indicator
	parents  []int
	from, to int
}

// refreshRollups recomputes the rollups that the changed cells feed: for
// each changed indicator, and each ratio with a changed numerator or
// denominator, the rows of every parent of a changed leaf over the years
// changed. Only leaves count: a parent's own figure is in no rollup.
func (s *Store) refreshRollups(tx *gorm.DB, cs *changeSet) error {
	cat, err := s.readIndicators(tx)
	if err != nil {
		return err
	}
	regions := map[int]bool{}
	for k := range cs.cells {
		regions[k.region] = true
	}
	parentsOf, err := leafAncestors(tx, regions)
	if err != nil {
		return err
	}
	type span struct {
		parents  map[int]bool
		from, to int
	}
	spans := map[int64]*span{}
	for k := range cs.cells {
		ps := parentsOf[k.region]
		if len(ps) == 0 {
			continue // a parent's own figure, or a region above nothing
		}
		sp := spans[k.indicator]
		if sp == nil {
			sp = &span{parents: map[int]bool{}, from: k.year, to: k.year}
			spans[k.indicator] = sp
		}
		for _, p := range ps {
			sp.parents[p] = true
		}
		sp.from, sp.to = min(sp.from, k.year), max(sp.to, k.year)
	}
	for _, ind := range cat {
		t := rollupTarget{ind: ind}
		var parts []*span
		if ind.IsRatio() {
			if t.num, t.den, err = cat.Parts(ind); err != nil {
				return err
			}
			parts = []*span{spans[t.num.ID], spans[t.den.ID]}
		} else if ind.RegionAgg != kpi.RegionNone {
			parts = []*span{spans[ind.ID]}
		}
		t.from, t.to = 1<<30, -1
		seen := map[int]bool{}
		for _, sp := range parts {
			if sp == nil {
				continue
			}
			for p := range sp.parents {
				if !seen[p] {
					seen[p] = true
					t.parents = append(t.parents, p)
				}
			}
			t.from, t.to = min(t.from, sp.from), max(t.to, sp.to)
		}
		if len(t.parents) == 0 {
			continue
		}
		slices.Sort(t.parents)
		if err := recomputeRollups(tx, t); err != nil {
			return err
		}
	}
	return nil
}

// leafAncestors maps each leaf among regions to the regions above it;
// regions that are not leaves map to nothing.
func leafAncestors(tx *gorm.DB, regions map[int]bool) (map[int][]int, error) {
	codes := make([]int, 0, len(regions))
	for c := range regions {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	out := map[int][]int{}
	for start := 0; start < len(codes); start += 1000 {
		var pairs []struct{ AncestorCode, LeafCode int }
		if err := tx.Raw(`SELECT ancestor_code, leaf_code FROM region_leaves WHERE leaf_code IN ?`,
			codes[start:min(start+1000, len(codes))]).Scan(&pairs).Error; err != nil {
			return nil, err
		}
		for _, p := range pairs {
			out[p.LeafCode] = append(out[p.LeafCode], p.AncestorCode)
		}
	}
	return out, nil
}

// recomputeRollups replaces the rollups of t's parents and years, for both
// visibilities, with what leafRows computes now.
func recomputeRollups(tx *gorm.DB, t rollupTarget) error {
	for _, approved := range visibilities {
		q := AggregateQuery{Indicator: t.ind, Num: t.num, Den: t.den, From: t.from, To: t.to, ApprovedOnly: approved}
		for start := 0; start < len(t.parents); start += 1000 {
			q.Regions = t.parents[start:min(start+1000, len(t.parents))]
			rows, err := leafRows(tx, q)
			if err != nil {
				return err
			}
			if err := tx.Where("indicator_id = ? AND approved_only = ? AND region_code IN ? AND year BETWEEN ? AND ?",
				t.ind.ID, boolInt(approved), q.Regions, t.from, t.to).Delete(&rollupRow{}).Error; err != nil {
				return err
			}
			if len(rows) == 0 {
				continue
			}
			out := make([]rollupRow, len(rows))
			for i, r := range rows {
				out[i] = rollupRow{IndicatorID: t.ind.ID, ApprovedOnly: boolInt(approved), RegionCode: r.Region, Year: r.Year,
					LeafVal: round6(r.Val), LeafNum: round6(r.Num), LeafDen: round6(r.Den), Leaves: r.Leaves, Partials: r.Partials}
			}
			if err := tx.CreateInBatches(out, 500).Error; err != nil {
				return err
			}
		}
	}
	return nil
}

// RebuildRollups computes every rollup again from kpi_values, in one
// transaction: after a migration adds the table to a database with values,
// and whenever the region tree or an indicator's aggregation changes.
func (s *Store) RebuildRollups(ctx context.Context) error {
	return s.tx(ctx, s.rebuildRollups)
}

func (s *Store) rebuildRollups(tx *gorm.DB) error {
	cat, err := s.readIndicators(tx)
	if err != nil {
		return err
	}
	var parents []int
	if err := tx.Raw(`SELECT DISTINCT ancestor_code FROM region_leaves ORDER BY ancestor_code`).Scan(&parents).Error; err != nil {
		return err
	}
	var span struct{ First, Last *int }
	if err := tx.Raw(`SELECT MIN(year) AS first, MAX(year) AS last FROM kpi_values`).Scan(&span).Error; err != nil {
		return err
	}
	if err := tx.Where("1 = 1").Delete(&rollupRow{}).Error; err != nil {
		return err
	}
	if span.First == nil || len(parents) == 0 {
		return nil
	}
	// Answers cached under the old rollups must go too.
	ids := make([]int64, len(cat))
	for i, ind := range cat {
		ids[i] = ind.ID
	}
	if err := s.bumpGeneration(tx, ids...); err != nil {
		return err
	}
	for _, ind := range cat {
		t := rollupTarget{ind: ind, parents: parents, from: *span.First, to: *span.Last}
		if ind.IsRatio() {
			if t.num, t.den, err = cat.Parts(ind); err != nil {
				return err
			}
		} else if ind.RegionAgg == kpi.RegionNone {
			continue
		}
		if err := recomputeRollups(tx, t); err != nil {
			return err
		}
	}
	return nil
}
