package web

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/govkpi/govkpi/internal/export"
	"github.com/govkpi/govkpi/internal/kpi"
)

// Exports turn the same comparison and scorecard the pages show into .xlsx
// and CSV: numbers stay numbers, text is neutralised against formula
// injection, and the file name says what is inside.

// numberFormat is the Excel format for an indicator's values.
func numberFormat(ind kpi.Indicator) string {
	if ind.Decimals == 0 {
		return "#,##0"
	}
	return "#,##0." + strings.Repeat("0", ind.Decimals)
}

// dataStatus is the subtitle of every export: which figures, and when.
func (s *Server) dataStatus(p page) string {
	parts := []string{p.T("approved.all")}
	if p.ApprovedOnly() {
		parts[0] = p.T("approved.only")
	}
	if p.Demo {
		parts = append(parts, p.T("demo.badge"))
	}
	parts = append(parts, p.T("export.at")+" "+s.store.Now().Format("2006-01-02 15:04"))
	return strings.Join(parts, " · ")
}

// comparisonTable is the ranking as an export table.
func comparisonTable(p page, cmp kpi.Comparison, title string) export.Table {
	ind := cmp.Indicator
	unit := ind.UnitIn(p.Lang)
	fmtV := numberFormat(ind)
	yoyHead, yoyFmt := p.T("col.yoy")+p.Paren("%"), `+0.0;-0.0;0.0`
	if ind.IsPercent() {
		yoyHead = p.T("col.yoy") + p.Paren(p.T("export.pp"))
	}
	t := export.Table{
		Name:  ind.Name(p.Lang),
		Title: title,
		Headers: []string{p.T("col.rank"), p.T("export.code"), p.T("col.region"), p.T("col.value") + p.Paren(unit),
			p.T("col.reported"), p.T("col.computed"), p.T("label.differs"), p.T("col.prev"), yoyHead,
			p.T("col.target"), p.T("col.progress"), p.T("col.status"), p.T("export.note")},
	}
	for _, row := range cmp.Rows {
		pt := row.Point
		var rank, yoy *float64
		if row.Rank > 0 {
			r := float64(row.Rank)
			rank = &r
		}
		if row.Change != nil {
			d := kpi.Round(row.Change.Value, row.Change.Decimals)
			yoy = &d
		}
		differs, note := "", ""
		if pt.Differs {
			differs = "⚠"
		}
		if pt.Partial {
			note = p.T("label.partial")
		}
		status := ""
		if row.Progress.Status != kpi.StatusUnknown {
			status = p.Status(row.Progress.Status)
		}
		t.Rows = append(t.Rows, []export.Cell{
			export.Num(rank, "0"), export.Text(pt.Region.CodeString()), export.Text(pt.Region.Name),
			export.Num(rounded(pt.Value, ind.Decimals), fmtV), export.Num(rounded(pt.Reported, ind.Decimals), fmtV),
			export.Num(rounded(pt.Computed, ind.Decimals), fmtV), export.Text(differs),
			export.Num(rounded(row.Prev, ind.Decimals), fmtV), export.Num(yoy, yoyFmt),
			export.Num(rounded(row.Target, ind.Decimals), fmtV), export.Num(rounded(row.Progress.Ratio, 4), "0.0%"),
			export.Text(status), export.Text(note),
		})
	}
	return t
}

// yoyCell is a year-on-year change as a number and its unit (% or 个百分点).
func yoyCell(p page, d *kpi.Delta) (export.Cell, string) {
	if d == nil {
		return export.Cell{}, ""
	}
	v := kpi.Round(d.Value, d.Decimals)
	if d.Points {
		return export.Num(&v, "+0.0##;-0.0##;0"), p.T("export.pp")
	}
	return export.Num(&v, "+0.0;-0.0;0"), "%"
}

// rounded rounds as the pages show it, so the file and the screen agree.
func rounded(v *float64, decimals int) *float64 {
	if v == nil {
		return nil
	}
	r := kpi.Round(*v, decimals)
	return &r
}

