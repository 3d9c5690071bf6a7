package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/govkpi/govkpi/internal/kpi"
	"github.com/govkpi/govkpi/internal/store"
)

// targetRow is one region of the targets grid.
type targetRow struct {
	Region kpi.Region
	Actual *float64 // the year's value, for reference
	Target *float64
	Text   string
	Error  string
}

type targetsView struct {
	Form      filterForm
	Indicator kpi.Indicator
	Year      int
	Parent    kpi.Region
	Rows      []targetRow
	Saved     bool
	Error     string
}

// loadTargets builds the grid: the parent region and its children.
func (s *Server) loadTargets(c echo.Context) (targetsView, error) {
	return s.loadTargetsFor(c, kpi.ActSetTargets)
}

// loadTargetsFor builds the grid for a user allowed act on the parent.
func (s *Server) loadTargetsFor(c echo.Context, act kpi.Action) (targetsView, error) {
	ctx := c.Request().Context()
	cat, err := s.store.Indicators(ctx)
	if err != nil {
		return targetsView{}, err
	}
	ind, err := indicatorParam(c, cat)
	if err != nil {
		return targetsView{}, err
	}
	parent, err := s.regionParam(c, "parent")
	if err != nil {
		return targetsView{}, err
	}
	if err := s.authorize(c, act, parent.Code, nil); err != nil {
		return targetsView{}, err
	}
	year, err := yearParam(c, "year", s.store.Now().Year())
	if err != nil {
		return targetsView{}, err
	}
	children, err := s.store.Children(ctx, parent.Code)
	if err != nil {
		return targetsView{}, err
	}
	regions := append([]kpi.Region{parent}, children...)
	pts, err := s.points(ctx, cat, ind, regions, year, year, false, 0, false)
	if err != nil {
		return targetsView{}, err
	}
	codes := make([]int, len(regions))
	for i, r := range regions {
		codes[i] = r.Code
	}
	targets, err := s.store.Targets(ctx, ind, codes, year, year)
	if err != nil {
		return targetsView{}, err
	}
	v := targetsView{Indicator: ind, Year: year, Parent: parent}
	for _, r := range regions {
		row := targetRow{Region: r, Actual: pointAt(pts, r, kpi.Period{Year: year}).Value}
		if t, ok := targets[year][r.Code]; ok {
			row.Target = &t
			row.Text = strconv.FormatFloat(t, 'f', -1, 64)
		}
		v.Rows = append(v.Rows, row)
	}
	p := s.basePage(c, "")
	if v.Form, err = s.filterForm(ctx, p, cat, ind, year); err != nil {
		return targetsView{}, err
	}
	root, err := s.defaultRegion(c)
	if err != nil {
		return targetsView{}, err
	}
	if v.Form.Regions, err = s.regionOptions(ctx, root, map[int]bool{parent.Code: true}); err != nil {
		return targetsView{}, err
	}
	return v, nil
}

func (s *Server) targetsPage(c echo.Context) error {
	v, err := s.loadTargets(c)
	if err != nil {
		return err
	}
	v.Saved = c.QueryParam("saved") != ""
	return s.renderTargets(c, http.StatusOK, v)
}

// saveTargets checks every target typed and saves all or none.
func (s *Server) saveTargets(c echo.Context) error {
	v, err := s.loadTargets(c)
	if err != nil {
		return err
	}
	lang := langOf(c)
	var ts []store.Target
	failed := false
	for i := range v.Rows {
		row := &v.Rows[i]
		row.Text = strings.TrimSpace(c.FormValue("t." + row.Region.CodeString()))
		if row.Text == "" {
			continue // an empty cell leaves the target as it is
		}
		x, err := kpi.ParseNumber(row.Text)
		if err == nil {
			err = kpi.CheckTarget(v.Indicator, x)
		}
		if err != nil {
			row.Error, failed = kpi.ErrorMessage(err, lang), true
			continue
		}
		ts = append(ts, store.Target{Region: row.Region.Code, Indicator: v.Indicator.Code, Year: v.Year, Value: x})
	}
	if failed {
		v.Error = tr(lang, "entry.fix")
		return s.renderTargets(c, http.StatusUnprocessableEntity, v)
	}
	if err := s.store.SetTargets(c.Request().Context(), currentUser(c).Name, ts); err != nil {
		return err
	}
	s.metrics.valuesWritten.WithLabelValues("target", "form").Add(float64(len(ts)))
	q := url.Values{"indicator": {v.Indicator.Code}, "year": {strconv.Itoa(v.Year)}, "parent": {v.Parent.CodeString()}, "saved": {"1"}}
	return c.Redirect(http.StatusSeeOther, withLang(lang, "/targets", q))
}

