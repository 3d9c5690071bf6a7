package store

import (
	"context"
	"fmt"
	"sync"

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
	if err := bumpToken(tx, targetsTokenKey); err != nil {
		return err
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
// from..to, keyed by year then region. Answers are kept per query behind
// the targets token, which every change to targets rewrites (setTargets):
// they are read on every chart, and change a few times a year. The map
// returned is shared: callers must not modify it.
func (s *Store) Targets(ctx context.Context, ind kpi.Indicator, regions []int, from, to int) (map[int]map[int]float64, error) {
	key := fmt.Sprintf("%d/%d/%d/%v", ind.ID, from, to, regions)
	answers, err := cachedByToken(ctx, s, &s.targets, targetsTokenKey, func() (*targetAnswers, error) {
		return &targetAnswers{byQuery: map[string]map[int]map[int]float64{}}, nil
	})
	if err != nil {
		return nil, err
	}
	if t, ok := answers.get(key); ok {
		return t, nil
	}
	t, err := s.readTargets(ctx, ind, regions, from, to)
	if err == nil {
		answers.put(key, t)
	}
	return t, err
}

// targetAnswers are the Targets answers read under one targets token.
type targetAnswers struct {
	mu      sync.Mutex
	byQuery map[string]map[int]map[int]float64
}

// maxTargetAnswers bounds the answers kept; when full they are all dropped.
const maxTargetAnswers = 2000

func (a *targetAnswers) get(key string) (map[int]map[int]float64, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	t, ok := a.byQuery[key]
	return t, ok
}

func (a *targetAnswers) put(key string, t map[int]map[int]float64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.byQuery) >= maxTargetAnswers {
		clear(a.byQuery)
	}
	a.byQuery[key] = t
}

// readTargets reads what Targets returns. Like the own figures
// (readOwnCells), thousands of regions are read as the indicator's whole
// range of years and filtered here rather than sought one by one.
func (s *Store) readTargets(ctx context.Context, ind kpi.Indicator, regions []int, from, to int) (map[int]map[int]float64, error) {
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
