package store_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/govkpi/govkpi/internal/app"
	"github.com/govkpi/govkpi/internal/demo"
	"github.com/govkpi/govkpi/internal/kpi"
	"github.com/govkpi/govkpi/internal/store"
)

// The benchmarks run the aggregate queries of the pages on the demo
// database (Zhejiang: 11 cities, 90 counties, 2016–2025): `make bench`.
// They measure the queries themselves, so the aggregate cache is off.
// With GOVKPI_BENCH_DB naming a national demo database (make demo-national)
// BenchmarkNational runs the national-scale queries on it.

func demoStore(b *testing.B) (*store.Store, kpi.Catalogue) {
	b.Helper()
	ctx := context.Background()
	st := openUncached(b, filepath.Join(b.TempDir(), "bench.db"))
	prep, err := app.Prepare(ctx, st)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := demo.Load(ctx, st, prep.Catalogue, prep.Regions, demo.ScaleProvince, func(string, ...any) {}); err != nil {
		b.Fatal(err)
	}
	cat, err := st.Indicators(ctx)
	if err != nil {
		b.Fatal(err)
	}
	return st, cat
}

// openUncached opens the database at path with the aggregate cache off, so
// that every benchmarked query is computed; closed when the benchmark ends.
func openUncached(b *testing.B, path string) *store.Store {
	b.Helper()
	cfg, err := store.ParseURL(path)
	if err != nil {
		b.Fatal(err)
	}
	cfg.CacheRows = 0
	st, err := store.Open(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

func query(b *testing.B, cat kpi.Catalogue, code string, regions []kpi.Region, from, to int) store.AggregateQuery {
	ind, err := cat.Get(code)
	if err != nil {
		b.Fatal(err)
	}
	q := store.AggregateQuery{Indicator: ind, From: from, To: to}
	if ind.IsRatio() {
		q.Num, q.Den, _ = cat.Parts(ind)
	}
	for _, r := range regions {
		q.Regions = append(q.Regions, r.Code)
	}
	return q
}

func benchAggregate(b *testing.B, st *store.Store, q store.AggregateQuery, wantRows int) {
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		raws, err := st.Aggregate(ctx, q)
		if err != nil {
			b.Fatal(err)
		}
		if len(raws) < wantRows {
			b.Fatalf("%d rows, want %d", len(raws), wantRows)
		}
	}
}

// BenchmarkComparison: every city of the province for one indicator and
// the year and the year before (for YoY), computed from county quarters.
func BenchmarkComparison(b *testing.B) {
	st, cat := demoStore(b)
	ctx := context.Background()
	cities, _ := st.Children(ctx, demo.Province)
	counties, _ := st.RegionsAtLevel(ctx, kpi.LevelCounty, demo.Province)
	for _, tc := range []struct {
		name, code string
		regions    []kpi.Region
	}{
		{"cities/flow", "prelit_diverted", cities},
		{"cities/stock", "fulltime_mediators", cities},
		{"cities/duration", "startup_days", cities},
		{"cities/ratio", "prelit_diversion_rate", cities},
		{"counties/ratio", "prelit_diversion_rate", counties},
	} {
		b.Run(tc.name, func(b *testing.B) {
			benchAggregate(b, st, query(b, cat, tc.code, tc.regions, 2024, 2025), 2*len(tc.regions))
		})
	}
}

// BenchmarkTrend: the province and four cities over ten years.
func BenchmarkTrend(b *testing.B) {
	st, cat := demoStore(b)
	ctx := context.Background()
	prov, _ := st.Region(ctx, demo.Province)
	cities, _ := st.Children(ctx, demo.Province)
	regions := append([]kpi.Region{prov}, cities[:4]...)
	for _, code := range []string{"prelit_diverted", "prelit_diversion_rate"} {
		b.Run(code+"/years", func(b *testing.B) {
			benchAggregate(b, st, query(b, cat, code, regions, 2016, 2025), 50)
		})
		b.Run(code+"/quarters", func(b *testing.B) {
			q := query(b, cat, code, regions, 2016, 2025)
			q.ByQuarter = true
			benchAggregate(b, st, q, 5*39)
		})
	}
}

// BenchmarkNational: on the national demo, every city and every county of
// China for one indicator and two years (for YoY), computed from county
// quarters; and a trend of five provinces and cities over ten years.
func BenchmarkNational(b *testing.B) {
	path := os.Getenv("GOVKPI_BENCH_DB")
	if path == "" {
		b.Skip("GOVKPI_BENCH_DB not set (make demo-national, then make bench-national)")
	}
	ctx := context.Background()
	st := openUncached(b, path)
	cat, err := st.Indicators(ctx)
	if err != nil {
		b.Fatal(err)
	}
	cities, _ := st.RegionsAtLevel(ctx, kpi.LevelCity, 0)
	counties, _ := st.RegionsAtLevel(ctx, kpi.LevelCounty, 0)
	trend, _ := st.Regions(ctx, []int{330000, 320000, 330100, 440300, 510100})
	for _, tc := range []struct {
		name, code string
		regions    []kpi.Region
		from       int
	}{
		{"cities/flow", "prelit_diverted", cities, 2024},
		{"cities/stock", "fulltime_mediators", cities, 2024},
		{"cities/duration", "startup_days", cities, 2024},
		{"cities/ratio", "prelit_diversion_rate", cities, 2024},
		{"counties/flow", "prelit_diverted", counties, 2024},
		{"counties/ratio", "prelit_diversion_rate", counties, 2024},
		{"trend/flow", "prelit_diverted", trend, 2016},
		{"trend/ratio", "prelit_diversion_rate", trend, 2016},
	} {
		b.Run(tc.name, func(b *testing.B) {
			benchAggregate(b, st, query(b, cat, tc.code, tc.regions, tc.from, 2025), len(tc.regions))
		})
	}
}