func (s *Server) renderTargets(c echo.Context, status int, v targetsView) error {
	p := s.basePage(c, "")
	p.Title = p.Tf("targets.title", v.Parent.Name, kpi.Period{Year: v.Year}.Label(p.Lang), v.Indicator.Name(p.Lang))
	p.View = v
	return s.render(c, status, "targets.html", p)
}

// targetsTemplate is the targets sheet of a region and its children for a
// year: the backfill layout with quarter 0, one column per directional indicator.
func (s *Server) targetsTemplate(c echo.Context) error {
	parent, err := s.regionParam(c, "parent")
	if err != nil {
		return err
	}
	if err := s.authorize(c, kpi.ActSetTargets, parent.Code, nil); err != nil {
		return err
	}
	year, err := yearParam(c, "year", s.store.Now().Year())
	if err != nil {
		return err
	}
	name := fmt.Sprintf("%d年_%s_目标.xlsx", year, parent.Name)
	return s.regionSheet(c, parent, kpi.Period{Year: year}, name, func(ind kpi.Indicator) bool { return ind.Direction != kpi.Neutral })
}

// uploadTargets checks a targets sheet and shows the preview; like every
// upload it writes nothing until confirmed, and a file with errors cannot be.
func (s *Server) uploadTargets(c echo.Context) error {
	ctx := c.Request().Context()
	lang := langOf(c)
	entries, v, cat, err := s.readRegionSheet(c, store.UploadTargets)
	if err != nil {
		return err
	}
	var payload store.UploadPayload
	for _, e := range entries {
		row := previewRow{Ref: e.Ref, Text: e.Text, Period: kpi.Period{Year: e.Year}}
		ind, indErr := cat.Get(e.Code)
		row.Indicator = ind
		region, regErr := s.store.Region(ctx, e.Region)
		row.Region = region
		switch {
		case indErr != nil:
			row.Indicator, row.Error = kpi.Indicator{Code: e.Code, NameZH: e.Code, NameEN: e.Code}, kpi.ErrorMessage(indErr, lang)
		case regErr != nil:
			row.Error = kpi.ErrorMessage(regErr, lang)
		case e.Quarter != 0:
			row.Error = tr(lang, "targets.quarter")
		default:
			if err := s.authorize(c, kpi.ActSetTargets, region.Code, nil); err != nil {
				row.Error = kpi.ErrorMessage(err, lang)
				break
			}
			current, err := s.store.Targets(ctx, ind, []int{region.Code}, e.Year, e.Year)
			if err != nil {
				return err
			}
			if t, ok := current[e.Year][region.Code]; ok {
				row.Current = &t
			}
			x, err := kpi.ParseNumber(e.Text)
			if err == nil {
				err = kpi.CheckTarget(ind, x)
			}
			if err != nil {
				row.Error = kpi.ErrorMessage(err, lang)
				break
			}
			row.New = &x
			if row.Current == nil || *row.Current != x {
				v.Changes++
				payload.Targets = append(payload.Targets, store.Target{Region: region.Code, Indicator: ind.Code, Year: e.Year, Value: x})
			}
		}
		if row.Error != "" {
			v.Errors = append(v.Errors, row.Ref+": "+row.Error)
		}
		v.Rows = append(v.Rows, row)
	}
	return s.offerUpload(c, v, payload)
}