// definitions lists the 口径 of the exported indicators (and a ratio's parts).
func (s *Server) definitions(p page, cat kpi.Catalogue, inds []kpi.Indicator) []export.Definition {
	source := p.T("export.source")
	if p.Demo {
		source += p.Paren(p.T("demo.badge"))
	}
	var out []export.Definition
	seen := map[string]bool{}
	add := func(ind kpi.Indicator) {
		if seen[ind.Code] {
			return
		}
		seen[ind.Code] = true
		out = append(out, export.Definition{Indicator: ind.Name(p.Lang), Unit: ind.UnitIn(p.Lang), Definition: p.Def(ind), Source: source})
	}
	for _, ind := range inds {
		add(ind)
		if ind.IsRatio() {
			if num, den, err := cat.Parts(ind); err == nil {
				add(num)
				add(den)
			}
		}
	}
	return out
}

// sendTable writes a workbook or, with format csv, its first table.
func sendTable(c echo.Context, format, name string, wb export.Workbook) error {
	var buf bytes.Buffer
	switch format {
	case "xlsx":
		if err := export.WriteXLSX(&buf, wb); err != nil {
			return err
		}
		return attachment(c, export.FileName("xlsx", name), xlsxType, buf.Bytes())
	case "csv":
		if err := export.WriteCSV(&buf, wb.Tables[0]); err != nil {
			return err
		}
		return attachment(c, export.FileName("csv", name), "text/csv; charset=utf-8", buf.Bytes())
	}
	return kpi.Invalid("format", "导出格式 %q 无效：应为 xlsx 或 csv", "export format %q is invalid: use xlsx or csv", format)
}

// exportComparison exports /compare's ranking: /export/compare.xlsx?… or .csv.
func (s *Server) exportComparison(c echo.Context) error {
	cat, q, cmp, err := s.comparisonRequest(c)
	if err != nil {
		return err
	}
	p := s.basePage(c, "")
	scope := p.T("export.level")
	if q.Parent != nil {
		scope = fmt.Sprintf(p.T("export.children"), q.Parent.Name, kpi.LevelName(q.Parent.Level+1, p.Lang))
	}
	title := strings.Join([]string{q.Period.Label(p.Lang), q.Indicator.Name(p.Lang), scope}, " ")
	t := comparisonTable(p, cmp, title)
	t.Subtitle = s.dataStatus(p)
	wb := export.Workbook{Lang: p.Lang, Tables: []export.Table{t}, Definitions: s.definitions(p, cat, []kpi.Indicator{q.Indicator})}
	name := strings.Join([]string{q.Period.Label("zh"), q.Indicator.NameZH, strings.ReplaceAll(scope, " ", "")}, "_")
	return sendTable(c, c.Param("format"), name, wb)
}

// exportScorecard exports a region's scorecard: /export/scorecard.xlsx?region=&year=.
func (s *Server) exportScorecard(c echo.Context) error {
	cat, region, year, groups, _, err := s.scorecardRequest(c)
	if err != nil {
		return err
	}
	p := s.basePage(c, "")
	title := p.Tf("scorecard.title", region.Name, kpi.Period{Year: year}.Label(p.Lang))
	t := export.Table{Name: p.T("nav.scorecard"), Title: title, Subtitle: s.dataStatus(p),
		Headers: []string{p.T("export.category"), p.T("field.indicator"), p.T("col.unit"), p.T("col.value"), p.T("col.prev"),
			p.T("col.yoy"), p.T("export.yoyunit"), p.T("col.rank"), p.T("export.peers"), p.T("col.target"), p.T("col.progress"),
			p.T("col.status"), p.T("scorecard.score")}}
	scores := export.Table{Name: p.T("export.categoryscores"), Title: title + " " + p.T("export.categoryscores"),
		Headers: []string{p.T("export.category"), p.T("scorecard.score")}}
	var inds []kpi.Indicator
	for _, g := range groups {
		scores.Rows = append(scores.Rows, []export.Cell{export.Text(g.Category.Name(p.Lang)), export.Num(g.Score, "0.0")})
		for _, r := range g.Rows {
			ind := r.Indicator
			inds = append(inds, ind)
			var rank *float64
			if r.Row.Rank > 0 {
				x := float64(r.Row.Rank)
				rank = &x
			}
			status := ""
			if r.Row.Progress.Status != kpi.StatusUnknown {
				status = p.Status(r.Row.Progress.Status)
			}
			yoy, yoyUnit := yoyCell(p, r.Row.Change)
			peers := float64(r.Peers)
			t.Rows = append(t.Rows, []export.Cell{export.Text(g.Category.Name(p.Lang)), export.Text(ind.Name(p.Lang)), export.Text(ind.UnitIn(p.Lang)),
				export.Num(rounded(r.Row.Point.Value, ind.Decimals), numberFormat(ind)), export.Num(rounded(r.Row.Prev, ind.Decimals), numberFormat(ind)),
				yoy, export.Text(yoyUnit), export.Num(rank, "0"), export.Num(&peers, "0"), export.Num(rounded(r.Row.Target, ind.Decimals), numberFormat(ind)),
				export.Num(rounded(r.Row.Progress.Ratio, 4), "0.0%"), export.Text(status), export.Num(r.Score, "0.0")})
		}
	}
	scores.Subtitle = t.Subtitle
	wb := export.Workbook{Lang: p.Lang, Tables: []export.Table{t, scores}, Definitions: s.definitions(p, cat, inds)}
	// The generated summary goes with it, on a sheet of its own.
	_, cv, err := s.cockpit(c)
	if err != nil {
		return err
	}
	if cv.Summary != "" {
		wb.Tables = append(wb.Tables, export.Table{Name: p.T("cockpit.summary"), Title: title + " " + p.T("cockpit.summary"),
			Subtitle: t.Subtitle, Headers: []string{p.T("cockpit.summary")}, Rows: [][]export.Cell{{export.Text(cv.Summary)}}, Widths: []float64{120}})
	}
	return sendTable(c, c.Param("format"), fmt.Sprintf("%d年_%s_指标画像", year, region.Name), wb)
}

