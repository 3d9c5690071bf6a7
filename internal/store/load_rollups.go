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
//
// It takes its locks in the order every other writer does (settle): first
// the generations of the indicators it writes, then the parents of its
// leaves (lockParents). A load that took the parents first would deadlock
// with an edit under one of them that holds its indicator's generation.
// On PostgreSQL and MySQL the parents stay locked for the whole load, so
// edits under them wait for it; on SQLite a load holds the only write
// lock anyway.

// loadRollups are the rollups a bulk load feeds, being computed.
type loadRollups struct {
	plan *rollupPlan // nil when the load feeds no rollup
	done chan struct{}
	rows []rollupRow // once done is closed
}

// planLoad raises the generations of the indicators in ins, plans the
// rollups that loading them feeds, locking their parents, and starts
// computing them. The caller waits for them (write or wait) before it
// returns.
func (s *Store) planLoad(tx *gorm.DB, ids map[string]int64, ins []kpi.ValueInput) (*loadRollups, error) {
	changed := map[cellKey]struct{}{}
	loaded := map[int64]bool{}
	for _, in := range ins {
		if id, ok := ids[in.Indicator]; ok { // an unknown one fails the insert, with its row
			changed[cellKey{id, in.Region, in.Period.Year}] = struct{}{}
			loaded[id] = true
		}
	}
	if err := s.bumpGeneration(tx, slices.Collect(maps.Keys(loaded))...); err != nil {
		return nil, err
	}
	lr := &loadRollups{done: make(chan struct{})}
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
	lr.wait()
	if lr.plan == nil {
		return nil
	}
	return lr.plan.write(tx, lr.rows)
}

// wait waits until the rollups are computed: a load that fails does not
// return while they are still being computed from its input.
func (lr *loadRollups) wait() { <-lr.done }

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
