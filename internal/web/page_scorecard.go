package web

import (
	"context"
	"net/http"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/labstack/echo/v4"

	"github.com/govkpi/govkpi/internal/kpi"
)

// scoreRow is one indicator of the scorecard.
type scoreRow struct {
	Indicator kpi.Indicator
	Row       kpi.ComparisonRow // the region's row in the ranking among its peers
	Peers     int               // how many peers have a value
	Score     *float64          // 0–100 against the peers' range
}

type scoreGroup struct {
	Category kpi.Category
	Rows     []scoreRow
	Score    *float64
}

type scorecardView struct {
	Form       filterForm
	Region     kpi.Region
	Peers      string // "浙江省 各市"
	Year       int
	Groups     []scoreGroup
	Breadcrumb []kpi.Region
	Radar      string
	// Alone: the region has figures but no peer has any to compare with
	// (the demo's province among all provinces), so nothing can be scored;
	// the page says so and offers the scorecards of the regions under it.
	// Empty: the region has no figures for the year at all.
	Alone, Empty bool
	Children     []kpi.Region
}

// standing tells whether the region has figures and whether, on any
// indicator, a peer has one too.
func standing(groups []scoreGroup) (alone, empty bool) {
	own, compared := false, false
	for _, g := range groups {
		for _, r := range g.Rows {
			if r.Row.Point.Value != nil {
				own = true
				compared = compared || r.Peers > 1
			}
		}
	}
	return own && !compared, !own
}

// scorecard ranks region among its peers on every indicator for a year and
// scores each indicator against the peers' range.
func (s *Server) scorecard(ctx context.Context, cat kpi.Catalogue, region kpi.Region, year int, approvedOnly bool) ([]scoreGroup, *kpi.Region, error) {
	q := compareQuery{Period: kpi.Period{Year: year}, ApprovedOnly: approvedOnly}
	var parent *kpi.Region
	if region.Parent != 0 {
		p, err := s.store.Region(ctx, region.Parent)
		if err != nil {
			return nil, nil, err
		}
		parent, q.Parent = &p, &p
	} else {
		q.Level = kpi.LevelProvince
	}
	var err error
	if q.Parent != nil {
		q.Regions, err = s.store.Children(ctx, q.Parent.Code)
	} else {
		q.Regions, err = s.store.RegionsAtLevel(ctx, q.Level, 0)
	}
	if err != nil {
		return nil, nil, err
	}
	var groups []scoreGroup
	for _, category := range kpi.Categories {
		g := scoreGroup{Category: category}
		var scores []*float64
		for _, ind := range cat {
			if ind.Category != category.Code {
				continue
			}
			q.Indicator = ind
			cmp, err := s.comparison(ctx, cat, q)
			if err != nil {
				return nil, nil, err
			}
			row := scoreRow{Indicator: ind}
			for _, r := range cmp.Rows {
				if r.Point.Region.Code == region.Code {
					row.Row = r
				}
				if r.Point.Value != nil {
					row.Peers++
				}
			}
			if row.Row.Point.Region.Code == 0 {
				row.Row.Point.Region = region
			}
			if lo, hi, ok := kpi.PeerRange(cmp); ok {
				row.Score = kpi.Score(ind, row.Row.Point.Value, lo, hi)
			}
			row.Row.Point.Period = kpi.Period{Year: year}
			scores = append(scores, row.Score)
			g.Rows = append(g.Rows, row)
		}
		g.Score = kpi.MeanScore(scores)
		groups = append(groups, g)
	}
	return groups, parent, nil
}

// scorecardRequest reads ?region=&year= (the user's default region and
// the latest year when absent), checks the user may see the region, and
// computes its scorecard.
func (s *Server) scorecardRequest(c echo.Context) (cat kpi.Catalogue, region kpi.Region, year int, groups []scoreGroup, parent *kpi.Region, err error) {
	ctx := c.Request().Context()
	if cat, err = s.store.Indicators(ctx); err != nil {
		return
	}
	if region, err = s.regionParam(c, "region"); err != nil {
		return
	}
	if err = s.authorize(c, kpi.ActView, region.Code, nil); err != nil {
		return
	}
	_, last, err := s.defaultYear(ctx)
	if err != nil {
		return
	}
	if year, err = yearParam(c, "year", last); err != nil {
		return
	}
	groups, parent, err = s.scorecard(ctx, cat, region, year, approvedOnlyParam(c))
	return
}

func (s *Server) scorecardPage(c echo.Context) error {
	ctx := c.Request().Context()
	cat, region, year, groups, parent, err := s.scorecardRequest(c)
	if err != nil {
		return err
	}
	p := s.basePage(c, "")
	p.Title = p.Tf("scorecard.title", region.Name, kpi.Period{Year: year}.Label(p.Lang))
	v := scorecardView{Region: region, Year: year, Groups: groups}
	if parent != nil {
		v.Peers = p.Tf("compare.children", parent.Name)
	} else {
		v.Peers = p.T("scorecard.provinces")
	}
	if v.Breadcrumb, err = s.store.Ancestors(ctx, region.Code); err != nil {
		return err
	}
	if v.Form, err = s.filterForm(ctx, p, cat, kpi.Indicator{}, year); err != nil {
		return err
	}
	root, err := s.defaultRegion(c)
	if err != nil {
		return err
	}
	if v.Form.Regions, err = s.regionOptions(ctx, root, map[int]bool{region.Code: true}); err != nil {
		return err
	}
	if v.Alone, v.Empty = standing(groups); v.Alone {
		if v.Children, err = s.store.Children(ctx, region.Code); err != nil {
			return err
		}
	}
	if v.Radar, err = jsonAttr(radarChart(p, region, groups)); err != nil {
		return err
	}
	p.View = v
	return s.render(c, http.StatusOK, "scorecard.html", p)
}

// radarChart draws the category scores.
func radarChart(p page, region kpi.Region, groups []scoreGroup) map[string]any {
	radar := charts.NewRadar()
	var dims []*opts.Indicator
	var values []float64
	for _, g := range groups {
		dims = append(dims, &opts.Indicator{Name: g.Category.Name(p.Lang), Max: 100, Min: 0})
		score := 0.0
		if g.Score != nil {
			score = *g.Score
		}
		values = append(values, score)
	}
	radar.SetGlobalOptions(
		charts.WithRadarComponentOpts(opts.RadarComponent{Indicator: dims, Shape: "polygon", SplitNumber: 4}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true)}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		toolbox(p.Lang),
	)
	radar.AddSeries(region.Name, []opts.RadarData{{Name: region.Name, Value: values}},
		charts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(0.25)}))
	return optionOf(radar)
}
