package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/govkpi/govkpi/internal/kpi"
)

type historyView struct {
	Region    kpi.Region
	Indicator kpi.Indicator
	Year      int
	Periods   []kpi.Period
	Entries   []kpi.HistoryEntry
	// Where else to look, for the same year (and quarter, if one was
	// asked for): a rate's changes are its numerator's and denominator's; a
	// parent region's figure is mostly computed from the regions under it,
	// whose rows carry their own history.
	Parts    []namedLink
	Children string // the ranking of the regions under a parent
}

type namedLink struct{ Name, URL string }

// historyPage lists every change of a region's indicator in a year (or one
// quarter of it): who, when, old → new, status, source and reason. Drafts
// stay with their department: others see the steps that reach a shared
// status (kpi.SharedHistory), returns and reopenings included.
func (s *Server) historyPage(c echo.Context) error {
	ctx := c.Request().Context()
	cat, err := s.store.Indicators(ctx)
	if err != nil {
		return err
	}
	ind, err := cat.Get(c.QueryParam("indicator"))
	if err != nil {
		return err
	}
	region, err := s.regionParam(c, "region")
	if err != nil {
		return err
	}
	if err := s.authorize(c, kpi.ActView, region.Code, nil); err != nil {
		return err
	}
	year, err := yearParam(c, "year", kpi.LatestQuarter(s.store.Now()).Year)
	if err != nil {
		return err
	}
	quarters := []int{0, 1, 2, 3, 4}
	if c.QueryParam("quarter") != "" {
		q, err := quarterParam(c)
		if err != nil {
			return err
		}
		quarters = []int{q}
	}
	seesDrafts := s.authorize(c, kpi.ActEnter, region.Code, &ind) == nil
	v := historyView{Region: region, Indicator: ind, Year: year}
	p := s.basePage(c, "")
	period := []any{"year", year} // this page's period, for the links onward
	if len(quarters) == 1 {
		period = append(period, "quarter", quarters[0])
	}
	if ind.IsRatio() {
		num, den, err := cat.Parts(ind)
		if err != nil {
			return err
		}
		for _, part := range []kpi.Indicator{num, den} {
			v.Parts = append(v.Parts, namedLink{part.Name(p.Lang), p.Link("/history", append([]any{"indicator", part.Code, "region", region.CodeString()}, period...)...)})
		}
	}
	if !region.IsLeaf() {
		v.Children = p.Link("/compare", append([]any{"indicator", ind.Code, "parent", region.CodeString()}, period...)...)
	}
	for _, q := range quarters {
		period := kpi.Period{Year: year, Quarter: q}
		v.Periods = append(v.Periods, period)
		entries, err := s.store.History(ctx, region.Code, ind, period)
		if err != nil {
			return err
		}
		if !seesDrafts {
			entries = kpi.SharedHistory(entries)
		}
		v.Entries = append(v.Entries, entries...)
	}
	shown := kpi.Period{Year: year}
	if len(quarters) == 1 {
		shown.Quarter = quarters[0]
	}
	p.Title = p.Tf("history.title", region.Name, ind.Name(p.Lang), shown.Label(p.Lang))
	p.View = v
	return s.render(c, http.StatusOK, "history.html", p)
}

// Reason shows a history row's reason in the page's language. The store
// records what a workflow step did as a key ("approve", "return: 数据有误",
// "bulk load", "backfill 文件.xlsx"); a reason a person typed is shown as
// typed.
func (p page) Reason(reason string) string {
	for _, key := range []string{"bulk load", "submit", "approve", "return", "reopen", "backfill"} {
		rest, ok := strings.CutPrefix(reason, key)
		if !ok || rest != "" && rest[0] != ':' && rest[0] != ' ' {
			continue
		}
		label := p.T("reason." + key)
		if rest = strings.TrimLeft(rest, ": "); rest == "" {
			return label
		}
		if p.Lang == "zh" {
			return label + "：" + rest
		}
		return label + ": " + rest
	}
	return reason
}
