package kpi_test

import (
	"testing"

	"github.com/govkpi/govkpi/internal/kpi"
)

// Indicators for the summary, one of each wording the summary knows. They are
// built here rather than taken from helpers_test.go so that the expected
// sentences below depend only on what this file shows.
var (
	smRate = kpi.Indicator{
		Code: "prelit_diversion_rate", NameZH: "诉前分流率", NameEN: "Pre-litigation diversion rate",
		Kind: kpi.KindRatio, Unit: "%", UnitEN: "%", Direction: kpi.Up, Decimals: 1,
	}
	smMediators = kpi.Indicator{
		Code: "fulltime_mediators", NameZH: "专职人民调解员", NameEN: "Full-time people's mediators",
		Kind: kpi.KindStock, Unit: "名", UnitEN: "mediators", Direction: kpi.Up, Decimals: 0,
	}
	smMediated = kpi.Indicator{
		Code: "mediation_success", NameZH: "调解成功数", NameEN: "Disputes mediated",
		Kind: kpi.KindCount, Unit: "件", UnitEN: "disputes", Direction: kpi.Up, Decimals: 0,
	}
	smApplications = kpi.Indicator{ // a flow whose English name does not name its unit
		Code: "reconsideration_applications", NameZH: "行政复议申请数", NameEN: "Reconsideration applications received",
		Kind: kpi.KindCount, Unit: "件", UnitEN: "cases", Direction: kpi.Neutral, Decimals: 0,
	}
	smDays = kpi.Indicator{
		Code: "startup_days", NameZH: "企业开办时间", NameEN: "Time to start a business",
		Kind: kpi.KindDuration, Unit: "个工作日", UnitEN: "working days", Direction: kpi.Down, Decimals: 1,
	}
	smItems = kpi.Indicator{
		Code: "licensing_items", NameZH: "行政许可事项", NameEN: "Items on the administrative-licensing list",
		Kind: kpi.KindList, Unit: "项", UnitEN: "items", Direction: kpi.Down, Decimals: 0,
	}
	smCommittees = kpi.Indicator{ // a stock whose English name does not name its unit
		Code: "mediation_committees", NameZH: "人民调解委员会", NameEN: "Mediation committees",
		Kind: kpi.KindStock, Unit: "个", UnitEN: "bodies", Direction: kpi.Up, Decimals: 0,
	}
	smScore = kpi.Indicator{ // a rate that is not a percentage
		Code: "evaluation_score", NameZH: "法治政府建设考评得分", NameEN: "Rule-of-law government evaluation score",
		Kind: kpi.KindRate, Unit: "分", UnitEN: "points", Direction: kpi.Up, Decimals: 1,
	}
)

var (
	smZhejiang   = kpi.Region{Code: 330000, Name: "浙江省", Level: kpi.LevelProvince}
	smHangzhou   = kpi.Region{Code: 330100, Name: "杭州市", Level: kpi.LevelCity, Parent: 330000}
	smShangcheng = kpi.Region{Code: 330102, Name: "上城区", Level: kpi.LevelCounty, Parent: 330100}
	smChunan     = kpi.Region{Code: 330127, Name: "淳安县", Level: kpi.LevelCounty, Parent: 330100}
	smChina      = kpi.Region{Name: "中国"} // level 0: the country, parent of provinces
	// English-named regions, as the English summary prints the name it is given.
	smZhejiangEN = kpi.Region{Code: 330000, Name: "Zhejiang", Level: kpi.LevelProvince}
	smHangzhouEN = kpi.Region{Code: 330100, Name: "Hangzhou", Level: kpi.LevelCity, Parent: 330000}
)

func smIn(r kpi.Region, parent *kpi.Region, items ...kpi.SummaryItem) kpi.SummaryInput {
	return kpi.SummaryInput{Region: r, Parent: parent, Year: 2024, Items: items}
}

