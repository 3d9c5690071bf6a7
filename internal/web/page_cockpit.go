package web

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/govkpi/govkpi/internal/kpi"
)

// cockpitCard is one headline indicator on the cockpit.
type cockpitCard struct {
	Indicator kpi.Indicator
	Point     kpi.Point
	Change    *kpi.Delta
	Target    *float64
	Progress  kpi.Progress
	Spark     string // a small trend line, option JSON
	Rank      int    // among the regions of the same parent; 0 when unknown
	Peers     int
	Prev      *float64 // last year's value
	Drill     string   // each year of the sparkline → the comparison of the region's children
}

type cockpitView struct {
	Form       filterForm
	Region     kpi.Region
	Year       int
	Groups     []cockpitGroup
	Summary    string // 文字综述, generated from the cards
	Breadcrumb []kpi.Region
	Reporting  cockpitReporting
}

// cockpitReporting is how this quarter's reports stand across the region
// (DESIGN §4: the cockpit shows the completeness of this quarter's
// submissions), whatever year the cards show: it is the work under way.
type cockpitReporting struct {
	Period kpi.Period
	Due    string // the last day on time
	completenessRow
}

type cockpitGroup struct {
	Category string
	Cards    []cockpitCard
}

// cockpitPage shows a region's headline indicators for a year: value,
// year-on-year change, rank among its peers, target progress and a traffic light.
func (s *Server) cockpitPage(c echo.Context) error {
	p, v, err := s.cockpit(c)
	if err != nil {
		return err
	}
	if v.Reporting, err = s.reporting(c.Request().Context(), v.Region); err != nil {
		return err
	}
	root, err := s.defaultRegion(c)
	if err != nil {
		return err
	}
	if v.Form.Regions, err = s.regionOptions(c.Request().Context(), root, map[int]bool{v.Region.Code: true}); err != nil {
		return err
	}
	p.View = v
	return s.render(c, http.StatusOK, "cockpit.html", p)
}

// screenPage is the cockpit for a wall display 大屏: full screen, dark,
// large type, and it reloads itself every five minutes.
func (s *Server) screenPage(c echo.Context) error {
	p, v, err := s.cockpit(c)
	if err != nil {
		return err
	}
	if v.Reporting, err = s.reporting(c.Request().Context(), v.Region); err != nil {
		return err
	}
	p.Screen, p.View = true, v
	return s.render(c, http.StatusOK, "cockpit.html", p)
}

func (s *Server) cockpit(c echo.Context) (page, cockpitView, error) {
	ctx := c.Request().Context()
	cat, err := s.store.Indicators(ctx)
	if err != nil {
		return page{}, cockpitView{}, err
	}
	region, err := s.regionParam(c, "region")
	if err != nil {
		return page{}, cockpitView{}, err
	}
	if err := s.authorize(c, kpi.ActView, region.Code, nil); err != nil {
		return page{}, cockpitView{}, err
	}
	first, last, err := s.defaultYear(ctx)
	if err != nil {
		return page{}, cockpitView{}, err
	}
	year, err := yearParam(c, "year", last)
	if err != nil {
		return page{}, cockpitView{}, err
	}
	approved := approvedOnlyParam(c)
	p := s.basePage(c, "")
	p.Title = p.Tf("cockpit.title", region.Name, kpi.Period{Year: year}.Label(p.Lang))
	v := cockpitView{Region: region, Year: year}
	span := kpi.Span{From: min(max(first, year-9), year), To: year}
	var parent *kpi.Region
	if region.Parent != 0 {
		pr, err := s.store.Region(ctx, region.Parent)
		if err != nil {
			return page{}, cockpitView{}, err
		}
		parent = &pr
	}
	for _, category := range kpi.Categories {
		g := cockpitGroup{Category: category.Name(p.Lang)}
		for _, ind := range cat.Headlines() {
			if ind.Category != category.Code {
				continue
			}
			lines, err := s.series(ctx, cat, ind, []kpi.Region{region}, span, approved)
			if err != nil {
				return page{}, cockpitView{}, err
			}
			card, err := s.cockpitCard(p, ind, lines[0], year)
			if err != nil {
				return page{}, cockpitView{}, err
			}
			if parent != nil {
				cmp, err := s.comparison(ctx, cat, compareQuery{Indicator: ind, Period: kpi.Period{Year: year}, Parent: parent, ApprovedOnly: approved})
				if err != nil {
					return page{}, cockpitView{}, err
				}
				for _, row := range cmp.Rows {
					if row.Rank > 0 {
						card.Peers++
					}
					if row.Point.Region.Code == region.Code {
						card.Rank = row.Rank
					}
				}
			}
			g.Cards = append(g.Cards, card)
		}
		if len(g.Cards) > 0 {
			v.Groups = append(v.Groups, g)
		}
	}
	in := kpi.SummaryInput{Region: region, Parent: parent, Year: year}
	for _, g := range v.Groups {
		for _, card := range g.Cards {
			in.Items = append(in.Items, kpi.SummaryItem{Indicator: card.Indicator, Value: card.Point.Value, Prev: card.Prev, Rank: card.Rank, Peers: card.Peers})
		}
	}
	v.Summary = kpi.Summarize(in, p.Lang)
	if v.Breadcrumb, err = s.store.Ancestors(ctx, region.Code); err != nil {
		return page{}, cockpitView{}, err
	}
	if v.Form, err = s.filterForm(ctx, p, cat, kpi.Indicator{}, year); err != nil {
		return page{}, cockpitView{}, err
	}
	return p, v, nil
}

// reporting tallies the departments' reports of the quarter due now. Only
// the pages show it: the summary API and the exports, which share the
// cockpit's cards, do not pay for it.
func (s *Server) reporting(ctx context.Context, region kpi.Region) (cockpitReporting, error) {
	cat, err := s.store.Indicators(ctx)
	if err != nil {
		return cockpitReporting{}, err
	}
	now := s.store.Now()
	p := kpi.LatestQuarter(now)
	reports, err := s.store.Completeness(ctx, cat, region.Code, p)
	if err != nil {
		return cockpitReporting{}, err
	}
	r := cockpitReporting{Period: p, Due: s.deadlines.LastDay(p), completenessRow: completenessRow{Region: region}}
	for i := range reports {
		r.count(&reports[i], s.deadlines, p, now)
	}
	return r, nil
}

func (s *Server) cockpitCard(p page, ind kpi.Indicator, line regionSeries, year int) (cockpitCard, error) {
	card := cockpitCard{Indicator: ind}
	n := len(line.Points)
	card.Point = line.Points[n-1]
	var prev *float64
	if n > 1 {
		prev = line.Points[n-2].Value
	}
	card.Change, card.Prev = kpi.Change(ind, card.Point.Value, prev), prev
	if t, ok := line.Targets[year]; ok {
		card.Target = &t
	}
	card.Progress = kpi.ProgressOf(ind, kpi.Period{Year: year}, card.Point.Value, card.Target, s.thresholds)
	spark, err := jsonAttr(sparkline(ind, line))
	if err != nil {
		return card, err
	}
	card.Spark = spark
	if !line.Region.IsLeaf() {
		var urls []string
		for _, pt := range line.Points {
			urls = append(urls, p.Link("/compare", "indicator", ind.Code, "year", pt.Period.Year, "parent", line.Region.CodeString()))
		}
		card.Drill, err = jsonAttr([][]string{urls})
	}
	return card, err
}
