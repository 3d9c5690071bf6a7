package extract_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/govkpi/govkpi/db"
	"github.com/govkpi/govkpi/internal/extract"
)

// got is the short form of a candidate the rule tests compare.
type got struct {
	code  string
	value float64
	unit  string
}

func figures(t *testing.T, text string) []extract.Candidate {
	t.Helper()
	var out []extract.Candidate
	for _, c := range shipped(t).Extract(text) {
		if text[c.Start:c.End] == "" || text[c.QuoteStart:c.QuoteEnd] != c.Quote || !strings.Contains(c.Quote, text[c.Start:c.End]) {
			t.Fatalf("%q: offsets do not point at the figure: %+v", text, c)
		}
		if c.Indicator != "" {
			out = append(out, c)
		}
	}
	return out
}

func short(cs []extract.Candidate) []got {
	var out []got
	for _, c := range cs {
		out = append(out, got{c.Indicator, c.Value, c.Unit})
	}
	return out
}

func TestExtractRules(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       []got
	}{
		{"alias before the number", "配备专职人民调解员497名。", []got{{"fulltime_mediators", 497, "名"}}},
		{"alias after the measure word", "建立11个基层联系点。", []got{{"leg_contact_points", 11, "个"}}},
		{"longest alias ending nearest", "涉农街道42项、非涉农街道9项。", []got{{"streets_agri_delegated", 42, "项"}, {"streets_urban_delegated", 9, "项"}}},
		{"list continues in the next clause", "建立调委会194个，调解员687名。", []got{{"mediation_committees", 194, "个"}, {"mediators", 687, "名"}}},
		{"bare verbs carry the subject", "全县收到行政复议申请136件，受理121件，审结115件。",
			[]got{{"recon_applications", 136, "件"}, {"recon_accepted", 121, "件"}, {"recon_concluded", 115, "件"}}},
		{"subject in the clause before", "企业开办实现“一日办结”，全流程办理时间压减至0.5个工作日。", []got{{"startup_days", 0.5, "个工作日"}}},
		{"respectively", "政府投资、一般社会投资项目审批用时分别压缩到72个和55个工作日。",
			[]got{{"construction_days_gov", 72, "个工作日"}, {"construction_days_social", 55, "个工作日"}}},
		{"from … to", "工程建设项目审批事项从96项减至66项。", []got{{"construction_items", 66, "项"}}},
		{"change is not a level", "受理行政复议案件120件，同比增长44.7%。", []got{{"recon_accepted", 120, "件"}}},
		{"percentage points are a change", "调解成功率98%，提高2.5个百分点。", []got{{"mediation_success_rate", 98, "%"}}},
		{"reduction is not a level", "申报材料精减80%以上。", nil},
		{"万 multiplier with 余", "发放各类法治宣传资料320余万份。", []got{{"law_materials", 3200000, "份"}}},
		{"Chinese numerals", "新收行政复议案件六百四十二件。", []got{{"recon_accepted", 642, "件"}}},
		{"policy names", "推行企业登记“七证合一”，学习贯彻行政执法“三项制度”，按照“1+10+N”模式。", nil},
		{"slogans with small Chinese numerals", "做到两个维护，落实三项制度，一次办结。", nil},
		{"ordinals and ranks", "位列全国第一名，连续第3次获评。", nil},
		{"dates and years", "自2019年以来，2020年12月4日召开会议。", nil},
		{"titles", "出台《加强专职人民调解员队伍建设工作实施方案》等10项制度。", nil},
		{"document numbers", "依据〔2020〕12号文件。", nil},
		{"unit must fit the indicator", "调解成功率达98件。", nil},
		{"number counting another noun", "在全省率先打造政务服务24小时自助区。", nil},
		{"quotation marks do not matter", "“最多跑一次”事项达1150项。", []got{{"one_visit_items", 1150, "项"}}},
		{"list items after 、 carry the subject", "受理行政复议案件468件，审结451件，其中维持298件、直接纠错49件。",
			[]got{{"recon_accepted", 468, "件"}, {"recon_concluded", 451, "件"}, {"recon_upheld", 298, "件"}, {"recon_corrected", 49, "件"}}},
		{"spaces inside words", "今年上半年诉前分 流案件20299件。", []got{{"prelit_diverted", 20299, "件"}}},
		{"的 、 and 各类 inside an alias", "其中实现全程网办的事项2890项，以调解、和解方式结案34件，调解各类矛盾纠纷3982件。",
			[]got{{"full_online_items", 2890, "项"}, {"recon_mediated", 34, "件"}, {"mediation_accepted", 3982, "件"}}},
		{"measure word must fit the indicator's unit", "组织全县28个执法部门开展行政执法案卷评查，培训人民调解员1200人次。", nil},
		{"measure words of the same kind", "抽查执法案卷540卷，发放普法资料2万册，组织开展行政执法案卷评查3轮。",
			[]got{{"case_files_reviewed", 540, "卷"}, {"law_materials", 20000, "册"}, {"case_review_rounds", 3, "轮"}}},
		{"targets are not results", "力争全年人民调解成功率保持在98%以上，专职人民调解员达到200名。", nil},
		{"norms per unit are not totals", "推动每个乡镇至少配备2名专职人民调解员。", nil},
		{"an increment of a stock is not its level; the total is", "新增基层立法联系点4个，总数达到15个。",
			[]got{{"leg_contact_points", 15, "个"}}},
		{"an increment of a flow is a figure", "新增诉前分流案件300件。", []got{{"prelit_diverted", 300, "件"}}},
		{"a negated verb does not carry", "收到行政复议申请217件，不予受理14件，经审查予以受理195件。",
			[]got{{"recon_applications", 217, "件"}, {"recon_accepted", 195, "件"}}},
		{"a rate after a count is that count's ratio", "诉前调解成功2260件，成功率44.1%。",
			[]got{{"prelit_resolved", 2260, "件"}, {"prelit_success_rate", 44.1, "%"}}},
		{"a bracket after the figure does not make it noun-led", "受理行政复议案件1190件，审结1102件（含上年结转）。",
			[]got{{"recon_accepted", 1190, "件"}, {"recon_concluded", 1102, "件"}}},
		{"a phrase several indicators share does not carry", "全年完成合法性审查179件，其中规范性文件23件。",
			[]got{{"legality_reviews", 179, "件"}}},
		{"a noun-led number takes the last phrase after it", "179项政务服务事项实现“马上办”，建立3家行业性调委会及23家调解室。",
			[]got{{"instant_items", 179, "项"}, {"trade_committees", 3, "家"}, {"mediation_rooms", 23, "家"}}},
		{"a list mark ends a noun-led phrase", "40余项政务服务下沉一线、多项业务实现网上一次办结。", []got{{"services_down", 40, "项"}}},
		{"a longer phrase overlapping the nearest is the name", "全市法院诉前成功化解纠纷2.1万件。", []got{{"prelit_resolved", 21000, "件"}}},
		{"numbers of villages take the village indicator", "全县248个村（社区）全部配备法律顾问，186个村（社区）均建立了人民调解委员会。",
			[]got{{"legal_adviser_villages", 248, "个"}, {"village_mediation_orgs", 186, "个"}}},
		{"all the villages", "全市1680个村（社区）中已有1663个建成人民调解组织。",
			[]got{{"villages_total", 1680, "个"}, {"village_mediation_orgs", 1663, "个"}}},
		{"a village named for another thing", "全区1个村获评全国民主法治示范村，在120个村（社区）设立法律服务点。", nil},
		{"scores in 分, minutes are not", "在全省法治政府建设考核中，我市得分92.6分，5分钟内响应。", []got{{"eval_score", 92.6, "分"}}},
		{"common phrasings of the catalogue", "行政机关败诉5件，出庭率100%，行政诉讼一审收案1589件，开办环节精简为1个，实际述法1386人。",
			[]got{{"lit_lost", 5, "件"}, {"lit_head_appear_rate", 100, "%"}, {"lit_first_instance", 1589, "件"}, {"startup_procedures", 1, "个"}, {"shufa_done", 1386, "人"}}},
		{"respectively with short names", "政府投资类项目和社会投资类项目全流程审批时间分别控制在80个和50个工作日以内。",
			[]got{{"construction_days_gov", 80, "个工作日"}, {"construction_days_social", 50, "个工作日"}}},
		{"a list goes on in the next sentence of the paragraph", "收到行政复议申请178件，其中受理167件，不予受理11件。已办结159件，其中维持92件，驳回18件，撤销、确认违法等纠错23件。",
			[]got{{"recon_applications", 178, "件"}, {"recon_accepted", 167, "件"}, {"recon_concluded", 159, "件"}, {"recon_upheld", 92, "件"}, {"recon_upheld", 18, "件"}, {"recon_corrected", 23, "件"}}},
		{"but not into the next paragraph", "受理行政复议案件120件。\n审结115件。", []got{{"recon_accepted", 120, "件"}}},
		{"a share after a count is its ratio", "诉前委派调解案件19874件，占新收一审民商事案件的48.2%。",
			[]got{{"prelit_diverted", 19874, "件"}, {"prelit_diversion_rate", 48.2, "%"}}},
		{"a part of a whole named in the clause before", "一审行政案件中，以县人民政府为被告的案件317件。", nil},
		{"from the former value", "企业开办时间由原来的3个工作日缩减至1个工作日。", []got{{"startup_days", 1, "个工作日"}}},
		{"a verb carries only at the start of a phrase", "收到评价11.3万条，差评7条。", []got{{"reviews_total", 113000, "条"}}},
		{"the verb after the noun", "对现行有效的86件规范性文件开展全面清理。", []got{{"docs_cleared", 86, "件"}}},
		{"rates per 10000 people in 件", "全市民事行政案件万人起诉率为102.3件，检查各类市场主体3564家次。",
			[]got{{"lawsuit_rate_per10k", 102.3, "件"}, {"random_inspections", 3564, "家次"}}},
		{"population in 人 is converted to 万人", "全县常住人口583000人。", []got{{"population", 58.3, "人"}}},
		{"among the whole named before: 中 after the measure word", "全市政务服务事项1.36万项中，全程网办事项达到1.19万项。",
			[]got{{"service_items_total", 13600, "项"}, {"full_online_items", 11900, "项"}}},
		{"a number counted as 计 is not noun-led", "以全市常住人口423万人计算。", []got{{"population", 423, "人"}}},
		{"a phrase split by the number", "抽查22个执法单位的执法案卷186卷，在开庭审理的1624件行政案件中。",
			[]got{{"case_review_units", 22, "个"}, {"case_files_reviewed", 186, "卷"}, {"lit_hearings", 1624, "件"}}},
		{"places counted are not items", "向全市78个乡镇（街道）下放行政执法事项。", nil},
		{"a section of plans has no results", "一、主要成效\n受理行政复议案件120件。\n二、2025年工作安排\n推动行政机关负责人出庭应诉率保持在95%以上。\n三、其他\n审结115件行政复议案件。",
			[]got{{"recon_accepted", 120, "件"}, {"recon_concluded", 115, "件"}}}, // the next heading ends the plans
		{"a frequency is not a total", "县融媒体中心开设《法治》栏目，每周播出1期普法节目，每月开展普法活动2次。", nil},
		{"what a leader did in person is not the region's count", "主要负责同志带头出庭应诉1次。", nil},
		{"single Chinese numerals in a list of Chinese numerals", "共收到复议申请六十七件，受理五十九件，审结五十四件，其中维持三十一件，驳回四件。",
			[]got{{"recon_applications", 67, "件"}, {"recon_accepted", 59, "件"}, {"recon_concluded", 54, "件"}, {"recon_upheld", 31, "件"}, {"recon_upheld", 4, "件"}}},
		{"meetings are counted, not what they are about", "联合召开行政争议实质性化解联席会议2次。", nil},
		{"newly designated and 又有 are increments; 重新确认 is not", "新确定政府立法基层联系点5个，全年又有11条部门热线完成整合。重新确认规范性文件制定主体51个。",
			[]got{{"doc_issuing_bodies", 51, "个"}}},
		{"a village part after 其中 takes the village indicator", "辖区人民调解委员会共41个，其中村（社区）调委会22个、园区企业调委会14个。",
			[]got{{"mediation_committees", 41, "个"}, {"village_mediation_orgs", 22, "个"}}},
		{"who acts does not narrow a split phrase", "其中经调解申请人撤回申请的21件。", []got{{"recon_mediated", 21, "件"}}},
		{"more phrasings of the catalogue", "通过调解、和解方式化解行政争议286件，全年委派、委托调解案件3350件，撤销原行政行为12件，办结行政应诉案件40件，抽评案卷300卷。",
			[]got{{"recon_mediated", 286, "件"}, {"prelit_diverted", 3350, "件"}, {"recon_corrected", 12, "件"}, {"lit_concluded", 40, "件"}, {"case_files_reviewed", 300, "卷"}}},
		{"a bare rate ending a longer phrase needs its numerator before", "受理行政复议申请412件，审结398件，结案率96.6%。",
			[]got{{"recon_accepted", 412, "件"}, {"recon_concluded", 398, "件"}}},
		{"the subject may be a phrase starting the anchor's", "企业开办全流程压缩至0.5个工作日，办理环节精简至2个。",
			[]got{{"startup_days", 0.5, "个工作日"}, {"startup_procedures", 2, "个"}}},
		{"more phrasings of the catalogue, services and disputes", "政务服务事项下沉至镇（街道）办理182项，“一网通办”事项达到1280项，成功调处4102件，驳回申请36件，行政复议后被诉案件11件。",
			[]got{{"services_down", 182, "项"}, {"online_items", 1280, "项"}, {"mediation_success", 4102, "件"}, {"recon_upheld", 36, "件"}, {"recon_sued_after", 11, "件"}}},
		{"respectively: a short item takes the head of the first", "行政复议申请、受理、审结分别为310件、296件、288件。",
			[]got{{"recon_applications", 310, "件"}, {"recon_accepted", 296, "件"}, {"recon_concluded", 288, "件"}}},
		{"short kinds of construction projects", "工程建设项目审批时间政府投资类压缩至90个工作日、社会投资类压缩至60个工作日，对全县89个执法单位开展案卷评查。",
			[]got{{"construction_days_gov", 90, "个工作日"}, {"construction_days_social", 60, "个工作日"}, {"case_review_units", 89, "个"}}},
		{"a list of counted nouns shares the predicate after the last", "共有32个单位、56个村聘请了法律顾问，全区11个镇街、186个村（社区）均建立了人民调解委员会。",
			[]got{{"legal_adviser_units", 32, "个"}, {"legal_adviser_villages", 56, "个"}, {"village_mediation_orgs", 186, "个"}}},
		{"a passive verb after the noun", "全年有412件行政复议申请被受理，对接法院委派调解案件1860件，复议后被起诉率8.2%。",
			[]got{{"recon_accepted", 412, "件"}, {"prelit_diverted", 1860, "件"}, {"recon_sued_after_rate", 8.2, "%"}}},
		{"a bare 化解率 after disputes resolved", "全年排查化解各类矛盾纠纷3620件，化解率98.6%，诉前分流案件占一审民事案件的42.6%。",
			[]got{{"mediation_success", 3620, "件"}, {"mediation_success_rate", 98.6, "%"}, {"prelit_diversion_rate", 42.6, "%"}}},
		{"各 N is so many of each", "设立医疗纠纷、交通事故调解室各1个。", nil},
		{"typical cases published are not cases selected", "联合发布行政审判典型案例10件。", nil},
		{"the review of major enforcement decisions", "对重大行政处罚、行政强制等事项开展法制审核2673件。", nil},
		{"a court before a bare verb", "一审行政诉讼案件156件；人民法院审结149件。", []got{{"lit_first_instance", 156, "件"}, {"lit_concluded", 149, "件"}}},
		{"an owner inside a split phrase", "市政府法制办审查市政府各类合同103件。", []got{{"legality_reviews", 103, "件"}}},
		{"a phrase right before a number followed by a verb", "选派专职调解员164名入驻。", []got{{"fulltime_mediators", 164, "名"}}},
		{"the subject's phrase and the noun after the number", "设立企业开办专区，营业执照、印章刻制等整合为1个环节。", []got{{"startup_procedures", 1, "个"}}},
		{"the noun repeats the head of a phrase before", "重大行政决策事项目录确定的8个事项。", []got{{"major_decisions", 8, "个"}}},
		{"phrasings of the fourth round", "依法应当报备的规范性文件33件，已报备33件。发现存在合法性问题的文件11件，已督促制定机关修改或废止9件。决定受理781件。以调解书结案的共176件。",
			[]got{{"docs_due", 33, "件"}, {"docs_filed", 33, "件"}, {"docs_problems", 11, "件"}, {"docs_fixed", 9, "件"}, {"recon_accepted", 781, "件"}, {"recon_mediated", 176, "件"}}},
		{"phrasings of the fourth round, services", "168项审批事项划入市行政审批局，可网上申请办理的事项达到812项，318个村建成便民服务代办点，好评占比99.9%。",
			[]got{{"approval_bureau_items", 168, "项"}, {"online_items", 812, "项"}, {"service_point_villages", 318, "个"}, {"good_review_rate", 99.9, "%"}}},
		{"a part after 其中 is not the whole's indicator", "组织全县54名党政主要负责人开展年度述法，其中在委员会会议上现场述法9人。行政机关负责人出庭应诉1571件，其中市、县政府负责人出庭应诉43件次。",
			[]got{{"shufa_done", 54, "名"}, {"lit_head_appear", 1571, "件"}}},
		{"but a part of another indicator is named", "审结行政复议案件451件，其中维持298件、维持驳回12件。",
			[]got{{"recon_concluded", 451, "件"}, {"recon_upheld", 298, "件"}, {"recon_upheld", 12, "件"}}},
		{"新设 and 新建 add to a stock", "新设省政府立法基层联系点5个，新建调委会12个。", nil},
		{"rules in force are not rules made", "开展规章专项清理，审查现行有效的省政府规章78件。", nil},
		{"drafts are not laws made; those passed are", "提请审议地方性法规草案9件，其中《甲条例》《乙条例》等7件已审议通过。",
			[]got{{"local_regs_made", 7, "件"}}},
		{"a counted noun before the number names what is counted", "发布以案释法短视频140余期，代拟行政复议决定书、行政应诉答辩状等法律文书96件。帮助企业审查合同、化解纠纷，提出法律意见建议五千余条。", nil},
		{"a list goes on about an unnamed figure", "受理矛盾纠纷1642件。排查风险隐患126条，已化解118条。",
			[]got{{"mediation_accepted", 1642, "件"}}},
		{"a number after a title counts the titled documents", "对败诉案件逐案开展剖析，向相关单位制发《行政应诉风险提示函》3份。", nil},
		{"items received from above are added to a list, not its level", "本年度承接上级下放的行政许可事项41项。", nil},
		{"of a stock, the figure before its total is what was added", "指导创建“无讼村(社区)”41个，累计达到118个。",
			[]got{{"no_litigation_villages", 118, "个"}}},
		{"a total of a phrase of the indicator before", "新设省政府立法基层联系点5个，全省联系点总数达到23个。",
			[]got{{"leg_contact_points", 23, "个"}}},
		{"a phrase split by a list or a clause of its own", "均在印发后30日内报送市政府和县人大常委会备案9件。其中以乡镇政府、街道办事处为被申请人的案件186件。经复议后申请人又向法院起诉的1430件。",
			[]got{{"docs_filed", 9, "件"}, {"recon_vs_township", 186, "件"}, {"recon_sued_after", 1430, "件"}}},
		{"a short word inside a phrase narrows it to a part", "全年审结涉企民商事案件3.2万件，社会投资简易低风险项目审批用时压缩至15个工作日。", nil},
		{"the villages themselves, counted", "全县共有村（社区）198个，便民服务站覆盖率达到100%。",
			[]got{{"villages_total", 198, "个"}, {"service_point_coverage", 100, "%"}}},
		{"a short rate alias after a count is that count's ratio", "审查中发现问题文件14件，已督促制定机关自行纠正13件，纠错率92.9%。",
			[]got{{"docs_problems", 14, "件"}, {"docs_fixed", 13, "件"}, {"docs_fix_rate", 92.9, "%"}}},
		{"the verb after the noun, with words before the noun", "累计将32条部门服务热线整合并入。", []got{{"hotlines_merged", 32, "条"}}},
		{"a bare subject before a verb of reduction carries", "园区建设项目开工前审批事项精简为3个，审批时限压缩至20天以内。",
			[]got{{"park_items", 3, "个"}, {"park_days", 20, "天"}}},
		{"items put on a list named by a title", "公布《县人民政府2025年度重大行政决策事项目录》，将污水处理厂提标改造、城区学校布局调整等5项事项纳入目录管理。",
			[]got{{"major_decisions", 5, "项"}}},
		{"but a title that is no list names nothing", "出台《关于重大行政决策事项的规定》，将5项事项纳入管理。", nil},
		{"a total told only by its kinds", "全县有镇（街道）人民调解委员会15个、村（社区）人民调解委员会278个、企事业单位调委会23个、行业性专业性调委会12个。",
			[]got{{"village_mediation_orgs", 278, "个"}, {"trade_committees", 12, "个"}}},
		{"one kind alone is the indicator", "全区现有村（社区）调委会156个，专兼职人民调解员约900人。",
			[]got{{"mediation_committees", 156, "个"}, {"mediators", 900, "人"}}},
		{"涉及 counts the objects of the action before", "“双随机、一公开”监管实现全覆盖，全年开展抽查1823次，涉及市场主体9200余户。",
			[]got{{"random_inspections", 9200, "户"}}},
		{"确保 opens a target", "确保人民调解成功率达到98%以上。", nil},
		{"an increase stated as 增幅达到 is a change", "行政复议纠错率较上年提高1.5个百分点，增幅达到12%。", nil},
		{"counts per person or household are norms", "复议人员人均受理行政复议案件50件，法官人均审结民商事案件300件，各乡镇平均配备专职人民调解员3名，户均发放宣传资料2份。", nil},
		{"but an average duration is the indicator", "企业开办平均用时压缩至0.5个工作日。", []got{{"startup_days", 0.5, "个工作日"}}},
		{"a difference after a comparison is a change", "受理行政复议案件数量比上年多15件，审结行政复议案件较2022年少9件。", nil},
		{"an enforcement body's review of its decisions is not the legality review", "严格落实重大行政许可决定法制审核制度，全年局法制科审核重大审批决定68件。重大执法决定法制审核32件。", nil},
		{"another measure of the same subject", "企业开办由原来的3个工作日压缩至0.5个工作日，办理环节由5个精简为2个。",
			[]got{{"startup_days", 0.5, "个工作日"}, {"startup_procedures", 2, "个"}}},
		{"more phrasings of the catalogue", "其中维持及驳回21件，适用简易程序办结14件。促成原告撤诉318件。发放普法手册、宣传折页3.8万份。审结一审民商事案件8.17万件。",
			[]got{{"recon_upheld", 21, "件"}, {"recon_simplified", 14, "件"}, {"lit_withdrawn", 318, "件"}, {"law_materials", 38000, "份"}, {"civil_closed", 81700, "件"}}},
		{"more phrasings of the catalogue (2)", "群众对法治建设的满意度达到91.3%。依法应当报送备案的规范性文件187件，按时报备187件。已督促制定机关自行纠正13件。",
			[]got{{"public_satisfaction", 91.3, "%"}, {"docs_due", 187, "件"}, {"docs_filed", 187, "件"}, {"docs_fixed", 13, "件"}}},
		{"more phrasings of the catalogue (3)", "319项高频事项下沉至乡镇便民服务中心办理。186项行政许可及关联事项划转至区行政审批局集中实施。引导当事人选择诉前调解的纠纷5.93万件。",
			[]got{{"services_down", 319, "项"}, {"approval_bureau_items", 186, "项"}, {"prelit_diverted", 59300, "件"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := short(figures(t, tc.text))
			if len(g) != len(tc.want) {
				t.Fatalf("%q: got %v, want %v", tc.text, g, tc.want)
			}
			for i := range g {
				if g[i] != tc.want[i] {
					t.Errorf("%q: got %v, want %v", tc.text, g, tc.want)
				}
			}
		})
	}
}

