package store

import (
	"context"
	"strings"
	"testing"

	"github.com/govkpi/govkpi/internal/kpi"
)

func TestDocuments(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedReference(t, s)
		text := "全县配备专职人民调解员120名，受理纠纷300件。"
		// Bad input: nothing stored.
		for _, bad := range []Document{
			{Region: 123456, Year: 2024, Title: "x", Text: text},
			{Region: a1, Year: 1800, Title: "x", Text: text},
			{Region: a1, Year: 2024, Title: "x", Text: "  "},
			{Region: a1, Year: 2024, Title: " ", Text: text},
			{Region: a1, Year: 2024, Title: "x", Text: "\xff\xfe"},
		} {
			if _, err := s.AddDocument(ctx, "ed", bad); kpi.ErrorCode(err) != kpi.EINVALID {
				t.Errorf("AddDocument(%+v): %v, want invalid", bad, err)
			}
		}
		if list, _ := s.Documents(ctx, 0); len(list) != 0 {
			t.Fatalf("bad input stored documents: %+v", list)
		}
		id, err := s.AddDocument(ctx, "ed", Document{Region: a1, Year: 2024, Title: "报告<script>", Filename: "r.txt", Text: text})
		if err != nil {
			t.Fatal(err)
		}
		if list, _ := s.Documents(ctx, prov); len(list) != 1 || list[0].Title != "报告<script>" {
			t.Fatalf("list within the province: %+v", list)
		}
		if list, _ := s.Documents(ctx, cityB); len(list) != 0 {
			t.Fatalf("list within another city: %+v", list)
		}
		fig := func(sub string) (int, int) {
			i := strings.Index(text, sub)
			return i, i + len(sub)
		}
		ms, me := fig("120名")
		qs, qe := fig("全县配备专职人民调解员120名")
		cs, ce := fig("300件")
		p := kpi.Period{Year: 2024}
		// A bad value in the batch: nothing is written, not even the rejection.
		err = s.ConfirmFigures(ctx, "ed", id, []FigureInput{
			{Start: cs, End: ce, QuoteStart: cs, QuoteEnd: ce, Reject: true},
			{Start: ms, End: me, QuoteStart: qs, QuoteEnd: qe, Indicator: "mediators", Value: -1, Period: p},
		}, false)
		if kpi.ErrorCode(err) != kpi.EINVALID {
			t.Fatalf("negative count: %v", err)
		}
		if d, _ := s.Document(ctx, id); len(d.Figures) != 0 || d.Status != DocExtracted {
			t.Fatalf("a refused batch left decisions: %+v", d.Figures)
		}
		// Offsets outside the text are refused.
		if err := s.ConfirmFigures(ctx, "ed", id, []FigureInput{{Start: 0, End: len(text) + 1, QuoteEnd: len(text) + 1, Indicator: "mediators", Value: 1, Period: p}}, false); kpi.ErrorCode(err) != kpi.EINVALID {
			t.Errorf("offsets outside: %v", err)
		}
		// Confirm one, reject the other.
		err = s.ConfirmFigures(ctx, "ed", id, []FigureInput{
			{Start: ms, End: me, QuoteStart: qs, QuoteEnd: qe, Indicator: "mediators", Value: 120, Period: p},
			{Start: cs, End: ce, QuoteStart: cs, QuoteEnd: ce, Reject: true, Indicator: "cases", Value: 300, Period: p},
		}, false)
		if err != nil {
			t.Fatal(err)
		}
		d, err := s.Document(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if d.Status != DocConfirmed || len(d.Figures) != 2 || d.Figures[0].Decision != FigureConfirmed || d.Figures[1].Decision != FigureRejected || d.Figures[0].ValueID == nil {
			t.Fatalf("decisions: %+v", d)
		}
		cat, _ := s.Indicators(ctx)
		ind, _ := cat.Get("mediators")
		hist, err := s.History(ctx, a1, ind, p)
		if err != nil || len(hist) != 1 {
			t.Fatalf("history: %v %+v", err, hist)
		}
		h := hist[0]
		if *h.NewValue != 120 || h.Source != kpi.SourceDocument || h.NewStatus != kpi.StatusDraft || !strings.Contains(h.Reason, "全县配备专职人民调解员120名") {
			t.Errorf("history entry: %+v", h)
		}
		if doc, start, ok := ParseDocumentRef(h.SourceRef); !ok || doc != id || start != ms {
			t.Errorf("source ref %q", h.SourceRef)
		}
		// Deciding the same figure twice is a conflict.
		err = s.ConfirmFigures(ctx, "ed", id, []FigureInput{{Start: ms, End: me, QuoteStart: qs, QuoteEnd: qe, Indicator: "mediators", Value: 121, Period: p}}, false)
		if kpi.ErrorCode(err) != kpi.ECONFLICT {
			t.Errorf("second decision: %v", err)
		}
		// A second document with the same figure: the version check applies.
		id2, _ := s.AddDocument(ctx, "ed2", Document{Region: a1, Year: 2024, Title: "另一份", Text: text})
		in := FigureInput{Start: ms, End: me, QuoteStart: qs, QuoteEnd: qe, Indicator: "mediators", Value: 125, Period: p, Version: 0}
		if err := s.ConfirmFigures(ctx, "ed2", id2, []FigureInput{in}, false); kpi.ErrorCode(err) != kpi.ECONFLICT {
			t.Errorf("stale version: %v", err)
		}
		in.Version = 1
		if err := s.ConfirmFigures(ctx, "ed2", id2, []FigureInput{in}, true); err != nil {
			t.Errorf("current version: %v", err)
		}
		hist, _ = s.History(ctx, a1, ind, p)
		if last := hist[0]; last.NewStatus != kpi.StatusSubmitted || *last.NewValue != 125 || last.Actor != "ed2" {
			t.Errorf("confirmed and submitted: %+v", last)
		}
		if _, err := s.Document(ctx, 99999); kpi.ErrorCode(err) != kpi.ENOTFOUND {
			t.Errorf("missing document: %v", err)
		}

		// Remember a phrase: it becomes an alias, once.
		if err := s.AddAlias(ctx, "admin", "mediators", "调解队伍人数"); err != nil {
			t.Fatal(err)
		}
		cat, _ = s.Indicators(ctx)
		if ind, _ := cat.Get("mediators"); !contains(ind.Aliases, "调解队伍人数") {
			t.Errorf("aliases %v", ind.Aliases)
		}
		if err := s.AddAlias(ctx, "admin", "cases", "调解队伍人数"); kpi.ErrorCode(err) != kpi.ECONFLICT {
			t.Errorf("duplicate phrase: %v", err)
		}
		for _, bad := range []string{"x", "含数字3", strings.Repeat("长", 40)} {
			if err := s.AddAlias(ctx, "admin", "cases", bad); kpi.ErrorCode(err) != kpi.EINVALID {
				t.Errorf("AddAlias(%q): %v", bad, err)
			}
		}
		if err := s.AddAlias(ctx, "admin", "nope", "某个短语"); kpi.ErrorCode(err) != kpi.EINVALID {
			t.Errorf("unknown indicator: %v", err)
		}
		// The catalogue sync keeps added phrases (they live in their own table).
		if err := s.SyncIndicators(ctx, fixtureIndicators()); err != nil {
			t.Fatal(err)
		}
		cat, _ = s.Indicators(ctx)
		if ind, _ := cat.Get("mediators"); !contains(ind.Aliases, "调解队伍人数") {
			t.Errorf("sync dropped the added phrase: %v", ind.Aliases)
		}
	})
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
