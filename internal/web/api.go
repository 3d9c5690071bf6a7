package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/govkpi/govkpi/internal/kpi"
)

// The JSON API returns the same numbers as the pages: the handlers share
// parseCompare/parseTrend and comparison/series with them.

type apiIndicator struct {
	Code         string   `json:"code"`
	Name         string   `json:"name"`
	NameZH       string   `json:"name_zh"`
	NameEN       string   `json:"name_en"`
	Category     string   `json:"category"`
	Kind         string   `json:"kind"`
	Unit         string   `json:"unit"`
	Direction    string   `json:"direction"`
	Decimals     int      `json:"decimals"`
	Min          float64  `json:"min"`
	Max          float64  `json:"max"`
	Frequency    string   `json:"frequency"`
	PeriodAgg    string   `json:"period_aggregation"`
	RegionAgg    string   `json:"region_aggregation"`
	Numerator    string   `json:"numerator,omitempty"`
	Denominator  string   `json:"denominator,omitempty"`
	Headline     bool     `json:"headline"`
	Definition   string   `json:"definition"`
	Aliases      []string `json:"aliases"`
	Approximated bool     `json:"approximate"`
}

func toAPIIndicator(ind kpi.Indicator, lang string) apiIndicator {
	def := ind.DefinitionZH
	if lang == langEN {
		def = ind.DefinitionEN
	}
	return apiIndicator{
		Code: ind.Code, Name: ind.Name(lang), NameZH: ind.NameZH, NameEN: ind.NameEN, Category: ind.Category,
		Kind: string(ind.Kind), Unit: ind.UnitIn(lang), Direction: string(ind.Direction), Decimals: ind.Decimals,
		Min: ind.Min, Max: ind.Max, Frequency: string(ind.Frequency), PeriodAgg: string(ind.PeriodAgg),
		RegionAgg: string(ind.RegionAgg), Numerator: ind.Numerator, Denominator: ind.Denominator,
		Headline: ind.Headline, Definition: def, Aliases: ind.Aliases, Approximated: ind.Approximate(),
	}
}

type apiRegion struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Level  int    `json:"level"`
	Parent string `json:"parent,omitempty"`
	Leaf   bool   `json:"leaf"`
}

func toAPIRegion(r kpi.Region) apiRegion {
	a := apiRegion{Code: r.CodeString(), Name: r.Name, Level: r.Level, Leaf: r.IsLeaf()}
	if r.Parent != 0 {
		a.Parent = kpi.Region{Code: r.Parent}.CodeString()
	}
	return a
}

type apiPeriod struct {
	Year    int    `json:"year"`
	Quarter int    `json:"quarter"` // 0 = the whole year
	Label   string `json:"label"`
}

func toAPIPeriod(p kpi.Period, lang string) apiPeriod {
	return apiPeriod{Year: p.Year, Quarter: p.Quarter, Label: p.Label(lang)}
}

// apiPoint is one value row: region, period, value and where it came from.
type apiPoint struct {
	Region           apiRegion `json:"region"`
	Period           apiPeriod `json:"period"`
	Value            *float64  `json:"value"`            // null when missing — never 0
	Origin           string    `json:"origin,omitempty"` // reported | computed
	Reported         *float64  `json:"reported"`
	Computed         *float64  `json:"computed"` // from the leaf regions below
	Differs          bool      `json:"differs"`
	Partial          bool      `json:"partial"`
	Approximate      bool      `json:"approximate"`
	QuartersReported int       `json:"quarters_reported"`
	LeavesReporting  int       `json:"leaves_reporting"`
	LeavesTotal      int       `json:"leaves_total"`
}

