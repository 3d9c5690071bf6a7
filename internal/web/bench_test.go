package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

// Whole requests through the router on the demo database, server time only.
func BenchmarkPages(b *testing.B) {
	st, err := openSQLite(demoDB)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	h := New(st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	admin, err := st.UserByName(context.Background(), "admin")
	if err != nil {
		b.Fatal(err)
	}
	session, err := st.CreateSession(context.Background(), admin.ID, "127.0.0.1")
	if err != nil {
		b.Fatal(err)
	}
	for _, path := range []string{
		"/api/v1/comparison?indicator=prelit_diversion_rate&year=2025&parent=330000",
		"/api/v1/series?indicator=prelit_diverted&region=330000&region=330100&region=330200&region=330300&region=330400&from=2016&to=2025",
		"/compare?indicator=prelit_diversion_rate&year=2025&parent=330000",
		"/trend?indicator=startup_days",
		"/",
		"/scorecard?region=330100",
		"/completeness?region=330000&period=2025-4",
		"/review?region=330000&period=2025-4",
	} {
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
