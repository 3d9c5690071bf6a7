package web

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/govkpi/govkpi/internal/kpi"
)

// withinNation is the within= value that ranks every region of a level in
// the whole country (all ~340 cities, all ~2,850 counties); users scoped to
// a region may not ask for it.
const withinNation = "all"

// compareView is the ranking page.
type compareView struct {
	Form       filterForm
	Comparison kpi.Comparison
	Scope      string       // "regions under 浙江省" / "all cities"
	Breadcrumb []kpi.Region // province → … → parent
	Chart      string       // option JSON
	Drill      string       // drill-down URLs JSON, aligned with the bars
	HasData    bool
	ShowSplit  bool   // some row has both a reported and a computed value
	Level      int    // level mode: the level ranked …
	Within     string // … within this region, or withinNation
	SortBy     string // "" (rank) or "progress"
	ColorBy    string // "" (target status) or "quartile"
}

// parseCompare reads /compare and /api/v1/comparison parameters:
// indicator, year, quarter, and parent (children of a region) or level
// (every region of a level, optionally within=a region).
func (s *Server) parseCompare(c echo.Context, cat kpi.Catalogue) (compareQuery, error) {
	ctx := c.Request().Context()
	var q compareQuery
	var err error
	if q.Indicator, err = indicatorParam(c, cat); err != nil {
		return q, err
	}
	last := 0 // the default year, looked up only when none is given
	if c.QueryParam("year") == "" {
		if _, last, err = s.defaultYear(ctx); err != nil {
			return q, err
		}
	}
	if q.Period.Year, err = yearParam(c, "year", last); err != nil {
		return q, err
	}
	if q.Period.Quarter, err = quarterParam(c); err != nil {
		return q, err
	}
	q.ApprovedOnly = approvedOnlyParam(c)
	if c.QueryParam("level") != "" && c.QueryParam("parent") == "" {
		if q.Level, err = intParam(c, "level", 0); err != nil {
			return q, err
		}
		if q.Level < kpi.LevelProvince || q.Level > kpi.LevelCounty {
			return q, kpi.Invalid("level", "层级 %d 无效：1 省、2 市、3 县", "level %d is invalid: 1 province, 2 city, 3 county", q.Level)
		}
		if c.QueryParam("within") == withinNation {
			q.Within = 0 // every region of the level in the country
			return q, kpi.Authorize(currentUser(c), kpi.ActView, kpi.Resource{Nation: true})
		}
		if c.QueryParam("within") != "" {
			within, err := s.regionParam(c, "within")
			if err != nil {
				return q, err
			}
			q.Within = within.Code
		} else {
			// Without a scope, rank within the user's scope or the default
			// region: "every county in China" is rarely what anyone means.
			within, err := s.defaultRegion(c)
			if err != nil {
				return q, err
			}
			q.Within = within.Code
		}
		return q, s.authorize(c, kpi.ActView, q.Within, nil)
	}
	parent, err := s.regionParam(c, "parent")
	if err != nil {
		return q, err
	}
	if err := s.authorize(c, kpi.ActView, parent.Code, nil); err != nil {
		return q, err
	}
	if parent.IsLeaf() {
		return q, kpi.Invalid("parent", "%s 没有下级地区可比较", "%s has no child regions to compare", parent.Name)
	}
	q.Parent = &parent
	return q, nil
}

// comparisonRequest reads the compare parameters and ranks the regions:
// the page, the API and the exports all start here.
func (s *Server) comparisonRequest(c echo.Context) (kpi.Catalogue, compareQuery, kpi.Comparison, error) {
	ctx := c.Request().Context()
	cat, err := s.store.Indicators(ctx)
	if err != nil {
		return nil, compareQuery{}, kpi.Comparison{}, err
	}
	q, err := s.parseCompare(c, cat)
	if err != nil {
		return nil, compareQuery{}, kpi.Comparison{}, err
	}
	cmp, err := s.comparison(ctx, cat, q)
	return cat, q, cmp, err
}

