package store

import (
	"context"
	"strings"
	"testing"

	"github.com/govkpi/govkpi/internal/kpi"
)

func TestPutValuesVersionCheckAndHistory(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		cat := seedReference(t, s)
		in := kpi.ValueInput{Region: a1, Indicator: "cases", Period: kpi.Period{Year: 2024, Quarter: 1}, Value: 10, Source: kpi.SourceForm}
		got, err := s.PutValues(ctx, "alice", []kpi.ValueInput{in})
		if err != nil {
			t.Fatal(err)
		}
		if got[0].Version != 1 || got[0].Status != kpi.StatusDraft {
			t.Fatalf("first write: version %d status %s, want 1 draft", got[0].Version, got[0].Status)
		}
		// Bob saw version 1 and saves first.
		bob := in
		bob.Value, bob.Version = 12, 1
		if _, err := s.PutValues(ctx, "bob", []kpi.ValueInput{bob}); err != nil {
			t.Fatal(err)
		}
		// Alice also saw version 1: her save is refused and tells her Bob's value.
		alice := in
		alice.Value, alice.Version = 11, 1
		_, err = s.PutValues(ctx, "alice", []kpi.ValueInput{alice})
		if kpi.ErrorCode(err) != kpi.ECONFLICT {
			t.Fatalf("stale save: %v, want conflict", err)
		}
		if msg := kpi.ErrorMessage(err, "zh"); !strings.Contains(msg, "bob") || !strings.Contains(msg, "12") {
			t.Errorf("conflict message %q should name who changed it and the newer value", msg)
		}
		// A second "new" value for an existing cell is a conflict too, not an overwrite.
		if _, err := s.PutValues(ctx, "carol", []kpi.ValueInput{in}); kpi.ErrorCode(err) != kpi.ECONFLICT {
			t.Errorf("blind insert over an existing value: %v, want conflict", err)
		}
		ind, _ := cat.Get("cases")
		hist, err := s.History(ctx, a1, ind, in.Period)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) != 2 {
			t.Fatalf("history has %d rows, want 2", len(hist))
		}
		newest, first := hist[0], hist[1]
		if newest.Actor != "bob" || !near(newest.OldValue, f(10)) || !near(newest.NewValue, f(12)) || newest.Version != 2 {
			t.Errorf("newest history = %+v, want bob 10→12 version 2", newest)
		}
		if first.OldValue != nil || !near(first.NewValue, f(10)) || first.Source != kpi.SourceForm {
			t.Errorf("first history = %+v, want nil→10 from the form", first)
		}
	})
}

func TestPutValuesIsAtomic(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedReference(t, s)
		p := kpi.Period{Year: 2024, Quarter: 2}
		batch := []kpi.ValueInput{
			{Region: a1, Indicator: "cases", Period: p, Value: 5},
			{Region: a2, Indicator: "cases", Period: p, Value: 2.5}, // a count must be whole
			{Region: b1, Indicator: "cases", Period: p, Value: 7},
		}
		_, err := s.PutValues(ctx, "t", batch)
		if kpi.ErrorCode(err) != kpi.EINVALID || !strings.Contains(kpi.ErrorMessage(err, "zh"), "第2条") {
			t.Fatalf("bad batch: %v, want an invalid error naming item 2", err)
		}
		if n, _ := s.CountValues(ctx); n != 0 {
			t.Errorf("%d values written by a failed batch, want 0", n)
		}
	})
}