func TestSummarize(t *testing.T) {
	example := smIn(smHangzhou, &smZhejiang,
		kpi.SummaryItem{Indicator: smRate, Value: f(98.5), Prev: f(96.4), Rank: 1, Peers: 16},
		kpi.SummaryItem{Indicator: smMediators, Value: f(497), Prev: f(485)},
	)
	rate2 := smRate
	rate2.Decimals = 2

	tests := []struct {
		name string
		in   kpi.SummaryInput
		lang string
		want string
	}{
		{"the example", example, "zh",
			"2024年，全市诉前分流率98.5%，同比提高2.1个百分点，在全省16个市中居第1位；专职人民调解员497名，同比增加12名。"},
		{"empty lang is Chinese", example, "",
			"2024年，全市诉前分流率98.5%，同比提高2.1个百分点，在全省16个市中居第1位；专职人民调解员497名，同比增加12名。"},
		{"a district with a rising flow, no thousands separator",
			smIn(smShangcheng, nil, kpi.SummaryItem{Indicator: smMediated, Value: f(20299), Prev: f(14028)}), "zh",
			"2024年，全区调解成功20299件，同比增长44.7%。"}, // 6271/14028 = 44.70%
		{"a county with a falling flow",
			smIn(smChunan, nil, kpi.SummaryItem{Indicator: smMediated, Value: f(968), Prev: f(1000)}), "zh",
			"2024年，全县调解成功968件，同比下降3.2%。"},
		{"a flow falling by more than a quarter",
			smIn(smChunan, nil, kpi.SummaryItem{Indicator: smMediated, Value: f(14028), Prev: f(20299)}), "zh",
			"2024年，全县调解成功14028件，同比下降30.9%。"}, // 6271/20299 = 30.89%
		{"a large count without separators",
			smIn(smZhejiang, nil, kpi.SummaryItem{Indicator: smMediated, Value: f(1234567)}), "zh",
			"2024年，全省调解成功1234567件。"},
		{"a province",
			smIn(smZhejiang, &smChina, kpi.SummaryItem{Indicator: smRate, Value: f(97.2), Prev: f(97.6), Rank: 5, Peers: 31}), "zh",
			"2024年，全省诉前分流率97.2%，同比下降0.4个百分点，在全国31个省（区、市）中居第5位。"},
		{"a county ranked in its city",
			smIn(smShangcheng, &smHangzhou, kpi.SummaryItem{Indicator: smMediators, Value: f(52), Prev: f(52), Rank: 2, Peers: 13}), "zh",
			"2024年，全区专职人民调解员52名，与上年持平，在全市13个县（市、区）中居第2位。"},
		{"a duration that falls",
			smIn(smHangzhou, nil, kpi.SummaryItem{Indicator: smDays, Value: f(1.5), Prev: f(2)}), "zh",
			"2024年，全市企业开办时间1.5个工作日，同比缩短0.5个工作日。"},
		{"a duration that rises, float noise rounded away",
			smIn(smHangzhou, nil, kpi.SummaryItem{Indicator: smDays, Value: f(3.2), Prev: f(2.5)}), "zh",
			"2024年，全市企业开办时间3.2个工作日，同比延长0.7个工作日。"}, // 3.2-2.5 = 0.7000000000000002
		{"a list that shrinks",
			smIn(smHangzhou, nil, kpi.SummaryItem{Indicator: smItems, Value: f(132), Prev: f(135)}), "zh",
			"2024年，全市行政许可事项132项，同比减少3项。"},
		{"a score that rises",
			smIn(smHangzhou, nil, kpi.SummaryItem{Indicator: smScore, Value: f(92.5), Prev: f(91)}), "zh",
			"2024年，全市法治政府建设考评得分92.5分，同比提高1.5分。"},
		{"a score that falls",
			smIn(smHangzhou, nil, kpi.SummaryItem{Indicator: smScore, Value: f(88), Prev: f(89.5)}), "zh",
			"2024年，全市法治政府建设考评得分88.0分，同比降低1.5分。"},
		{"unchanged at the displayed precision",
			smIn(smHangzhou, nil, kpi.SummaryItem{Indicator: smRate, Value: f(98.46), Prev: f(98.54)}), "zh",
			"2024年，全市诉前分流率98.5%，与上年持平。"}, // both show 98.5
		{"a flow whose percent change rounds to 0.0 is unchanged",
			smIn(smHangzhou, nil, kpi.SummaryItem{Indicator: smMediated, Value: f(10004), Prev: f(10000)}), "zh",
			"2024年，全市调解成功10004件，与上年持平。"}, // +0.04%
		{"value rounded to the indicator's decimals",
			smIn(smHangzhou, nil, kpi.SummaryItem{Indicator: smRate, Value: f(98.46)}), "zh",
			"2024年，全市诉前分流率98.5%。"},
		{"change computed from the displayed figures",
			smIn(smHangzhou, nil, kpi.SummaryItem{Indicator: smRate, Value: f(98.46), Prev: f(96.44)}), "zh",
			"2024年，全市诉前分流率98.5%，同比提高2.1个百分点。"}, // 98.5-96.4, not 2.02 → 2.0
		{"points at two decimals",
			smIn(smHangzhou, nil, kpi.SummaryItem{Indicator: rate2, Value: f(98.47), Prev: f(96.4)}), "zh",
			"2024年，全市诉前分流率98.47%，同比提高2.07个百分点。"},
		{"missing value: the item is left out",
			smIn(smHangzhou, nil,
				kpi.SummaryItem{Indicator: smMediators, Value: f(497)},
				kpi.SummaryItem{Indicator: smRate, Prev: f(96.4), Rank: 1, Peers: 16},
				kpi.SummaryItem{Indicator: smDays, Value: f(1.5)}), "zh",
			"2024年，全市专职人民调解员497名；企业开办时间1.5个工作日。"},
		{"missing first value: the opening moves to the next item",
			smIn(smHangzhou, &smZhejiang,
				kpi.SummaryItem{Indicator: smRate, Prev: f(96.4), Rank: 1, Peers: 16},
				kpi.SummaryItem{Indicator: smMediators, Value: f(497), Prev: f(485)}), "zh",
			"2024年，全市专职人民调解员497名，同比增加12名。"},
		{"missing prev: no year-on-year clause",
			smIn(smHangzhou, &smZhejiang, kpi.SummaryItem{Indicator: smRate, Value: f(98.5), Rank: 3, Peers: 11}), "zh",
			"2024年，全市诉前分流率98.5%，在全省11个市中居第3位。"},
		{"prev 0 for a flow: no percent change",
			smIn(smHangzhou, nil, kpi.SummaryItem{Indicator: smMediated, Value: f(35), Prev: f(0)}), "zh",
			"2024年，全市调解成功35件。"},
		{"prev 0 for a stock: the absolute change still reads",
			smIn(smHangzhou, nil, kpi.SummaryItem{Indicator: smMediators, Value: f(35), Prev: f(0)}), "zh",
			"2024年，全市专职人民调解员35名，同比增加35名。"},
		{"one peer: no rank clause",
			smIn(smHangzhou, &smZhejiang, kpi.SummaryItem{Indicator: smRate, Value: f(98.5), Rank: 1, Peers: 1}), "zh",
			"2024年，全市诉前分流率98.5%。"},
		{"no peers: no rank clause",
			smIn(smHangzhou, &smZhejiang, kpi.SummaryItem{Indicator: smRate, Value: f(98.5), Rank: 1}), "zh",
			"2024年，全市诉前分流率98.5%。"},
		{"rank 0: no rank clause",
			smIn(smHangzhou, &smZhejiang, kpi.SummaryItem{Indicator: smRate, Value: f(98.5), Peers: 11}), "zh",
			"2024年，全市诉前分流率98.5%。"},
		{"no parent: no rank clause",
			smIn(smHangzhou, nil, kpi.SummaryItem{Indicator: smRate, Value: f(98.5), Rank: 1, Peers: 11}), "zh",
			"2024年，全市诉前分流率98.5%。"},
		{"rank beyond the peers: no rank clause",
			smIn(smHangzhou, &smZhejiang, kpi.SummaryItem{Indicator: smRate, Value: f(98.5), Rank: 12, Peers: 11}), "zh",
			"2024年，全市诉前分流率98.5%。"},
		{"nothing at all", smIn(smHangzhou, &smZhejiang), "zh", ""},
		{"no item has a value",
			smIn(smHangzhou, &smZhejiang,
				kpi.SummaryItem{Indicator: smRate, Prev: f(96.4), Rank: 1, Peers: 16},
				kpi.SummaryItem{Indicator: smMediators, Prev: f(485)}), "zh", ""},

		// English
		{"the example in English",
			smIn(smHangzhouEN, &smZhejiangEN,
				kpi.SummaryItem{Indicator: smRate, Value: f(98.5), Prev: f(96.4), Rank: 1, Peers: 16},
				kpi.SummaryItem{Indicator: smMediators, Value: f(497), Prev: f(485)}), "en",
			"In 2024, Hangzhou's pre-litigation diversion rate was 98.5%, up 2.1 percentage points year on year, ranking 1st among 16 cities in Zhejiang; full-time people's mediators numbered 497, up 12 year on year."},
		{"en: a flow, with thousands separators as English writes them",
			smIn(smHangzhouEN, nil, kpi.SummaryItem{Indicator: smMediated, Value: f(20299), Prev: f(14028)}), "en",
			"In 2024, Hangzhou's disputes mediated numbered 20,299, up 44.7% year on year."},
		{"en: a flow whose name does not say the unit",
			smIn(smHangzhouEN, nil, kpi.SummaryItem{Indicator: smApplications, Value: f(968), Prev: f(1000)}), "en",
			"In 2024, Hangzhou's reconsideration applications received numbered 968 cases, down 3.2% year on year."},
		{"en: a stock whose name does not say the unit",
			smIn(smHangzhouEN, nil, kpi.SummaryItem{Indicator: smCommittees, Value: f(45), Prev: f(43)}), "en",
			"In 2024, Hangzhou's mediation committees numbered 45 bodies, up 2 bodies year on year."},
		{"en: a list that shrinks",
			smIn(smHangzhouEN, nil, kpi.SummaryItem{Indicator: smItems, Value: f(132), Prev: f(135)}), "en",
			"In 2024, Hangzhou's items on the administrative-licensing list numbered 132, down 3 year on year."},
		{"en: a duration that falls",
			smIn(smHangzhouEN, nil, kpi.SummaryItem{Indicator: smDays, Value: f(1.5), Prev: f(2)}), "en",
			"In 2024, Hangzhou's time to start a business was 1.5 working days, shorter by 0.5 working days year on year."},
		{"en: a duration that rises",
			smIn(smHangzhouEN, nil, kpi.SummaryItem{Indicator: smDays, Value: f(3.2), Prev: f(2.5)}), "en",
			"In 2024, Hangzhou's time to start a business was 3.2 working days, longer by 0.7 working days year on year."},
		{"en: points down, unchanged, score",
			smIn(smHangzhouEN, nil,
				kpi.SummaryItem{Indicator: smRate, Value: f(97.2), Prev: f(97.6)},
				kpi.SummaryItem{Indicator: smMediators, Value: f(497), Prev: f(497)},
				kpi.SummaryItem{Indicator: smScore, Value: f(92.5), Prev: f(91)}), "en",
			"In 2024, Hangzhou's pre-litigation diversion rate was 97.2%, down 0.4 percentage points year on year; full-time people's mediators numbered 497, unchanged year on year; rule-of-law government evaluation score was 92.5 points, up 1.5 points year on year."},
		{"en: a county ranked in its city",
			smIn(kpi.Region{Name: "Shangcheng", Level: kpi.LevelCounty}, &smHangzhouEN,
				kpi.SummaryItem{Indicator: smRate, Value: f(99.1), Rank: 2, Peers: 13}), "en",
			"In 2024, Shangcheng's pre-litigation diversion rate was 99.1%, ranking 2nd among 13 counties in Hangzhou."},
		{"en: a province ranked in the country",
			smIn(smZhejiangEN, &kpi.Region{Name: "China"},
				kpi.SummaryItem{Indicator: smRate, Value: f(97.2), Rank: 3, Peers: 31}), "en",
			"In 2024, Zhejiang's pre-litigation diversion rate was 97.2%, ranking 3rd among 31 provinces in China."},
		{"en: missing data says nothing",
			smIn(smHangzhouEN, &smZhejiangEN,
				kpi.SummaryItem{Indicator: smRate, Prev: f(96.4), Rank: 1, Peers: 16},
				kpi.SummaryItem{Indicator: smMediated, Value: f(35), Prev: f(0), Rank: 1, Peers: 1}), "en",
			"In 2024, Hangzhou's disputes mediated numbered 35."},
		{"en: nothing at all", smIn(smHangzhouEN, &smZhejiangEN), "en", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := kpi.Summarize(tc.in, tc.lang); got != tc.want {
				t.Errorf("Summarize(%q) =\n  %q\nwant\n  %q", tc.lang, got, tc.want)
			}
		})
	}
}

