package store

import (
	"context"
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govkpi/govkpi/internal/catalog"
	"github.com/govkpi/govkpi/internal/kpi"
)

var allFixtureRegions = []int{prov, cityA, a1, a2, cityB, b1, cityC}

// assertRollupsLive holds the answers read through the rollups to the
// answers computed from kpi_values alone, for every indicator, region,
// year and visibility, and the own figures read by a scan to those read by
// seeks.
func assertRollupsLive(t *testing.T, s *Store, step string) {
	t.Helper()
	ctx := context.Background()
	cat, err := s.Indicators(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, ind := range cat {
		q := AggregateQuery{Indicator: ind, Regions: allFixtureRegions, From: year - 6, To: year + 3}
		if ind.IsRatio() {
			if q.Num, q.Den, err = cat.Parts(ind); err != nil {
				t.Fatal(err)
			}
		}
		for _, approved := range visibilities {
			q.ApprovedOnly = approved
			got, err := s.aggregate(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			want, err := s.aggregateLive(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: %s (approved only %v): rollups give\n%s\nlive aggregation gives\n%s",
					step, ind.Code, approved, dumpRaws(got), dumpRaws(want))
			}
			// Read by a scan of every region's values rather than by seeks.
			saved := scanAbove
			scanAbove = 0
			scanned, err := s.aggregate(ctx, q)
			scanAbove = saved
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(scanned, got) {
				t.Fatalf("%s: %s (approved only %v): scanned\n%s\nsought\n%s",
					step, ind.Code, approved, dumpRaws(scanned), dumpRaws(got))
			}
		}
	}
}

func dumpRaws(raws []kpi.Raw) string {
	var sb strings.Builder
	for _, r := range raws {
		fmt.Fprintf(&sb, "  %d %d own=%s num=%s den=%s leaf=%s lnum=%s lden=%s leaves=%d partial=%d\n",
			r.Region, r.Period.Year, fmtPtr(r.Own), fmtPtr(r.OwnNum), fmtPtr(r.OwnDen),
			fmtPtr(r.Leaf), fmtPtr(r.LeafNum), fmtPtr(r.LeafDen), r.LeavesReporting, r.LeavesPartial)
	}
	return sb.String()
}

// The rollups follow every way values change — entry, overwrite, bulk
// load, submission, approval, return — and a change of the region tree or
// of an indicator's rule, on every engine.
func TestRollupsFollowEveryWrite(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		cat, d := seedJustice(t, s)
		assertRollupsLive(t, s, "empty")

		// Random entries through PutValues, then overwrites of some.
		rng := rand.New(rand.NewSource(11))
		leaves := []int{a1, a2, b1, cityC}
		var ins []kpi.ValueInput
		for _, r := range leaves {
			for _, ind := range cat {
				if ind.IsRatio() || rng.Intn(3) == 0 {
					continue
				}
				for q := 1; q <= 4; q++ {
					if rng.Intn(4) == 0 {
						continue
					}
					st := []kpi.Status{kpi.StatusDraft, kpi.StatusSubmitted, kpi.StatusApproved}[rng.Intn(3)]
					ins = append(ins, kpi.ValueInput{Region: r, Indicator: ind.Code, Period: kpi.Period{Year: year, Quarter: q},
						Value: float64(rng.Intn(90) + 1), Status: st, Source: kpi.SourceAPI})
				}
			}
		}
		ins = append(ins, kpi.ValueInput{Region: cityA, Indicator: "cases", Period: kpi.Period{Year: year},
			Value: 999, Status: kpi.StatusApproved, Source: kpi.SourceAPI}) // a parent's own figure
		written, err := s.PutValues(ctx, "t", ins)
		if err != nil {
			t.Fatal(err)
		}
		assertRollupsLive(t, s, "entries")
		var again []kpi.ValueInput
		for i, w := range written {
			if i%3 == 0 {
				in := ins[i]
				in.Value, in.Version, in.Status = in.Value+7, w.Version, kpi.StatusApproved
				again = append(again, in)
			}
		}
		if _, err := s.PutValues(ctx, "t", again); err != nil {
			t.Fatal(err)
		}
		assertRollupsLive(t, s, "overwrites")

		// A bulk load of another year.
		var bulk []kpi.ValueInput
		for _, r := range leaves {
			for q := 1; q <= 3; q++ {
				bulk = append(bulk, kpi.ValueInput{Region: r, Indicator: "diverted", Period: kpi.Period{Year: year + 1, Quarter: q},
					Value: float64(q), Status: kpi.StatusApproved, Source: kpi.SourceAPI},
					kpi.ValueInput{Region: r, Indicator: "newcases", Period: kpi.Period{Year: year + 1, Quarter: q},
						Value: float64(10 * q), Status: kpi.StatusSubmitted, Source: kpi.SourceAPI})
			}
		}
		if err := s.LoadValues(ctx, "t", bulk, nil); err != nil {
			t.Fatal(err)
		}
		assertRollupsLive(t, s, "bulk load")

		// A bulk load into a year that has values already: the quarters
		// the entries left out, in every status. Its rollups are computed
		// from the values before it plus its own, never read back.
		have := map[cellKey]map[int]bool{}
		for _, in := range ins {
			ind, _ := cat.Get(in.Indicator)
			k := cellKey{ind.ID, in.Region, in.Period.Year}
			if have[k] == nil {
				have[k] = map[int]bool{}
			}
			have[k][in.Period.Quarter] = true
		}
		var fill []kpi.ValueInput
		for _, r := range leaves {
			for _, ind := range cat {
				for q := 1; q <= 4 && !ind.IsRatio(); q++ {
					if have[cellKey{ind.ID, r, year}][q] {
						continue
					}
					st := []kpi.Status{kpi.StatusDraft, kpi.StatusSubmitted, kpi.StatusApproved}[(r+q)%3]
					fill = append(fill, kpi.ValueInput{Region: r, Indicator: ind.Code, Period: kpi.Period{Year: year, Quarter: q},
						Value: float64(q + 5), Status: st, Source: kpi.SourceAPI})
				}
			}
		}
		if len(fill) == 0 {
			t.Fatal("the entries left no quarter out")
		}
		if err := s.LoadValues(ctx, "t", fill, nil); err != nil {
			t.Fatal(err)
		}
		assertRollupsLive(t, s, "bulk load over values")

		// The justice bureau of 甲一县 submits a quarter; it is approved,
		// then reopened.
		p := kpi.Period{Year: year + 2, Quarter: 1}
		if err := s.SaveEntries(ctx, cat, "ed", d, p, []Entry{{Indicator: "cases", Value: 4}, {Indicator: "days", Value: 9}}, kpi.SourceForm, true); err != nil {
			t.Fatal(err)
		}
		assertRollupsLive(t, s, "submission")
		if err := s.Review(ctx, cat, "rev", d, p, Approve, nil, ""); err != nil {
			t.Fatal(err)
		}
		assertRollupsLive(t, s, "approval")
		if err := s.Review(ctx, cat, "rev", d, p, Reopen, nil, "again"); err != nil {
			t.Fatal(err)
		}
		assertRollupsLive(t, s, "reopen")

		// 乙一县 moves under 甲市: every parent's leaves change.
		moved := strings.Replace(fixtureRegions, "990201,乙一县,3,990200", "990201,乙一县,3,990100", 1)
		regions, err := catalog.ParseRegions(strings.NewReader(moved))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SyncRegions(ctx, regions); err != nil {
			t.Fatal(err)
		}
		assertRollupsLive(t, s, "region tree changed")

		// A year of mediators becomes its busiest quarter, not its last.
		inds := fixtureIndicators()
		for i := range inds {
			inds[i].Department = "justice"
			if inds[i].Code == "mediators" {
				inds[i].PeriodAgg = kpi.PeriodMax
			}
		}
		if err := s.SyncIndicators(ctx, inds); err != nil {
			t.Fatal(err)
		}
		assertRollupsLive(t, s, "indicator rule changed")
	})
}

