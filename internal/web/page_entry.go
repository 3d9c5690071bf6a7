package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/govkpi/govkpi/internal/kpi"
	"github.com/govkpi/govkpi/internal/store"
)

// entryCell is one row of the grid as shown: the stored cell, what was
// typed (kept when the save is refused, so nothing typed is lost) and the
// verdict on it.
type entryCell struct {
	store.Cell
	Text, Comment string
	Version       int
	Error         string
	Warning       string
	Locked        bool
}

type entryView struct {
	Department kpi.Department
	Region     kpi.Region
	Period     kpi.Period
	Periods    []kpi.Period
	Cells      []entryCell
	State      kpi.ReportState
	Due        string
	Locked     bool // the period locked and not reopened: read-only
	Overdue    bool // past the deadline with nothing submitted (and not yet locked)
	Filled     int  // cells with a stored figure: a quarter may be sent incomplete, and it shows
	Saved      string
	Error      string
	// Year holds the department's whole-year figures of the period's year
	// that no quarter's grid holds (kpi.ReviewedAsYear), shown read-only
	// under the grid with their status and the reviewer's comment.
	Year []store.YearFigure
}

// entryDepartment is the department whose grid is asked for: the editor's
// own, or for an administrator the one named by ?department=.
func (s *Server) entryDepartment(c echo.Context) (kpi.Department, error) {
	u := currentUser(c)
	if u.Department != nil {
		return *u.Department, nil
	}
	id, err := strconv.ParseInt(c.FormValue("department"), 10, 64)
	if err != nil || id == 0 {
		return kpi.Department{}, kpi.Invalid("department", "请指定部门（department 参数）", "name the department (parameter department)")
	}
	return s.store.Department(c.Request().Context(), id)
}

// entryPeriod reads year and quarter, defaulting to the latest ended quarter.
func (s *Server) entryPeriod(c echo.Context) (kpi.Period, error) {
	def := kpi.LatestQuarter(s.store.Now())
	if raw := c.QueryParam("period"); raw != "" { // the picker sends "2026-3"
		ys, qs, _ := strings.Cut(raw, "-")
		y, err1 := strconv.Atoi(ys)
		q, err2 := strconv.Atoi(qs)
		if err1 != nil || err2 != nil {
			return kpi.Period{}, kpi.Invalid("period", "期间 %q 无效，应为 年-季度", "period %q is invalid: use year-quarter", raw)
		}
		def = kpi.Period{Year: y, Quarter: q}
	}
	y, err := intParam(c, "year", def.Year)
	if err != nil {
		return kpi.Period{}, err
	}
	q, err := intParam(c, "quarter", def.Quarter)
	if err != nil {
		return kpi.Period{}, err
	}
	p := kpi.Period{Year: y, Quarter: q}
	if err := p.Validate(); err != nil {
		return kpi.Period{}, err
	}
	if p.Quarter == 0 {
		return p, kpi.Invalid("quarter", "请选择季度 1–4（年度指标在第4季度填报）", "choose a quarter 1–4 (annual indicators are entered with Q4)")
	}
	return p, nil
}

func (s *Server) entryPage(c echo.Context) error {
	v, err := s.loadEntry(c)
	if err != nil {
		return err
	}
	if c.QueryParam("saved") != "" {
		v.Saved = c.QueryParam("saved")
	}
	return s.renderEntry(c, http.StatusOK, v)
}

// loadEntry builds the grid as stored.
func (s *Server) loadEntry(c echo.Context) (entryView, error) {
	ctx := c.Request().Context()
	d, err := s.entryDepartment(c)
	if err != nil {
		return entryView{}, err
	}
	if err := s.authorize(c, kpi.ActEnter, d.Region, nil); err != nil {
		return entryView{}, err
	}
	p, err := s.entryPeriod(c)
	if err != nil {
		return entryView{}, err
	}
	cat, err := s.store.Indicators(ctx)
	if err != nil {
		return entryView{}, err
	}
	cells, err := s.store.Grid(ctx, cat, d, p)
	if err != nil {
		return entryView{}, err
	}
	region, err := s.store.Region(ctx, d.Region)
	if err != nil {
		return entryView{}, err
	}
	v := entryView{Department: d, Region: region, Period: p, Due: s.deadlines.LastDay(p)}
	if v.Locked, err = s.periodLocked(ctx, d, p); err != nil {
		return entryView{}, err
	}
	var statuses []kpi.Status
	for _, cell := range cells {
		ec := entryCell{Cell: cell, Locked: v.Locked}
		if cell.Value != nil {
			ec.Text = strconv.FormatFloat(cell.Value.Value, 'f', -1, 64)
			ec.Comment, ec.Version = cell.Value.Comment, cell.Value.Version
			ec.Locked = ec.Locked || cell.Value.Status == kpi.StatusApproved
			statuses = append(statuses, cell.Value.Status)
			v.Filled++
		}
		v.Cells = append(v.Cells, ec)
	}
	v.State = kpi.StateOf(statuses)
	// Overdue only with something to enter: a department whose indicators
	// are all annual has no grid in the first three quarters.
	v.Overdue = len(v.Cells) > 0 && !v.Locked && s.deadlines.Overdue(p, v.State, s.store.Now())
	v.Periods = s.recentQuarters()
	if v.Year, err = s.store.YearFigures(ctx, cat, d, p.Year); err != nil {
		return entryView{}, err
	}
	return v, nil
}

