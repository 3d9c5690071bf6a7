package web

import (
	"encoding/json"
	"fmt"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/govkpi/govkpi/internal/kpi"
)

// Charts are built with go-echarts and sent to the browser as option JSON
// (see jsonAttr). go-echarts' own HTML rendering is not used: it writes the
// option into a <script> without escaping "<" and turns "__f__" strings
// into code, and names here come from data.

func toolbox(lang string) charts.GlobalOpts {
	return charts.WithToolboxOpts(opts.Toolbox{
		Show: opts.Bool(true), Right: "20",
		Feature: &opts.ToolBoxFeature{SaveAsImage: &opts.ToolBoxFeatureSaveAsImage{
			Show: opts.Bool(true), Title: tr(lang, "chart.save"), Type: "png",
		}},
	})
}

// optionOf finishes a chart and returns its ECharts option. Validate copies
// the x-axis data into place; go-echarts otherwise only does so when it
// renders HTML itself.
func optionOf(c interface {
	Validate()
	JSON() map[string]any
}) map[string]any {
	c.Validate()
	// Through JSON and back, so that callers may adjust the option as
	// plain maps and slices.
	b, err := json.Marshal(c.JSON())
	if err != nil {
		panic(err) // go-echarts' own types always marshal
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

func chartValue(ind kpi.Indicator, v *float64) any {
	if v == nil {
		return "-" // ECharts' missing value: a gap, not a zero
	}
	return kpi.Round(*v, ind.Decimals)
}

// compareChart is the ranking as a bar chart with average and median lines,
// and the drill-down URL of each bar (empty where there is no lower level).
func compareChart(p page, cmp kpi.Comparison, quartiles bool, drill func(kpi.Region) string) (option map[string]any, urls []string) {
	ind := cmp.Indicator
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		charts.WithInitializationOpts(opts.Initialization{Theme: "white"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithYAxisOpts(opts.YAxis{Name: ind.UnitIn(p.Lang)}),
		charts.WithXAxisOpts(opts.XAxis{AxisLabel: &opts.AxisLabel{Rotate: 30, Interval: "0"}}),
		charts.WithGridOpts(opts.Grid{Left: "60", Right: "110", Bottom: "90", ContainLabel: opts.Bool(true)}),
		toolbox(p.Lang),
	)
	var names []string
	var data []opts.BarData
	ranked := 0
	for _, row := range cmp.Rows {
		if row.Rank > 0 {
			ranked++
		}
	}
	for _, row := range cmp.Rows {
		if row.Point.Value == nil {
			continue
		}
		color := statusColor(row.Progress.Status)
		if quartiles {
			color = quartileColors[kpi.Quartile(row.Rank, ranked)]
		}
		names = append(names, row.Point.Region.Name)
		data = append(data, opts.BarData{Name: row.Point.Region.Name, Value: chartValue(ind, row.Point.Value),
			ItemStyle: &opts.ItemStyle{Color: color}})
		urls = append(urls, drill(row.Point.Region))
	}
	bar.SetXAxis(names).AddSeries(ind.Name(p.Lang), data)
	option = optionOf(bar)
	// Average and median as two lines that can be told apart even when
	// they nearly coincide: different colours and dashes, one label above
	// its line and one below. The labels go at the end where the bars are
	// lowest (the ranking puts the best first, so for an indicator where
	// lower is better that is the start), on a light ground, so that no bar
	// hides them. go-echarts has no per-line label, so they are set on the
	// finished option.
	side := "End"
	if ind.Direction == kpi.Down {
		side = "Start"
	}
	var marks []any
	for _, m := range []struct {
		key, color, dash, pos string
		v                     *float64
	}{{"chart.average", "#2b6cb0", "dashed", "inside" + side + "Top", cmp.Average}, {"chart.median", "#4a5568", "dotted", "inside" + side + "Bottom", cmp.Median}} {
		if m.v == nil {
			continue
		}
		marks = append(marks, map[string]any{"name": tr(p.Lang, m.key), "yAxis": kpi.Round(*m.v, ind.Decimals),
			"lineStyle": map[string]any{"color": m.color, "type": m.dash, "width": 1.5},
			"label": map[string]any{"show": true, "position": m.pos, "formatter": "{b} {c}", "color": m.color,
				"backgroundColor": "rgba(255,255,255,0.85)", "padding": []int{1, 3}}})
	}
	if series, ok := option["series"].([]any); ok && len(series) > 0 && len(marks) > 0 {
		if s0, ok := series[0].(map[string]any); ok {
			s0["markLine"] = map[string]any{"symbol": "none", "data": marks}
		}
	}
	return option, urls
}

// palette is ECharts' default series palette, fixed here so that a region's
// target line can share its value line's colour.
var palette = []string{"#5470c6", "#91cc75", "#fac858", "#ee6666", "#73c0de", "#3ba272", "#fc8452", "#9a60b4", "#ea7ccc"}

func colorOf(i int) string { return palette[i%len(palette)] }

// quartileColors: the best quarter dark green to the worst red.
var quartileColors = map[int]string{0: "#a0aec0", 1: "#276749", 2: "#68d391", 3: "#f6ad55", 4: "#c53030"}

// statusColor paints bars by target status; grey where there is none.
func statusColor(st kpi.ProgressStatus) string {
	switch st {
	case kpi.StatusMet:
		return "#2f855a"
	case kpi.StatusNear:
		return "#dd6b20"
	case kpi.StatusBehind:
		return "#c53030"
	}
	return "#5470c6"
}

// trendChart draws one line per region and, dashed, each region's targets,
// and returns where a click on each point of each series leads (drill).
func trendChart(p page, ind kpi.Indicator, span kpi.Span, cumulative bool, lines []regionSeries, drill func(kpi.Region, kpi.Period) string) (map[string]any, [][]string) {
	var urls [][]string
	drillOf := func(r kpi.Region) []string {
		var out []string
		for _, pd := range span.Periods() {
			out = append(out, drill(r, pd))
		}
		return out
	}
	line := charts.NewLine()
	line.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Type: "scroll", Top: "0"}),
		charts.WithYAxisOpts(opts.YAxis{Name: ind.UnitIn(p.Lang), Scale: opts.Bool(true)}),
		charts.WithGridOpts(opts.Grid{Left: "60", Right: "30", Top: "50", ContainLabel: opts.Bool(true)}),
		toolbox(p.Lang),
	)
	periods := span.Periods()
	labels := make([]string, len(periods))
	for i, pd := range periods {
		labels[i] = pd.ShortLabel()
	}
	line.SetXAxis(labels)
	for i, rs := range lines {
		data := make([]opts.LineData, len(rs.Points))
		for i, pt := range rs.Points {
			// Reported figures are filled dots, figures computed from the
			// regions below are hollow, and a disagreement is a triangle.
			symbol := "circle"
			switch {
			case pt.Differs:
				symbol = "triangle"
			case pt.Origin == kpi.OriginComputed:
				symbol = "emptyCircle"
			}
			data[i] = opts.LineData{Value: chartValue(ind, pt.Value), Symbol: symbol, SymbolSize: 7}
		}
		line.AddSeries(rs.Region.Name, data, charts.WithLineChartOpts(opts.LineChart{ConnectNulls: opts.Bool(false)}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: colorOf(i)}))
		urls = append(urls, drillOf(rs.Region))
	}
	// Each target line is dashed in its region's colour.
	for i, rs := range lines {
		if len(rs.Targets) == 0 {
			continue
		}
		data := make([]opts.LineData, len(periods))
		for i, pd := range periods {
			t, ok := rs.Targets[pd.Year]
			if !ok {
				data[i] = opts.LineData{Value: "-"}
				continue
			}
			switch {
			case !pd.IsYear() && ind.IsFlow() && cumulative:
				t = t * float64(pd.Quarter) / 4 // year to date: a quarter more each quarter
			case !pd.IsYear() && ind.IsFlow():
				t /= 4 // a quarter of a flow's annual target
			}
			data[i] = opts.LineData{Value: kpi.Round(t, ind.Decimals)}
		}
		line.AddSeries(fmt.Sprintf("%s %s", rs.Region.Name, tr(p.Lang, "chart.target")), data,
			charts.WithItemStyleOpts(opts.ItemStyle{Color: colorOf(i)}),
			charts.WithLineStyleOpts(opts.LineStyle{Type: "dashed", Width: 1.5, Color: colorOf(i)}),
			charts.WithLineChartOpts(opts.LineChart{ConnectNulls: opts.Bool(false), Symbol: "diamond"}))
		urls = append(urls, drillOf(rs.Region))
	}
	return optionOf(line), urls
}

// sparkline is a card's small trend: no axes, no legend, a tooltip per year.
func sparkline(ind kpi.Indicator, rs regionSeries) map[string]any {
	line := charts.NewLine()
	line.SetGlobalOptions(
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithXAxisOpts(opts.XAxis{Show: opts.Bool(false)}),
		charts.WithYAxisOpts(opts.YAxis{Show: opts.Bool(false), Scale: opts.Bool(true)}),
		charts.WithGridOpts(opts.Grid{Left: "2", Right: "2", Top: "4", Bottom: "4"}),
	)
	labels := make([]string, len(rs.Points))
	data := make([]opts.LineData, len(rs.Points))
	for i, pt := range rs.Points {
		labels[i] = pt.Period.ShortLabel()
		data[i] = opts.LineData{Value: chartValue(ind, pt.Value)}
	}
	line.SetXAxis(labels).AddSeries(rs.Region.Name, data,
		charts.WithLineChartOpts(opts.LineChart{Smooth: opts.Bool(true), ShowSymbol: opts.Bool(false)}),
		charts.WithAreaStyleOpts(opts.AreaStyle{Opacity: opts.Float(0.15)}))
	return optionOf(line)
}
