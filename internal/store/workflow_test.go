package store

import (
	"context"
	"strings"
	"testing"

	"github.com/govkpi/govkpi/internal/kpi"
)

// seedJustice makes every fixture indicator the justice bureau's and
// returns the catalogue and 甲一县司法局, the department that enters them.
func seedJustice(t testing.TB, s *Store) (kpi.Catalogue, kpi.Department) {
	t.Helper()
	ctx := context.Background()
	base := fixtureIndicators()
	for i := range base {
		base[i].Department = "justice"
	}
	if err := s.SyncIndicators(ctx, base); err != nil {
		t.Fatal(err)
	}
	seedReference(t, s) // regions; indicators already there (department kept)
	cat, err := s.Indicators(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return cat, seedAccounts(t, s)
}

func TestEntryWorkflow(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		cat, d := seedJustice(t, s)
		p := kpi.Period{Year: 2025, Quarter: 2}

		grid, err := s.Grid(ctx, cat, d, p)
		if err != nil {
			t.Fatal(err)
		}
		if len(grid) != 8 { // ten indicators less the ratio and the annual one (entered with Q4)
			t.Fatalf("grid has %d cells", len(grid))
		}
		// A draft, then a concurrent edit.
		if err := s.SaveEntries(ctx, cat, "ed", d, p, []Entry{{Indicator: "cases", Value: 10}, {Indicator: "mediators", Value: 3}}, kpi.SourceForm, false); err != nil {
			t.Fatal(err)
		}
		err = s.SaveEntries(ctx, cat, "ed2", d, p, []Entry{{Indicator: "cases", Value: 11, Version: 0}}, kpi.SourceForm, false)
		if kpi.ErrorCode(err) != kpi.ECONFLICT || !strings.Contains(kpi.ErrorMessage(err, "zh"), "10") {
			t.Fatalf("stale save: %v, want a conflict showing the newer value", err)
		}
		// Another department's indicator is refused, and nothing of the batch is written.
		other := kpi.Department{ID: d.ID, Region: d.Region, Type: "court"}
		if err := s.SaveEntries(ctx, cat, "x", other, p, []Entry{{Indicator: "cases", Value: 1}}, kpi.SourceForm, false); kpi.ErrorCode(err) != kpi.EINVALID {
			t.Errorf("court saving justice figures: %v", err)
		}
		// Submit: drafts become submitted.
		if err := s.SaveEntries(ctx, cat, "ed", d, p, []Entry{{Indicator: "cases", Value: 12, Version: 1}}, kpi.SourceForm, true); err != nil {
			t.Fatal(err)
		}
		reports, _ := s.Completeness(ctx, cat, prov, p)
		if state := reportOf(reports, d.ID).State; state != kpi.StateSubmitted {
			t.Fatalf("after submit: %s", state)
		}
		// Return with a comment on one figure.
		grid, _ = s.Grid(ctx, cat, d, p)
		casesID := cellOf(grid, "cases").Value.ID
		if err := s.Review(ctx, cat, "rev", d, p, Return, nil, ""); kpi.ErrorCode(err) != kpi.EINVALID {
			t.Errorf("return without a reason: %v", err)
		}
		if err := s.Review(ctx, cat, "rev", d, p, Return, map[int64]string{casesID: "请核对案件数"}, "部分数据有误"); err != nil {
			t.Fatal(err)
		}
		grid, _ = s.Grid(ctx, cat, d, p)
		if c := cellOf(grid, "cases").Value; c.Status != kpi.StatusReturned || c.ReviewComment != "请核对案件数" {
			t.Errorf("returned cell: %+v", c)
		}
		if c := cellOf(grid, "mediators").Value; c.ReviewComment != "部分数据有误" {
			t.Errorf("general comment not on the other cell: %+v", c)
		}
		// Fix and resubmit, then approve: approved values are locked.
		v := cellOf(grid, "cases").Value
		if err := s.SaveEntries(ctx, cat, "ed", d, p, []Entry{{Indicator: "cases", Value: 13, Version: v.Version}}, kpi.SourceForm, true); err != nil {
			t.Fatal(err)
		}
		if err := s.Review(ctx, cat, "rev", d, p, Approve, nil, ""); err != nil {
			t.Fatal(err)
		}
		grid, _ = s.Grid(ctx, cat, d, p)
		v = cellOf(grid, "cases").Value
		err = s.SaveEntries(ctx, cat, "ed", d, p, []Entry{{Indicator: "cases", Value: 14, Version: v.Version}}, kpi.SourceForm, false)
		if kpi.ErrorCode(err) != kpi.ECONFLICT || !strings.Contains(kpi.ErrorMessage(err, "zh"), "锁定") {
			t.Errorf("editing an approved value: %v", err)
		}
		if err := s.Review(ctx, cat, "rev", d, p, Approve, nil, ""); kpi.ErrorCode(err) != kpi.ECONFLICT {
			t.Errorf("approving twice: %v", err)
		}
		// Reopen: returned again, editable, and recorded.
		if err := s.Review(ctx, cat, "rev", d, p, Reopen, nil, "统计口径调整"); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.Reopened(ctx, d, p); !ok {
			t.Error("reopening not recorded")
		}
		grid, _ = s.Grid(ctx, cat, d, p)
		v = cellOf(grid, "cases").Value
		if v.Status != kpi.StatusReturned {
			t.Errorf("reopened cell status %s", v.Status)
		}
		if err := s.SaveEntries(ctx, cat, "ed", d, p, []Entry{{Indicator: "cases", Value: 14, Version: v.Version}}, kpi.SourceForm, false); err != nil {
			t.Errorf("editing after reopening: %v", err)
		}
		// The history tells the whole story, newest first.
		ind, _ := cat.Get("cases")
		hist, _ := s.History(ctx, a1, ind, p)
		var steps []string
		for i := len(hist) - 1; i >= 0; i-- {
			steps = append(steps, string(hist[i].NewStatus))
		}
		want := "draft draft submitted returned draft submitted approved returned draft"
		if got := strings.Join(steps, " "); got != want {
			t.Errorf("history:\n got %s\nwant %s", got, want)
		}
	})
}

