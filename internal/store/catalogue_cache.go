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

// Every request needs the indicator catalogue, and reading 114 rows with
// their definitions was more than half of a cached chart-data request. The
// catalogue changes rarely (a sync at start-up, an administrator's command,
// a phrase added from a document), and every such change writes a new random
// token to meta in its own transaction. Indicators keeps the catalogue it
// last read with the token it read first, and reads it again only when the
// token in the database differs: one primary-key lookup per call, correct
// across instances and across processes (the command line changes
// indicators while servers run).

const catalogueTokenKey = "catalogue_token"

type catalogueCache struct {
	mu    sync.Mutex
	token string
	cat   kpi.Catalogue
	ok    bool
}

// bumpCatalogue marks the catalogue changed; callers are inside the
// transaction that changes it.
func (s *Store) bumpCatalogue(tx *gorm.DB) error {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return err
	}
	return tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "name"}},
		DoUpdates: clause.AssignmentColumns([]string{"value"}),
	}).Create(&metaRow{Name: catalogueTokenKey, Value: hex.EncodeToString(b)}).Error
}

// Indicators returns the catalogue in display order. It is shared between
// callers: they must not modify it.
func (s *Store) Indicators(ctx context.Context) (kpi.Catalogue, error) {
	var rows []metaRow
	if err := s.db.WithContext(ctx).Where("name = ?", catalogueTokenKey).Limit(1).Find(&rows).Error; err != nil {
		return nil, s.wrap(err)
	}
	token := ""
	if len(rows) == 1 {
		token = rows[0].Value
	}
	c := &s.catalogue
	c.mu.Lock()
	if c.ok && c.token == token && token != "" {
		cat := c.cat
		c.mu.Unlock()
		return cat, nil
	}
	c.mu.Unlock()
	cat, err := s.readIndicators(s.db.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.token, c.cat, c.ok = token, cat, true
	c.mu.Unlock()
	return cat, nil
}
