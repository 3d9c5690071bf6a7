package store

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/govkpi/govkpi/internal/catalog"
	"github.com/govkpi/govkpi/internal/kpi"
)

// A cached aggregate is never served after a write it does not include —
// whichever instance wrote, by whichever path (entry, bulk load, review).
func TestCachedAggregatesNeverStale(t *testing.T) {
	forEachEngine(t, func(t *testing.T, a *Store) {
		ctx := context.Background()
		cat, _ := seedJustice(t, a)
		putFixture(t, a, handFixture())
		b := otherInstance(t, a) // a second instance on the same database

		cityCases := func(s *Store, approvedOnly bool) float64 {
			t.Helper()
			pt := pointsOf(t, s, cat, "cases", []int{cityB}, year, year+1, false, 0, approvedOnly)[cityB][kpi.Period{Year: year + 1}]
			if pt.Value == nil {
				return -1
			}
			return *pt.Value
		}
		// B1's year+1: Q1 a draft (never counts), Q2 submitted 7.
		if got := cityCases(a, false); got != 7 {
			t.Fatalf("before: %v, want 7", got)
		}
		if got := cityCases(a, true); got != -1 {
			t.Fatalf("approved only before: %v, want nothing", got)
		}
		hits0, _ := a.CacheStats()
		cityCases(a, false)
		if hits, _ := a.CacheStats(); hits != hits0+1 {
			t.Fatalf("a repeated query was not served from the cache (hits %d → %d)", hits0, hits)
		}

		// An entry through the other instance.
		if _, err := b.PutValues(ctx, "other", []kpi.ValueInput{{Region: b1, Indicator: "cases",
			Period: kpi.Period{Year: year + 1, Quarter: 3}, Value: 5, Status: kpi.StatusSubmitted, Source: kpi.SourceAPI}}); err != nil {
			t.Fatal(err)
		}
		if got := cityCases(a, false); got != 12 {
			t.Fatalf("after another instance's entry: %v, want 12", got)
		}
		// A status change alone (submitted → approved) changes the approved-only answer.
		if _, err := b.PutValues(ctx, "other", []kpi.ValueInput{{Region: b1, Indicator: "cases",
			Period: kpi.Period{Year: year + 1, Quarter: 3}, Value: 5, Status: kpi.StatusApproved, Version: 1, Source: kpi.SourceAPI}}); err != nil {
			t.Fatal(err)
		}
		if got := cityCases(a, true); got != 5 {
			t.Fatalf("approved only after approval: %v, want 5", got)
		}
		// A bulk load.
		if err := b.LoadValues(ctx, "loader", []kpi.ValueInput{{Region: b1, Indicator: "cases",
			Period: kpi.Period{Year: year + 1, Quarter: 4}, Value: 100, Status: kpi.StatusApproved, Source: kpi.SourceImport}}, nil); err != nil {
			t.Fatal(err)
		}
		if got := cityCases(a, true); got != 105 {
			t.Fatalf("approved only after a bulk load: %v, want 105", got)
		}
		// A ratio's answer follows writes to its numerator.
		rate := func() float64 {
			pt := pointsOf(t, a, cat, "divrate", []int{a1}, year, year, false, 0, false)[a1][kpi.Period{Year: year}]
			return *pt.Value
		}
		before := rate()
		if _, err := b.PutValues(ctx, "other", []kpi.ValueInput{{Region: a1, Indicator: "diverted",
			Period: kpi.Period{Year: year, Quarter: 1}, Value: 50, Status: kpi.StatusApproved, Version: 1, Source: kpi.SourceAPI}}); err != nil {
			t.Fatal(err)
		}
		if after := rate(); after == before || after != 50 {
			t.Fatalf("diversion rate %v → %v after the numerator became 50 of 100", before, after)
		}
	})
}

// The review path (a transition of a department's values) invalidates too.
func TestCacheFollowsReview(t *testing.T) {
	s := mustOpenDB(t)
	ctx := context.Background()
	cat, d := seedJustice(t, s)
	p := kpi.Period{Year: 2025, Quarter: 2}
	if err := s.SaveEntries(ctx, cat, "ed", d, p, []Entry{{Indicator: "cases", Value: 10}}, kpi.SourceForm, true); err != nil {
		t.Fatal(err)
	}
	approved := func() *float64 {
		return pointsOf(t, s, cat, "cases", []int{d.Region}, 2025, 2025, true, 2, true)[d.Region][p].Value
	}
	if v := approved(); v != nil {
		t.Fatalf("submitted counted as approved: %v", *v)
	}
	if err := s.Review(ctx, cat, "rev", d, p, Approve, nil, ""); err != nil {
		t.Fatal(err)
	}
	if v := approved(); v == nil || *v != 10 {
		t.Fatalf("after approval: %v, want 10", v)
	}
}

