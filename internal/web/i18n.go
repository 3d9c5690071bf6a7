package web

import (
	"net/url"

	"github.com/labstack/echo/v4"
)

// Chinese is the default; ?lang=en switches a page to English. The language
// travels in the URL like every other view parameter, so a shared link opens
// in the language it was sent in.
const (
	langZH = "zh"
	langEN = "en"
)

func langOf(c echo.Context) string {
	if c.QueryParam("lang") == langEN {
		return langEN
	}
	return langZH
}

// messages holds every fixed text of the pages: key → {Chinese, English}.
var messages = map[string][2]string{
	"app.name":          {"法治政府建设指标看板", "Rule-of-law KPI dashboard"},
	"nav.cockpit":       {"驾驶舱", "Cockpit"},
	"nav.trend":         {"趋势", "Trend"},
	"nav.compare":       {"对比排名", "Compare"},
	"demo.badge":        {"演示数据", "Demo data"},
	"demo.note":         {"本库为演示数据：数值为合成生成，仅供体验，不代表任何地区的真实情况。", "This database holds demo data: synthetic figures for trying the product, not any region's real numbers."},
	"lang.switch":       {"English", "中文"},
	"field.indicator":   {"指标", "Indicator"},
	"field.region":      {"地区", "Region"},
	"field.regions":     {"地区（可多选）", "Regions (several allowed)"},
	"field.year":        {"年份", "Year"},
	"field.quarter":     {"季度", "Quarter"},
	"field.from":        {"起始年", "From"},
	"field.to":          {"结束年", "To"},
	"field.by":          {"时间粒度", "Granularity"},
	"field.parent":      {"范围", "Within"},
	"by.year":           {"按年", "By year"},
	"by.quarter":        {"按季度", "By quarter"},
	"quarter.all":       {"全年", "Whole year"},
	"action.show":       {"查看", "Show"},
	"col.rank":          {"排名", "Rank"},
	"col.region":        {"地区", "Region"},
	"col.value":         {"数值", "Value"},
	"col.reported":      {"上报值", "Reported"},
	"col.computed":      {"下级汇总值", "From children"},
	"col.prev":          {"上年同期", "Last year"},
	"col.yoy":           {"同比", "YoY"},
	"col.target":        {"目标", "Target"},
	"col.progress":      {"目标完成度", "Progress"},
	"col.status":        {"状态", "Status"},
	"chart.average":     {"平均值", "Average"},
	"chart.median":      {"中位数", "Median"},
	"chart.target":      {"目标", "target"},
	"chart.save":        {"保存为图片", "Save as image"},
	"note.partial":      {"部分：尚有季度或下级地区未报送", "partial: some quarters or child regions have not reported"},
	"note.differs":      {"上报值与下级汇总值相差超过1%", "reported and computed differ by more than 1%"},
	"note.computed":     {"由下级地区汇总", "computed from child regions"},
	"note.approx":       {"各地比率的平均值，仅供参考", "an average of rates: approximate"},
	"note.drill":        {"点击柱形可下钻到下一级地区。", "Click a bar to drill down to the next level."},
	"note.notarget":     {"无目标", "no target"},
	"note.nodata":       {"所选范围暂无数据。", "No data for this selection."},
	"label.partial":     {"部分", "partial"},
	"label.differs":     {"差异", "differs"},
	"label.computed":    {"汇总", "computed"},
	"label.definition":  {"口径", "Definition"},
	"label.direction":   {"方向", "Direction"},
	"direction.up":      {"越高越好", "higher is better"},
	"direction.down":    {"越低越好", "lower is better"},
	"direction.neutral": {"监测指标", "monitoring only"},
	"cockpit.title":     {"%s %s 法治政府建设驾驶舱", "%s %s rule-of-law cockpit"},
	"cockpit.yoy":       {"同比", "YoY"},
	"cockpit.target":    {"目标", "Target"},
	"cockpit.compare":   {"各地对比", "Compare regions"},
	"cockpit.trend":     {"趋势", "Trend"},
	"trend.title":       {"%s 趋势", "%s trend"},
	"compare.title":     {"%s %s 对比排名", "%s %s ranking"},
	"compare.children":  {"%s 下辖地区", "regions under %s"},
	"compare.level":     {"全国各%s", "all %s regions"},
	"compare.average":   {"平均值 %s，中位数 %s", "average %s, median %s"},
	"error.title":       {"出错了", "Something went wrong"},
	"error.back":        {"返回驾驶舱", "Back to the cockpit"},
	"error.request":     {"请求编号", "Request ID"},
	"footer.text":       {"govkpi · 数据按 DESIGN 规则汇总：流量相加，存量取期末，时长取平均，比率先汇总分子分母再相除。", "govkpi · flows add up, stocks take the period end, durations average, ratios divide summed parts."},
}

// tr returns the text of key in lang; a missing key shows as itself so it
// is noticed, never as an empty string.
func tr(lang, key string) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	if lang == langEN {
		return m[1]
	}
	return m[0]
}

// withLang adds lang=en to a URL's query when the page is in English.
func withLang(lang string, path string, q url.Values) string {
	if lang == langEN {
		q.Set("lang", langEN)
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}