func TestExtractDetails(t *testing.T) {
	text := "工程建设项目审批事项从96项减至66项。受理行政复议案件120件，同比增长44.7%。今年一季度，诉前分流案件300件。上半年诉前化解纠纷6941起。企业开办时间约为3至5个工作日。"
	cs := figures(t, text)
	if len(cs) != 5 {
		t.Fatalf("got %d candidates: %+v", len(cs), cs)
	}
	if cs[0].Previous == nil || *cs[0].Previous != 96 {
		t.Errorf("from … to: previous = %v, want 96", cs[0].Previous)
	}
	if cs[1].Change != "同比增长44.7%" {
		t.Errorf("change note = %q", cs[1].Change)
	}
	if cs[2].Period != "Q1" || cs[2].Quarter != 1 {
		t.Errorf("一季度: period %q quarter %d", cs[2].Period, cs[2].Quarter)
	}
	if cs[3].Period != "H1" || cs[3].Quarter != 2 || len(cs[3].Notes) == 0 {
		t.Errorf("上半年: period %q quarter %d notes %v", cs[3].Period, cs[3].Quarter, cs[3].Notes)
	}
	if cs[4].Low == nil || *cs[4].Low != 3 || cs[4].Value != 5 || text[cs[4].Start:cs[4].End] != "3至5个工作日" {
		t.Errorf("range: %+v (%q)", cs[4], text[cs[4].Start:cs[4].End])
	}
	if cs[0].Quote != "工程建设项目审批事项从96项减至66项" || text[cs[0].Start:cs[0].End] != "66项" {
		t.Errorf("quote %q, figure %q", cs[0].Quote, text[cs[0].Start:cs[0].End])
	}
	for _, c := range cs {
		if c.Confidence <= 0 || c.Confidence >= 1 {
			t.Errorf("confidence %v out of (0,1): %+v", c.Confidence, c)
		}
	}
	// A number outside the indicator's valid range is offered with low confidence.
	big := figures(t, "配备专职人民调解员9000000名。")
	if len(big) != 1 || big[0].Confidence >= 0.7 {
		t.Errorf("out-of-range figure: %+v", big)
	}
	// Unassigned numbers are returned for the user, without an indicator.
	all := shipped(t).Extract("组建10个专项工作组。")
	if len(all) != 1 || all[0].Indicator != "" || all[0].Value != 10 {
		t.Errorf("unassigned: %+v", all)
	}
	if got := shipped(t).Extract("没有任何数字的一段文字。"); len(got) != 0 {
		t.Errorf("no figures: %+v", got)
	}
}