// Reports name the region they are about by its name's last character, not
// its level: a county-level city says 全市, a banner 全旗.
func TestSummarizeSelfReference(t *testing.T) {
	tests := []struct {
		region kpi.Region
		want   string
	}{
		{smZhejiang, "2024年，全省专职人民调解员497名。"},
		{kpi.Region{Name: "北京市", Level: kpi.LevelProvince}, "2024年，全市专职人民调解员497名。"},
		{kpi.Region{Name: "内蒙古自治区", Level: kpi.LevelProvince}, "2024年，全区专职人民调解员497名。"},
		{smHangzhou, "2024年，全市专职人民调解员497名。"},
		{kpi.Region{Name: "恩施土家族苗族自治州", Level: kpi.LevelCity}, "2024年，全州专职人民调解员497名。"},
		{kpi.Region{Name: "阿拉善盟", Level: kpi.LevelCity}, "2024年，全盟专职人民调解员497名。"},
		{kpi.Region{Name: "阿里地区", Level: kpi.LevelCity}, "2024年，全地区专职人民调解员497名。"},
		{kpi.Region{Name: "市辖区", Level: kpi.LevelCity}, "2024年，全市专职人民调解员497名。"}, // a municipality's placeholder row
		{kpi.Region{Name: "省直辖县级行政区划", Level: kpi.LevelCity}, "2024年，全市专职人民调解员497名。"},
		{smShangcheng, "2024年，全区专职人民调解员497名。"},
		{smChunan, "2024年，全县专职人民调解员497名。"},
		{kpi.Region{Name: "建德市", Level: kpi.LevelCounty}, "2024年，全市专职人民调解员497名。"},
		{kpi.Region{Name: "阿荣旗", Level: kpi.LevelCounty}, "2024年，全旗专职人民调解员497名。"},
		{kpi.Region{Name: "中沙群岛的岛礁及其海域", Level: kpi.LevelCounty}, "2024年，全县专职人民调解员497名。"},
	}
	for _, tc := range tests {
		in := smIn(tc.region, nil, kpi.SummaryItem{Indicator: smMediators, Value: f(497)})
		if got := kpi.Summarize(in, "zh"); got != tc.want {
			t.Errorf("%s: Summarize = %q, want %q", tc.region.Name, got, tc.want)
		}
	}
}