func TestPutValuesRejectsBadInput(t *testing.T) {
	s := mustOpenDB(t)
	seedReference(t, s)
	ctx := context.Background()
	p := kpi.Period{Year: 2024, Quarter: 1}
	tests := []struct {
		name string
		in   kpi.ValueInput
		want string
	}{
		{"unknown indicator", kpi.ValueInput{Region: a1, Indicator: "nope", Period: p}, "nope"},
		{"unknown region", kpi.ValueInput{Region: 123456, Indicator: "cases", Period: p}, "123456"},
		{"negative count", kpi.ValueInput{Region: a1, Indicator: "cases", Period: p, Value: -1}, "范围"},
		{"rate over 100", kpi.ValueInput{Region: a1, Indicator: "success", Period: p, Value: 101}, "100"},
		{"quarter 5", kpi.ValueInput{Region: a1, Indicator: "cases", Period: kpi.Period{Year: 2024, Quarter: 5}}, "季度"},
		{"year 1900", kpi.ValueInput{Region: a1, Indicator: "cases", Period: kpi.Period{Year: 1900}}, "年份"},
	}
	for _, tt := range tests {
		_, err := s.PutValues(ctx, "t", []kpi.ValueInput{tt.in})
		if kpi.ErrorCode(err) != kpi.EINVALID || !strings.Contains(kpi.ErrorMessage(err, "zh"), tt.want) {
			t.Errorf("%s: %v, want invalid mentioning %q", tt.name, err, tt.want)
		}
	}
}

func TestLoadValuesAllOrNothing(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		cat := seedReference(t, s)
		var ins []kpi.ValueInput
		for i := 0; i < 1200; i++ { // more than two batches
			ins = append(ins, kpi.ValueInput{Region: a1, Indicator: "cases", Period: kpi.Period{Year: 2000 + i/4, Quarter: i%4 + 1},
				Value: float64(i), Status: kpi.StatusApproved, Source: kpi.SourceImport})
		}
		if err := s.LoadValues(ctx, "loader", ins, nil); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.CountValues(ctx); n != 1200 {
			t.Fatalf("%d values loaded, want 1200", n)
		}
		ind, _ := cat.Get("cases")
		hist, err := s.History(ctx, a1, ind, kpi.Period{Year: 2010, Quarter: 3})
		if err != nil || len(hist) != 1 || !near(hist[0].NewValue, f(42)) || hist[0].Actor != "loader" {
			t.Fatalf("history of a loaded value = %+v, %v; want one row 42 by loader", hist, err)
		}
		// A second load that repeats one existing cell writes nothing at all.
		again := []kpi.ValueInput{
			{Region: a2, Indicator: "cases", Period: kpi.Period{Year: 2030, Quarter: 1}, Value: 1},
			ins[0],
		}
		if err := s.LoadValues(ctx, "loader", again, nil); err == nil {
			t.Fatal("loading over an existing value succeeded, want an error")
		}
		if n, _ := s.CountValues(ctx); n != 1200 {
			t.Errorf("%d values after the failed load, want 1200", n)
		}
	})
}

func TestTargets(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		cat := seedReference(t, s)
		if err := s.SetTargets(ctx, "t", []Target{{Region: a1, Indicator: "cases", Year: 2024, Value: 90}}); err != nil {
			t.Fatal(err)
		}
		// Setting it again replaces it.
		if err := s.SetTargets(ctx, "t", []Target{{Region: a1, Indicator: "cases", Year: 2024, Value: 95}}); err != nil {
			t.Fatal(err)
		}
		ind, _ := cat.Get("cases")
		got, err := s.Targets(ctx, ind, []int{a1, a2}, 2024, 2024)
		if err != nil {
			t.Fatal(err)
		}
		if got[2024][a1] != 95 || len(got[2024]) != 1 {
			t.Errorf("targets = %v, want a1: 95 only", got)
		}
		err = s.SetTargets(ctx, "t", []Target{{Region: a1, Indicator: "cases", Year: 2024, Value: -1}})
		if kpi.ErrorCode(err) != kpi.EINVALID {
			t.Errorf("negative target: %v, want invalid", err)
		}
	})
}

