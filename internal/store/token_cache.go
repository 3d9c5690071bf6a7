package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/govkpi/govkpi/internal/kpi"
)

// Every request needs the indicator catalogue and the region tree, and
// reading them was more than half of a cached chart-data request. Both
// change rarely (a sync at start-up, an administrator's command, a phrase
// added from a document), and every such change writes a new random token
// to meta in its own transaction. The store keeps what it last read with
// the token it read first, and reads again only when the token in the
// database differs: one primary-key lookup per call, correct across
// instances and across processes (the command line changes indicators
// while servers run).

const (
	catalogueTokenKey = "catalogue_token"
	regionsTokenKey   = "regions_token"
	targetsTokenKey   = "targets_token"
)

// tokenKeys are all the tokens, read together once per request.
var tokenKeys = []string{catalogueTokenKey, regionsTokenKey, targetsTokenKey}

// tokenCache is one such value and the token it was read under.
type tokenCache[T any] struct {
	mu    sync.Mutex
	token string
	val   T
	ok    bool
}

// bumpToken marks what key guards as changed; callers are inside the
// transaction that changes it.
func bumpToken(tx *gorm.DB, key string) error {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	return tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "name"}},
		DoUpdates: clause.AssignmentColumns([]string{"value"}),
	}).Create(&metaRow{Name: key, Value: hex.EncodeToString(b)}).Error
}

// bumpCatalogue marks the catalogue changed.
func (s *Store) bumpCatalogue(tx *gorm.DB) error { return bumpToken(tx, catalogueTokenKey) }

// cachedByToken returns c's value if the token under key is still the one
// it was read under, and otherwise reads it again with read.
func cachedByToken[T any](ctx context.Context, s *Store, c *tokenCache[T], key string, read func() (T, error)) (T, error) {
	return cachedByTokenVia(ctx, s.db.WithContext(ctx), s, c, key, read)
}

// cachedByTokenVia is cachedByToken reading the token through db: a
// transaction must not wait for a second connection of the pool.
func cachedByTokenVia[T any](ctx context.Context, db *gorm.DB, s *Store, c *tokenCache[T], key string, read func() (T, error)) (T, error) {
	var zero T
	memo, _ := ctx.Value(tokenMemoKey{}).(*tokenMemo)
	token, known := memo.get(key)
	if !known {
		// A request reads every token at its first need of one: it will
		// need the others too, and one query costs about what three do.
		keys := []string{key}
		if memo != nil {
			keys = tokenKeys
		}
		var rows []metaRow
		if err := db.Where("name IN ?", keys).Find(&rows).Error; err != nil {
			return zero, s.wrap(err)
		}
		for _, k := range keys {
			memo.set(k, "")
		}
		for _, r := range rows {
			memo.set(r.Name, r.Value)
			if r.Name == key {
				token = r.Value
			}
		}
	}
	c.mu.Lock()
	if c.ok && c.token == token && token != "" {
		v := c.val
		c.mu.Unlock()
		return v, nil
	}
	c.mu.Unlock()
	v, err := read()
	if err != nil {
		return zero, err
	}
	c.mu.Lock()
	c.token, c.val, c.ok = token, v, true
	c.mu.Unlock()
	return v, nil
}

// Indicators returns the catalogue in display order. It is shared between
// callers: they must not modify it.
func (s *Store) Indicators(ctx context.Context) (kpi.Catalogue, error) {
	return cachedByToken(ctx, s, &s.catalogue, catalogueTokenKey, func() (kpi.Catalogue, error) {
		return s.readIndicators(s.db.WithContext(ctx))
	})
}

// indicatorsIn is Indicators inside a transaction, through it.
func (s *Store) indicatorsIn(tx *gorm.DB) (kpi.Catalogue, error) {
	return cachedByTokenVia(tx.Statement.Context, tx, s, &s.catalogue, catalogueTokenKey, func() (kpi.Catalogue, error) {
		return s.readIndicators(tx)
	})
}

// A request asks for the catalogue and the regions several times (the
// handler, the authorisation check, the breadcrumb); the tokens it read
// first hold for the rest of it. WithTokenMemo gives a context that
// remembers them, so that a request checks each token once.
type tokenMemoKey struct{}

type tokenMemo struct {
	mu     sync.Mutex
	tokens map[string]string
}

// WithTokenMemo returns ctx with a memo of the tokens read under it; the
// web layer gives one to each request.
func WithTokenMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, tokenMemoKey{}, &tokenMemo{tokens: map[string]string{}})
}

func (m *tokenMemo) get(key string) (string, bool) {
	if m == nil {
		return "", false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tokens[key]
	return t, ok
}

func (m *tokenMemo) set(key, token string) {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.tokens[key] = token
	m.mu.Unlock()
}
