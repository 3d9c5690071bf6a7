package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/govkpi/govkpi/internal/kpi"
)

// Target is a goal for one region, indicator and year.
type Target struct {
	Region    int
	Indicator string
	Year      int
	Value     float64
}

// SetTargets inserts or replaces targets in one transaction.
func (s *Store) SetTargets(ctx context.Context, actor string, ts []Target) error {
	cat, err := s.Indicators(ctx)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *gorm.DB) error { return s.setTargets(tx, cat, actor, ts) })
}

func (s *Store) setTargets(tx *gorm.DB, cat kpi.Catalogue, actor string, ts []Target) error {
	rows := make([]targetRow, 0, len(ts))
	now := s.now()
	for i, t := range ts {
		ind, err := cat.Get(t.Indicator)
		if err != nil {
			return atRow(err, i, len(ts))
		}
		if err := (kpi.Period{Year: t.Year}).Validate(); err != nil {
			return atRow(err, i, len(ts))
		}
		if err := kpi.CheckTarget(ind, t.Value); err != nil {
			return atRow(err, i, len(ts))
		}
		rows = append(rows, targetRow{RegionCode: t.Region, IndicatorID: ind.ID, Year: t.Year, Value: t.Value, UpdatedBy: actor, UpdatedAt: now})
	}
	if len(rows) == 0 {
		return nil
	}
	if err := tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "region_code"}, {Name: "indicator_id"}, {Name: "year"}},
		DoUpdates: clause.AssignmentColumns([]string{"value", "updated_by", "updated_at"}),
	}).CreateInBatches(rows, 500).Error; err != nil {
		return err
	}
	detail := ""
	for i, t := range ts {
		if i == 20 {
			detail += fmt.Sprintf(" …(%d in all)", len(ts))
			break
		}
		detail += fmt.Sprintf("%06d %s %d=%g; ", t.Region, t.Indicator, t.Year, t.Value)
	}
	return s.audit(tx, actor, "targets.set", fmt.Sprintf("%d targets", len(ts)), detail)
}

// Targets returns the targets of one indicator for regions and years
// from..to, keyed by year then region. Like the own figures (readOwnCells),
// thousands of regions are read as the indicator's whole range of years
// and filtered here rather than sought one by one.
func (s *Store) Targets(ctx context.Context, ind kpi.Indicator, regions []int, from, to int) (map[int]map[int]float64, error) {
	sql := `SELECT region_code, year, value FROM targets WHERE indicator_id = ? AND year BETWEEN ? AND ?`
	args := []any{ind.ID, from, to}
	wanted := map[int]bool{}
	if len(regions) > scanAbove {
		for _, r := range regions {
			wanted[r] = true
		}
	} else {
		sql += ` AND region_code IN ?`
		args = append(args, regions)
	}
	rows, err := s.db.WithContext(ctx).Raw(sql, args...).Rows()
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	out := map[int]map[int]float64{}
	for rows.Next() {
		var region, year int64 // not int: database/sql converts into int through strings
		var value float64
		if err := rows.Scan(&region, &year, &value); err != nil {
			return nil, s.wrap(err)
		}
		if len(wanted) > 0 && !wanted[int(region)] {
			continue
		}
		if out[int(year)] == nil {
			out[int(year)] = map[int]float64{}
		}
		out[int(year)][int(region)] = value
	}
	return out, s.wrap(rows.Err())
}