func TestRegionQueries(t *testing.T) {
	s := mustOpenDB(t)
	seedReference(t, s)
	ctx := context.Background()
	kids, err := s.Children(ctx, prov)
	if err != nil || len(kids) != 3 || kids[0].Code != cityA || kids[0].Leaves != 2 || !kids[2].IsLeaf() {
		t.Fatalf("Children(prov) = %+v, %v", kids, err)
	}
	counties, _ := s.RegionsAtLevel(ctx, kpi.LevelCounty, prov)
	if len(counties) != 3 {
		t.Errorf("counties under the province = %d, want 3", len(counties))
	}
	path, _ := s.Ancestors(ctx, a2)
	if len(path) != 3 || path[0].Code != prov || path[2].Code != a2 {
		t.Errorf("Ancestors(a2) = %+v", path)
	}
	if _, err := s.Region(ctx, 111111); kpi.ErrorCode(err) != kpi.EINVALID {
		t.Errorf("unknown region: %v, want invalid", err)
	}
}

// TestLoadedValuesHistory: a loaded value has no history row of its own
// until it changes; History shows its creation all the same, and its first
// change — an edit or a review — writes that creation down first.
func TestLoadedValuesHistory(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		cat, d := seedJustice(t, s)
		ind, _ := cat.Get("cases")
		q1, q2 := kpi.Period{Year: 2025, Quarter: 1}, kpi.Period{Year: 2025, Quarter: 2}
		err := s.LoadValues(ctx, "loader", []kpi.ValueInput{
			{Region: d.Region, Indicator: "cases", Period: q1, Value: 7, Status: kpi.StatusApproved, Source: kpi.SourceImport},
			{Region: d.Region, Indicator: "cases", Period: q2, Value: 5, Status: kpi.StatusSubmitted, Source: kpi.SourceImport},
		}, nil)
		if err != nil {
			t.Fatal(err)
		}
		hist, err := s.History(ctx, d.Region, ind, q2)
		if err != nil || len(hist) != 1 || !near(hist[0].NewValue, f(5)) || hist[0].Actor != "loader" ||
			hist[0].Version != 1 || hist[0].Reason != loadReason || hist[0].OldValue != nil {
			t.Fatalf("history of a loaded value = %+v, %v; want its creation: 5 by loader", hist, err)
		}

		// A review approves Q2: creation, then approval.
		if err := s.Review(ctx, cat, "rev", d, q2, Approve, nil, ""); err != nil {
			t.Fatal(err)
		}
		hist, _ = s.History(ctx, d.Region, ind, q2)
		if len(hist) != 2 || hist[1].Actor != "loader" || hist[1].Version != 1 ||
			hist[0].Actor != "rev" || hist[0].NewStatus != kpi.StatusApproved || hist[0].Version != 2 {
			t.Errorf("history after approval = %+v; want the load, then the approval", hist)
		}

		// An edit of Q1: creation, then the edit from 7 to 8.
		if _, err := s.PutValues(ctx, "ed", []kpi.ValueInput{{Region: d.Region, Indicator: "cases", Period: q1,
			Value: 8, Version: 1, Status: kpi.StatusDraft, Source: kpi.SourceForm}}); err != nil {
			t.Fatal(err)
		}
		hist, _ = s.History(ctx, d.Region, ind, q1)
		if len(hist) != 2 || !near(hist[1].NewValue, f(7)) || hist[1].Actor != "loader" ||
			!near(hist[0].OldValue, f(7)) || !near(hist[0].NewValue, f(8)) || hist[0].Actor != "ed" {
			t.Errorf("history after an edit = %+v; want the load of 7, then 7 → 8", hist)
		}
		if err := s.CheckHistory(ctx); err != nil {
			t.Fatal(err)
		}

		// A changed value whose history is gone is a fault the check finds.
		if err := s.db.Exec(`DELETE FROM value_history WHERE region_code = ? AND quarter = 1`, d.Region).Error; err != nil {
			t.Fatal(err)
		}
		if err := s.CheckHistory(ctx); err == nil || !strings.Contains(err.Error(), "changed values without history") {
			t.Errorf("check after deleting an edited value's history: %v", err)
		}
	})
}