func toAPIPoint(pt kpi.Point, lang string) apiPoint {
	return apiPoint{
		Region: toAPIRegion(pt.Region), Period: toAPIPeriod(pt.Period, lang),
		Value: pt.Value, Origin: string(pt.Origin), Reported: pt.Reported, Computed: pt.Computed,
		Differs: pt.Differs, Partial: pt.Partial, Approximate: pt.Approx,
		QuartersReported: pt.QuartersReported, LeavesReporting: pt.LeavesReporting, LeavesTotal: pt.LeavesTotal,
	}
}

type apiChange struct {
	Value float64 `json:"value"`
	Unit  string  `json:"unit"` // "%" or "pp" (percentage points)
}

type apiComparisonRow struct {
	Rank int `json:"rank"` // 0 when the region has no value
	apiPoint
	Previous *float64   `json:"previous"`
	Change   *apiChange `json:"change"`
	Target   *float64   `json:"target"`
	Progress *float64   `json:"progress"` // 1.0 = on target
	Status   string     `json:"status,omitempty"`
}

type apiComparison struct {
	Indicator apiIndicator       `json:"indicator"`
	Period    apiPeriod          `json:"period"`
	Average   *float64           `json:"average"`
	Median    *float64           `json:"median"`
	Rows      []apiComparisonRow `json:"rows"`
}

func (s *Server) apiIndicators(c echo.Context) error {
	cat, err := s.store.Indicators(c.Request().Context())
	if err != nil {
		return err
	}
	lang := langOf(c)
	out := make([]apiIndicator, len(cat))
	for i, ind := range cat {
		out[i] = toAPIIndicator(ind, lang)
	}
	return c.JSON(http.StatusOK, map[string]any{"indicators": out})
}

// apiRegions lists the children of ?parent= (the provinces without it).
func (s *Server) apiRegions(c echo.Context) error {
	ctx := c.Request().Context()
	codes, err := regionParams(c, "parent")
	if err != nil {
		return err
	}
	parent := 0
	if len(codes) > 0 {
		r, err := s.store.Region(ctx, codes[0])
		if err != nil {
			return err
		}
		parent = r.Code
	}
	rs, err := s.store.Children(ctx, parent)
	if err != nil {
		return err
	}
	out := make([]apiRegion, len(rs))
	for i, r := range rs {
		out[i] = toAPIRegion(r)
	}
	return c.JSON(http.StatusOK, map[string]any{"regions": out})
}

func (s *Server) apiComparison(c echo.Context) error {
	_, _, cmp, err := s.comparisonRequest(c)
	if err != nil {
		return err
	}
	lang := langOf(c)
	out := apiComparison{Indicator: toAPIIndicator(cmp.Indicator, lang), Period: toAPIPeriod(cmp.Period, lang),
		Average: cmp.Average, Median: cmp.Median, Rows: make([]apiComparisonRow, 0, len(cmp.Rows))}
	for _, row := range cmp.Rows {
		r := apiComparisonRow{Rank: row.Rank, apiPoint: toAPIPoint(row.Point, lang), Previous: row.Prev,
			Target: row.Target, Progress: row.Progress.Ratio, Status: string(row.Progress.Status)}
		r.Change = toAPIChange(row.Change)
		out.Rows = append(out.Rows, r)
	}
	return c.JSON(http.StatusOK, out)
}

type apiSeries struct {
	Region  apiRegion     `json:"region"`
	Points  []apiPoint    `json:"points"`
	Targets []apiTargetPt `json:"targets"`
}

type apiTargetPt struct {
	Year  int     `json:"year"`
	Value float64 `json:"value"`
}

func (s *Server) apiSeries(c echo.Context) error {
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
	lang := langOf(c)
	by := "year"
	if q.Span.ByQuarter {
		by = "quarter"
	}
	out := make([]apiSeries, len(lines))
	for i, rs := range lines {
		as := apiSeries{Region: toAPIRegion(rs.Region), Points: []apiPoint{}, Targets: []apiTargetPt{}}
		for _, pt := range rs.Points {
			as.Points = append(as.Points, toAPIPoint(pt, lang))
		}
		for y := q.Span.From; y <= q.Span.To; y++ {
			if t, ok := rs.Targets[y]; ok {
				as.Targets = append(as.Targets, apiTargetPt{Year: y, Value: t})
			}
		}
		out[i] = as
	}
	return c.JSON(http.StatusOK, map[string]any{
		"indicator": toAPIIndicator(q.Indicator, lang), "by": by, "from": q.Span.From, "to": q.Span.To, "series": out,
	})
}

