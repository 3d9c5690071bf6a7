// Package app wires the steps every entry point shares: bring a database's
// schema up to date and load the reference data that ships in db/. The
// command line, the tests and the benchmarks all prepare a database this way.
package app

import (
	"context"

	"github.com/govkpi/govkpi/db"
	"github.com/govkpi/govkpi/internal/catalog"
	"github.com/govkpi/govkpi/internal/kpi"
	"github.com/govkpi/govkpi/internal/store"
)

// Prepared is what Prepare loaded.
type Prepared struct {
	Catalogue catalog.Catalogue
	Regions   []kpi.Region
	Migrated  []string // migrations applied by this call
}

// Prepare migrates st and syncs the indicator catalogue and the division
// list into it. Running it again changes nothing.
func Prepare(ctx context.Context, st *store.Store) (Prepared, error) {
	var p Prepared
	var err error
	if p.Migrated, err = st.Migrate(ctx); err != nil {
		return p, err
	}
	if p.Catalogue, p.Regions, err = catalog.Load(db.Files); err != nil {
		return p, err
	}
	if err = st.SyncRegions(ctx, p.Regions); err != nil {
		return p, err
	}
	return p, st.SyncIndicators(ctx, p.Catalogue.Indicators)
}