// TestLoadValuesChecksRegionsOnce: a bulk load checks every region up
// front (on SQLite it loads with foreign-key lookups off), names the row of
// an unknown one, writes nothing, and hands its connection back to the
// pool as it found it.
func TestLoadValuesChecksRegionsOnce(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedReference(t, s)
		sqlDB, err := s.db.DB()
		if err != nil {
			t.Fatal(err)
		}
		sqlDB.SetMaxOpenConns(1) // the next statements run on the load's connection
		ins := []kpi.ValueInput{
			{Region: a1, Indicator: "cases", Period: kpi.Period{Year: 2024, Quarter: 1}, Value: 1, Status: kpi.StatusApproved},
			{Region: a2, Indicator: "cases", Period: kpi.Period{Year: 2024, Quarter: 1}, Value: 2, Status: kpi.StatusApproved},
			{Region: 990999, Indicator: "cases", Period: kpi.Period{Year: 2024, Quarter: 1}, Value: 3, Status: kpi.StatusApproved},
		}
		defaults := func(after string) { // the load's connection is the pool's only one
			if s.engine != SQLite {
				return
			}
			var fk, cache int
			s.db.Raw(`PRAGMA foreign_keys`).Scan(&fk)
			s.db.Raw(`PRAGMA cache_size`).Scan(&cache)
			if fk != 1 || cache != -2000 {
				t.Errorf("after %s the connection has foreign_keys=%d cache_size=%d, want 1 and -2000", after, fk, cache)
			}
		}
		err = s.LoadValues(ctx, "loader", ins, nil)
		if kpi.ErrorCode(err) != kpi.EINVALID || !strings.Contains(err.Error(), "item 3") || !strings.Contains(err.Error(), "990999") {
			t.Fatalf("load with an unknown region: %v; want row 3 and the code named", err)
		}
		if n, _ := s.CountValues(ctx); n != 0 {
			t.Errorf("%d values after the failed load, want 0", n)
		}
		defaults("a failed load")
		if err := s.LoadValues(ctx, "loader", ins[:2], nil); err != nil {
			t.Fatal(err)
		}
		defaults("a load")
	})
}

// TestYears: the first and last years with visible values, across
// indicators; drafts at either end do not count.
func TestYears(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedReference(t, s)
		if first, last, err := s.Years(ctx); err != nil || first != 0 || last != 0 {
			t.Fatalf("Years of an empty database = %d, %d, %v; want 0, 0", first, last, err)
		}
		at := func(ind string, year int, st kpi.Status) kpi.ValueInput {
			return kpi.ValueInput{Region: a1, Indicator: ind, Period: kpi.Period{Year: year, Quarter: 1}, Value: 1, Status: st}
		}
		if err := s.LoadValues(ctx, "t", []kpi.ValueInput{
			at("cases", 2019, kpi.StatusDraft), at("cases", 2020, kpi.StatusSubmitted), at("cases", 2021, kpi.StatusApproved),
			at("mediators", 2023, kpi.StatusApproved), at("mediators", 2024, kpi.StatusDraft),
		}, nil); err != nil {
			t.Fatal(err)
		}
		if first, last, err := s.Years(ctx); err != nil || first != 2020 || last != 2023 {
			t.Errorf("Years = %d, %d, %v; want 2020, 2023", first, last, err)
		}
		// Up to a year: the last one with visible values at or before it
		// (2022 has none; 2019 holds only a draft).
		for _, tc := range []struct {
			upTo, want int
			ok         bool
		}{{2025, 2023, true}, {2023, 2023, true}, {2022, 2021, true}, {2020, 2020, true}, {2019, 0, false}} {
			if got, ok, err := s.LastYearUpTo(ctx, tc.upTo); err != nil || got != tc.want || ok != tc.ok {
				t.Errorf("LastYearUpTo(%d) = %d, %v, %v; want %d, %v", tc.upTo, got, ok, err, tc.want, tc.ok)
			}
		}
	})
}
