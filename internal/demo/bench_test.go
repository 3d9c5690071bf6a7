package demo

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/govkpi/govkpi/internal/app"
	"github.com/govkpi/govkpi/internal/store"
)

// BenchmarkLoadProvince measures the bulk path the national demo takes: one
// province (Zhejiang, about 262,000 values and their history) into a fresh
// SQLite file. The target is 200,000 values/s.
func BenchmarkLoadProvince(b *testing.B) {
	ctx := context.Background()
	g := newGen(b)
	values := g.values()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		cfg, _ := store.ParseURL(filepath.Join(b.TempDir(), "bench.db"))
		st, err := store.Open(ctx, cfg)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := app.Prepare(ctx, st); err != nil {
			b.Fatal(err)
		}
		// The kernel's writeback of the previous loop's file would land
		// in this one's time: flush it first.
		syscall.Sync()
		b.StartTimer()
		if err := st.LoadValues(ctx, "bench", values, nil); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		st.Close()
	}
	b.ReportMetric(float64(len(values)*b.N)/b.Elapsed().Seconds(), "values/s")
}

// BenchmarkGenerateProvince is the generator's share of the demo load.
func BenchmarkGenerateProvince(b *testing.B) {
	for i := 0; i < b.N; i++ {
		newGen(b).values()
	}
}