// scoreDir evaluates every NAME.txt/NAME.gold.tsv pair in dir.
func scoreDir(t *testing.T, dir string) extract.Score {
	t.Helper()
	golds, _ := filepath.Glob(filepath.Join(dir, "*.gold.tsv"))
	if len(golds) == 0 {
		t.Fatalf("no gold in %s", dir)
	}
	var total extract.Score
	for _, gp := range golds {
		data, err := os.ReadFile(strings.TrimSuffix(gp, ".gold.tsv") + ".txt")
		if err != nil {
			t.Fatal(err)
		}
		text, err := extract.DecodeText(gp, data, extract.DefaultLimits)
		if err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(gp)
		if err != nil {
			t.Fatal(err)
		}
		gold, err := extract.ReadGold(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", gp, err)
		}
		for _, g := range gold {
			if !strings.Contains(text, g.Quote) {
				t.Errorf("%s line %d: quote %q is not in the text", gp, g.Line, g.Quote)
			}
		}
		total.Add(extract.Evaluate(text, shipped(t).Extract(text), gold))
	}
	return total
}

// TestQuality keeps the measured quality from sliding back: the seed
// reports, the held-out ones (heldout, heldout3, heldout4, heldout5) and the
// practice ones (see README and the second line of each held-out gold file
// for the first-sight figures).
func TestQuality(t *testing.T) {
	for _, tc := range []struct {
		dir        string
		minP, minR float64
	}{
		{"testdata/gold", 0.95, 0.9},
		{"testdata/heldout", 0.95, 0.9},
		{"testdata/practice", 0.95, 0.9},
		{"testdata/heldout3", 0.95, 0.95},
		{"testdata/heldout4", 0.95, 0.95},
		// Unseen when measured and never tuned on: the bar is the target.
		{"testdata/heldout5", 0.9, 0.85},
	} {
		s := scoreDir(t, tc.dir)
		t.Logf("%s: %d candidates, %d gold, %d correct: P %.3f R %.3f F1 %.3f", tc.dir, s.Candidates, s.Gold, s.Correct, s.Precision(), s.Recall(), s.F1())
		if s.Precision() < tc.minP || s.Recall() < tc.minR {
			t.Errorf("%s: precision %.3f (want ≥ %.2f), recall %.3f (want ≥ %.2f); missed %v; wrong %v", tc.dir, s.Precision(), tc.minP, s.Recall(), tc.minR, s.Missed, s.Wrong)
		}
	}
}