// A database that had values before the rollups existed gets them when
// the migration adds the table.
func TestRollupMigrationFillsExistingValues(t *testing.T) {
	s := mustOpenDB(t)
	ctx := context.Background()
	seedReference(t, s)
	putFixture(t, s, handFixture())
	if err := s.db.Exec(`DELETE FROM region_rollups`).Error; err != nil {
		t.Fatal(err)
	}
	if err := s.db.Exec(`DROP TABLE region_rollups`).Error; err != nil {
		t.Fatal(err)
	}
	if err := s.db.Exec(`DELETE FROM schema_migrations WHERE version = 5`).Error; err != nil {
		t.Fatal(err)
	}
	applied, err := s.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != 1 || !strings.HasPrefix(applied[0], "0005") {
		t.Fatalf("applied %v", applied)
	}
	var n int64
	if err := s.db.Table("region_rollups").Count(&n).Error; err != nil || n == 0 {
		t.Fatalf("rollups after migration: %d rows, %v", n, err)
	}
	assertRollupsLive(t, s, "after migration")
}

// Two instances writing different counties of one city at the same moment
// must not leave the city's rollup without either county's figure — here
// through a ratio, whose numerator one writes and denominator the other, so
// that no shared generation row happens to serialise them.
func TestRollupsUnderConcurrentWriters(t *testing.T) {
	forEachEngine(t, func(t *testing.T, a *Store) {
		ctx := context.Background()
		seedReference(t, a)
		b := otherInstance(t, a)
		cell := func(i int) kpi.Period { return kpi.Period{Year: year - 6 + i%10, Quarter: 1 + i/10} }
		var seed []v
		for i := 0; i < 8; i++ {
			seed = append(seed, v{a1, "newcases", cell(i).Year, cell(i).Quarter, 100, kpi.StatusApproved},
				v{a2, "diverted", cell(i).Year, cell(i).Quarter, 10, kpi.StatusApproved})
		}
		putFixture(t, a, seed)
		type job struct {
			st        *Store
			region    int
			indicator string
		}
		// Each pair of writes meets before its rollups: both have written
		// their value, neither has read the leaves yet. (On SQLite the
		// second cannot write before the first commits: the wait times out.)
		var mu sync.Mutex
		gate, waiting := make(chan struct{}), 0
		testHookBeforeRollups = func() {
			mu.Lock()
			if waiting == 1 { // the other writer is here: both go on
				close(gate)
				gate, waiting = make(chan struct{}), 0
				mu.Unlock()
				return
			}
			g := gate
			waiting = 1
			mu.Unlock()
			select {
			case <-g:
			case <-time.After(150 * time.Millisecond):
				mu.Lock()
				if gate == g {
					waiting = 0
				}
				mu.Unlock()
			}
		}
		defer func() { testHookBeforeRollups = nil }()
		errs := make(chan error, 2)
		for _, j := range []job{{a, a1, "diverted"}, {b, a2, "newcases"}} {
			go func() {
				for i := 0; i < 8; i++ {
					_, err := j.st.PutValues(ctx, "t", []kpi.ValueInput{{Region: j.region, Indicator: j.indicator,
						Period: cell(i), Value: float64(20 + i), Status: kpi.StatusApproved, Source: kpi.SourceAPI}})
					if err != nil {
						errs <- err
						return
					}
				}
				errs <- nil
			}()
		}
		for range 2 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		assertRollupsLive(t, a, "concurrent writers")
	})
}

