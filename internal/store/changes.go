package store

import (
	"context"
	"database/sql"
	"errors"

	"gorm.io/gorm"
)

// Every write to kpi_values has two consequences that must commit with it
// or not at all: the generations of the indicators written go up (the
// aggregate cache, cache.go) and the rollups of the regions above the
// cells written are computed again (rollup.go). Rather than trusting every
// writer to remember both, a writer records the cells it changed with
// noteChange, and s.tx settles the whole set once, just before it commits:
// a grid of sixty figures costs one refresh per indicator, not sixty. The
// one exception is a bulk load, which keeps both itself (LoadValues).

// cellKey is a changed cell, down to the year: rollups are per year.
type cellKey struct {
	indicator int64
	region    int
	year      int
}

// changeSet is the cells one transaction changed.
type changeSet struct {
	cells map[cellKey]struct{}
}

type changeSetKey struct{}

// errNoChangeSet is a programming error: values written through a
// transaction that s.tx did not open, whose changes nobody would settle.
var errNoChangeSet = errors.New("store: value written outside s.tx")

// noteChange records that tx changed a value of indicator in region and year.
func noteChange(tx *gorm.DB, indicator int64, region, year int) error {
	cs, _ := tx.Statement.Context.Value(changeSetKey{}).(*changeSet)
	if cs == nil {
		return errNoChangeSet
	}
	cs.cells[cellKey{indicator, region, year}] = struct{}{}
	return nil
}

// tx runs fn in a transaction bound to ctx, settles the changes fn noted
// inside the same transaction, and converts the error.
func (s *Store) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return s.wrap(s.txOn(ctx, s.db, fn))
}

// txOn is tx on db: the pool, or one connection prepared for the work.
func (s *Store) txOn(ctx context.Context, db *gorm.DB, fn func(tx *gorm.DB) error) error {
	cs := &changeSet{cells: map[cellKey]struct{}{}}
	ctx = context.WithValue(ctx, changeSetKey{}, cs)
	var opts []*sql.TxOptions
	if s.engine == MySQL {
		// InnoDB's default, REPEATABLE READ, would read the leaves for a
		// rollup from a snapshot taken before the lock in lockParents was
		// granted; READ COMMITTED, PostgreSQL's default, reads what the
		// writer before us committed.
		opts = append(opts, &sql.TxOptions{Isolation: sql.LevelReadCommitted})
	}
	return db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := fn(tx); err != nil {
			return err
		}
		return s.settle(tx, cs)
	}, opts...)
}

// settle raises the generations of the indicators changed and refreshes
// the rollups that depend on the changed cells.
func (s *Store) settle(tx *gorm.DB, cs *changeSet) error {
	if len(cs.cells) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(cs.cells))
	for k := range cs.cells {
		ids = append(ids, k.indicator)
	}
	if err := s.bumpGeneration(tx, ids...); err != nil {
		return err
	}
	if testHookBeforeRollups != nil {
		testHookBeforeRollups()
	}
	return s.refreshRollups(tx, cs)
}

// testHookBeforeRollups, when set by a test, runs after a transaction has
// written its values and before it refreshes the rollups: the test holds
// two writers there so that they race for the same parents.
var testHookBeforeRollups func()
