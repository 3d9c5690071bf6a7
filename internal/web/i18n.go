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
	"app.name":               {"法治政府建设指标看板", "Rule-of-law KPI dashboard"},
	"nav.cockpit":            {"驾驶舱", "Cockpit"},
	"nav.trend":              {"趋势", "Trend"},
	"nav.compare":            {"对比排名", "Compare"},
	"demo.badge":             {"演示数据", "Demo data"},
	"demo.note":              {"本库为演示数据：数值为合成生成，仅供体验，不代表任何地区的真实情况。", "This database holds demo data: synthetic figures for trying the product, not any region's real numbers."},
	"lang.switch":            {"English", "中文"},
	"field.indicator":        {"指标", "Indicator"},
	"field.region":           {"地区", "Region"},
	"field.regions":          {"地区（可多选）", "Regions (several allowed)"},
	"field.year":             {"年份", "Year"},
	"field.quarter":          {"季度", "Quarter"},
	"field.from":             {"起始年", "From"},
	"field.to":               {"结束年", "To"},
	"field.by":               {"时间粒度", "Granularity"},
	"field.parent":           {"范围", "Within"},
	"by.year":                {"按年", "By year"},
	"by.quarter":             {"按季度", "By quarter"},
	"quarter.all":            {"全年", "Whole year"},
	"action.show":            {"查看", "Show"},
	"col.rank":               {"排名", "Rank"},
	"col.region":             {"地区", "Region"},
	"col.value":              {"数值", "Value"},
	"col.reported":           {"上报值", "Reported"},
	"col.computed":           {"下级汇总值", "From children"},
	"col.prev":               {"上年同期", "Last year"},
	"col.yoy":                {"同比", "YoY"},
	"col.target":             {"目标", "Target"},
	"col.progress":           {"目标完成度", "Progress"},
	"col.status":             {"状态", "Status"},
	"chart.average":          {"平均值", "Average"},
	"chart.median":           {"中位数", "Median"},
	"chart.target":           {"目标", "target"},
	"chart.save":             {"保存为图片", "Save as image"},
	"note.partial":           {"部分：尚有季度或下级地区未报送", "partial: some quarters or child regions have not reported"},
	"note.differs":           {"上报值与下级汇总值相差超过1%", "reported and computed differ by more than 1%"},
	"note.computed":          {"由下级地区汇总", "computed from child regions"},
	"note.approx":            {"各地比率的平均值，仅供参考", "an average of rates: approximate"},
	"note.drill":             {"点击柱形可下钻到下一级地区。", "Click a bar to drill down to the next level."},
	"note.notarget":          {"无目标", "no target"},
	"note.nodata":            {"所选范围暂无数据。", "No data for this selection."},
	"label.partial":          {"部分", "partial"},
	"label.differs":          {"差异", "differs"},
	"label.computed":         {"汇总", "computed"},
	"label.definition":       {"口径", "Definition"},
	"label.direction":        {"方向", "Direction"},
	"direction.up":           {"越高越好", "higher is better"},
	"direction.down":         {"越低越好", "lower is better"},
	"direction.neutral":      {"监测指标", "monitoring only"},
	"cockpit.title":          {"%s %s 法治政府建设驾驶舱", "%s %s rule-of-law cockpit"},
	"cockpit.yoy":            {"同比", "YoY"},
	"cockpit.target":         {"目标", "Target"},
	"cockpit.compare":        {"各地对比", "Compare regions"},
	"cockpit.trend":          {"趋势", "Trend"},
	"trend.title":            {"%s 趋势", "%s trend"},
	"compare.title":          {"%s %s 对比排名", "%s %s ranking"},
	"compare.children":       {"%s 下辖地区", "regions under %s"},
	"compare.level":          {"全国各%s", "all %s regions"},
	"compare.average":        {"平均值 %s，中位数 %s", "average %s, median %s"},
	"error.title":            {"出错了", "Something went wrong"},
	"error.back":             {"返回驾驶舱", "Back to the cockpit"},
	"error.request":          {"请求编号", "Request ID"},
	"nav.entry":              {"填报", "Entry"},
	"nav.review":             {"审核", "Review"},
	"nav.completeness":       {"报送情况", "Completeness"},
	"nav.logout":             {"退出", "Log out"},
	"login.title":            {"登录", "Log in"},
	"login.name":             {"用户名", "Login name"},
	"login.password":         {"密码", "Password"},
	"login.submit":           {"登录", "Log in"},
	"login.demo":             {"演示账号见 make run 的输出（admin、reviewer、editor、viewer）。", "Demo accounts are printed by make run (admin, reviewer, editor, viewer)."},
	"error.csrf":             {"表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试", "the form expired or came from elsewhere (CSRF check failed): reload the page and try again"},
	"field.period":           {"期间", "Period"},
	"col.unit":               {"单位", "Unit"},
	"col.prevq":              {"上期", "Previous period"},
	"col.note":               {"备注", "Note"},
	"entry.title":            {"%s %s 数据填报", "%s: entry for %s"},
	"entry.state":            {"本期状态", "This period"},
	"entry.due":              {"报送截止", "Due"},
	"entry.locked":           {"已锁定（逾期），需审核人重新打开", "locked (overdue): a reviewer must reopen it"},
	"entry.saved.draft":      {"草稿已保存。", "Draft saved."},
	"entry.saved.submitted":  {"已报送，等待审核。", "Submitted for review."},
	"entry.fix":              {"有数据未通过校验，未保存任何内容。请按各单元格的提示修改后再保存。", "Some cells did not pass the checks, so nothing was saved. Fix the cells marked below and save again."},
	"entry.noempty":          {"已填报的数据不能清空；如需更正请填写正确数值", "a stored figure cannot be cleared here: enter the correct value"},
	"entry.annual":           {"年度", "annual"},
	"entry.reviewer":         {"审核意见", "Reviewer"},
	"entry.history":          {"修改记录", "History"},
	"entry.save":             {"保存草稿", "Save draft"},
	"entry.submit":           {"报送本期", "Submit the period"},
	"entry.none":             {"本部门在此期间没有需要填报的指标。", "This department has nothing to enter for this period."},
	"entry.unsaved":          {"有未保存的修改", "You have unsaved changes"},
	"status.draft":           {"草稿", "draft"},
	"status.submitted":       {"已报送", "submitted"},
	"status.approved":        {"已审核", "approved"},
	"status.returned":        {"已退回", "returned"},
	"status.deleted":         {"已删除", "deleted"},
	"review.title":           {"%s %s 审核", "%s: review for %s"},
	"review.pending":         {"待审核", "Waiting for review"},
	"review.nothing":         {"没有待审核的报送。", "Nothing is waiting for review."},
	"review.late":            {"逾期报送", "late"},
	"review.cellcomment":     {"单项意见", "Comment on this figure"},
	"review.approve":         {"审核通过", "Approve"},
	"review.return":          {"退回修改", "Return"},
	"review.reopen":          {"重新打开", "Reopen"},
	"review.reason":          {"退回或重新打开的原因", "Reason for returning or reopening"},
	"review.others":          {"其他部门", "Other departments"},
	"review.department":      {"部门", "Department"},
	"review.done.approve":    {"已审核通过。", "Approved."},
	"review.done.return":     {"已退回，填报部门将看到意见。", "Returned: the department sees your comments."},
	"review.done.reopen":     {"已重新打开。", "Reopened."},
	"completeness.title":     {"%s %s 报送情况", "%s: completeness for %s"},
	"completeness.rate":      {"报送率", "Reporting rate"},
	"completeness.counts":    {"已报/应报", "Reported/expected"},
	"completeness.own":       {"本级", "own"},
	"completeness.note":      {"报送率 = 下辖全部应报部门中已报送（含已审核）的部门数 ÷ 应报部门数，逐级汇总（与 DHIS2 相同）。", "Reporting rate = departments that submitted (or were approved) ÷ departments expected, over the whole subtree, as DHIS2 does."},
	"history.title":          {"%s %s %s 修改记录", "%s %s %s: history"},
	"history.note":           {"每次修改、报送、审核、退回都会追加一条记录，记录不可修改或删除。", "Every change, submission, approval and return appends a row; rows are never changed or deleted."},
	"history.at":             {"时间", "When"},
	"history.actor":          {"操作人", "Who"},
	"history.old":            {"原值", "Old"},
	"history.new":            {"新值", "New"},
	"history.source":         {"来源", "Source"},
	"history.reason":         {"原因", "Reason"},
	"history.none":           {"没有记录。", "No changes recorded."},
	"col.history":            {"记录", "History"},
	"approved.only":          {"仅显示已审核数据", "Approved values only"},
	"approved.all":           {"显示已报送和已审核数据", "Submitted and approved values"},
	"upload.title":           {"上传预览", "Upload preview"},
	"upload.template":        {"填报模板", "entry template"},
	"upload.file":            {"文件", "File"},
	"upload.check":           {"校验", "Check"},
	"upload.cell":            {"单元格", "Cell"},
	"upload.current":         {"现有值", "Stored"},
	"upload.new":             {"上传值", "In the file"},
	"upload.haserrors":       {"文件有错误，未写入任何数据。请修改后重新上传：", "The file has errors, so nothing was written. Fix them and upload again:"},
	"upload.nochange":        {"文件与现有数据一致，无需写入。", "The file matches the stored figures: nothing to write."},
	"upload.confirm":         {"确认写入 %d 项（作为草稿）", "Confirm: write %d figures (as drafts)"},
	"upload.otherregion":     {"该模板属于其他地区", "this template is for another region"},
	"upload.quarter":         {"季度须为 1–4", "the quarter must be 1–4"},
	"upload.notyours":        {"该指标不由本部门在此期间填报", "this indicator is not entered by this department in this period"},
	"upload.approved":        {"已审核锁定，需审核人重新打开", "approved and locked: a reviewer must reopen it"},
	"upload.send":            {"上传 Excel/CSV", "Upload Excel/CSV"},
	"upload.download":        {"下载填报模板（Excel）", "Download the template (Excel)"},
	"entry.saved.upload":     {"上传的数据已写入为草稿，请核对后报送。", "The uploaded figures were saved as drafts: check them, then submit."},
	"backfill.title":         {"历史数据补录", "Backfill history"},
	"backfill.note":          {"管理员用：每行一个地区和期间（地区代码、年份、季度），每列一个指标代码。写入的数据直接为已审核状态，全部写入或全部不写。", "For administrators: one row per region and period (region code, year, quarter), one column per indicator code. Values are written as approved, all or nothing."},
	"backfill.download":      {"下载补录模板", "Download the backfill template"},
	"backfill.ratio":         {"比率由分子分母计算，不能直接补录", "ratios are computed from their parts and cannot be backfilled"},
	"backfill.region":        {"地区代码 %06d 不存在", "region %06d does not exist"},
	"backfill.annual":        {"年度指标的季度须为 0", "annual indicators take quarter 0"},
	"source.form":            {"网页填报", "form"},
	"source.import":          {"文件上传", "upload"},
	"source.api":             {"接口", "API"},
	"source.document":        {"材料摘录", "document"},
	"source.demo":            {"演示数据", "demo"},
	"targets.title":          {"%s %s %s 目标", "%s %s targets: %s"},
	"targets.actual":         {"当年实际", "Actual"},
	"targets.save":           {"保存目标", "Save targets"},
	"targets.saved":          {"目标已保存。", "Targets saved."},
	"targets.note":           {"完成度 = 实际 ÷ 目标（越低越好的指标为 目标 ÷ 实际）；季度数据中，流量指标对比全年目标的四分之一。", "Progress = actual ÷ target (target ÷ actual when lower is better); for a quarter, flows are measured against a quarter of the annual target."},
	"nav.targets":            {"目标", "Targets"},
	"nav.scorecard":          {"画像", "Scorecard"},
	"scorecard.title":        {"%s %s 指标画像", "%s %s scorecard"},
	"scorecard.peers":        {"比较范围", "Peers"},
	"scorecard.provinces":    {"全国各省（区、市）", "all provinces"},
	"scorecard.radar":        {"各领域得分雷达图", "Category scores"},
	"scorecard.score":        {"得分", "Score"},
	"scorecard.method.title": {"得分方法", "How scores are computed"},
	"scorecard.method":       {"每项指标按本地区在同级地区中的位置打分：最好的为100分、最差的为0分，其余按数值在最小值与最大值之间线性插值（越低越好的指标反向计算）；监测类指标不打分。领域得分为该领域各项指标得分的平均数。", "Each indicator scores where the region lies among its peers: the best 100, the worst 0, linear in between (reversed when lower is better); monitoring indicators are not scored. A category's score is the mean of its indicators' scores."},
	"compare.sort":           {"排序", "Order"},
	"compare.sort.rank":      {"按数值", "by value"},
	"compare.sort.progress":  {"按目标完成度", "by target progress"},
	"compare.color":          {"着色", "Colour"},
	"compare.color.status":   {"按目标状态", "by target status"},
	"compare.color.quartile": {"按四分位", "by quartile"},
	"compare.quartiles":      {"柱色：深绿为前四分之一，浅绿、橙依次，红为后四分之一", "Bars: dark green the best quarter, then light green, orange, and red the worst quarter"},
	"trend.cumulative":       {"按季度累计（年初至今）", "Year to date (by quarter)"},
	"trend.symbols":          {"实心点为本级上报值，空心点为下级汇总值，三角为两者不一致", "filled dots are reported figures, hollow dots computed from the regions below, triangles where the two disagree"},
	"cockpit.screen":         {"大屏模式", "Wall display"},
	"cockpit.rank":           {"第%d/%d位", "rank %d of %d"},
	"action.print":           {"打印", "Print"},
	"cockpit.summary":        {"文字综述", "Summary"},
	"action.copy":            {"复制", "Copy"},
	"action.export":          {"导出", "Export"},
	"export.at":              {"导出时间", "exported"},
	"export.pp":              {"个百分点", "pp"},
	"export.code":            {"地区代码", "Code"},
	"export.note":            {"备注", "Note"},
	"export.level":           {"各地区对比", "regions compared"},
	"export.children":        {"%s各%s对比", "%s: every %s"},
	"export.source":          {"govkpi 数据库：各部门报送的数据（数据状态见表头）", "govkpi database: figures submitted by departments (see the data status above each table)"},
	"export.yoyunit":         {"同比单位", "YoY unit"},
	"export.peers":           {"参与排名地区数", "Regions ranked"},
	"export.categoryscores":  {"领域得分", "Category scores"},
	"export.category":        {"领域", "Category"},
	"export.wide":            {"汇总", "All"},
	"export.multi":           {"多指标对比", "indicators compared"},
	"export.xlsx":            {"导出 Excel", "Export Excel"},
	"export.csv":             {"导出 CSV", "Export CSV"},
	"targets.quarter":        {"目标按年设定，季度须为 0", "targets are per year: the quarter must be 0"},
	"trend.drill":            {"点击折线上的点可查看该期下级地区对比。", "Click a point to compare that region's children for the period."},
	"nav.backfill":           {"补录", "Backfill"},
	"footer.text":            {"govkpi · 汇总规则：流量相加，存量取期末，时长取平均，比率先汇总分子分母再相除。", "govkpi · flows add up, stocks take the period end, durations average, ratios divide summed parts."},
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