// The rank clause's peers are counted in the parent's words: a county in an
// autonomous prefecture ranks 在全州….
func TestSummarizeRankPeers(t *testing.T) {
	enshi := kpi.Region{Name: "恩施土家族苗族自治州", Level: kpi.LevelCity}
	in := smIn(kpi.Region{Name: "恩施市", Level: kpi.LevelCounty}, &enshi,
		kpi.SummaryItem{Indicator: smMediators, Value: f(60), Rank: 1, Peers: 8})
	want := "2024年，全市专职人民调解员60名，在全州8个县（市、区）中居第1位。"
	if got := kpi.Summarize(in, "zh"); got != want {
		t.Errorf("Summarize = %q, want %q", got, want)
	}
}

func TestSummarizeOrdinals(t *testing.T) {
	tests := []struct {
		rank int
		want string
	}{
		{1, "In 2024, Hangzhou's pre-litigation diversion rate was 98.5%, ranking 1st among 130 cities in Zhejiang."},
		{2, "In 2024, Hangzhou's pre-litigation diversion rate was 98.5%, ranking 2nd among 130 cities in Zhejiang."},
		{3, "In 2024, Hangzhou's pre-litigation diversion rate was 98.5%, ranking 3rd among 130 cities in Zhejiang."},
		{4, "In 2024, Hangzhou's pre-litigation diversion rate was 98.5%, ranking 4th among 130 cities in Zhejiang."},
		{11, "In 2024, Hangzhou's pre-litigation diversion rate was 98.5%, ranking 11th among 130 cities in Zhejiang."},
		{12, "In 2024, Hangzhou's pre-litigation diversion rate was 98.5%, ranking 12th among 130 cities in Zhejiang."},
		{13, "In 2024, Hangzhou's pre-litigation diversion rate was 98.5%, ranking 13th among 130 cities in Zhejiang."},
		{21, "In 2024, Hangzhou's pre-litigation diversion rate was 98.5%, ranking 21st among 130 cities in Zhejiang."},
		{22, "In 2024, Hangzhou's pre-litigation diversion rate was 98.5%, ranking 22nd among 130 cities in Zhejiang."},
		{23, "In 2024, Hangzhou's pre-litigation diversion rate was 98.5%, ranking 23rd among 130 cities in Zhejiang."},
		{101, "In 2024, Hangzhou's pre-litigation diversion rate was 98.5%, ranking 101st among 130 cities in Zhejiang."},
		{111, "In 2024, Hangzhou's pre-litigation diversion rate was 98.5%, ranking 111th among 130 cities in Zhejiang."},
		{112, "In 2024, Hangzhou's pre-litigation diversion rate was 98.5%, ranking 112th among 130 cities in Zhejiang."},
	}
	for _, tc := range tests {
		in := smIn(smHangzhouEN, &smZhejiangEN, kpi.SummaryItem{Indicator: smRate, Value: f(98.5), Rank: tc.rank, Peers: 130})
		if got := kpi.Summarize(in, "en"); got != tc.want {
			t.Errorf("rank %d: Summarize = %q, want %q", tc.rank, got, tc.want)
		}
	}
}

// English names go mid-sentence with a lowercase first letter, unless they
// start with an acronym.
func TestSummarizeEnglishNames(t *testing.T) {
	named := func(name string) kpi.Indicator {
		ind := smMediated
		ind.NameEN = name
		return ind
	}
	tests := []struct {
		ind  kpi.Indicator
		want string
	}{
		{named("Disputes mediated"), "In 2024, Hangzhou's disputes mediated numbered 12."},
		{named("ICT disputes"), "In 2024, Hangzhou's ICT disputes numbered 12."},
		{named("\"Done nearby\" disputes"), "In 2024, Hangzhou's \"done nearby\" disputes numbered 12."},
	}
	for _, tc := range tests {
		in := smIn(smHangzhouEN, nil, kpi.SummaryItem{Indicator: tc.ind, Value: f(12)})
		if got := kpi.Summarize(in, "en"); got != tc.want {
			t.Errorf("%s: Summarize = %q, want %q", tc.ind.NameEN, got, tc.want)
		}
	}
}
