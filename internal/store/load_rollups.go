package store

import (
	"maps"
	"slices"

	"gorm.io/gorm"

	"github.com/govkpi/govkpi/internal/kpi"
)

// A bulk load need not read back what it inserts to keep the rollups:
// LoadValues only creates values, so the leaves' values after the load are
// those before it plus the load's own, and the two never overlap. The load
// reads the first (for a new province: nothing) before it inserts, and
// computes the rollups on another core while the database inserts on one.

// loadRollups are the rollups a bulk load feeds, being computed.
type loadRollups struct {
	plan       *rollupPlan // nil when the load feeds no rollup
	indicators []int64     // the indicators loaded
	done       chan struct{}
	rows       []rollupRow // once done is closed
}

// planLoad plans the rollups that loading ins feeds, locking their parents
// (lockParents), and starts computing them.
func (s *Store) planLoad(tx *gorm.DB, ids map[string]int64, ins []kpi.ValueInput) (*loadRollups, error) {
	changed := map[cellKey]struct{}{}
	loaded := map[int64]bool{}
	for _, in := range ins {
		if id, ok := ids[in.Indicator]; ok { // an unknown one fails the insert, with its row
			changed[cellKey{id, in.Region, in.Period.Year}] = struct{}{}
			loaded[id] = true
		}
	}
	lr := &loadRollups{indicators: slices.Sorted(maps.Keys(loaded)), done: make(chan struct{})}
	plan, err := s.planRollups(tx, changed)
	if err != nil || plan == nil {
		close(lr.done)
		return lr, err
	}
	cells, err := plan.read(tx)
	if err != nil {
		return nil, err
	}
	lr.plan = plan
	go func() {
		defer close(lr.done)
		plan.add(cells, ids, ins)
		lr.rows = plan.compute(cells)
	}()
	return lr, nil
}

// write waits for the rollups and writes them, in the load's transaction.
func (lr *loadRollups) write(tx *gorm.DB) error {
	<-lr.done
	if lr.plan != nil {
		if err := lr.plan.write(tx, lr.rows); err != nil {
			return err
		}
	}
	return noteRolledUp(tx, lr.indicators...)
}

// add puts the visible values among ins that the plan's rollups read into
// cells, as plan.read would have read them once inserted.
func (p *rollupPlan) add(cells leafCells, ids map[string]int64, ins []kpi.ValueInput) {
	visible, approved := kpi.Visible(false), kpi.Visible(true)
	for _, in := range ins {
		id := ids[in.Indicator]
		status := in.Status
		if status == "" {
			status = kpi.StatusDraft
		}
		if !slices.Contains(visible, status) || !p.reads(id, in.Region) || in.Period.Year < p.from || in.Period.Year > p.to {
			continue
		}
		k := cellAt{id, in.Region, in.Period.Year}
		qs := cells[k]
		if qs == nil {
			qs = new([2]kpi.Quarters)
			cells[k] = qs
		}
		qs[0].Set(in.Period.Quarter, in.Value)
		if slices.Contains(approved, status) {
			qs[1].Set(in.Period.Quarter, in.Value)
		}
	}
}

// reads reports whether the plan reads the values of indicator in region.
func (p *rollupPlan) reads(indicator int64, region int) bool {
	_, isNeeded := slices.BinarySearch(p.need, indicator)
	_, isLeaf := slices.BinarySearch(p.leaves, region)
	return isNeeded && isLeaf
}
