package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/govkpi/govkpi/internal/store"
)

// Whole requests through the router on the demo database, server time only.
func BenchmarkPages(b *testing.B) {
	st, err := openSQLite(demoDB)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	benchPaths(b, st, []string{
		"/api/v1/comparison?indicator=prelit_diversion_rate&year=2025&parent=330000",
		"/api/v1/series?indicator=prelit_diverted&region=330000&region=330100&region=330200&region=330300&region=330400&from=2016&to=2025",
		"/compare?indicator=prelit_diversion_rate&year=2025&parent=330000",
		"/trend?indicator=startup_days",
		"/",
		"/scorecard?region=330100",
		"/completeness?region=330000&period=2025-4",
		"/review?region=330000&period=2025-4",
	})
}

// BenchmarkNationalPages: with GOVKPI_BENCH_DB naming the national demo
// (make bench-national), the pages and chart-data endpoints: the
// cockpit of a province, every city and every county of China, a trend of
// five regions over ten years. "computed" has the aggregate cache off, so
// that every request computes its answer; "cached" is the server as it
// runs, where a request whose indicators have not changed since (one query
// for their generations) is answered from the cache. make bench-sql runs
// the same reads in the sqlite3 CLI.
func BenchmarkNationalPages(b *testing.B) {
	path := os.Getenv("GOVKPI_BENCH_DB")
	if path == "" {
		b.Skip("GOVKPI_BENCH_DB not set (make demo-national, then make bench-national)")
	}
	for _, run := range []struct {
		name   string
		cached bool
	}{{"computed", false}, {"cached", true}} {
		b.Run(run.name, func(b *testing.B) {
			cfg, err := store.ParseURL(path)
			if err != nil {
				b.Fatal(err)
			}
			if !run.cached {
				cfg.CacheRows = 0
			}
			st, err := store.Open(context.Background(), cfg)
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			benchPaths(b, st, nationalPaths)
		})
	}
}

// nationalPaths are the requests of BenchmarkNationalPages; db/bench holds
// their SQL for the sqlite3 CLI.
var nationalPaths = []string{
	"/?region=330000&year=2025",
	"/api/v1/comparison?indicator=prelit_diverted&year=2025&level=2&within=all",
	"/api/v1/comparison?indicator=prelit_diverted&year=2025&level=3&within=all",
	"/api/v1/series?indicator=prelit_diverted&region=330000&region=320000&region=330100&region=440300&region=510100&from=2016&to=2025",
}

func benchPaths(b *testing.B, st *store.Store, paths []string) {
	h := New(st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	admin, err := st.UserByName(context.Background(), "admin")
	if err != nil {
		b.Fatal(err)
	}
	session, err := st.CreateSession(context.Background(), admin.ID, "127.0.0.1")
	if err != nil {
		b.Fatal(err)
	}
	for _, path := range paths {
		b.Run(path, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				rec := httptest.NewRecorder()
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.AddCookie(&http.Cookie{Name: sessionCookie, Value: session})
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: %d", path, rec.Code)
				}
			}
		})
	}
}
