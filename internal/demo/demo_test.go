package demo

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/govkpi/govkpi/db"
	"github.com/govkpi/govkpi/internal/app"
	"github.com/govkpi/govkpi/internal/catalog"
	"github.com/govkpi/govkpi/internal/kpi"
	"github.com/govkpi/govkpi/internal/store"
)

func newGen(t testing.TB) *generator {
	t.Helper()
	cat, regions, err := catalog.Load(db.Files)
	if err != nil {
		t.Fatal(err)
	}
	return newGenerator(cat, regions, Province)
}

func TestDemoIsDeterministic(t *testing.T) {
	a, b := newGen(t), newGen(t)
	if !reflect.DeepEqual(a.values(), b.values()) || !reflect.DeepEqual(a.targets(), b.targets()) {
		t.Fatal("two generations differ")
	}
}

func TestDemoIsPlausible(t *testing.T) {
	g := newGen(t)
	if len(g.scope) != 102 {
		t.Errorf("scope has %d regions, want Zhejiang, its 11 cities and 90 counties", len(g.scope))
	}
	seen := map[string]bool{}
	for c, v := range g.data {
		seen[c.indicator] = true
		ind := g.inds[c.indicator]
		if err := kpi.CheckValue(ind, v); err != nil && g.byCode[c.region].IsLeaf() {
			t.Fatalf("%+v = %v: %v", c, v, err)
		}
	}
	for _, ind := range g.cat.Indicators {
		if !ind.IsRatio() && !seen[ind.Code] {
			t.Errorf("no demo values for %s", ind.Code)
		}
	}
	county := 330102 // 上城区
	year := func(code string, y int) float64 {
		v, ok := g.expected(g.inds[code], g.byCode[county], y)
		if !ok {
			t.Fatalf("%s %d missing", code, y)
		}
		return v
	}
	if first, last := year("startup_days", FirstYear), year("startup_days", LastYear); last >= first {
		t.Errorf("start-up days went from %.1f to %.1f; durations should fall", first, last)
	}
	// A stock persists: within a year its quarters stay within a few percent.
	for y := FirstYear; y <= LastYear; y++ {
		q1, q4 := g.data[cell{county, "fulltime_mediators", y, 1}], g.data[cell{county, "fulltime_mediators", y, 4}]
		if q1 == 0 || q4/q1 > 1.15 || q4/q1 < 0.85 {
			t.Errorf("mediators %d jump from %v to %v within the year", y, q1, q4)
		}
	}
	// Shares stay shares: numerator never above denominator.
	for _, ind := range g.cat.Indicators {
		if !ind.IsRatio() || ind.Unit != "%" {
			continue
		}
		for c, num := range g.data {
			if c.indicator != ind.Numerator {
				continue
			}
			if den, ok := g.data[cell{c.region, ind.Denominator, c.year, c.quarter}]; ok && num > den {
				t.Errorf("%s: %v > %v at %+v", ind.Code, num, den, c)
			}
		}
	}
	// Targets exist for 2024–2025 only, for directional indicators.
	for _, tg := range g.targets() {
		if tg.Year < TargetsFrom || g.inds[tg.Indicator].Direction == kpi.Neutral {
			t.Fatalf("unexpected target %+v", tg)
		}
	}
}

func TestLoadIsIdempotent(t *testing.T) {
	ctx := context.Background()
	cfg, _ := store.ParseURL(filepath.Join(t.TempDir(), "demo.db"))
	st, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	prep, err := app.Prepare(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(ctx, st, prep.Catalogue, prep.Regions, ScaleProvince, t.Logf)
	if err != nil || !loaded {
		t.Fatalf("first load: %v %v", loaded, err)
	}
	n1, _ := st.CountValues(ctx)
	loaded, err = Load(ctx, st, prep.Catalogue, prep.Regions, ScaleProvince, t.Logf)
	n2, _ := st.CountValues(ctx)
	if err != nil || loaded || n1 != n2 || n1 < 200_000 {
		t.Fatalf("second load: loaded=%v err=%v values %d → %d", loaded, err, n1, n2)
	}
}
