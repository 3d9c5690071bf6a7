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