func (s *Server) comparePage(c echo.Context) error {
	ctx := c.Request().Context()
	cat, q, cmp, err := s.comparisonRequest(c)
	if err != nil {
		return err
	}
	p := s.basePage(c, "")
	v := compareView{Comparison: cmp}
	if q.Parent != nil {
		v.Scope = p.Tf("compare.children", q.Parent.Name)
		if v.Breadcrumb, err = s.store.Ancestors(ctx, q.Parent.Code); err != nil {
			return err
		}
	} else if q.Within == 0 {
		v.Scope = p.Tf("compare.level", kpi.LevelName(q.Level, p.Lang))
		v.Level, v.Within = q.Level, withinNation
	} else {
		within, err := s.store.Region(ctx, q.Within)
		if err != nil {
			return err
		}
		v.Scope = p.Tf("compare.within", within.Name, kpi.LevelName(q.Level, p.Lang))
		v.Level, v.Within = q.Level, within.CodeString()
		if v.Breadcrumb, err = s.store.Ancestors(ctx, q.Within); err != nil {
			return err
		}
	}
	p.Title = p.Tf("compare.title", q.Period.Label(p.Lang), q.Indicator.Name(p.Lang))
	if v.Form, err = s.filterForm(ctx, p, cat, q.Indicator, q.Period.Year); err != nil {
		return err
	}
	v.Form.Quarter = q.Period.Quarter
	if q.Parent != nil {
		v.Form.Region = q.Parent.Code
	}
	v.SortBy, v.ColorBy = c.QueryParam("sort"), c.QueryParam("color")
	if v.SortBy == "progress" {
		kpi.SortByProgress(cmp.Rows)
		v.Comparison = cmp
	}
	option, urls := compareChart(p, cmp, v.ColorBy == "quartile", func(r kpi.Region) string {
		if r.IsLeaf() {
			return ""
		}
		return p.Link("/compare", "indicator", q.Indicator.Code, "year", q.Period.Year,
			"quarter", q.Period.Quarter, "parent", r.CodeString())
	})
	if v.Chart, err = jsonAttr(option); err != nil {
		return err
	}
	if v.Drill, err = jsonAttr([][]string{urls}); err != nil {
		return err
	}
	for _, row := range cmp.Rows {
		v.HasData = v.HasData || row.Point.Value != nil
		v.ShowSplit = v.ShowSplit || (row.Point.Reported != nil && row.Point.Computed != nil)
	}
	p.View = v
	return s.render(c, http.StatusOK, "compare.html", p)
}

// filterForm is the indicator / region / year picker shared by the pages.
type filterForm struct {
	Categories []categoryGroup
	Indicator  kpi.Indicator
	Year       int
	Years      []int
	Quarter    int
	Region     int
	Regions    []regionOption
}

type categoryGroup struct {
	Name       string
	Indicators []kpi.Indicator
}

type regionOption struct {
	Code   string
	Label  string
	Picked bool
}

func (s *Server) filterForm(ctx context.Context, p page, cat kpi.Catalogue, ind kpi.Indicator, year int) (filterForm, error) {
	f := filterForm{Indicator: ind, Year: year}
	for _, c := range kpi.Categories {
		g := categoryGroup{Name: c.Name(p.Lang)}
		for _, i := range cat {
			if i.Category == c.Code {
				g.Indicators = append(g.Indicators, i)
			}
		}
		f.Categories = append(f.Categories, g)
	}
	first, last, err := s.latestYear(ctx)
	if err != nil {
		return f, err
	}
	for y := last; y >= first; y-- {
		f.Years = append(f.Years, y)
	}
	if year > last || year < first {
		f.Years = append([]int{year}, f.Years...)
	}
	return f, nil
}

// regionOptions lists the root's subtree for pickers: the root, each of its
// children, and each child's children indented beneath it.
func (s *Server) regionOptions(ctx context.Context, root kpi.Region, picked map[int]bool) ([]regionOption, error) {
	opt := func(r kpi.Region, indent string) regionOption {
		return regionOption{Code: r.CodeString(), Label: indent + r.Name, Picked: picked[r.Code]}
	}
	out := []regionOption{opt(root, "")}
	var below [2][]kpi.Region
	for i := range below {
		var err error
		if below[i], err = s.store.RegionsAtLevel(ctx, root.Level+1+i, root.Code); err != nil {
			return nil, err
		}
	}
	for _, child := range below[0] {
		out = append(out, opt(child, "　"))
		for _, grandchild := range below[1] {
			if grandchild.Parent == child.Code {
				out = append(out, opt(grandchild, "　　"))
			}
		}
	}
	return out, nil
}
