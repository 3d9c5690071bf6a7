package web

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/govkpi/govkpi/internal/kpi"
	"github.com/govkpi/govkpi/internal/store"
)

// reviewItem is one department's period on the review page.
type reviewItem struct {
	Report store.DepartmentReport
	Region kpi.Region
	Cells  []store.Cell
	Late   bool
	// Year holds the department's whole-year figures of the period's year
	// that no quarter's grid holds (kpi.ReviewedAsYear), e.g. confirmed
	// from an annual report; they are decided in their own section.
	Year []store.YearFigure
}

// YearWaiting are the whole-year figures submitted and waiting for a decision.
func (it reviewItem) YearWaiting() []store.YearFigure {
	return yearWith(it.Year, kpi.StatusSubmitted)
}

// YearApproved are the approved whole-year figures, which can be reopened.
func (it reviewItem) YearApproved() []store.YearFigure { return yearWith(it.Year, kpi.StatusApproved) }

// YearReopenable are the figures a reopening of the year moves: the
// approved and the submitted ones (its form carries all their versions).
func (it reviewItem) YearReopenable() []store.YearFigure {
	return yearWith(it.Year, kpi.StatusApproved, kpi.StatusSubmitted)
}

func yearWith(figs []store.YearFigure, statuses ...kpi.Status) []store.YearFigure {
	var out []store.YearFigure
	for _, f := range figs {
		for _, st := range statuses {
			if f.Value.Status == st {
				out = append(out, f)
			}
		}
	}
	return out
}

type reviewView struct {
	Period     kpi.Period
	Periods    []kpi.Period
	Scope      kpi.Region
	Pending    []reviewItem // a submitted quarter or whole-year figures waiting: to approve or return
	Done       []reviewItem // approved, returned, drafts: for reference and reopening
	YearDone   []reviewItem // departments with approved whole-year figures, for reopening
	OtherYears []kpi.Period // other years with whole-year figures waiting (as their Q4), newest first
	Message    string
}

// reviewScope is the region a reviewer covers: their own, or for an
// administrator ?region= or the default region.
func (s *Server) reviewScope(c echo.Context) (kpi.Region, error) {
	if u := currentUser(c); u.Region != 0 && c.QueryParam("region") == "" {
		return s.store.Region(c.Request().Context(), u.Region)
	}
	r, err := s.regionParam(c, "region")
	if err != nil {
		return kpi.Region{}, err
	}
	return r, s.authorize(c, kpi.ActReview, r.Code, nil)
}

// reports reads the reviewer's scope and period and where every
// department in it stands: the review and completeness pages start here.
func (s *Server) reports(c echo.Context) (kpi.Catalogue, kpi.Region, kpi.Period, []store.DepartmentReport, error) {
	scope, err := s.reviewScope(c)
	if err != nil {
		return nil, kpi.Region{}, kpi.Period{}, nil, err
	}
	p, err := s.entryPeriod(c)
	if err != nil {
		return nil, kpi.Region{}, kpi.Period{}, nil, err
	}
	ctx := c.Request().Context()
	cat, err := s.store.Indicators(ctx)
	if err != nil {
		return nil, kpi.Region{}, kpi.Period{}, nil, err
	}
	reports, err := s.store.Completeness(ctx, cat, scope.Code, p)
	return cat, scope, p, reports, err
}