func reportOf(reps []DepartmentReport, id int64) DepartmentReport {
	for _, r := range reps {
		if r.Department.ID == id {
			return r
		}
	}
	return DepartmentReport{}
}

func cellOf(cells []Cell, code string) Cell {
	for _, c := range cells {
		if c.Indicator.Code == code {
			return c
		}
	}
	return Cell{}
}

// A figure confirmed from an annual report for the whole year of an
// indicator entered by quarter waits for a reviewer in its own part of the
// department's period: the quarter's decision leaves it alone, and the
// reviewer approves, returns and reopens it only as the page showed it,
// each step in its history.
func TestWholeYearFigureReview(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		cat, d := seedJustice(t, s)
		q1, q2 := kpi.Period{Year: 2025, Quarter: 1}, kpi.Period{Year: 2025, Quarter: 2}
		for _, e := range []struct {
			p kpi.Period
			v float64
		}{{q1, 100}, {q2, 120}} {
			if err := s.SaveEntries(ctx, cat, "ed", d, e.p, []Entry{{Indicator: "cases", Value: e.v}}, kpi.SourceForm, true); err != nil {
				t.Fatal(err)
			}
		}
		// The annual report, confirmed and submitted for the whole year.
		text := "2025年工作报告。全年受理案件300件。"
		doc, err := s.AddDocument(ctx, "ed", Document{Region: a1, Year: 2025, Title: "年度报告", Text: text})
		if err != nil {
			t.Fatal(err)
		}
		start, quote := strings.Index(text, "300件"), strings.Index(text, "全年受理案件300件")
		confirm := func(docID int64, version int) {
			t.Helper()
			err := s.ConfirmFigures(ctx, "ed", docID, []FigureInput{{Start: start, End: start + len("300件"), QuoteStart: quote,
				QuoteEnd: quote + len("全年受理案件300件"), Indicator: "cases", Value: 300, Period: kpi.Period{Year: 2025}, Version: version}}, true)
			if err != nil {
				t.Fatal(err)
			}
		}
		confirm(doc, 0)

		// Every quarter of the year reports it as waiting; the quarter's state is its own.
		reports, err := s.Completeness(ctx, cat, prov, q2)
		if err != nil {
			t.Fatal(err)
		}
		if r := reportOf(reports, d.ID); r.State != kpi.StateSubmitted || r.YearPending != 1 || r.YearApproved != 0 {
			t.Fatalf("completeness of Q2: %+v", r)
		}
		if r := reportOf(mustCompleteness(t, s, cat, kpi.Period{Year: 2025, Quarter: 4}), d.ID); r.YearPending != 1 || r.State != kpi.StateNotStarted {
			t.Fatalf("completeness of Q4: %+v", r)
		}
		if years, err := s.PendingYears(ctx, cat, prov); err != nil || years[2025] != 1 || len(years) != 1 {
			t.Fatalf("pending years: %v %v", years, err)
		}
		figs, err := s.YearFigures(ctx, cat, d, 2025)
		if err != nil {
			t.Fatal(err)
		}
		if len(figs) != 1 {
			t.Fatalf("whole-year figures: %+v", figs)
		}
		f := figs[0]
		if f.Indicator.Code != "cases" || f.Value.Value != 300 || f.Value.Status != kpi.StatusSubmitted || f.Value.Source != kpi.SourceDocument {
			t.Errorf("figure: %+v", f.Value)
		}
		if f.Quote == nil || f.Quote.Document != doc || f.Quote.Start != start || f.Quote.Text != "全年受理案件300件" || f.Quote.Title != "年度报告" {
			t.Errorf("quote: %+v", f.Quote)
		}
		if f.Quarters == nil || *f.Quarters != 220 || f.QuarterN != 2 {
			t.Errorf("from the quarters: %v over %d", f.Quarters, f.QuarterN)
		}

		// Approving the quarter approves the quarter only.
		if err := s.Review(ctx, cat, "rev", d, q2, Approve, nil, ""); err != nil {
			t.Fatal(err)
		}
		if figs, _ := s.YearFigures(ctx, cat, d, 2025); figs[0].Value.Status != kpi.StatusSubmitted {
			t.Fatalf("the quarter's approval moved the whole-year figure: %s", figs[0].Value.Status)
		}
		// The whole-year part is decided only as seen.
		id, version := f.Value.ID, f.Value.Version
		year := func(dec Decision, seen map[int64]int, general string) error {
			return s.Decide(ctx, cat, "rev", d, q2, Verdict{Decision: dec, Year: true, Seen: seen, General: general})
		}
		if err := year(Approve, nil, ""); kpi.ErrorCode(err) != kpi.EINVALID {
			t.Errorf("approving without what was seen: %v", err)
		}
		if err := year(Approve, map[int64]int{}, ""); kpi.ErrorCode(err) != kpi.ECONFLICT {
			t.Errorf("approving a figure the page did not show: %v", err)
		}
		if err := year(Approve, map[int64]int{id: version - 1}, ""); kpi.ErrorCode(err) != kpi.ECONFLICT {
			t.Errorf("approving a stale version: %v", err)
		}
		if err := year(Return, map[int64]int{id: version}, ""); kpi.ErrorCode(err) != kpi.EINVALID {
			t.Errorf("returning without a reason: %v", err)
		}
		// Returned with a comment; confirmed again from a corrected report; approved.
		if err := s.Decide(ctx, cat, "rev", d, q2, Verdict{Decision: Return, Year: true, Seen: map[int64]int{id: version},
			Comments: map[int64]string{id: "与季度合计不符"}}); err != nil {
			t.Fatal(err)
		}
		figs, _ = s.YearFigures(ctx, cat, d, 2025)
		if v := figs[0].Value; v.Status != kpi.StatusReturned || v.ReviewComment != "与季度合计不符" {
			t.Fatalf("returned: %+v", v)
		}
		doc2, _ := s.AddDocument(ctx, "ed", Document{Region: a1, Year: 2025, Title: "年度报告（修订）", Text: text})
		confirm(doc2, figs[0].Value.Version)
		figs, _ = s.YearFigures(ctx, cat, d, 2025)
		if err := year(Approve, map[int64]int{id: figs[0].Value.Version}, ""); err != nil {
			t.Fatal(err)
		}
		if err := year(Approve, map[int64]int{}, ""); kpi.ErrorCode(err) != kpi.ECONFLICT {
			t.Errorf("approving twice: %v", err)
		}
		if r := reportOf(mustCompleteness(t, s, cat, q1), d.ID); r.YearPending != 0 || r.YearApproved != 1 {
			t.Errorf("completeness after approval: %+v", r)
		}
		if years, _ := s.PendingYears(ctx, cat, prov); len(years) != 0 {
			t.Errorf("pending years after approval: %v", years)
		}
		// Reopened with a reason: returned, and the reopening recorded.
		figs, _ = s.YearFigures(ctx, cat, d, 2025)
		if err := year(Reopen, map[int64]int{id: figs[0].Value.Version}, "口径调整"); err != nil {
			t.Fatal(err)
		}
		if ok, _ := s.Reopened(ctx, d, kpi.Period{Year: 2025}); !ok {
			t.Error("reopening the whole year not recorded")
		}
		if ok, _ := s.Reopened(ctx, d, q2); ok {
			t.Error("reopening the whole year reopened the quarter")
		}
		// The quarters were never touched by the year's decisions.
		grid, _ := s.Grid(ctx, cat, d, q2)
		if v := cellOf(grid, "cases").Value; v.Status != kpi.StatusApproved || v.Value != 120 {
			t.Errorf("Q2 cell: %+v", v)
		}
		ind, _ := cat.Get("cases")
		hist, err := s.History(ctx, a1, ind, kpi.Period{Year: 2025})
		if err != nil {
			t.Fatal(err)
		}
		var steps []string
		for i := len(hist) - 1; i >= 0; i-- {
			steps = append(steps, string(hist[i].NewStatus)+"/"+hist[i].Actor)
		}
		want := "submitted/ed returned/rev submitted/ed approved/rev returned/rev"
		if got := strings.Join(steps, " "); got != want {
			t.Errorf("history:\n got %s\nwant %s", got, want)
		}
		if r := hist[3].Reason; r != "return: 与季度合计不符" {
			t.Errorf("return reason %q", r)
		}
		if r := hist[0].Reason; r != "reopen: 口径调整" || hist[0].Source != kpi.SourceDocument {
			t.Errorf("reopen entry: %+v", hist[0])
		}
	})
}

func mustCompleteness(t *testing.T, s *Store, cat kpi.Catalogue, p kpi.Period) []DepartmentReport {
	t.Helper()
	reports, err := s.Completeness(context.Background(), cat, prov, p)
	if err != nil {
		t.Fatal(err)
	}
	return reports
}
