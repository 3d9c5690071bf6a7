package store

import (
	"context"
	"fmt"
	"sort"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/govkpi/govkpi/internal/catalog"
	"github.com/govkpi/govkpi/internal/kpi"
)

// SyncRegions makes the regions table match rs (inserting new regions and
// updating names and parents) and rebuilds the ancestor→leaf map.
// Regions are never deleted: values may refer to them.
func (s *Store) SyncRegions(ctx context.Context, rs []kpi.Region) error {
	// Parents first, so foreign keys hold at every insert.
	sorted := append([]kpi.Region(nil), rs...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Level < sorted[j].Level })
	rows := make([]regionRow, len(sorted))
	for i, r := range sorted {
		rows[i] = regionRow{Code: r.Code, Name: r.Name, Level: r.Level, Leaves: r.Leaves}
		if r.Parent != 0 {
			p := r.Parent
			rows[i].ParentCode = &p
		}
	}
	pairs := catalog.LeafPairs(rs)
	leafRows := make([]map[string]any, len(pairs))
	for i, p := range pairs {
		leafRows[i] = map[string]any{"ancestor_code": p[0], "leaf_code": p[1]}
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "code"}},
			DoUpdates: clause.AssignmentColumns([]string{"name", "level", "parent_code", "leaves"}),
		}).CreateInBatches(rows, 500).Error; err != nil {
			return err
		}
		var old [][2]int
		var stored []struct{ AncestorCode, LeafCode int }
		if err := tx.Raw(`SELECT ancestor_code, leaf_code FROM region_leaves`).Scan(&stored).Error; err != nil {
			return err
		}
		for _, p := range stored {
			old = append(old, [2]int{p.AncestorCode, p.LeafCode})
		}
		if err := bumpToken(tx, regionsTokenKey); err != nil {
			return err
		}
		if samePairs(old, pairs) {
			return nil
		}
		if err := tx.Exec(`DELETE FROM region_leaves`).Error; err != nil {
			return err
		}
		if len(leafRows) > 0 {
			if err := tx.Table("region_leaves").CreateInBatches(leafRows, 1000).Error; err != nil {
				return err
			}
		}
		// Every parent's figures are sums over another set of leaves now.
		return s.rebuildRollups(tx)
	})
}

// samePairs reports whether a and b hold the same (ancestor, leaf) pairs.
func samePairs(a, b [][2]int) bool {
	if len(a) != len(b) {
		return false
	}
	set := make(map[[2]int]bool, len(a))
	for _, p := range a {
		set[p] = true
	}
	for _, p := range b {
		if !set[p] {
			return false
		}
	}
	return true
}

// SyncIndicators inserts or updates the catalogue's indicators by code
// (all but the owning department, see below).
func (s *Store) SyncIndicators(ctx context.Context, inds []kpi.Indicator) error {
	if err := kpi.ValidateCatalogue(inds); err != nil {
		return err
	}
	rows := make([]indicatorRow, len(inds))
	for i, ind := range inds {
		rows[i] = indicatorRowOf(ind)
	}
	// The owning department type and the headline flag come from the
	// catalogue when an indicator is first loaded; after that an
	// administrator may change them, so a later sync leaves them alone.
	cols := []string{"name_zh", "name_en", "category", "kind", "unit", "unit_en", "direction", "decimals",
		"min_value", "max_value", "frequency", "period_agg", "region_agg", "numerator_code", "denominator_code",
		"scale", "definition_zh", "definition_en", "aliases", "sort_order"}
	return s.tx(ctx, func(tx *gorm.DB) error {
		var before []indicatorRow
		if err := tx.Find(&before).Error; err != nil {
			return err
		}
		if err := tx.Clauses(clause.OnConflict{
			Columns:   []clause.Column{{Name: "code"}},
			DoUpdates: clause.AssignmentColumns(cols),
		}).Omit("id").Create(&rows).Error; err != nil {
			return err
		}
		if err := s.bumpCatalogue(tx); err != nil {
			return err
		}
		if aggregationChanged(before, rows) {
			// The rollups were computed under the old rules.
			return s.rebuildRollups(tx)
		}
		return nil
	})
}

// aggregationChanged reports whether an indicator that existed before
// aggregates differently now (new indicators have no values yet).
func aggregationChanged(before, after []indicatorRow) bool {
	rule := func(r indicatorRow) [5]string {
		return [5]string{r.Kind, r.PeriodAgg, r.RegionAgg, r.NumeratorCode, r.DenominatorCode}
	}
	old := make(map[string][5]string, len(before))
	for _, r := range before {
		old[r.Code] = rule(r)
	}
	for _, r := range after {
		if o, ok := old[r.Code]; ok && o != rule(r) {
			return true
		}
	}
	return false
}

// readIndicators reads the catalogue through db, a connection or a
// transaction (Indicators caches it).
func (s *Store) readIndicators(db *gorm.DB) (kpi.Catalogue, error) {
	var rows []indicatorRow
	if err := db.Order("sort_order, code").Find(&rows).Error; err != nil {
		return nil, s.wrap(err)
	}
	added, err := s.addedAliases(db)
	if err != nil {
		return nil, s.wrap(err)
	}
	inds := make([]kpi.Indicator, len(rows))
	for i, r := range rows {
		inds[i] = r.domain()
		// Phrases administrators added from documents come after the
		// catalogue's own: the catalogue file rewrites indicators.aliases.
		inds[i].Aliases = append(inds[i].Aliases, added[r.Code]...)
	}
	return kpi.NewCatalogue(inds), nil
}

// SetIndicatorDepartment changes which department type enters an indicator.
func (s *Store) SetIndicatorDepartment(ctx context.Context, actor, code, department string) error {
	if kpi.DepartmentTypeName(department, "en") == department {
		return kpi.Invalid("department", "部门类型 %q 无效", "unknown department type %q", department)
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&indicatorRow{}).Where("code = ?", code).Update("department", department)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return kpi.Invalid("indicator", "指标 %q 不存在", "indicator %q does not exist", code)
		}
		if err := s.bumpCatalogue(tx); err != nil {
			return err
		}
		return s.audit(tx, actor, "indicator.department", code, department)
	})
}

// SetIndicatorHeadline puts an indicator on the cockpit or takes it off.
func (s *Store) SetIndicatorHeadline(ctx context.Context, actor, code string, on bool) error {
	v := 0
	if on {
		v = 1
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&indicatorRow{}).Where("code = ?", code).Update("headline", v)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return kpi.Invalid("indicator", "指标 %q 不存在", "indicator %q does not exist", code)
		}
		if err := s.bumpCatalogue(tx); err != nil {
			return err
		}
		return s.audit(tx, actor, "indicator.headline", code, fmt.Sprint(on))
	})
}