func (s *Server) reviewPage(c echo.Context) error {
	ctx := c.Request().Context()
	cat, scope, p, reports, err := s.reports(c)
	if err != nil {
		return err
	}
	v := reviewView{Period: p, Scope: scope, Message: c.QueryParam("done")}
	for _, rep := range reports {
		quarter := rep.Expected && rep.State != kpi.StateNotStarted
		// Whole-year figures are shown with every quarter of their year
		// (kpi.YearReviewedWith): waiting ones to decide, approved ones to
		// reopen, always in their own section with their own buttons.
		year := kpi.YearReviewedWith(p.Year, p) && rep.YearPending+rep.YearApproved > 0
		if !quarter && !year {
			continue
		}
		item := reviewItem{Report: rep, Late: s.deadlines.Late(p, rep.State, rep.SubmittedAt)}
		if item.Region, err = s.store.Region(ctx, rep.Department.Region); err != nil {
			return err
		}
		if year {
			if item.Year, err = s.store.YearFigures(ctx, cat, rep.Department, p.Year); err != nil {
				return err
			}
		}
		if rep.State == kpi.StateSubmitted {
			if item.Cells, err = s.store.Grid(ctx, cat, rep.Department, p); err != nil {
				return err
			}
		}
		switch {
		case rep.State == kpi.StateSubmitted || len(item.YearWaiting()) > 0:
			v.Pending = append(v.Pending, item)
		case quarter:
			v.Done = append(v.Done, item)
		}
		if len(item.YearApproved()) > 0 {
			v.YearDone = append(v.YearDone, item)
		}
	}
	years, err := s.store.PendingYears(ctx, cat, scope.Code)
	if err != nil {
		return err
	}
	for y := range years {
		if y != p.Year {
			v.OtherYears = append(v.OtherYears, kpi.Period{Year: y, Quarter: 4})
		}
	}
	sort.Slice(v.OtherYears, func(i, j int) bool { return v.OtherYears[i].Year > v.OtherYears[j].Year })
	v.Periods = s.recentQuarters()
	page := s.basePage(c, "")
	page.Title = page.Tf("review.title", scope.Name, p.Label(page.Lang))
	page.View = v
	return s.render(c, http.StatusOK, "review.html", page)
}

// review applies a reviewer's decision to one department's period.
func (s *Server) review(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := strconv.ParseInt(c.FormValue("department"), 10, 64)
	if err != nil {
		return kpi.Invalid("department", "缺少部门", "department missing")
	}
	d, err := s.store.Department(ctx, id)
	if err != nil {
		return err
	}
	if err := s.authorize(c, kpi.ActReview, d.Region, nil); err != nil {
		return err
	}
	p, err := s.entryPeriod(c)
	if err != nil {
		return err
	}
	cat, err := s.store.Indicators(ctx)
	if err != nil {
		return err
	}
	dec := store.Decision(c.FormValue("decision"))
	comments := map[int64]string{}
	form, _ := c.FormParams()
	for key, vals := range form {
		if idText, ok := strings.CutPrefix(key, "rc."); ok && len(vals) > 0 && strings.TrimSpace(vals[0]) != "" {
			if vid, err := strconv.ParseInt(idText, 10, 64); err == nil {
				comments[vid] = strings.TrimSpace(vals[0])
			}
		}
	}
	general := strings.TrimSpace(c.FormValue("comment"))
	if err := kpi.CheckNote("comment", general); err != nil {
		return err
	}
	for _, text := range comments {
		if err := kpi.CheckNote("comment", text); err != nil {
			return err
		}
	}
	// The versions the page showed: nothing is decided that the reviewer
	// did not see as it stands.
	var seen map[int64]int
	for key, vals := range form {
		if idText, ok := strings.CutPrefix(key, "ver."); ok && len(vals) > 0 {
			vid, err1 := strconv.ParseInt(idText, 10, 64)
			ver, err2 := strconv.Atoi(vals[0])
			if err1 != nil || err2 != nil {
				return kpi.Invalid("version", "版本号无效", "invalid version")
			}
			if seen == nil {
				seen = map[int64]int{}
			}
			seen[vid] = ver
		}
	}
	u := currentUser(c)
	verdict := store.Verdict{Decision: dec, Year: c.FormValue("part") == "year", Comments: comments, General: general, Seen: seen}
	if err := s.store.Decide(ctx, cat, u.Name, d, p, verdict); err != nil {
		return err
	}
	q := entryQuery(entryView{Period: p}, "", "")
	q.Del("saved")
	q.Set("done", string(dec))
	if r := c.FormValue("region"); r != "" {
		q.Set("region", r)
	}
	return c.Redirect(http.StatusSeeOther, withLang(langOf(c), "/review", q))
}