// A bulk load and an edit under the same parent, at the same moment, on
// two instances: the edit has written its value and raised its indicator's
// generation when the load starts. Both must finish (the load takes its
// locks in the edit's order: generations, then parents), and the rollups
// must hold both.
func TestBulkLoadBesideAnEdit(t *testing.T) {
	forEachEngine(t, func(t *testing.T, a *Store) {
		ctx := context.Background()
		seedReference(t, a)
		b := otherInstance(t, a)
		reached, release := make(chan struct{}), make(chan struct{})
		var once sync.Once
		testHookBeforeRollups = func() {
			once.Do(func() {
				close(reached)
				<-release
			})
		}
		defer func() { testHookBeforeRollups = nil }()
		edit := make(chan error, 1)
		go func() {
			_, err := a.PutValues(ctx, "ed", []kpi.ValueInput{{Region: a1, Indicator: "cases",
				Period: kpi.Period{Year: year, Quarter: 1}, Value: 7, Status: kpi.StatusApproved, Source: kpi.SourceAPI}})
			edit <- err
		}()
		<-reached
		load := make(chan error, 1)
		go func() {
			var ins []kpi.ValueInput
			for q := 1; q <= 4; q++ {
				for _, r := range []int{a2, b1} {
					ins = append(ins, kpi.ValueInput{Region: r, Indicator: "cases", Period: kpi.Period{Year: year, Quarter: q},
						Value: float64(q), Status: kpi.StatusApproved, Source: kpi.SourceImport})
				}
			}
			load <- b.LoadValues(ctx, "loader", ins, nil)
		}()
		time.Sleep(300 * time.Millisecond) // the load runs into the edit's locks
		close(release)
		if err := <-edit; err != nil {
			t.Errorf("edit beside a load: %v", err)
		}
		if err := <-load; err != nil {
			t.Errorf("load beside an edit: %v", err)
		}
		assertRollupsLive(t, a, "a load beside an edit")
	})
}