// The cached catalogue follows every change to indicators, made by any
// instance or process: a sync, a headline or owner change, an added phrase.
func TestCachedCatalogueFollowsChanges(t *testing.T) {
	forEachEngine(t, func(t *testing.T, a *Store) {
		ctx := context.Background()
		seedReference(t, a)
		b := otherInstance(t, a)
		get := func() kpi.Indicator {
			t.Helper()
			cat, err := a.Indicators(ctx)
			if err != nil {
				t.Fatal(err)
			}
			ind, err := cat.Get("cases")
			if err != nil {
				t.Fatal(err)
			}
			return ind
		}
		before := get()
		if err := b.SetIndicatorHeadline(ctx, "admin", "cases", !before.Headline); err != nil {
			t.Fatal(err)
		}
		if got := get(); got.Headline == before.Headline {
			t.Fatal("headline change through another instance not seen")
		}
		if err := b.SetIndicatorDepartment(ctx, "admin", "cases", "court"); err != nil {
			t.Fatal(err)
		}
		if got := get(); got.Department != "court" {
			t.Fatalf("department %q after the owner change", got.Department)
		}
		if err := b.AddAlias(ctx, "admin", "cases", "受理各类案件"); err != nil {
			t.Fatal(err)
		}
		if got := get(); !slices.Contains(got.Aliases, "受理各类案件") {
			t.Fatalf("added phrase not seen: %v", got.Aliases)
		}
		renamed := fixtureIndicators()
		for i := range renamed {
			if renamed[i].Code == "cases" {
				renamed[i].NameZH = "案件数（新口径）"
			}
		}
		if err := b.SyncIndicators(ctx, renamed); err != nil {
			t.Fatal(err)
		}
		if got := get(); got.NameZH != "案件数（新口径）" {
			t.Fatalf("name %q after a sync", got.NameZH)
		}
	})
}

// The cached region tree follows a sync made by another instance: names,
// parents and levels as the regions table has them.
func TestCachedRegionsFollowSync(t *testing.T) {
	forEachEngine(t, func(t *testing.T, a *Store) {
		ctx := context.Background()
		seedReference(t, a)
		b := otherInstance(t, a)
		if r, err := a.Region(ctx, b1); err != nil || r.Name != "乙一县" {
			t.Fatalf("before: %+v %v", r, err)
		}
		moved := strings.Replace(fixtureRegions, "990201,乙一县,3,990200", "990201,乙一区,3,990100", 1)
		regions, err := catalog.ParseRegions(strings.NewReader(moved))
		if err != nil {
			t.Fatal(err)
		}
		if err := b.SyncRegions(ctx, regions); err != nil {
			t.Fatal(err)
		}
		path, err := a.Ancestors(ctx, b1)
		if err != nil {
			t.Fatal(err)
		}
		if len(path) != 3 || path[1].Code != cityA || path[2].Name != "乙一区" {
			t.Fatalf("path after the sync: %+v", path)
		}
		kids, err := a.Children(ctx, cityA)
		if err != nil || len(kids) != 3 {
			t.Fatalf("甲市's children after the sync: %+v %v", kids, err)
		}
		counties, err := a.RegionsAtLevel(ctx, kpi.LevelCounty, cityB)
		if err != nil || len(counties) != 0 {
			t.Fatalf("counties within 乙市 after the sync: %+v %v", counties, err)
		}
		if _, err := a.Region(ctx, 990999); kpi.ErrorCode(err) != kpi.EINVALID {
			t.Fatalf("unknown region: %v", err)
		}
	})
}

// Within one request (WithTokenMemo) the catalogue token is read once: a
// change made meanwhile shows from the next request on, not halfway
// through this one.
func TestTokenMemoHoldsForOneRequest(t *testing.T) {
	a := mustOpenDB(t)
	ctx := context.Background()
	seedReference(t, a)
	req := WithTokenMemo(ctx)
	before, err := a.Indicators(req)
	if err != nil {
		t.Fatal(err)
	}
	ind, _ := before.Get("cases")
	if err := a.SetIndicatorHeadline(ctx, "admin", "cases", !ind.Headline); err != nil {
		t.Fatal(err)
	}
	same, err := a.Indicators(req)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := same.Get("cases"); got.Headline != ind.Headline {
		t.Fatal("the catalogue changed halfway through a request")
	}
	next, err := a.Indicators(WithTokenMemo(ctx))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := next.Get("cases"); got.Headline == ind.Headline {
		t.Fatal("the next request did not see the change")
	}
}

// Targets kept in memory follow a change made through another instance.
func TestCachedTargetsFollowChanges(t *testing.T) {
	forEachEngine(t, func(t *testing.T, a *Store) {
		ctx := context.Background()
		cat := seedReference(t, a)
		b := otherInstance(t, a)
		cases, _ := cat.Get("cases")
		read := func() float64 {
			t.Helper()
			ts, err := a.Targets(ctx, cases, []int{cityA}, year, year)
			if err != nil {
				t.Fatal(err)
			}
			return ts[year][cityA]
		}
		if err := b.SetTargets(ctx, "rev", []Target{{Region: cityA, Indicator: "cases", Year: year, Value: 100}}); err != nil {
			t.Fatal(err)
		}
		if got := read(); got != 100 {
			t.Fatalf("target %v, want 100", got)
		}
		read() // now from memory
		if err := b.SetTargets(ctx, "rev", []Target{{Region: cityA, Indicator: "cases", Year: year, Value: 120}}); err != nil {
			t.Fatal(err)
		}
		if got := read(); got != 120 {
			t.Fatalf("target after another instance's change %v, want 120", got)
		}
	})
}
