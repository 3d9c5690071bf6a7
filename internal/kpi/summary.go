package kpi

import (
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SummaryItem is one indicator's figures for the summary.
type SummaryItem struct {
	Indicator Indicator
	Value     *float64 // this year; nil = missing → the item is left out entirely
	Prev      *float64 // the same period last year; nil → no year-on-year clause
	Rank      int      // rank among peers (1 = best, as kpi.Rank gives it); 0 → no rank clause
	Peers     int      // how many peers were ranked; 0 → no rank clause
}

// SummaryInput is what Summarize needs.
type SummaryInput struct {
	Region Region
	Parent *Region // the region the peers belong to (for the rank clause); nil → no rank clause
	Year   int
	Items  []SummaryItem
}

// Summarize writes the paragraph in lang ("zh" default, or "en"). It says
// nothing about missing data; it returns "" when no item has a value.
//
// "2024年，全市诉前分流率98.5%，同比提高2.1个百分点，在全省16个市中居第1位；专职人民调解员497名，同比增加12名。"
func Summarize(in SummaryInput, lang string) string {
	var clauses []string
	for _, it := range in.Items {
		if it.Value == nil {
			continue // a report says nothing rather than "no data"
		}
		// Only the first clause opens with the year and the region, so a
		// missing first item moves the opening to the next one.
		first := len(clauses) == 0
		if lang == "en" {
			clauses = append(clauses, it.clauseEN(in, first))
		} else {
			clauses = append(clauses, it.clauseZH(in, first))
		}
	}
	switch {
	case len(clauses) == 0:
		return ""
	case lang == "en":
		return strings.Join(clauses, "; ") + "."
	default:
		return strings.Join(clauses, "；") + "。"
	}
}

func (it SummaryItem) clauseZH(in SummaryInput, first bool) string {
	ind := it.Indicator
	var b strings.Builder
	if first {
		fmt.Fprintf(&b, "%d年，%s", in.Year, selfRef(in.Region))
	}
	b.WriteString(summaryName(ind) + plainNumber(*it.Value, ind.Decimals) + ind.Unit)
	if c, ok := yearOnYear(ind, *it.Value, it.Prev); ok {
		b.WriteString("，" + c.zh(ind.Unit))
	}
	if it.ranked(in) {
		fmt.Fprintf(&b, "，在%s%d%s中居第%d位", selfRef(*in.Parent), it.Peers, peerWord(in.Region.Level, "zh"), it.Rank)
	}
	return b.String()
}

func (it SummaryItem) clauseEN(in SummaryInput, first bool) string {
	ind := it.Indicator
	name := lowerFirst(ind.NameEN)
	if first {
		name = fmt.Sprintf("In %d, %s's %s", in.Year, in.Region.Name, name)
	}
	unit, verb := ind.UnitIn("en"), "was"
	if ind.Kind == KindCount || ind.Kind == KindStock || ind.Kind == KindList {
		verb = "numbered"
		if namesUnit(ind.NameEN, unit) {
			unit = "" // "mediators numbered 497", not "497 mediators" again
		}
	}
	s := name + " " + verb + " " + withUnitEN(FormatNumber(*it.Value, ind.Decimals), unit)
	if c, ok := yearOnYear(ind, *it.Value, it.Prev); ok {
		s += ", " + c.en(unit)
	}
	if it.ranked(in) {
		s += fmt.Sprintf(", ranking %s among %d %s in %s", ordinal(it.Rank), it.Peers, peerWord(in.Region.Level, "en"), in.Parent.Name)
	}
	return s
}

// ranked reports whether a rank clause means anything: a rank out of one is
// no achievement, and a rank beyond the peer count is bad input.
func (it SummaryItem) ranked(in SummaryInput) bool {
	return in.Parent != nil && it.Rank > 0 && it.Peers > 1 && it.Rank <= it.Peers &&
		peerWord(in.Region.Level, "zh") != ""
}

// changeStyle is how a report words a year-on-year change, which depends on
// what the indicator measures.
type changeStyle int

const (
	inPoints  changeStyle = iota // percentages: 提高/下降 N个百分点
	inPercent                    // flows: 增长/下降 N%
	inUnits                      // stocks and lists: 增加/减少 N名
	inTime                       // durations: 延长/缩短 N个工作日
	inScore                      // other rates: 提高/降低 N分
)

// change is a year-on-year change as it will be written.
type change struct {
	style    changeStyle
	sign     int     // -1, 0 or +1 at the displayed precision
	size     float64 // absolute, rounded to decimals
	decimals int
}

func styleOf(ind Indicator) changeStyle {
	switch {
	case ind.IsPercent():
		return inPoints
	case ind.Kind == KindCount:
		return inPercent
	case ind.Kind == KindDuration:
		return inTime
	case ind.Kind == KindRate || ind.Kind == KindRatio:
		return inScore
	default:
		return inUnits
	}
}

// yearOnYear computes the change from the figures as displayed, so that the
// sentence agrees with itself: "98.5%，同比提高2.1个百分点" must mean last
// year showed 96.4%, whatever digits lay beyond the indicator's decimals.
// ok is false without a previous value, or for a flow whose previous value
// shows as 0 (no percent change from nothing).
func yearOnYear(ind Indicator, cur float64, prev *float64) (change, bool) {
	if prev == nil {
		return change{}, false
	}
	c := change{style: styleOf(ind), decimals: ind.Decimals}
	now, before := Round(cur, ind.Decimals), Round(*prev, ind.Decimals)
	diff := now - before
	if c.style == inPercent {
		if before == 0 {
			return change{}, false
		}
		diff = diff / math.Abs(before) * 100
		c.decimals = 1
	}
	diff = Round(diff, c.decimals) // also drops float noise: 98.5-96.4 = 2.0999…
	switch {
	case diff > 0:
		c.sign = 1
	case diff < 0:
		c.sign = -1
	}
	c.size = math.Abs(diff)
	return c, true
}

// zhVerbs are the words for a rise and a fall, by style.
var zhVerbs = map[changeStyle][2]string{
	inPoints:  {"提高", "下降"},
	inPercent: {"增长", "下降"},
	inUnits:   {"增加", "减少"},
	inTime:    {"延长", "缩短"},
	inScore:   {"提高", "降低"},
}

func (c change) zh(unit string) string {
	if c.sign == 0 {
		return "与上年持平"
	}
	verb := zhVerbs[c.style][0]
	if c.sign < 0 {
		verb = zhVerbs[c.style][1]
	}
	n := plainNumber(c.size, c.decimals)
	switch c.style {
	case inPoints:
		return "同比" + verb + n + "个百分点"
	case inPercent:
		return "同比" + verb + n + "%"
	default:
		return "同比" + verb + n + unit
	}
}

// en words the change; unit is "" when the indicator's name already says
// what is counted.
func (c change) en(unit string) string {
	if c.sign == 0 {
		return "unchanged year on year"
	}
	n := FormatNumber(c.size, c.decimals)
	switch c.style {
	case inPoints:
		n += " percentage points"
	case inPercent:
		n += "%"
	default:
		n = withUnitEN(n, unit)
	}
	switch {
	case c.style == inTime && c.sign > 0:
		return "longer by " + n + " year on year"
	case c.style == inTime:
		return "shorter by " + n + " year on year"
	case c.sign > 0:
		return "up " + n + " year on year"
	default:
		return "down " + n + " year on year"
	}
}

// selfRef is how a report names the region it is about. Reports follow the
// name, not the level: a county-level city says 全市, an autonomous region
// 全区, a municipality 全市.
func selfRef(r Region) string {
	name := r.Name
	switch {
	case r.Level < LevelProvince:
		return "全国" // the peers of provinces belong to the country
	case r.Level == LevelProvince && strings.HasSuffix(name, "市"):
		return "全市"
	case r.Level == LevelProvince && strings.HasSuffix(name, "区"):
		return "全区"
	case r.Level == LevelProvince:
		return "全省"
	case r.Level == LevelCity && (name == "市辖区" || name == "县"):
		// GB/T 2260 placeholder rows under a municipality, which says 全市.
		return "全市"
	case strings.HasSuffix(name, "地区"):
		return "全地区"
	}
	for _, s := range []string{"市", "区", "县", "旗", "州", "盟"} {
		if strings.HasSuffix(name, s) {
			return "全" + s
		}
	}
	if r.Level == LevelCity {
		return "全市"
	}
	return "全县"
}

// peerWord counts regions at level: "16个市", "among 16 cities". The Chinese
// county and province words list the other kinds of region at that level, as
// reports do. "" for an unknown level.
func peerWord(level int, lang string) string {
	zh := map[int]string{LevelProvince: "个省（区、市）", LevelCity: "个市", LevelCounty: "个县（市、区）"}
	en := map[int]string{LevelProvince: "provinces", LevelCity: "cities", LevelCounty: "counties"}
	if lang == "en" {
		return en[level]
	}
	return zh[level]
}

// plainNumber is FormatNumber without thousands separators: Chinese reports
// write 20299, not 20,299.
func plainNumber(v float64, decimals int) string {
	return strings.ReplaceAll(FormatNumber(v, decimals), ",", "")
}

func withUnitEN(n, unit string) string {
	switch unit {
	case "":
		return n
	case "%":
		return n + "%"
	default:
		return n + " " + unit
	}
}

// lowerFirst puts a name mid-sentence: "Pre-litigation diversion rate" →
// "pre-litigation diversion rate", but "ICT projects" keeps its acronym.
func lowerFirst(s string) string {
	rs := []rune(s)
	i := 0
	for i < len(rs) && unicode.IsPunct(rs[i]) {
		i++ // an opening quote: "\"Done nearby\" service items"
	}
	if i == len(rs) || !unicode.IsUpper(rs[i]) {
		return s
	}
	if i+1 < len(rs) && unicode.IsUpper(rs[i+1]) {
		return s
	}
	rs[i] = unicode.ToLower(rs[i])
	return string(rs)
}

// namesUnit reports whether an English name already says what its unit
// counts: "Full-time people's mediators" in mediators.
func namesUnit(name, unit string) bool {
	words := func(s string) string {
		notWord := func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }
		return " " + strings.Join(strings.FieldsFunc(strings.ToLower(s), notWord), " ") + " "
	}
	u := words(unit)
	return strings.TrimSpace(u) != "" && strings.Contains(words(name), u)
}

// ordinal writes 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st…
func ordinal(n int) string {
	suffix := "th"
	switch n % 10 {
	case 1:
		suffix = "st"
	case 2:
		suffix = "nd"
	case 3:
		suffix = "rd"
	}
	if n%100 >= 11 && n%100 <= 13 {
		suffix = "th"
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

// summaryName is the indicator's name as a sentence reads before its
// number: "法治宣传活动场次" + "2800场次" would say the unit twice, and
// "专职人民调解员数497名" reads better as "专职人民调解员497名". A 数 that
// belongs to a word (人数, 总数, 件数…) stays.
func summaryName(ind Indicator) string {
	name := ind.NameZH
	// Only units of two or more characters: 场次 is a unit, 项 in 事项 and 分
	// in 得分 are part of the word.
	if utf8.RuneCountInString(ind.Unit) >= 2 && strings.HasSuffix(name, ind.Unit) && len(name) > len(ind.Unit) {
		return strings.TrimSuffix(name, ind.Unit)
	}
	if rest, ok := strings.CutSuffix(name, "数"); ok && rest != "" {
		r := []rune(rest)
		if !strings.ContainsRune("人总件次份个项户家本册场", r[len(r)-1]) {
			return rest
		}
	}
	return name
}