// exportMulti exports several indicators for the regions of a comparison:
// ?indicator=a&indicator=b&…&layout=sheets (one sheet each) or wide (one sheet).
func (s *Server) exportMulti(c echo.Context) error {
	ctx := c.Request().Context()
	cat, err := s.store.Indicators(ctx)
	if err != nil {
		return err
	}
	form, _ := c.FormParams()
	codes := form["indicator"]
	if len(codes) == 0 || len(codes) > len(cat) {
		return kpi.Invalid("indicator", "请选择要导出的指标", "choose the indicators to export")
	}
	q, err := s.parseCompare(c, cat)
	if err != nil {
		return err
	}
	p := s.basePage(c, "")
	var inds []kpi.Indicator
	var tables []export.Table
	wide := export.Table{Name: p.T("export.wide"), Subtitle: s.dataStatus(p), Headers: []string{p.T("export.code"), p.T("col.region")}}
	rowOf := map[int]int{}
	for _, code := range codes {
		ind, err := cat.Get(code)
		if err != nil {
			return err
		}
		inds = append(inds, ind)
		q.Indicator = ind
		cmp, err := s.comparison(ctx, cat, q)
		if err != nil {
			return err
		}
		t := comparisonTable(p, cmp, q.Period.Label(p.Lang)+" "+ind.Name(p.Lang))
		t.Subtitle = s.dataStatus(p)
		tables = append(tables, t)
		wide.Headers = append(wide.Headers, ind.Name(p.Lang)+p.Paren(ind.UnitIn(p.Lang)))
		for _, row := range cmp.Rows {
			i, ok := rowOf[row.Point.Region.Code]
			if !ok {
				i = len(wide.Rows)
				rowOf[row.Point.Region.Code] = i
				wide.Rows = append(wide.Rows, []export.Cell{export.Text(row.Point.Region.CodeString()), export.Text(row.Point.Region.Name)})
			}
			for len(wide.Rows[i]) < len(wide.Headers)-1 {
				wide.Rows[i] = append(wide.Rows[i], export.Cell{})
			}
			wide.Rows[i] = append(wide.Rows[i], export.Num(rounded(row.Point.Value, ind.Decimals), numberFormat(ind)))
		}
	}
	wide.Title = q.Period.Label(p.Lang) + " " + p.T("export.multi")
	wb := export.Workbook{Lang: p.Lang, Tables: tables, Definitions: s.definitions(p, cat, inds)}
	if c.FormValue("layout") == "wide" {
		wb.Tables = []export.Table{wide}
	}
	return sendTable(c, c.Param("format"), fmt.Sprintf("%s_%d项指标_对比", q.Period.Label("zh"), len(inds)), wb)
}