// healthz answers 200 when the database answers, 503 otherwise.
func (s *Server) healthz(c echo.Context) error {
	if err := s.store.Ping(c.Request().Context()); err != nil {
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "engine": s.store.Engine()})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok", "engine": s.store.Engine()})
}

// apiTargets lists the targets of an indicator for a year over the children
// of ?parent= (and the parent itself).
func (s *Server) apiTargets(c echo.Context) error {
	v, err := s.loadTargetsFor(c, kpi.ActView)
	if err != nil {
		return err
	}
	type row struct {
		Region apiRegion `json:"region"`
		Actual *float64  `json:"actual"`
		Target *float64  `json:"target"`
	}
	out := []row{}
	for _, r := range v.Rows {
		out = append(out, row{Region: toAPIRegion(r.Region), Actual: r.Actual, Target: r.Target})
	}
	return c.JSON(http.StatusOK, map[string]any{"indicator": toAPIIndicator(v.Indicator, langOf(c)), "year": v.Year, "targets": out})
}

type apiScoreRow struct {
	Indicator string     `json:"indicator"`
	Name      string     `json:"name"`
	Value     *float64   `json:"value"`
	Previous  *float64   `json:"previous"`
	Change    *apiChange `json:"change"`
	Rank      int        `json:"rank"`
	Peers     int        `json:"peers"`
	Target    *float64   `json:"target"`
	Progress  *float64   `json:"progress"`
	Status    string     `json:"status,omitempty"`
	Score     *float64   `json:"score"`
}

// apiScorecard is the scorecard as JSON: ?region=&year=.
func (s *Server) apiScorecard(c echo.Context) error {
	_, region, year, groups, _, err := s.scorecardRequest(c)
	if err != nil {
		return err
	}
	lang := langOf(c)
	type group struct {
		Category   string        `json:"category"`
		Name       string        `json:"name"`
		Score      *float64      `json:"score"`
		Indicators []apiScoreRow `json:"indicators"`
	}
	out := []group{}
	for _, g := range groups {
		gg := group{Category: g.Category.Code, Name: g.Category.Name(lang), Score: g.Score, Indicators: []apiScoreRow{}}
		for _, r := range g.Rows {
			gg.Indicators = append(gg.Indicators, apiScoreRow{Indicator: r.Indicator.Code, Name: r.Indicator.Name(lang),
				Value: r.Row.Point.Value, Previous: r.Row.Prev, Change: toAPIChange(r.Row.Change), Rank: r.Row.Rank, Peers: r.Peers,
				Target: r.Row.Target, Progress: r.Row.Progress.Ratio, Status: string(r.Row.Progress.Status), Score: r.Score})
		}
		out = append(out, gg)
	}
	return c.JSON(http.StatusOK, map[string]any{"region": toAPIRegion(region), "year": year, "categories": out})
}

func toAPIChange(d *kpi.Delta) *apiChange {
	if d == nil {
		return nil
	}
	ch := &apiChange{Value: d.Value, Unit: "%"}
	if d.Points {
		ch.Unit = "pp"
	}
	return ch
}

// apiSummary is the generated paragraph of the cockpit: ?region=&year=.
func (s *Server) apiSummary(c echo.Context) error {
	_, v, err := s.cockpit(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"region": toAPIRegion(v.Region), "year": v.Year, "summary": v.Summary})
}

// apiOpenAPI serves the description of this API.
func (s *Server) apiOpenAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, openapiJSON)
}
