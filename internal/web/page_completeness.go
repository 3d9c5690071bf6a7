package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/govkpi/govkpi/internal/kpi"
	"github.com/govkpi/govkpi/internal/store"
)

// completenessRow is one region: the state of its own departments and the
// reporting rate of its whole subtree.
type completenessRow struct {
	Region   kpi.Region
	States   map[string]*store.DepartmentReport // by department type: the region's own
	Reported int                                // over the subtree, as DHIS2: sum reported ÷ sum expected
	Expected int
	Late     int
	Overdue  int // expected, nothing submitted, and past the deadline
	// Whole-year figures waiting for a reviewer (kpi.ReviewedAsYear) over
	// the subtree: they are not part of the quarter's rate, but they are work.
	YearPending int
}

// Rate is the subtree's reporting rate, nil when nothing was expected.
func (r completenessRow) Rate() *float64 {
	if r.Expected == 0 {
		return nil
	}
	v := float64(r.Reported) / float64(r.Expected)
	return &v
}

type completenessView struct {
	Period  kpi.Period
	Periods []kpi.Period
	Scope   kpi.Region
	Due     string
	PastDue bool // the deadline has passed: whoever has not reported is overdue
	rules   kpi.Deadlines
	Types   []string
	Rows    []completenessRow // the scope itself first, then its children
	Total   completenessRow
}

// IsLate reports whether a department reported its quarter after the
// deadline (kpi.Deadlines.Late).
func (v completenessView) IsLate(rep *store.DepartmentReport) bool {
	return v.rules.Late(v.Period, rep.State, rep.SubmittedAt)
}

// count adds a department's report for period p to the row's counts.
func (r *completenessRow) count(rep *store.DepartmentReport, d kpi.Deadlines, p kpi.Period, now time.Time) {
	r.YearPending += rep.YearPending
	if !rep.Expected {
		return
	}
	r.Expected++
	if rep.State.Reported() {
		r.Reported++
	}
	if d.Late(p, rep.State, rep.SubmittedAt) {
		r.Late++
	}
	if d.Overdue(p, rep.State, now) {
		r.Overdue++
	}
}

func (s *Server) completenessPage(c echo.Context) error {
	ctx := c.Request().Context()
	_, scope, p, reports, err := s.reports(c)
	if err != nil {
		return err
	}
	children, err := s.store.Children(ctx, scope.Code)
	if err != nil {
		return err
	}
	grandchildren, err := s.store.RegionsAtLevel(ctx, scope.Level+2, scope.Code)
	if err != nil {
		return err
	}
	// Which row each region's departments count towards.
	rowOf := map[int]int{scope.Code: 0}
	rows := []completenessRow{{Region: scope}}
	for i, ch := range children {
		rowOf[ch.Code] = i + 1
		rows = append(rows, completenessRow{Region: ch})
	}
	for _, g := range grandchildren {
		rowOf[g.Code] = rowOf[g.Parent]
	}
	due := s.deadlines.Due(p)
	now := s.store.Now()
	v := completenessView{Period: p, Scope: scope, Due: s.deadlines.LastDay(p), PastDue: now.After(due), rules: s.deadlines, Total: completenessRow{Region: scope}}
	for _, t := range kpi.DepartmentTypes {
		v.Types = append(v.Types, t.Code)
	}
	for i := range reports {
		rep := &reports[i]
		if !rep.Expected && rep.YearPending == 0 {
			continue
		}
		row := &rows[rowOf[rep.Department.Region]]
		if rep.Department.Region == row.Region.Code {
			if row.States == nil {
				row.States = map[string]*store.DepartmentReport{}
			}
			row.States[rep.Department.Type] = rep
		}
		row.count(rep, s.deadlines, p, now)
		v.Total.count(rep, s.deadlines, p, now)
	}
	// The scope's own row counts only its own departments; the total covers all.
	v.Rows = rows
	v.Periods = s.recentQuarters()
	page := s.basePage(c, "")
	page.Title = page.Tf("completeness.title", scope.Name, p.Label(page.Lang))
	page.View = v
	return s.render(c, http.StatusOK, "completeness.html", page)
}