func TestEvaluate(t *testing.T) {
	text := "配备专职人民调解员497名，建立调委会194个。"
	cs := shipped(t).Extract(text)
	gold := []extract.Gold{
		{Quote: "配备专职人民调解员497名", Indicator: "fulltime_mediators", Value: 497},
		{Quote: "建立调委会194个", Indicator: "mediators", Value: 194}, // wrong code: still a correct figure
		{Quote: "配备专职人民调解员", Indicator: "x", Value: 1},
	}
	s := extract.Evaluate(text, cs, gold)
	if s.Candidates != 2 || s.Correct != 2 || s.RightCode != 1 || len(s.Missed) != 1 {
		t.Fatalf("score %+v", s)
	}
	if p, r := s.Precision(), s.Recall(); p != 1 || r < 0.66 || r > 0.67 {
		t.Errorf("P %v R %v", p, r)
	}
	// The value must match, not only the quote.
	s = extract.Evaluate(text, cs, []extract.Gold{{Quote: "配备专职人民调解员497名", Value: 498}})
	if s.Correct != 0 {
		t.Errorf("wrong value counted: %+v", s)
	}
	if _, err := extract.ReadGold(strings.NewReader("quote\tindicator\tvalue\tunit\na\tb\tx\tc\n")); err == nil {
		t.Error("bad value accepted")
	}
	if _, err := extract.ReadGold(strings.NewReader("a\tb\n")); err == nil {
		t.Error("short line accepted")
	}
}

// TestExtractLargeInput: the largest text the upload accepts, written as
// one endless sentence, is read in linear time.
func TestExtractLargeInput(t *testing.T) {
	unit := "配备专职人民调解员497名、建立调委会194个“三项制度”《规定》1+1从2项减至1项分别"
	text := strings.Repeat(unit, extract.DefaultLimits.MaxText/len(unit))
	start := time.Now()
	cs := shipped(t).Extract(text)
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("2 MB took %v", d)
	}
	if len(cs) == 0 {
		t.Error("no candidates")
	}
}

// TestSeedReportsShipped: the demo's copies of the seed reports (db/reports)
// are the annotated ones.
func TestSeedReportsShipped(t *testing.T) {
	for i := 1; i <= 5; i++ {
		name := fmt.Sprintf("%02d.txt", i)
		a, err := fs.ReadFile(db.Files, "reports/"+name)
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join("testdata/gold", name))
		if err != nil {
			t.Fatal(err)
		}
		if string(a) != string(b) {
			t.Errorf("db/reports/%s differs from testdata/gold/%s", name, name)
		}
	}
}
