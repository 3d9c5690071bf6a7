package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/govkpi/govkpi/internal/kpi"
)

// trendQuery is a trend request: one indicator, several regions, a span.
type trendQuery struct {
	Indicator    kpi.Indicator
	Regions      []kpi.Region
	Span         kpi.Span
	ApprovedOnly bool
	Cumulative   bool // flows by quarter: year-to-date sums
}

// parseTrend reads /trend and /api/v1/series parameters: indicator,
// region (repeatable), from, to, by=year|quarter.
func (s *Server) parseTrend(c echo.Context, cat kpi.Catalogue) (trendQuery, error) {
	ctx := c.Request().Context()
	var q trendQuery
	var err error
	if q.Indicator, err = indicatorParam(c, cat); err != nil {
		return q, err
	}
	switch c.QueryParam("by") {
	case "", "year":
	case "quarter":
		q.Span.ByQuarter = true
	default:
		return q, kpi.Invalid("by", "参数 by 只能是 year 或 quarter，收到 %q", "parameter by must be year or quarter, got %q", c.QueryParam("by"))
	}
	// The default span, looked up only when a bound is missing: by year it
	// ends on the newest year that has ended (defaultYear); by quarter, the
	// year under way is what the chart is for. It never ends before from.
	first, last := 0, 0
	if c.QueryParam("from") == "" || c.QueryParam("to") == "" {
		if q.Span.ByQuarter {
			first, last, err = s.latestYear(ctx)
		} else {
			first, last, err = s.defaultYear(ctx)
		}
		if err != nil {
			return q, err
		}
	}
	if q.Span.From, err = yearParam(c, "from", max(first, last-9)); err != nil {
		return q, err
	}
	if q.Span.To, err = yearParam(c, "to", max(q.Span.From, last)); err != nil {
		return q, err
	}
	if err := q.Span.Validate(); err != nil {
		return q, err
	}
	q.ApprovedOnly = approvedOnlyParam(c)
	q.Cumulative = c.FormValue("cumulative") == "1" && q.Span.ByQuarter && q.Indicator.IsFlow()
	codes, err := regionParams(c, "region")
	if err != nil {
		return q, err
	}
	if len(codes) > 0 {
		q.Regions, err = s.store.Regions(ctx, codes)
	} else {
		q.Regions, err = s.defaultTrendRegions(c)
	}
	if err != nil {
		return q, err
	}
	return q, s.authorizeRegions(c, kpi.ActView, q.Regions)
}

// defaultTrendRegions is the default region and its first four children.
func (s *Server) defaultTrendRegions(c echo.Context) ([]kpi.Region, error) {
	ctx := c.Request().Context()
	root, err := s.defaultRegion(c)
	if err != nil {
		return nil, err
	}
	children, err := s.store.Children(ctx, root.Code)
	if err != nil {
		return nil, err
	}
	return append([]kpi.Region{root}, children[:min(4, len(children))]...), nil
}

// trendView is the trend page.
type trendView struct {
	Form    filterForm
	Query   trendQuery
	Lines   []regionSeries
	Periods []kpi.Period
	Chart   string
	Drill   string // per series, per point: the comparison of that region's children then
}

func (s *Server) trendPage(c echo.Context) error {
	ctx := c.Request().Context()
	cat, err := s.store.Indicators(ctx)
	if err != nil {
		return err
	}
	q, err := s.parseTrend(c, cat)
	if err != nil {
		return err
	}
	lines, err := s.series(ctx, cat, q.Indicator, q.Regions, q.Span, q.ApprovedOnly)
	if err != nil {
		return err
	}
	if q.Cumulative {
		yearToDate(lines)
	}
	p := s.basePage(c, "")
	p.Title = p.Tf("trend.title", q.Indicator.Name(p.Lang))
	v := trendView{Query: q, Lines: lines, Periods: q.Span.Periods()}
	if v.Form, err = s.filterForm(ctx, p, cat, q.Indicator, q.Span.To); err != nil {
		return err
	}
	root, err := s.defaultRegion(c)
	if err != nil {
		return err
	}
	picked := map[int]bool{}
	for _, r := range q.Regions {
		picked[r.Code] = true
	}
	if v.Form.Regions, err = s.regionOptions(ctx, root, picked); err != nil {
		return err
	}
	option, drill := trendChart(p, q.Indicator, q.Span, q.Cumulative, lines, func(r kpi.Region, pd kpi.Period) string {
		if r.IsLeaf() {
			return ""
		}
		return p.Link("/compare", "indicator", q.Indicator.Code, "year", pd.Year, "quarter", pd.Quarter, "parent", r.CodeString())
	})
	if v.Chart, err = jsonAttr(option); err != nil {
		return err
	}
	if v.Drill, err = jsonAttr(drill); err != nil {
		return err
	}
	p.View = v
	return s.render(c, http.StatusOK, "trend.html", p)
}

// yearToDate turns the quarters of flow lines into year-to-date sums. A
// missing quarter leaves the sum partial from there on, never zero-filled.
func yearToDate(lines []regionSeries) {
	for _, rs := range lines {
		var sum float64
		partial := false
		for i := range rs.Points {
			pt := &rs.Points[i]
			if pt.Period.Quarter == 1 {
				sum, partial = 0, false
			}
			if pt.Value == nil {
				partial = true
				continue
			}
			sum += *pt.Value
			v := sum
			// A year-to-date figure is a sum of shown values: the quarter's
			// own reported and computed figures no longer describe it.
			pt.Value, pt.Reported, pt.Computed, pt.Differs = &v, nil, nil, false
			pt.Partial = pt.Partial || partial
		}
	}
}
