package store

import (
	"container/list"
	"context"
	"crypto/sha256"
	"slices"
	"strconv"
	"sync"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/govkpi/govkpi/internal/kpi"
)

// Aggregate answers are kept in memory, labelled with the generation of
// each indicator they read. Every write to a value raises its indicator's
// generation in the same transaction (bumpGeneration), and an answer is
// served only while the generations in the database still equal its label.
// The check is one primary-key lookup, so the cache is safe with several
// instances on one database: whoever wrote, the next read sees the new
// generation and recomputes.
//
// The generations are read before the aggregate runs: a write committed in
// between makes the answer newer than its label, which only costs a
// recomputation on the next request, never a stale answer.

// generationRow is one indicator's write counter.
type generationRow struct {
	IndicatorID int64 `gorm:"primaryKey;autoIncrement:false"`
	Gen         int64
}

func (generationRow) TableName() string { return "value_generations" }

// bumpGeneration raises the generation of each indicator in ids. Callers
// are inside the transaction that writes the values.
func (s *Store) bumpGeneration(tx *gorm.DB, ids ...int64) error {
	ids = slices.Compact(slices.Sorted(slices.Values(ids))) // one order: no deadlocks between writers
	rows := make([]generationRow, len(ids))
	for i, id := range ids {
		rows[i] = generationRow{IndicatorID: id, Gen: 1}
	}
	if len(rows) == 0 {
		return nil
	}
	return tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "indicator_id"}},
		DoUpdates: clause.Assignments(map[string]any{"gen": gorm.Expr("value_generations.gen + 1")}),
	}).Create(&rows).Error
}

// generations reads the current generation of each indicator; one never
// written counts as 0.
func (s *Store) generations(ctx context.Context, ids []int64) ([]int64, error) {
	var rows []generationRow
	if err := s.db.WithContext(ctx).Where("indicator_id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]int64, len(ids))
	for i, id := range ids {
		for _, r := range rows {
			if r.IndicatorID == id {
				out[i] = r.Gen
			}
		}
	}
	return out, nil
}

// aggCache is a least-recently-used map from query to answer, bounded by
// the number of result rows it holds (an answer for 2,850 counties weighs
// as much as 2,850 answers for one region).
type aggCache struct {
	mu      sync.Mutex
	budget  int // rows; 0 turns the cache off
	used    int
	order   *list.List // front = most recently used
	entries map[[32]byte]*list.Element
	hits    int64
	misses  int64
}

type cacheEntry struct {
	key  [32]byte
	gens []int64
	raws []kpi.Raw
}

func newAggCache(budget int) *aggCache {
	return &aggCache{budget: budget, order: list.New(), entries: map[[32]byte]*list.Element{}}
}

// get returns the answer for key if it was computed under gens.
func (c *aggCache) get(key [32]byte, gens []int64) ([]kpi.Raw, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok || !slices.Equal(el.Value.(*cacheEntry).gens, gens) {
		c.misses++
		return nil, false
	}
	c.hits++
	c.order.MoveToFront(el)
	return el.Value.(*cacheEntry).raws, true
}

func (c *aggCache) put(key [32]byte, gens []int64, raws []kpi.Raw) {
	weight := len(raws) + 1
	if weight > c.budget/4 { // one huge answer must not evict everything else
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.entries[key]; ok {
		c.used -= len(el.Value.(*cacheEntry).raws) + 1
		c.order.Remove(el)
	}
	c.entries[key] = c.order.PushFront(&cacheEntry{key: key, gens: gens, raws: raws})
	c.used += weight
	for c.used > c.budget {
		last := c.order.Back()
		e := last.Value.(*cacheEntry)
		c.order.Remove(last)
		delete(c.entries, e.key)
		c.used -= len(e.raws) + 1
	}
}

// CacheStats reports the aggregate cache's hits and misses so far.
func (s *Store) CacheStats() (hits, misses int64) {
	if s.cache == nil {
		return 0, 0
	}
	s.cache.mu.Lock()
	defer s.cache.mu.Unlock()
	return s.cache.hits, s.cache.misses
}

// cacheKey identifies an aggregate query.
func cacheKey(q AggregateQuery) [32]byte {
	b := make([]byte, 0, 64+8*len(q.Regions))
	for _, id := range []int64{q.Indicator.ID, q.Num.ID, q.Den.ID, int64(q.From), int64(q.To), int64(q.Quarter)} {
		b = strconv.AppendInt(b, id, 10)
		b = append(b, ',')
	}
	b = strconv.AppendBool(b, q.ByQuarter)
	b = strconv.AppendBool(b, q.ApprovedOnly)
	for _, r := range q.Regions {
		b = append(b, ';')
		b = strconv.AppendInt(b, int64(r), 10)
	}
	return sha256.Sum256(b)
}

// queryIndicators lists the indicators whose values an aggregate reads.
func queryIndicators(q AggregateQuery) []int64 {
	if q.Indicator.IsRatio() {
		return []int64{q.Indicator.ID, q.Num.ID, q.Den.ID}
	}
	return []int64{q.Indicator.ID}
}