// recentQuarters are the pickers' choices: the current quarter (for early
// entry) and the eight before it.
func (s *Server) recentQuarters() []kpi.Period {
	var out []kpi.Period
	for q := nextQuarter(kpi.LatestQuarter(s.store.Now())); len(out) < 9; {
		out = append(out, q)
		if q.Quarter--; q.Quarter == 0 {
			q = kpi.Period{Year: q.Year - 1, Quarter: 4}
		}
	}
	return out
}

func nextQuarter(p kpi.Period) kpi.Period {
	if p.Quarter == 4 {
		return kpi.Period{Year: p.Year + 1, Quarter: 1}
	}
	return kpi.Period{Year: p.Year, Quarter: p.Quarter + 1}
}

// periodLocked: past the lock date and not reopened by a reviewer.
func (s *Server) periodLocked(ctx context.Context, d kpi.Department, p kpi.Period) (bool, error) {
	if !s.deadlines.Locked(p, s.store.Now()) {
		return false, nil
	}
	reopened, err := s.store.Reopened(ctx, d, p)
	return !reopened, err
}

// saveEntry checks every typed cell, and saves all of them or none: on any
// error the grid comes back with each message on its cell and everything
// that was typed still in place.
func (s *Server) saveEntry(c echo.Context) error {
	ctx := c.Request().Context()
	v, err := s.loadEntry(c)
	if err != nil {
		return err
	}
	if v.Locked {
		return kpi.Errorf(kpi.EFORBIDDEN, "%s已锁定，需审核人重新打开后才能修改", "%s is locked: a reviewer must reopen it", v.Period.Label("zh"))
	}
	cat, err := s.store.Indicators(ctx)
	if err != nil {
		return err
	}
	submit := c.FormValue("action") == "submit"
	lang := langOf(c)
	var entries []store.Entry
	values := map[string]float64{}
	failed := false
	for i := range v.Cells {
		cell := &v.Cells[i]
		code := cell.Indicator.Code
		cell.Text = c.FormValue("v." + code)
		cell.Comment = strings.TrimSpace(c.FormValue("c." + code))
		cell.Version, _ = strconv.Atoi(c.FormValue("ver." + code))
		if cell.Locked {
			continue
		}
		if err := s.authorize(c, kpi.ActEnter, v.Department.Region, &cell.Indicator); err != nil {
			return err
		}
		check := kpi.CheckCell(cell.Indicator, cell.Text, cell.LastYear, cell.Comment, submit, lang)
		cell.Warning = check.Warning
		switch {
		case check.Error != nil:
			cell.Error, failed = kpi.ErrorMessage(check.Error, lang), true
		case check.Empty && cell.Value != nil:
			cell.Error, failed = tr(lang, "entry.noempty"), true // clearing a stored figure is not supported from the grid
		case !check.Empty:
			values[code] = check.Value
			entries = append(entries, store.Entry{Indicator: code, Value: check.Value, Version: cell.Version, Comment: cell.Comment})
		}
	}
	for code, err := range kpi.CheckShares(cat, values) {
		for i := range v.Cells {
			if v.Cells[i].Indicator.Code == code {
				v.Cells[i].Error, failed = kpi.ErrorMessage(err, lang), true
			}
		}
	}
	if failed {
		v.Error = tr(lang, "entry.fix")
		return s.renderEntry(c, http.StatusUnprocessableEntity, v)
	}
	u := currentUser(c)
	if err := s.store.SaveEntries(ctx, cat, u.Name, v.Department, v.Period, entries, kpi.SourceForm, submit); err != nil {
		if code := kpi.ErrorCode(err); code == kpi.ECONFLICT || code == kpi.EINVALID {
			v.Error = kpi.ErrorMessage(err, lang)
			return s.renderEntry(c, statusFor(err), v)
		}
		return err
	}
	s.metrics.valuesWritten.WithLabelValues("value", "form").Add(float64(len(entries)))
	saved := "draft"
	if submit {
		saved = "submitted"
	}
	return c.Redirect(http.StatusSeeOther, withLang(lang, "/entry", entryQuery(v, c.FormValue("department"), saved)))
}

func entryQuery(v entryView, department, saved string) url.Values {
	q := url.Values{"year": {strconv.Itoa(v.Period.Year)}, "quarter": {strconv.Itoa(v.Period.Quarter)}, "saved": {saved}}
	if department != "" {
		q["department"] = []string{department}
	}
	return q
}

func (s *Server) renderEntry(c echo.Context, status int, v entryView) error {
	p := s.basePage(c, "")
	p.Title = p.Tf("entry.title", v.Department.Name, v.Period.Label(p.Lang))
	p.View = v
	return s.render(c, status, "entry.html", p)
}
