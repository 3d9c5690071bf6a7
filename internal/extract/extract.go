package extract

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/govkpi/govkpi/internal/kpi"
)

// Candidate is one figure found in a text, for a person to confirm.
type Candidate struct {
	Indicator  string   // indicator code; "" when no alias fits (the user may assign one)
	Alias      string   // the phrase that named the indicator
	Value      float64  // in the indicator's unit where it could be converted
	Unit       string   // as written, normalised (％ is %)
	Qualifier  string   // 余 多 近 约 超 以上 …: the text says the figure is approximate
	Previous   *float64 // "从96项减至66项": 96
	Low        *float64 // a range's lower bound
	Change     string   // "同比增长44.7%" as written after the figure
	Period     string   // "" for the year, or Q1…Q4, H1 (上半年), Q1-Q3 (前三季度)
	Quarter    int      // the quarter a confirmed value is suggested to go to (0: annual)
	Quote      string   // the clause the figure stands in, exactly as in the text
	QuoteStart int      // byte offsets of Quote in the text
	QuoteEnd   int
	Start, End int     // byte offsets of the number with its unit
	Confidence float64 // 0…1: how sure the rules are of indicator and value
	Notes      []string
}

// Extractor holds the alias index of an indicator catalogue.
type Extractor struct {
	inds       map[string]kpi.Indicator
	codes      []string           // in catalogue order
	aliases    map[rune][]alias   // by first rune, longest first
	byCategory map[string][]alias // every alias of a category's indicators
	byUnit     map[string][]alias // by measure word, the aliases whose indicator it fits, longest first
}

type alias struct {
	text []rune // normalised: no spaces
	code string
	orig string
}

// New builds an extractor from the catalogue: each indicator's aliases and
// its Chinese name. Where two indicators share a phrase the first keeps it.
func New(inds []kpi.Indicator) *Extractor {
	e := &Extractor{inds: map[string]kpi.Indicator{}, aliases: map[rune][]alias{}, byCategory: map[string][]alias{}}
	seen := map[string]bool{}
	for _, ind := range inds {
		e.inds[ind.Code] = ind
		e.codes = append(e.codes, ind.Code)
		for _, a := range append(append([]string{}, ind.Aliases...), ind.NameZH) {
			rs, _ := matchForm([]rune(a))
			n := string(rs)
			if len(rs) < 2 || seen[n] {
				continue
			}
			seen[n] = true
			al := alias{text: rs, code: ind.Code, orig: a}
			e.aliases[rs[0]] = append(e.aliases[rs[0]], al)
			e.byCategory[ind.Category] = append(e.byCategory[ind.Category], al)
		}
	}
	for _, list := range e.aliases {
		sort.SliceStable(list, func(i, j int) bool { return len(list[i].text) > len(list[j].text) })
	}
	e.byUnit = map[string][]alias{}
	for _, u := range units {
		var list []alias
		for _, code := range e.codes {
			if !e.unitFits(code, u) {
				continue
			}
			for _, a := range e.byCategory[e.inds[code].Category] {
				if a.code == code {
					list = append(list, a)
				}
			}
		}
		sort.SliceStable(list, func(i, j int) bool { return len(list[i].text) > len(list[j].text) })
		e.byUnit[u] = list
	}
	return e
}

// normAlias removes what varies in how a phrase is written but not in what
// it means: spaces (PDF conversions break words with them), quotation marks
// (“最多跑一次”事项 and 最多跑一次事项 are one phrase) and the particle 了.
func normAlias(s string) string {
	return strings.Map(normRune, s)
}

// normRune maps a rune for alias matching; -1 drops it.
func normRune(r rune) rune {
	if unicode.IsSpace(r) || ignorable(r) {
		return -1
	}
	switch r {
	case '(':
		return '（'
	case ')':
		return '）'
	}
	return r
}

// matchForm is the form in which aliases are matched: normAlias, and
// also without the particle 的, the list mark 、 and the fillers 各类 各级
// 各种, which officials put inside the same phrase or leave out
// ("实现全程网办的事项", "以调解、和解方式结案", "调解各类矛盾纠纷").
// idx gives the index in rs of each rune kept.
func matchForm(rs []rune) (out []rune, idx []int) {
	out = make([]rune, 0, len(rs))
	idx = make([]int, 0, len(rs))
	for i := 0; i < len(rs); i++ {
		r := normRune(rs[i])
		if r < 0 || r == '的' || r == '、' {
			continue
		}
		if r == '各' && i+1 < len(rs) && strings.ContainsRune("类级种", rs[i+1]) {
			i++
			continue
		}
		out = append(out, r)
		idx = append(idx, i)
	}
	return out, idx
}

func ignorable(r rune) bool {
	switch r {
	case '了', '“', '”', '"', '‘', '’', '\'', '「', '」':
		return true
	}
	return false
}

func isSentenceEnd(r rune) bool {
	switch r {
	case '。', '！', '？', '；', '!', '?', ';', '\n':
		return true
	}
	return false
}

func isClauseEnd(r rune) bool {
	switch r {
	case '，', ',', '：', ':':
		return true
	}
	return isSentenceEnd(r)
}

// doc is the text being read, as runes with their byte offsets.
type doc struct {
	text      string
	rs        []rune
	off       []int  // byte offset of each rune, and of the end
	protected []bool // inside a title 《》 or a short quotation: numbers there are names
	title     []bool // inside 《》: aliases there are names too
	prior     string // the indicator of the last named figure of the paragraph, before this sentence
	plans     bool   // inside a section of plans (…工作安排, 下一步工作打算): no results there
}

func newDoc(text string) *doc {
	d := &doc{text: text, rs: []rune(text)}
	d.off = make([]int, 0, len(d.rs)+1)
	for i := range text {
		d.off = append(d.off, i)
	}
	d.off = append(d.off, len(text))
	d.protected = make([]bool, len(d.rs))
	d.title = make([]bool, len(d.rs))
	d.markSpans('《', '》', 100, true)
	d.markSpans('“', '”', 40, false)
	d.markSpans('「', '」', 40, false)
	d.markSpans('‘', '’', 40, false)
	d.markASCIIQuotes(40)
	return d
}

// markSpans marks text between open and close, when close comes within max
// runes on the same line: a long or unclosed quotation is speech, not a name.
func (d *doc) markSpans(open, close rune, max int, title bool) {
	for i := 0; i < len(d.rs); i++ {
		if d.rs[i] != open {
			continue
		}
		for j := i + 1; j < len(d.rs) && j-i <= max && d.rs[j] != '\n'; j++ {
			if d.rs[j] == open && open != close {
				break
			}
			if d.rs[j] == close {
				for k := i; k <= j; k++ {
					d.protected[k] = true
					if title {
						d.title[k] = true
					}
				}
				i = j
				break
			}
		}
	}
}

func (d *doc) markASCIIQuotes(max int) {
	open := -1
	for i, r := range d.rs {
		switch {
		case r == '\n':
			open = -1
		case r == '"' && open < 0:
			open = i
		case r == '"':
			if i-open <= max {
				for k := open; k <= i; k++ {
					d.protected[k] = true
				}
			}
			open = -1
		}
	}
}

// maxSentence bounds a sentence; real ones are under 300 runes.
const maxSentence = 1000

// Extract returns the candidates of text in order of appearance, including
// those with no indicator (Indicator ""), which a person may assign.
func (e *Extractor) Extract(text string) []Candidate {
	d := newDoc(text)
	var out []Candidate
	start := 0
	for i := 0; i <= len(d.rs); i++ {
		// A "sentence" longer than maxSentence runes is not one: cutting it
		// keeps the work per sentence bounded, whatever the input.
		if i == len(d.rs) || isSentenceEnd(d.rs[i]) || i-start >= maxSentence {
			if i > start {
				out = append(out, e.sentence(d, start, i)...)
			}
			if i < len(d.rs) && d.rs[i] == '\n' {
				d.prior = "" // a list goes on across 。 but not across paragraphs
				if h, ok := heading(d.rs, i+1); ok {
					d.plans = h
				}
			}
			start = i + 1
		}
	}
	return out
}

// planWords name a section of plans in a heading: what a report says after
// "四、2024年工作安排" are aims, not results of the period.
var planWords = []string{"工作安排", "工作打算", "工作思路", "工作计划", "工作设想", "下一步", "下步", "努力方向"}

// heading reports whether the line at i is a section heading ("九、2025年
// 工作安排", "三、存在的不足") and, if so, whether it opens a section of plans.
func heading(rs []rune, i int) (plans, ok bool) {
	j := i
	for j < len(rs) && (rs[j] == ' ' || rs[j] == '\u3000' || rs[j] == '\t') {
		j++
	}
	k := j
	for k < len(rs) && strings.ContainsRune("一二三四五六七八九十", rs[k]) {
		k++
	}
	if k == j || k >= len(rs) || rs[k] != '、' {
		return false, false
	}
	return planHeading(rs, i), true
}

// planHeading reports whether the line at i is short and names plans.
func planHeading(rs []rune, i int) bool {
	e := i
	for e < len(rs) && rs[e] != '\n' {
		e++
	}
	if e-i > 40 {
		return false // a paragraph, not a heading
	}
	line := string(rs[i:e])
	for _, w := range planWords {
		if strings.Contains(line, w) {
			return true
		}
	}
	return false
}

// figure is a mention being turned into a candidate.
type figure struct {
	Mention
	clause     [2]int // rune span of its clause
	drop       bool
	change     string
	prev       *float64
	period     string
	code       string
	alias      string
	conf       float64
	notes      []string
	respective bool   // assigned by a 分别 list
	nounLed    bool   // the unit is followed by the noun the number counts
	increment  string // "新增联系点4个": the stock this figure adds to, not a level of it
	blocked    bool   // its nearest name makes it another quantity: no name is carried to it
	negated    bool   // "不予受理14件": the list's subject, negated; the list goes on past it
}

// sentence handles the runes [s, t) of one sentence.
func (e *Extractor) sentence(d *doc, s, t int) []Candidate {
	figs := scanMentions(d, s, t)
	if len(figs) == 0 || d.plans {
		return nil
	}
	// Clauses.
	var clauses [][2]int
	cs := s
	for i := s; i <= t; i++ {
		if i == t || isClauseEnd(d.rs[i]) && !d.protected[i] && !thousands(d.rs, i) {
			if i > cs {
				clauses = append(clauses, [2]int{cs, i})
			}
			cs = i + 1
		}
	}
	for k := range figs {
		for _, c := range clauses {
			if figs[k].NumStart >= c[0] && figs[k].NumStart < c[1] {
				figs[k].clause = c
			}
		}
	}
	markPeriods(d, s, t, figs)
	markIntentions(d, s, t, figs)
	joinRangesAndPairs(d, figs)
	markChanges(d, figs)

	occs := e.occurrences(d, s, t)
	for k := range figs {
		f := &figs[k]
		for _, o := range occs {
			if f.NumStart >= o.start && f.NumStart < o.end {
				f.drop = true // a numeral inside a name: “一次办”事项
			}
		}
	}
	e.respectively(d, figs, occs)
	for k := range figs {
		if figs[k].drop || figs[k].respective {
			continue
		}
		e.assign(d, figs, k, occs)
	}
	for k := range figs {
		e.markIncrement(d, &figs[k])
		e.markPerUnit(d, &figs[k])
	}
	for k := range figs {
		f := &figs[k]
		if f.drop || f.Unit == "" || f.code != "" || f.increment != "" || f.blocked {
			continue
		}
		if code := passedDraft(d, f, occs); code != "" && e.unitFits(code, f.Unit) {
			f.code, f.alias, f.conf = code, e.inds[code].NameZH, 0.6
			f.notes = append(f.notes, "草案中已通过的，指标由上文推定")
		} else if code, al := e.listedIn(d, s, f); code != "" {
			f.code, f.alias, f.conf = code, al, 0.6
			f.notes = append(f.notes, "列入目录（清单）的事项，指标取自目录名称")
		} else if !f.nounLed {
			e.carryOver(d, figs, k, clauses, occs)
		}
	}
	// Kinds first: "其中村（社区）调委会22个、园区企业调委会14个" is a part
	// of villages (the village indicator) before it is a part of the whole.
	e.markKinds(d, figs)
	markParts(d, figs)
	e.rateOfCount(figs)
	var out []Candidate
	for _, f := range figs {
		if f.drop || f.Unit == "" {
			continue
		}
		if f.code != "" {
			d.prior = f.code
		} else if f.increment != "" {
			d.prior = f.increment
		}
		out = append(out, e.candidate(d, f))
	}
	return out
}

// scanMentions finds the numbers of a sentence and drops those that are
// not figures by their form: ordinals, parts of names and formulas, numbers
// in titles and short quotations, and change amounts in 个百分点.
func scanMentions(d *doc, s, t int) []figure {
	var figs []figure
	rs := d.rs
	for i := s; i < t; i++ {
		r := rs[i]
		var m Mention
		var ok bool
		switch {
		case hasPrefixAt(rs, i, "百分之") && i+3 < t:
			m, ok = scanPercentWords(rs[:t], i)
		case isDigit(r) || isCNNumeral(r):
			if i > s && (isDigit(rs[i-1]) || isCNNumeral(rs[i-1]) || rs[i-1] == '.' || rs[i-1] == '．') {
				continue // the middle of a number the scanner refused
			}
			m, ok = scanNumber(rs[:t], i)
		}
		if !ok {
			continue
		}
		if m.Chinese && m.Unit == "" {
			i = m.End - 1
			continue // 一般, 三定, 八大工程: a Chinese numeral with no unit is a word
		}
		f := figure{Mention: m}
		prevRune := func(k int) rune {
			if k > s {
				return rs[k-1]
			}
			return 0
		}
		before := prevRune(m.NumStart)
		var after rune
		if m.End < t {
			after = rs[m.End]
		}
		switch {
		case d.protected[m.NumStart]:
			f.drop = true
		case before == '第' || before == '+' || before == '＋' || before == '/' || before == '-' && m.Unit == "":
			f.drop = true // ordinal, formula 1+10+N, date 2020/1
		case after == '+' || after == '＋':
			f.drop = true
		case isASCIILetter(before) || isASCIILetter(after) && m.Unit == "":
			f.drop = true // 5G, G20, v2
		case m.Unit == "个百分点":
			f.drop = true // a change, never a level; markChanges records it
		}
		if m.Chinese && m.Unit != "" && m.NumEnd == m.NumStart+1 {
			// A single Chinese numeral with a measure word is as often a
			// slogan (三项制度, 两个维护, 一次办) as a figure; assign() keeps
			// it only when an alias stands right before it.
			f.notes = append(f.notes, "small-chinese")
		}
		figs = append(figs, f)
		i = m.End - 1
	}
	// "收到复议申请六十七件，受理五十九件，…驳回四件": a report that writes
	// its figures in Chinese numerals writes the small ones so too; a single
	// numeral in a sentence with a longer Chinese-numeral figure of the same
	// measure word is a figure like the others.
	for k := range figs {
		if !hasNote(figs[k].notes, "small-chinese") {
			continue
		}
		for j := range figs {
			if g := &figs[j]; g.Chinese && !g.drop && g.Unit == figs[k].Unit && g.NumEnd-g.NumStart > 1 {
				figs[k].notes = removeNote(figs[k].notes, "small-chinese")
				break
			}
		}
	}
	return figs
}

func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

// periodMarks name a part of the year; a mark applies to the figures after
// it in the same sentence.
var periodMarks = []struct{ text, period string }{
	{"第一季度", "Q1"}, {"一季度", "Q1"}, {"1季度", "Q1"}, {"第1季度", "Q1"}, {"1-3月", "Q1"}, {"1至3月", "Q1"},
	{"第二季度", "Q2"}, {"二季度", "Q2"}, {"第2季度", "Q2"},
	{"第三季度", "Q3"}, {"三季度", "Q3"}, {"第3季度", "Q3"},
	{"第四季度", "Q4"}, {"四季度", "Q4"}, {"第4季度", "Q4"},
	{"上半年", "H1"}, {"1-6月", "H1"}, {"1至6月", "H1"}, {"1—6月", "H1"},
	{"前三季度", "Q1-Q3"}, {"1-9月", "Q1-Q3"}, {"1至9月", "Q1-Q3"},
}

func markPeriods(d *doc, s, t int, figs []figure) {
	for i := s; i < t; i++ {
		for _, pm := range periodMarks {
			if !hasPrefixAt(d.rs, i, pm.text) {
				continue
			}
			// 前三季度 contains 三季度: take the longest mark at i only once.
			if pm.period == "Q3" && i > s && d.rs[i-1] == '前' {
				continue
			}
			for k := range figs {
				if figs[k].NumStart >= i+len([]rune(pm.text)) {
					figs[k].period = pm.period
				}
			}
			// the numerals of the mark itself are not figures
			for k := range figs {
				if figs[k].NumStart >= i && figs[k].NumStart < i+len([]rune(pm.text)) {
					figs[k].drop = true
				}
			}
			break
		}
	}
}

// targetMarks open the aims of a plan ("力争调解成功率保持在98%以上"):
// the figures after one in its sentence are wishes, not results.
var targetMarks = []string{"力争", "争取", "预计", "目标是", "目标为", "确保"}

// markIntentions drops the figures that are not results of the period:
// those after a target mark in the sentence, and norms per unit ("每个乡镇
// 至少配备2名专职人民调解员", "每村配备1名法律顾问"), which 每 before the number
// in its clause announces (每年 and 每季度 are periods, not units).
func markIntentions(d *doc, s, t int, figs []figure) {
	for i := s; i < t; i++ {
		for _, m := range targetMarks {
			if hasPrefixAt(d.rs, i, m) {
				for k := range figs {
					if figs[k].NumStart > i {
						figs[k].drop = true
					}
				}
			}
		}
	}
	for k := range figs {
		f := &figs[k]
		for i := f.clause[0]; i+1 < f.NumStart; i++ {
			// 每年 and 每季度 may name the period itself; 每周播出1期 and 每月
			// 开展2次 are a frequency, not the period's total.
			if d.rs[i] == '每' && !strings.ContainsRune("年季次", d.rs[i+1]) {
				f.drop = true
			}
			// "主要负责同志带头出庭应诉1次": what one leader did in person, not
			// the region's count.
			if d.rs[i] == '带' && d.rs[i+1] == '头' {
				f.drop = true
			}
		}
	}
}

// perUnit words before a count make it a norm per person, household or
// year, not a total: 人均受理50件, 户均发放2份, 各乡镇平均配备3名. Durations
// and rates are averages by nature (平均用时, 平均得分) and keep their name.
var perUnit = []string{"人均", "户均", "村均", "年均", "月均", "日均", "场均", "件均", "平均"}

func (e *Extractor) markPerUnit(d *doc, f *figure) {
	if f.drop || f.code == "" {
		return
	}
	switch e.inds[f.code].Kind {
	case kpi.KindCount, kpi.KindStock, kpi.KindList:
	default:
		return
	}
	// "设立医疗纠纷、交通事故调解室各1个": so many of each, not a total.
	if f.NumStart > f.clause[0] && d.rs[f.NumStart-1] == '各' {
		f.notes = append(f.notes, "各：每一个的数，不是总数")
		f.code, f.alias, f.conf = "", "", 0
		return
	}
	seg := string(d.rs[f.clause[0]:f.NumStart])
	for _, w := range perUnit {
		if strings.Contains(seg, w) {
			f.notes = append(f.notes, w+"：平均数，不是总数")
			f.code, f.alias, f.conf = "", "", 0
			return
		}
	}
}

// joinRangesAndPairs merges "3至5天" into one figure and gives "72个和55个
// 工作日" and "72和55个工作日" the unit of the second number.
func joinRangesAndPairs(d *doc, figs []figure) {
	rs := d.rs
	for k := 0; k+1 < len(figs); k++ {
		a, b := &figs[k], &figs[k+1]
		if a.drop || b.drop || a.clause != b.clause {
			continue
		}
		gap := string(rs[a.End:b.Start])
		switch {
		case (gap == "至" || gap == "到" || gap == "-" || gap == "—" || gap == "～" || gap == "~" || gap == "－" || gap == "–") &&
			(a.Unit == "" || a.Unit == b.Unit) && !precededBy(rs, a.Start, a.clause[0], "从", "由"):
			low := a.Value
			b.Low, b.Range = low, true
			b.Start, b.NumStart = a.Start, a.NumStart
			if b.Qualifier == "" {
				b.Qualifier = a.Qualifier
			}
			a.drop = true
		case gap == "和" || gap == "与" || gap == "及" || gap == "、" || gap == "或":
			if b.Unit != "" && (a.Unit == "" || a.Unit != b.Unit && strings.HasPrefix(b.Unit, a.Unit)) {
				a.Unit = b.Unit
			}
		}
	}
}

func precededBy(rs []rune, i, floor int, words ...string) bool {
	for _, w := range words {
		n := len([]rune(w))
		if i-n >= floor && hasPrefixAt(rs, i-n, w) {
			return true
		}
	}
	return false
}

// changeVerbs before a number make it an amount of change, not a level:
// 增长44.7%, 减少12件. Followed by 至/到/为 they introduce the new level
// instead (减少到2个), which precededBy does not match.
var changeVerbs = []string{"增长了", "增加了", "减少了", "下降了", "提高了", "上升了", "降低了",
	"增长", "增加", "减少", "下降", "提高", "提升", "上升", "降低", "精减", "精简", "压减", "增幅达到", "降幅达到", "增幅为", "降幅为", "增幅达", "降幅达", "增幅", "降幅", "减幅", "减", "增", "降"}

var toVerbs = []string{"减至", "降至", "增至", "增加到", "增加至", "减少到", "减少至", "下降到", "下降至", "降低到", "降低至", "提高到", "提高至", "提升到", "提升至", "上升到", "上升至", "压缩到", "压缩至", "压减至", "压减到", "缩短到", "缩短至", "增长到", "增长至", "精简至", "精简到", "精减至", "精减到", "缩减至", "缩减到", "变为", "到", "至", "为"}

// markChanges finds "从A减至B" (B's previous value is A) and "同比增长X%"
// (a change of the figure before it), and drops A and X as figures.
func markChanges(d *doc, figs []figure) {
	rs := d.rs
	for k := range figs {
		f := &figs[k]
		if f.drop && f.Unit != "个百分点" {
			continue
		}
		floor := f.clause[0]
		if precededBy(rs, f.Start, floor, "从", "由", "从原来的", "由原来的", "从原来", "由原来", "从原", "由原") {
			for j := k + 1; j < len(figs); j++ {
				g := &figs[j]
				if g.drop || g.clause != f.clause {
					continue
				}
				seg := string(rs[f.End:g.Start])
				if len([]rune(seg)) <= 8 && endsWithAny(seg, toVerbs) {
					v := f.Value
					g.prev = &v
					f.drop = true
				}
				break
			}
			continue
		}
		if verb, ok := changeVerb(rs, f.Start, floor); ok || f.Unit == "个百分点" {
			from := f.Start - len([]rune(verb))
			for _, cmp := range []string{"同比", "环比", "比上年", "较上年", "比去年", "较去年", "比上年同期", "较上年同期", "比2019年", "较2019年"} {
				if precededBy(rs, from, floor, cmp) {
					from -= len([]rune(cmp))
					break
				}
			}
			if from < floor {
				from = floor
			}
			f.drop = true
			note := strings.TrimSpace(string(rs[from:f.End]))
			// The change belongs to the nearest figure before it, in its own
			// clause or, when the change opens a clause ("，同比增长44.7%"),
			// in the sentence; "申报材料精减80%" changes something else.
			opens := strings.TrimSpace(string(rs[floor:from])) == ""
			for j := k - 1; j >= 0; j-- {
				if !figs[j].drop && (opens || figs[j].clause == f.clause) {
					if figs[j].change != "" {
						figs[j].change += "，"
					}
					figs[j].change += note
					break
				}
			}
		}
	}
}

func changeVerb(rs []rune, i, floor int) (string, bool) {
	for _, v := range changeVerbs {
		if precededBy(rs, i, floor, v) {
			return v, true
		}
	}
	// "比上年多15件", "较2022年少9件": a difference, after a comparison.
	if precededBy(rs, i, floor, "多", "少") {
		for k := i - 2; k >= floor && k >= i-10; k-- {
			if rs[k] == '比' || rs[k] == '较' {
				return string(rs[i-1]), true
			}
		}
	}
	return "", false
}

func endsWithAny(s string, words []string) bool {
	s = strings.TrimSpace(s)
	for _, w := range words {
		if strings.HasSuffix(s, w) {
			return true
		}
	}
	return false
}

// occ is an alias found in the text, as a rune span.
type occ struct {
	start, end int
	code       string
	alias      string
	draft      bool // "地方性法规草案": a draft of the thing, which names no figure but one passed (see passedDraft)
	near       bool // a near-indicator: the alias with a word that makes it another quantity
}

// occurrences finds every alias in [s, t), matching on the text with spaces
// and 了 removed; aliases inside titles (《…》) are names of documents and
// do not count.
func (e *Extractor) occurrences(d *doc, s, t int) []occ {
	norm, pos := matchForm(d.rs[s:t])
	for k := range pos {
		pos[k] += s
	}
	var out []occ
	for k := range norm {
		for _, a := range e.aliases[norm[k]] {
			n := len(a.text)
			if k+n > len(norm) || !equalRunes(norm[k:k+n], a.text) {
				continue
			}
			start, end := pos[k], pos[k+n-1]+1
			if d.title[start] || d.title[end-1] {
				continue
			}
			out = append(out, occ{start: start, end: end, code: a.code, alias: a.orig})
		}
	}
	// A phrase inside a longer one is part of that word, not a name of its
	// own: 调解成功率 does not name 调解成功, whatever the unit.
	kept := out[:0]
	for i, o := range out {
		inside := false
		for j, p := range out {
			if j != i && p.start <= o.start && p.end >= o.end && p.end-p.start > o.end-o.start {
				inside = true
				break
			}
		}
		if !inside {
			o.draft = hasPrefixAt(d.rs, o.end, "草案")
			o.near = o.draft || nearIndicator(d, s, o)
			kept = append(kept, o)
		}
	}
	return kept
}

// nearIndicator reports an alias that a word before it turns into another
// quantity: 现行有效的省政府规章 are the rules in force, not those made in the
// period (and 地方性法规草案, drafts, are not laws made); 重大执法决定法制审核
// and 重大行政许可决定法制审核 are an enforcement body's review of its own
// decisions (one of the 三项制度), not the legality review of documents and
// decisions by the government's legal office.
func nearIndicator(d *doc, floor int, o occ) bool {
	a := normAlias(o.alias)
	if precededBy(d.rs, o.start, floor, "决定") && strings.HasPrefix(a, "法制审核") {
		return true
	}
	from := max(floor, o.start-8)
	for i := o.start - 1; i >= from; i-- {
		if isClauseEnd(d.rs[i]) {
			break
		}
		if hasPrefixAt(d.rs, i, "现行有效") {
			return true
		}
		// "联合发布行政审判典型案例10件": cases a body published, not the
		// region's cases selected as typical.
		if strings.HasSuffix(a, "典型案例") && (hasPrefixAt(d.rs, i, "发布") || hasPrefixAt(d.rs, i, "编发") || hasPrefixAt(d.rs, i, "编印")) {
			return true
		}
	}
	// "对重大行政处罚、行政强制、行政许可等事项开展法制审核2673件": the
	// review of major enforcement decisions, as 决定法制审核 above.
	if strings.HasPrefix(a, "法制审核") {
		for i := o.start - 1; i >= floor && !isClauseEnd(d.rs[i]); i-- {
			if hasPrefixAt(d.rs, i, "重大行政处罚") || hasPrefixAt(d.rs, i, "重大执法") || hasPrefixAt(d.rs, i, "执法决定") {
				return true
			}
		}
	}
	return false
}

func equalRunes(a, b []rune) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// respectively handles "政府投资、一般社会投资项目审批用时分别压缩到72个和55个
// 工作日": the k names before 分别 go to the k figures after it, in order.
// A shortened name takes the tail of the last one ("政府投资" + "项目审批用时").
func (e *Extractor) respectively(d *doc, figs []figure, occs []occ) {
	rs := d.rs
	for k := 0; k < len(figs); k++ {
		c := figs[k].clause
		at := -1
		for i := c[0]; i+1 < c[1]; i++ {
			if rs[i] == '分' && rs[i+1] == '别' {
				at = i
				break
			}
		}
		if at < 0 || figs[k].NumStart < at {
			continue
		}
		var idx []int
		for j := k; j < len(figs) && figs[j].clause == c; j++ {
			if !figs[j].drop && figs[j].Unit != "" {
				idx = append(idx, j)
			}
		}
		from := c[0]
		for j := k - 1; j >= 0 && figs[j].clause == c; j-- {
			if !figs[j].drop && figs[j].Unit != "" {
				from = figs[j].End
				break
			}
		}
		items := splitList(normAlias(string(rs[from:at])))
		if len(idx) >= 2 && len(items) == len(idx) {
			first, last := []rune(items[0]), []rune(items[len(items)-1])
			for n, item := range items {
				code, al := e.nameIn([]rune(item), first, last)
				if code == "" {
					continue
				}
				f := &figs[idx[n]]
				f.code, f.alias, f.conf, f.respective = code, al, 0.8, true
				if !e.unitFits(code, f.Unit) {
					f.code, f.alias, f.respective = "", "", false
				}
			}
		}
		for k < len(figs) && figs[k].clause == c {
			k++
		}
		k--
	}
}

func splitList(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == '、' || r == '和' || r == '及' || r == '与' })
	var out []string
	for _, x := range f {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// nameIn finds the alias that ends last in item, or else in item followed
// by a tail of last (shortest tail first, the alias must start inside item),
// or else in a head of first followed by item, the alias ending with item
// ("行政复议申请、受理、审结分别为…": 受理 is 复议受理).
func (e *Extractor) nameIn(item, first, last []rune) (string, string) {
	item, _ = matchForm(item)
	first, _ = matchForm(first)
	last, _ = matchForm(last)
	if code, al := e.lastAlias(item, 0); code != "" {
		return code, al
	}
	for j := len(last) - 1; j > 0; j-- {
		s := append(append([]rune{}, item...), last[j:]...)
		if code, al := e.lastAlias(s, len(item)); code != "" {
			return code, al
		}
	}
	if len(item) < 2 {
		return "", ""
	}
	for j := len(first) - 1; j >= 2; j-- {
		s := append(append([]rune{}, first[:j]...), item...)
		if code, al := e.lastAlias(s, j); code != "" {
			return code, al
		}
	}
	return "", ""
}

// lastAlias returns the alias ending nearest the end of s that starts
// before startBefore (0: anywhere) and ends at the end of s when a tail was added.
func (e *Extractor) lastAlias(s []rune, startBefore int) (string, string) {
	best, bestEnd, bestLen := alias{}, -1, 0
	for k := range s {
		if startBefore > 0 && k >= startBefore {
			break
		}
		for _, a := range e.aliases[s[k]] {
			n := len(a.text)
			if k+n > len(s) || !equalRunes(s[k:k+n], a.text) {
				continue
			}
			if startBefore > 0 && k+n != len(s) {
				continue
			}
			if k+n > bestEnd || k+n == bestEnd && n > bestLen {
				best, bestEnd, bestLen = a, k+n, n
			}
		}
	}
	return best.code, best.orig
}

// postStarters are what may follow a figure's unit without the figure
// counting the noun that follows (以上, 和, 的 …).
const postStarters = "以内左右上下余多等和与及或至到、同比较占的均全共计，。；：,.;:!?！？（()）》”\"'’ \t\u3000"

// assign picks the indicator of figure k. In Chinese the noun a number
// counts comes after its measure word ("建立11个基层联系点") or before the
// number ("配备专职人民调解员497名"): a number followed directly by a noun
// takes the last alias after it up to the next figure, or none; otherwise
// it takes the alias ending nearest before it in its clause, since the
// previous figure.
func (e *Extractor) assign(d *doc, figs []figure, k int, occs []occ) {
	f := &figs[k]
	if f.Unit == "" {
		return
	}
	rs := d.rs
	c := f.clause
	// The previous and next figures bound the phrases this one may take;
	// numbers dropped as non-figures do not ("从96项减至66项" names 66).
	next := c[1]
	for j := k + 1; j < len(figs) && figs[j].clause == c; j++ {
		if !figs[j].drop && figs[j].Unit != "" {
			next = figs[j].Start
			break
		}
	}
	prevEnd := c[0]
	for j := k - 1; j >= 0 && figs[j].clause == c; j-- {
		if !figs[j].drop && figs[j].Unit != "" {
			prevEnd = figs[j].End
			break
		}
	}
	small := hasNote(f.notes, "small-chinese")
	f.notes = removeNote(f.notes, "small-chinese")

	nounLed := f.End < c[1] && !strings.ContainsRune(postStarters, rs[f.End])
	if nounLed && rs[f.End] == '中' && f.End+1 == c[1] {
		nounLed = false // "全市政务服务事项1.36万项中，…": among them all, the whole is named before
	}
	f.nounLed = nounLed
	if nounLed && f.Unit != "%" {
		// A list mark ends the noun phrase when a phrase fits before it
		// ("40余项政务服务下沉一线、多项业务实现网上一次办结"); "205项行政许可、
		// 其他权力、行政确认事项" names its items after the list.
		end := next
		for i := f.End; i < next; i++ {
			if rs[i] == '、' {
				for j := range occs {
					if o := &occs[j]; o.start >= f.End && o.end <= i && e.unitFits(o.code, f.Unit) {
						end = i
					}
				}
				break
			}
		}
		var best *occ
		for i := range occs {
			o := &occs[i]
			if o.start < f.End || o.end > end || o.near || !e.unitFits(o.code, f.Unit) {
				continue
			}
			if placeCounted(rs, f.End, e.inds[o.code].Unit) {
				continue
			}
			// The last phrase: a predicate after the head noun names what is
			// counted ("179项政务服务事项实现“马上办”"); of phrases ending
			// together, the longest ("3家行业性调委会", not 调委会).
			if best == nil || o.end > best.end || o.end == best.end && o.start < best.start {
				best = o
			}
		}
		if small {
			if best == nil {
				f.drop = true
				return
			}
		} else if code, al := e.villageLed(rs, f, c, best); code != "" {
			f.code, f.alias, f.conf = code, al, 0.7
			return
		}
		if best == nil {
			if code, al := e.splitByNumber(rs[prevEnd:f.Start], rs[f.End:end], f.Unit); code != "" {
				f.code, f.alias, f.conf = code, al, 0.7
			} else if code, al := e.verbAfterNoun(rs[f.End:end], f.Unit); code != "" {
				f.code, f.alias, f.conf = code, al, 0.65
			} else if code, al := e.nounOfSubject(rs, f, prevEnd, occs); code != "" {
				f.code, f.alias, f.conf = code, al, 0.6
				f.notes = append(f.notes, "指标由上文推定（"+al+"）")
			} else if code, al := e.sharedPredicate(rs, figs, k, occs); code != "" {
				f.code, f.alias, f.conf = code, al, 0.6
			}
			return
		}
		dist := best.start - f.End
		f.code, f.alias = best.code, best.alias
		// "412件行政复议申请被受理": the passive verb and the noun make the
		// phrase (受理行政复议申请).
		if best.end+1 < c[1] && rs[best.end] == '被' {
			for m := 2; m <= 4 && best.end+1+m <= c[1]; m++ {
				if code, al := e.exactAlias(string(rs[best.end+1:best.end+1+m]) + normAlias(best.alias)); code != "" && e.unitFits(code, f.Unit) {
					f.code, f.alias = code, al
					break
				}
			}
		}
		switch {
		case dist == 0:
			f.conf = 0.9
		case dist <= 4:
			f.conf = 0.85
		default:
			f.conf = 0.7
		}
		return
	}
	var cands []*occ
	for i := range occs {
		o := &occs[i]
		if o.end <= f.NumStart && o.start >= prevEnd {
			cands = append(cands, o)
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].end != cands[j].end {
			return cands[i].end > cands[j].end
		}
		return cands[i].end-cands[i].start > cands[j].end-cands[j].start
	})
	for n, o := range cands {
		if !e.unitFits(o.code, f.Unit) {
			continue
		}
		// A longer phrase overlapping the nearest one is the whole name:
		// "诉前成功化解纠纷" is 诉前成功化解, not 化解纠纷.
		for _, p := range cands {
			if p.start < o.start && p.end > o.start && p.end-p.start > o.end-o.start && e.unitFits(p.code, f.Unit) {
				o = p
			}
		}
		dist := gapRunes(rs, o.end, f.NumStart)
		if small && dist > 3 {
			break
		}
		if o.near || countsOther(rs[o.end:f.NumStart]) {
			// "审查现行有效的省政府规章78件", "以案释法短视频140余期": the
			// number counts another thing, and takes no name from elsewhere.
			f.blocked = true
			break
		}
		f.code, f.alias = o.code, o.alias
		switch {
		case dist <= 1:
			f.conf = 0.95
		case dist <= 3:
			f.conf = 0.9
		case dist <= 8:
			f.conf = 0.8
		default:
			f.conf = 0.65
		}
		if n > 0 {
			f.conf -= 0.1 // a nearer alias did not fit the unit
		}
		return
	}
	if small {
		f.drop = true
		return
	}
	if !f.blocked {
		if code, al := e.splitAlias(d, prevEnd, f.NumStart, f.Unit); code != "" {
			f.code, f.alias, f.conf = code, al, 0.6
			f.notes = append(f.notes, "名称被其他词隔开（"+al+"）")
		} else if code, al := e.involving(d, f); code != "" {
			f.code, f.alias, f.conf = code, al, 0.6
			f.notes = append(f.notes, "涉及的对象，动作取自前一分句（"+al+"）")
		}
	}
}

// nounOfSubject names a noun-led number that no phrase after it names from
// the phrases before it in its sentence:
//   - "选派专职调解员164名入驻": a phrase right before the number is its
//     name, and a verb follows the measure word;
//   - "企业开办…整合为1个环节": the subject's phrase with the noun after the
//     measure word is a phrase (企业开办 + 环节);
//   - "重大行政决策事项目录确定的8个事项": the noun repeats the head of a
//     phrase earlier in the clause.
func (e *Extractor) nounOfSubject(rs []rune, f *figure, prevEnd int, occs []occ) (string, string) {
	var noun []rune
	for i := f.End; i < len(rs) && i < f.End+2 && !isClauseEnd(rs[i]); i++ {
		noun = append(noun, rs[i])
	}
	var before []*occ
	for i := range occs {
		if o := &occs[i]; o.end <= f.NumStart && !o.near && o.start < f.NumStart {
			before = append(before, o)
		}
	}
	sort.SliceStable(before, func(i, j int) bool { return before[i].end > before[j].end })
	for _, o := range before {
		if o.end >= prevEnd && gapRunes(rs, o.end, f.NumStart) == 0 && e.unitFits(o.code, f.Unit) {
			return o.code, o.alias
		}
	}
	if len(noun) < 2 {
		return "", ""
	}
	for _, o := range before {
		if code, al := e.exactAlias(normAlias(o.alias) + string(noun)); code != "" && e.unitFits(code, f.Unit) {
			return code, al
		}
	}
	for _, o := range before {
		if o.start >= f.clause[0] && o.end >= prevEnd && strings.Contains(normAlias(o.alias), string(noun)) && e.unitFits(o.code, f.Unit) {
			return o.code, o.alias
		}
	}
	return "", ""
}

// sharedPredicate names the first numbers of a list of counted nouns from
// the predicate after the last: "共有32个单位、56个村聘请了法律顾问" (32 units
// and 56 villages each 聘请法律顾问).
func (e *Extractor) sharedPredicate(rs []rune, figs []figure, k int, occs []occ) (string, string) {
	f := &figs[k]
	// "11个镇街、186个村（社区）均建立了人民调解委员会": towns and districts
	// where a thing is set up are not that thing counted (villages are,
	// by their own indicators).
	for _, w := range []string{"乡镇", "街道", "镇", "县", "区", "市"} {
		if hasPrefixAt(rs, f.End, w) {
			return "", ""
		}
	}
	last := f
	for j := k + 1; j < len(figs) && figs[j].clause == f.clause; j++ {
		g := &figs[j]
		if g.drop || g.Unit == "" {
			continue
		}
		link := strings.TrimSpace(string(rs[last.End:g.Start]))
		lr := []rune(link)
		if g.Unit != f.Unit || len(lr) < 2 || len(lr) > 8 || !strings.ContainsRune("、和及", lr[len(lr)-1]) {
			break
		}
		last = g
	}
	if last == f || last.End >= f.clause[1] || strings.ContainsRune(postStarters, rs[last.End]) {
		return "", ""
	}
	var best *occ
	for i := range occs {
		o := &occs[i]
		if o.start < last.End || o.end > f.clause[1] || o.near || !e.unitFits(o.code, f.Unit) || placeCounted(rs, f.End, e.inds[o.code].Unit) {
			continue
		}
		if best == nil || o.end > best.end || o.end == best.end && o.start < best.start {
			best = o
		}
	}
	if best == nil {
		return "", ""
	}
	return best.code, best.alias
}

// involving names "全年开展抽查1823次，涉及市场主体9200余户": a clause opening
// with 涉及 counts the objects of the action of the clause before; the
// object and that action make an alias (抽查 + 市场主体).
func (e *Extractor) involving(d *doc, f *figure) (string, string) {
	rs := d.rs
	c := f.clause[0]
	for c < f.NumStart && unicode.IsSpace(rs[c]) {
		c++
	}
	if !hasPrefixAt(rs, c, "涉及") || f.clause[0] < 2 {
		return "", ""
	}
	obj, _ := matchForm(rs[c+2 : f.NumStart])
	p := f.clause[0] - 1 // the clause mark before this clause
	j := p - 1
	for j >= 0 && !isClauseEnd(rs[j]) {
		j--
	}
	prev, _ := matchForm(rs[j+1 : p])
	if len(obj) < 2 || len(prev) < 2 {
		return "", ""
	}
	best := alias{}
	for _, list := range e.aliases {
		for _, a := range list {
			n := len(a.text) - len(obj)
			if n < 2 || !equalRunes(a.text[n:], obj) || !e.unitFits(a.code, f.Unit) || len(a.text) <= len(best.text) {
				continue
			}
			if strings.Contains(string(prev), string(a.text[:n])) {
				best = a
			}
		}
	}
	return best.code, best.orig
}

// Bounds of a phrase split by other words.
const (
	maxSplitGap  = 16 // runes between the two parts
	maxSplitTail = 10 // runes between the second part and the number
)

// splitAlias finds, in the runes [from, to) before a number, an alias whose
// two parts stand apart: officials put objects, lists and places inside a
// phrase ("报送市政府和县人大常委会备案9件" is 报送备案, "以乡镇政府、街道办事处为
// 被申请人的案件186件" is 以乡镇政府为被申请人, "涉及市场主体" inside 抽查…).
// Each part has two runes at least, neither in a title; what splits them is
// a list (、 和 及 与) or a phrase of six runes or more: a short word inside
// narrows the phrase to a part ("审结涉企民商事案件", "社会投资简易低风险项目").
// Of several, the one whose second part ends nearest the number, then the
// longest.
func (e *Extractor) splitAlias(d *doc, from, to int, unit string) (string, string) {
	norm, idx := matchForm(d.rs[from:to])
	best, bestEnd := alias{}, -1
	for k := range norm {
		if d.title[from+idx[k]] {
			continue
		}
		for _, a := range e.aliases[norm[k]] {
			n := len(a.text)
			if n < 4 || !e.unitFits(a.code, unit) {
				continue
			}
			for p := 2; p+2 <= n; p++ {
				if k+p > len(norm) || !equalRunes(norm[k:k+p], a.text[:p]) {
					break
				}
				head, tail := k+p, a.text[p:]
				for g := head + 1; g <= head+maxSplitGap && g+len(tail) <= len(norm); g++ {
					if !equalRunes(norm[g:g+len(tail)], tail) || d.title[from+idx[g]] {
						continue
					}
					if gap := d.rs[from+idx[head-1]+1 : from+idx[g]]; len(gap) < 6 && !strings.ContainsAny(string(gap), "、和及与") && !ownerGap(gap) {
						continue
					}
					end := g + len(tail)
					if len(norm)-end > maxSplitTail {
						break
					}
					if end > bestEnd || end == bestEnd && n > len(best.text) {
						best, bestEnd = a, end
					}
					break
				}
			}
		}
	}
	return best.code, best.orig
}

// ownerGap reports a gap that names whose object it is or who acts, not a
// narrower kind of it: "审查市政府各类合同协议" is 审查合同 of the city
// government, "经调解申请人撤回申请" is 调解撤回申请 by the applicant.
func ownerGap(gap []rune) bool {
	g, _ := matchForm(gap)
	t := string(g)
	for _, w := range []string{"政府", "本级", "机关", "部门", "申请人", "当事人", "原告"} {
		if strings.HasSuffix(t, w) {
			return true
		}
	}
	return false
}

// countedNouns are things reports count that no indicator counts: a number
// right after one counts it, whatever alias stands before ("召开行政争议实质性
// 化解联席会议2次" counts meetings, not disputes resolved).
var countedNouns = []string{"意见建议", "意见", "建议", "短视频", "视频", "文章", "节目", "推文", "稿件", "隐患", "风险点", "文书", "答辩状", "决定书", "联席会议", "会议"}

// countsOther reports whether the words between an alias and a number say
// the number counts something else: a counted noun ends them ("行政应诉
// 答辩状等法律文书96件", "以案释法短视频140余期").
func countsOther(gap []rune) bool {
	g, _ := matchForm(gap)
	t := strings.TrimRight(string(g), "共计达到为约有")
	for _, w := range countedNouns {
		if strings.HasSuffix(t, w) {
			return true
		}
	}
	return false
}

// markKinds handles a total told only by its kinds: "全县有镇（街道）人民调解
// 委员会15个、村（社区）人民调解委员会278个、企事业单位调委会23个": two or more
// figures of one clause taking one indicator, each with words of its own
// before the alias, are parts of a total the report does not state. A part
// of villages takes the village indicator that shares its alias; the others
// are left unnamed.
func (e *Extractor) markKinds(d *doc, figs []figure) {
	quals := make([]string, len(figs))
	for k := range figs {
		f := &figs[k]
		if f.drop || f.code == "" {
			continue
		}
		from := f.clause[0]
		for j := k - 1; j >= 0 && figs[j].clause == f.clause; j-- {
			if !figs[j].drop && figs[j].Unit != "" {
				from = figs[j].End
				break
			}
		}
		item, _ := matchForm(d.rs[from:f.NumStart])
		t := string(item)
		at := strings.LastIndex(t, normAlias(f.alias))
		if at <= 0 {
			continue
		}
		q := t[:at]
		for changed := true; changed; {
			changed = false
			for _, w := range leadFillers {
				if strings.HasPrefix(q, w) {
					q, changed = strings.TrimPrefix(q, w), true
				}
			}
		}
		quals[k] = q
	}
	codes := make([]string, len(figs))
	for k := range figs {
		codes[k] = figs[k].code
	}
	for k := range figs {
		if quals[k] == "" {
			continue
		}
		n := 0
		for j := range figs {
			if quals[j] != "" && figs[j].clause == figs[k].clause && codes[j] == codes[k] {
				n++
			}
		}
		if n < 2 {
			continue
		}
		f := &figs[k]
		if code := e.villageKind(quals[k], f); code != "" {
			f.code = code
			continue
		}
		f.notes = append(f.notes, quals[k]+f.alias+"：总数的一部分，总数原文未写")
		f.code, f.alias, f.conf = "", "", 0
	}
}

// villageKind is, for a part of villages ("村（社区）人民调解委员会278个"), the
// village indicator sharing the longest phrase with
// the figure's alias (two runes suffice, as in villageLed).
func (e *Extractor) villageKind(qual string, f *figure) string {
	isVillage := false
	for _, w := range villageWords {
		if qual == normAlias(w) {
			isVillage = true
		}
	}
	if !isVillage {
		return ""
	}
	have := []rune(normAlias(f.alias))
	best, bestLen := "", 1
	for _, code := range e.codes {
		ind := e.inds[code]
		if !strings.Contains(ind.NameZH, "村") || ind.IsRatio() || !e.unitFits(code, f.Unit) {
			continue
		}
		for _, a := range append(append([]string{}, ind.Aliases...), ind.NameZH) {
			if n := commonRun(have, []rune(normAlias(a))); n > bestLen {
				best, bestLen = code, n
			}
		}
	}
	return best
}

// rateOfCount renames a rate named by a short alias that several ratios end
// with ("已督促纠正13件，纠错率92.9%"): after a count, it is the ratio whose
// numerator that count is, when one of that ratio's aliases ends with it.
func (e *Extractor) rateOfCount(figs []figure) {
	for k := 1; k < len(figs); k++ {
		f := &figs[k]
		if f.drop || f.code == "" || f.Unit != "%" {
			continue
		}
		var prev *figure
		for j := k - 1; j >= 0; j-- {
			if !figs[j].drop && figs[j].Unit != "" {
				prev = &figs[j]
				break
			}
		}
		if prev == nil || prev.code == "" || e.inds[f.code].Numerator == prev.code {
			continue
		}
		short := normAlias(f.alias)
		for _, code := range e.codes {
			ind := e.inds[code]
			if !ind.IsRatio() || ind.Numerator != prev.code || ind.Unit != "%" {
				continue
			}
			for _, a := range ind.Aliases {
				if na := normAlias(a); na != short && strings.HasSuffix(na, short) {
					f.code, f.conf = code, f.conf-0.1
					f.notes = append(f.notes, "比率，指标由上文推定（"+e.inds[prev.code].NameZH+"）")
					break
				}
			}
			if f.code == code {
				break
			}
		}
	}
}

// markParts unnames a figure in a clause opening with 其中 whose indicator
// a figure of an earlier clause of the sentence already has: "组织54名负责人
// 述法，其中现场述法9人" — 9 is a part of the 54, not the indicator's value.
func markParts(d *doc, figs []figure) {
	for k := range figs {
		f := &figs[k]
		if f.drop || f.code == "" {
			continue
		}
		c := f.clause[0]
		for c < f.clause[1] && unicode.IsSpace(d.rs[c]) {
			c++
		}
		if !hasPrefixAt(d.rs, c, "其中") {
			continue
		}
		for j := 0; j < k; j++ {
			if g := &figs[j]; !g.drop && g.code == f.code && g.clause[1] <= f.clause[0] {
				f.notes = append(f.notes, "其中的一部分，不是"+f.alias+"的总数")
				f.code, f.alias, f.conf = "", "", 0
				break
			}
		}
	}
}

// markIncrement turns "新增基层立法联系点4个" into an increment: a stock or a
// list is a level at the end of the period, and what was added to it is not
// that level. The figure stays, without an indicator, for the user.
func (e *Extractor) markIncrement(d *doc, f *figure) {
	if f.drop || f.code == "" {
		return
	}
	if k := e.inds[f.code].Kind; k != kpi.KindStock && k != kpi.KindList {
		return
	}
	for i := f.clause[0]; i+1 < f.NumStart; i++ {
		// 承接上级下放的行政许可事项41项: received from above, added to the list.
		// 新确定/新认定/新命名/新聘 联系点5个, 又有11条热线完成整合: added in
		// the period (重新确认, confirmed again, is the whole).
		if d.rs[i] == '新' && strings.ContainsRune("增设建确认命聘", d.rs[i+1]) && (i == 0 || d.rs[i-1] != '重') || hasPrefixAt(d.rs, i, "新成立") || hasPrefixAt(d.rs, i, "承接") || hasPrefixAt(d.rs, i, "又有") || hasPrefixAt(d.rs, i, "又新") {
			f.increment, f.code, f.alias, f.conf = f.code, "", "", 0
			f.notes = append(f.notes, "新增数，不是期末总数")
			return
		}
	}
}

// splitByNumber names a number that stands inside its phrase: "抽查22个执法
// 单位" is 抽查执法单位, "在开庭审理的1624件行政案件中" is 开庭审理的行政案件. The
// alias must start before the number and end after its measure word.
func (e *Extractor) splitByNumber(before, after []rune, unit string) (string, string) {
	b, _ := matchForm(before)
	a, _ := matchForm(after)
	joined := append(append([]rune{}, b...), a...)
	best := alias{}
	for k := range b {
		for _, al := range e.aliases[joined[k]] {
			n := len(al.text)
			if k+n <= len(b) || k+n > len(joined) || n <= len(best.text) || !equalRunes(joined[k:k+n], al.text) || !e.unitFits(al.code, unit) {
				continue
			}
			best = al
		}
	}
	return best.code, best.orig
}

// placeNouns are units of territory and organisation: "78个乡镇（街道）" counts
// places, not the items (项) an alias after them names.
var placeNouns = []string{"乡镇", "街道", "镇", "县", "区", "市", "村", "社区", "部门", "单位"}

// placeCounted says whether the noun right after a measure word at i is a
// place, when the indicator counts items.
func placeCounted(rs []rune, i int, indUnit string) bool {
	if indUnit != "项" {
		return false
	}
	for _, w := range placeNouns {
		if hasPrefixAt(rs, i, w) {
			return true
		}
	}
	return false
}

// containsRunes reports whether needle occurs in hay.
func containsRunes(hay, needle []rune) bool {
	for i := 0; i+len(needle) <= len(hay); i++ {
		if equalRunes(hay[i:i+len(needle)], needle) {
			return true
		}
	}
	return false
}

// maxNounModifier bounds the words before the noun in verbAfterNoun.
const maxNounModifier = 4

// verbAfterNoun names "86件规范性文件开展全面清理": the noun after the number
// and a verb later in the phrase make an alias written verb first
// (清理规范性文件). The longest such alias wins.
func (e *Extractor) verbAfterNoun(after []rune, unit string) (string, string) {
	rest, _ := matchForm(after)
	best := alias{}
	// Longest first: the first alias found is the longest.
	for _, list := range [][]alias{e.byUnit[unit]} {
		for _, a := range list {
			if len(a.text) <= len(best.text) {
				break
			}
			for p := 2; p+2 <= len(a.text); p++ {
				noun, verb := a.text[p:], a.text[:p]
				// The noun may have words before it ("32条部门服务热线整合并入").
				found := false
				for m := 0; m <= maxNounModifier && m+len(noun) < len(rest); m++ {
					if equalRunes(rest[m:m+len(noun)], noun) && containsRunes(rest[m+len(noun):], verb) {
						found = true
						break
					}
				}
				if found {
					best = a
					break
				}
			}
		}
	}
	return best.code, best.orig
}

// villageWords are the nouns of villages and communities a figure may count.
var villageWords = []string{"村（社区）", "村(社区)", "村（居）", "村(居)", "行政村", "村居", "社区", "村"}

// villageLed handles a number that counts villages ("248个村（社区）全部配备
// 法律顾问", "1663个建成人民调解组织" after 村): of the indicators that count
// villages (a name with 村, a count of them), it takes the one sharing the
// longest phrase (two runes at least) with the alias found after the
// number; with no alias, a village noun that ends the clause ("全市1680个
// 村（社区）中") is the number of villages, the indicator named 村…总数.
func (e *Extractor) villageLed(rs []rune, f *figure, c [2]int, found *occ) (string, string) {
	i := f.End
	for _, w := range []string{"个", "均", "全部", "都"} {
		if hasPrefixAt(rs, i, w) {
			i += len([]rune(w))
		}
	}
	word := ""
	for _, w := range villageWords {
		if hasPrefixAt(rs, i, w) {
			word = w
			break
		}
	}
	if word == "" && !(found != nil && f.End > c[0] && strings.Contains(string(rs[max(c[0], f.Start-12):f.Start]), "村")) {
		return "", ""
	}
	var villages []kpi.Indicator
	for _, ind := range e.inds {
		if strings.Contains(ind.NameZH, "村") && !ind.IsRatio() && e.unitFits(ind.Code, f.Unit) {
			villages = append(villages, ind)
		}
	}
	sort.Slice(villages, func(a, b int) bool { return villages[a].Code < villages[b].Code })
	if found != nil {
		if strings.Contains(e.inds[found.code].NameZH, "村") {
			return "", ""
		}
		have := []rune(normAlias(found.alias))
		best, bestLen := "", 1
		for _, ind := range villages {
			for _, a := range append(append([]string{}, ind.Aliases...), ind.NameZH) {
				if n := commonRun(have, []rune(normAlias(a))); n > bestLen {
					best, bestLen = ind.Code, n
				}
			}
		}
		if best != "" {
			return best, found.alias
		}
		return "", ""
	}
	if word == "" {
		return "", ""
	}
	j := i + len([]rune(word))
	if j < c[1] && (rs[j] == '中' || rs[j] == '里') {
		j = c[1] // "1680个村（社区）中已有1663个…": among all the villages
	}
	if j != c[1] {
		// "248个村（社区）全部配备法律顾问": what the villages have, by a
		// phrase of three runes or more shared with a village indicator.
		rest, _ := matchForm(rs[j:c[1]])
		best, bestLen := "", 3
		for _, ind := range villages {
			for _, a := range append(append([]string{}, ind.Aliases...), ind.NameZH) {
				if n := commonRun(rest, []rune(normAlias(a))); n > bestLen {
					best, bestLen = ind.Code, n
				}
			}
		}
		return best, word
	}
	for _, ind := range villages {
		if strings.Contains(ind.NameZH, "总数") {
			return ind.Code, word
		}
	}
	return "", ""
}

// commonRun is the length of the longest run of runes a and b share, not
// counting the runes of village nouns (示范村 shares two runes with 无讼示范村).
func commonRun(a, b []rune) int {
	best := 0
	for i := range a {
		for j := range b {
			n, k := 0, 0
			for i+n < len(a) && j+n < len(b) && a[i+n] == b[j+n] {
				if !strings.ContainsRune("村居社区（）()", a[i+n]) {
					k++
				}
				n++
			}
			best = max(best, k)
		}
	}
	return best
}

// gapRunes counts the runes between i and j that are not spaces.
func gapRunes(rs []rune, i, j int) int {
	n := 0
	for k := i; k < j; k++ {
		if !unicode.IsSpace(rs[k]) {
			n++
		}
	}
	return n
}

func hasNote(notes []string, n string) bool {
	for _, x := range notes {
		if x == n {
			return true
		}
	}
	return false
}

func removeNote(notes []string, n string) []string {
	var out []string
	for _, x := range notes {
		if x != n {
			out = append(out, x)
		}
	}
	return out
}

// unitsFor lists, for each unit of the catalogue, the measure words a
// report may write for it. Measure words are how Chinese tells what a number
// counts: 28个执法部门 are not 本 of case files, 1200人次 trained are not
// 名 of mediators, 43批次 of inspections are not 户 inspected.
var unitsFor = map[string][]string{
	"件":    {"件", "起", "宗", "件次", "部", "份", "条", "次", "人次"},
	"个":    {"个", "家", "所", "处"},
	"项":    {"项", "个", "条"},
	"名":    {"名", "人", "位"},
	"次":    {"次", "轮", "场", "场次", "批次", "期"},
	"家":    {"家", "个", "户", "所"},
	"份":    {"份", "本", "册", "张", "件"},
	"本":    {"本", "卷", "册", "份", "件"},
	"户":    {"户", "户次", "家", "家次"},
	"场次":   {"场次", "场", "次", "期"},
	"条":    {"条", "个"},
	"分":    {"分"},
	"万人":   {"人", "万人"},
	"%":    {"%"},
	"件/万人": {"件/万人", "件"}, // 万人起诉率为102.3件
	"天":    {"天", "个工作日", "小时"},
	"个工作日": {"个工作日", "天", "小时"},
}

// unitFits says whether a figure in unit u can be a value of the indicator.
func (e *Extractor) unitFits(code, u string) bool {
	ind, ok := e.inds[code]
	if !ok {
		return false
	}
	list, ok := unitsFor[ind.Unit]
	if !ok {
		return ind.Unit == u
	}
	for _, x := range list {
		if x == u {
			return true
		}
	}
	return false
}

func (e *Extractor) candidate(d *doc, f figure) Candidate {
	c := Candidate{
		Indicator: f.code, Alias: f.alias, Value: f.Value, Unit: f.Unit, Qualifier: f.Qualifier,
		Previous: f.prev, Change: f.change, Period: f.period, Confidence: f.conf, Notes: f.notes,
		Start: d.off[f.Start], End: d.off[f.End],
	}
	if f.Range {
		low := f.Low
		c.Low = &low
	}
	qs, qe := f.clause[0], f.clause[1]
	for qs < qe && unicode.IsSpace(d.rs[qs]) {
		qs++
	}
	for qe > qs && unicode.IsSpace(d.rs[qe-1]) {
		qe--
	}
	c.QuoteStart, c.QuoteEnd = d.off[qs], d.off[qe]
	c.Quote = d.text[c.QuoteStart:c.QuoteEnd] // the caller's bytes, even if not valid UTF-8
	switch c.Period {
	case "Q1":
		c.Quarter = 1
	case "Q2":
		c.Quarter = 2
	case "Q3":
		c.Quarter = 3
	case "Q4":
		c.Quarter = 4
	case "H1":
		c.Quarter = 2
		c.Notes = append(c.Notes, "上半年累计数：按第二季度填报前请核对指标的季度口径")
	case "Q1-Q3":
		c.Quarter = 3
		c.Notes = append(c.Notes, "前三季度累计数：按第三季度填报前请核对指标的季度口径")
	}
	if c.Indicator == "" {
		c.Confidence = 0
		return c
	}
	ind := e.inds[c.Indicator]
	if ind.Unit == c.Unit {
		c.Confidence += 0.03
	}
	if ind.Unit == "万人" && c.Unit == "人" {
		c.Value = roundTo(c.Value/1e4, 6)
	}
	if c.Unit == "小时" && ind.Unit != "小时" {
		c.Confidence -= 0.2
		c.Notes = append(c.Notes, "原文单位为小时，指标单位为"+ind.Unit)
	}
	if f.Chinese {
		c.Confidence -= 0.1
	}
	if f.Range {
		c.Confidence -= 0.15
		c.Notes = append(c.Notes, fmt.Sprintf("原文为范围 %s–%s", fmtNum(f.Low), fmtNum(f.Value)))
	}
	if c.Qualifier != "" && c.Qualifier != "内" && c.Qualifier != "以内" {
		c.Confidence -= 0.05
	}
	if ind.Max > ind.Min && (c.Value > ind.Max || c.Value < ind.Min) {
		c.Confidence -= 0.3
		c.Notes = append(c.Notes, fmt.Sprintf("超出指标的有效范围 %s–%s", fmtNum(ind.Min), fmtNum(ind.Max)))
	}
	if c.Confidence > 0.99 {
		c.Confidence = 0.99
	}
	if c.Confidence < 0.05 {
		c.Confidence = 0.05
	}
	c.Confidence = roundTo(c.Confidence, 2)
	return c
}

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// Words around a bare verb that do not change what it counts.
var (
	leadFillers = []string{"全省", "全市", "全县", "全区", "和", "及", "其中", "共计", "共", "全年", "累计", "依法", "已经", "已", "全部", "当年", "同期", "另有", "另",
		"经审查", "经审核", "予以", "实际", "先后", "均", "现有", "共有", "有", "人民法院", "法院"}
	trailFillers = []string{"达到", "共计", "达", "为", "共", "约", "有"}
	// totalWords restate the quantity named before: "新增联系点4个，总数达到15个".
	totalWords = []string{"总数", "总计", "合计", "总量", "累计", "共计"}
	// negations: "不予受理14件" is not a count of what 受理 names.
	negations = []string{"不予", "不", "未", "无", "没有", "暂不", "尚未"}
)

// carryOver names a figure whose own clause has no alias, from the
// sentence around it, as a list continues in Chinese reports:
//
//   - "收到行政复议申请136件，受理121件，审结115件": a bare verb (受理, 审结)
//     takes the indicator of the same category as the figure before it
//     whose alias contains that verb; a rate after a count ("调解成功9721件，
//     成功率98.5%") prefers the ratio whose numerator that count is;
//   - "新增联系点4个，总数达到15个": a total takes the indicator of the figure before;
//   - "企业开办实现“一日办结”，全流程办理时间压减至0.5个工作日": a clause
//     without a figure of its own lends its alias to the next clause.
func (e *Extractor) carryOver(d *doc, figs []figure, k int, clauses [][2]int, occs []occ) {
	f := &figs[k]
	rs := d.rs
	var anchor *figure
	anchorCode := ""
	unnamed := false
	for j := k - 1; j >= 0; j-- {
		g := &figs[j]
		if g.drop || g.Unit == "" || g.negated {
			continue
		}
		if g.code != "" || g.increment != "" {
			anchor, anchorCode = g, g.code
			if anchorCode == "" {
				anchorCode = g.increment
			}
		} else {
			// "排查风险隐患126条，已化解118条": the list goes on about the
			// figure before, which no indicator counts.
			unnamed = true
		}
		break
	}
	if unnamed {
		return
	}
	// "…不予受理11件。已办结159件，其中维持92件": the list goes on in the
	// next sentence of the paragraph.
	inherited := false
	if anchor == nil && d.prior != "" {
		anchor, anchorCode, inherited = f, d.prior, true
	}
	from := f.clause[0]
	for j := k - 1; j >= 0 && figs[j].clause == f.clause; j-- {
		if !figs[j].drop && figs[j].Unit != "" {
			from = figs[j].End
			break
		}
	}
	vr, _ := matchForm(rs[from:f.Start])
	verb := string(vr)
	for _, w := range negations {
		if strings.HasPrefix(verb, w) {
			f.negated = true
			return
		}
	}
	if countsOther(rs[from:f.Start]) {
		return // "提出法律意见建议五千余条"
	}
	// "办理环节由5个精简为2个": the subject stands before the former value.
	for _, w := range []string{"由原来的", "从原来的", "由", "从"} {
		if k := strings.Index(verb, w); k > 0 {
			if r := []rune(verb[k+len(w):]); len(r) > 0 && (isDigit(r[0]) || isCNNumeral(r[0])) {
				verb = verb[:k]
				break
			}
		}
	}
	total := false
	for changed := true; changed; {
		changed = false
		for _, w := range leadFillers {
			if strings.HasPrefix(verb, w) {
				verb, changed = strings.TrimPrefix(verb, w), true
				total = total || w == "累计" || w == "共计"
			}
		}
		for _, w := range trailFillers {
			if strings.HasSuffix(verb, w) {
				verb, changed = strings.TrimSuffix(verb, w), true
			}
		}
		// "审批时限压缩至20天": the subject is what the verb reduces.
		for _, w := range toVerbs {
			if r := strings.TrimSuffix(verb, w); r != verb && len([]rune(w)) >= 2 && len([]rune(r)) >= 2 {
				verb, changed = r, true
			}
		}
		for _, w := range totalWords {
			if verb == w {
				verb, changed, total = "", true, true
			}
		}
	}
	// "全县共有村（社区）198个": the villages themselves, counted.
	for _, w := range villageWords {
		if verb == normAlias(w) && f.Unit == "个" {
			for _, code := range e.codes {
				if ind := e.inds[code]; strings.Contains(ind.NameZH, "村") && strings.Contains(ind.NameZH, "总数") {
					f.code, f.alias, f.conf = code, w, 0.6
					return
				}
			}
		}
	}
	// "新设立法基层联系点5个，全省联系点总数达到23个": a total of a phrase of
	// the indicator before.
	if anchor != nil && !inherited {
		for _, w := range totalWords {
			if rest := strings.TrimSuffix(verb, w); rest != verb && len([]rune(rest)) >= 2 && e.hasAliasWith(anchorCode, rest) {
				verb, total = "", true
			}
		}
	}
	if anchor != nil && !inherited && verb == "" && total {
		if e.unitFits(anchorCode, f.Unit) {
			f.code, f.alias, f.conf = anchorCode, e.inds[anchorCode].NameZH, 0.6
			f.notes = append(f.notes, "总数，指标由上文推定（"+e.inds[anchorCode].NameZH+"）")
			// "指导创建无讼村41个，累计达到118个": of a stock, the figure
			// before its total is what was added.
			if k := e.inds[anchorCode].Kind; anchor.code != "" && (k == kpi.KindStock || k == kpi.KindList) {
				anchor.increment, anchor.code, anchor.alias, anchor.conf = anchor.code, "", "", 0
				anchor.notes = append(anchor.notes, "新增数，不是期末总数")
			}
		}
		return
	}
	if anchor != nil && f.Unit == "%" && strings.HasPrefix(verb, "占") {
		// "诉前分流19874件，占新收一审民商事案件的48.2%": the share is the
		// ratio whose numerator is the figure before (and, where several
		// are, whose denominator the clause names).
		var named map[string]bool
		for _, o := range occs {
			if o.start >= from && o.end <= f.Start {
				if named == nil {
					named = map[string]bool{}
				}
				named[o.code] = true
			}
		}
		best := ""
		for _, code := range e.codes {
			ind := e.inds[code]
			if ind.IsRatio() && ind.Numerator == anchorCode && ind.Unit == "%" && (best == "" || named[ind.Denominator]) {
				best = code
			}
		}
		if best != "" {
			f.code, f.alias, f.conf = best, verb, 0.6
			f.notes = append(f.notes, "占比，指标由上文推定（"+e.inds[anchorCode].NameZH+"）")
		}
		return
	}
	if n := len([]rune(verb)); anchor != nil && n >= 2 && n <= 6 && !strings.ContainsFunc(verb, unicode.IsDigit) {
		cat := e.inds[anchorCode].Category
		var best alias
		bestScore := -1 << 30
		codes := map[string]bool{}
		for _, a := range e.byCategory[cat] {
			txt := string(a.text)
			if strings.Contains(txt, verb) && e.unitFits(a.code, f.Unit) {
				codes[a.code] = true
			}
			// The verb starts the phrase (受理 受理行政复议案件, 维持 维持原行政行为)
			// or, for a rate, ends it (成功率 调解成功率); 差评 inside 好差评 is
			// another thing.
			if !strings.HasPrefix(txt, verb) && !(strings.HasSuffix(verb, "率") && strings.HasSuffix(txt, verb)) || !e.unitFits(a.code, f.Unit) {
				continue
			}
			// A bare rate ending a longer phrase is that phrase's rate only
			// after its numerator: "审结398件，结案率96.6%" is not 调解和解结案率.
			if txt != verb && !strings.HasPrefix(txt, verb) && e.inds[a.code].Numerator != anchorCode {
				continue
			}
			score := -(len(a.text) - n)
			if strings.HasPrefix(txt, verb) {
				score += 10
			}
			if e.inds[a.code].Numerator == anchorCode {
				score += 20 // 调解成功9721件，成功率98.5%: the rate of that count
			}
			if score > bestScore {
				best, bestScore = a, score
			}
		}
		// A phrase that several indicators share (规范性文件) names none of them.
		if best.code != "" && len(codes) < 3 {
			f.code, f.alias, f.conf = best.code, verb, 0.6
			f.notes = append(f.notes, "指标由上文推定（"+e.inds[anchorCode].NameZH+"）")
			return
		}
		// "企业开办…压缩至0.5个工作日，办理环节由5个精简为2个": another
		// measure of the same subject, the subject's phrase and the noun
		// ending this one (企业开办 + 环节).
		// The subject may be a phrase starting the anchor's (企业开办全流程 →
		// 企业开办), never a part of a word (全程网办 → 全程网).
		if anchor != f && anchor.alias != "" {
			hr := []rune(normAlias(anchor.alias))
			vr := []rune(verb)
			for h := len(hr); h >= 2; h-- {
				if c, _ := e.exactAlias(string(hr[:h])); h < len(hr) && c == "" {
					continue
				}
				for m := 2; m <= len(vr); m++ {
					if code, al := e.exactAlias(string(hr[:h]) + string(vr[len(vr)-m:])); code != "" && code != anchorCode && e.unitFits(code, f.Unit) {
						f.code, f.alias, f.conf = code, al, 0.55
						f.notes = append(f.notes, "指标由上文推定（"+e.inds[anchorCode].NameZH+"）")
						return
					}
				}
			}
		}
	}
	// A clause before this one in the sentence, with no figure of its own.
	// A number right after a title counts the documents it names
	// ("制发《行政应诉风险提示函》3份").
	if b := strings.TrimSuffix(strings.TrimRightFunc(string(rs[from:f.Start]), unicode.IsSpace), "等"); strings.HasSuffix(b, "》") {
		return
	}
	ci := -1
	for i, c := range clauses {
		if c == f.clause {
			ci = i
		}
	}
	for i := ci - 1; i >= 0 && i >= ci-2; i-- {
		c := clauses[i]
		if e := c[1] - 1; e > c[0] && rs[e] == '中' && strings.ContainsRune("件纷项请员", rs[e-1]) {
			return // "一审行政案件中，以县政府为被告的案件317件": a part, not the whole
		}
		for _, g := range figs {
			if !g.drop && g.Unit != "" && g.clause == c {
				return // that clause has its own figure: its alias is taken
			}
		}
		var best *occ
		for j := range occs {
			o := &occs[j]
			if o.start >= c[0] && o.end <= c[1] && !o.near && e.unitFits(o.code, f.Unit) && (best == nil || o.end > best.end) {
				best = o
			}
		}
		if best != nil {
			f.code, f.alias, f.conf = best.code, best.alias, 0.55
			f.notes = append(f.notes, "指标取自前一分句")
			return
		}
	}
}

// exactAlias returns the indicator whose alias is exactly s (in match form).
func (e *Extractor) exactAlias(s string) (string, string) {
	rs, _ := matchForm([]rune(s))
	if len(rs) == 0 {
		return "", ""
	}
	for _, a := range e.aliases[rs[0]] {
		if len(a.text) == len(rs) && equalRunes(a.text, rs) {
			return a.code, a.orig
		}
	}
	return "", ""
}

// hasAliasWith reports whether an alias or the name of code contains w.
func (e *Extractor) hasAliasWith(code, w string) bool {
	ind := e.inds[code]
	for _, a := range append(append([]string{}, ind.Aliases...), ind.NameZH) {
		if strings.Contains(normAlias(a), w) {
			return true
		}
	}
	return false
}

// listedIn names "公布《…重大行政决策事项目录》，将…等5项事项纳入目录管理":
// a number of items put on a list (列入, 纳入) named by a title ending in
// 目录 or 清单 earlier in the sentence counts what that title names.
func (e *Extractor) listedIn(d *doc, s int, f *figure) (string, string) {
	c := d.rs[f.clause[0]:f.clause[1]]
	if !containsRunes(c, []rune("列入")) && !containsRunes(c, []rune("纳入")) {
		return "", ""
	}
	code, al := "", ""
	for i := s; i < f.Start; i++ {
		if d.rs[i] != '》' || !d.title[i] {
			continue
		}
		j := i - 1
		for j > s && d.rs[j] != '《' {
			j--
		}
		inner := d.rs[j+1 : i]
		if n := len(inner); n < 3 || !strings.HasSuffix(string(inner), "目录") && !strings.HasSuffix(string(inner), "清单") {
			continue
		}
		t, _ := matchForm(inner)
		if cd, a := e.lastAlias(t, 0); cd != "" && e.unitFits(cd, f.Unit) {
			code, al = cd, a
		}
	}
	return code, al
}

// passedDraft names "提请审议地方性法规草案9件，其中…等7件已审议通过": the
// drafts passed in the clause after the number are what the draft's alias
// counts (法规 made). It returns the code of the last draft named before f.
func passedDraft(d *doc, f *figure, occs []occ) string {
	after := d.rs[f.End:f.clause[1]]
	if !containsRunes(after, []rune("通过")) || containsRunes(after, []rune("未通过")) {
		return ""
	}
	code := ""
	for _, o := range occs {
		if o.draft && o.end <= f.Start {
			code = o.code
		}
	}
	return code
}

// thousands reports a comma that groups digits (1,234), not one that ends a clause.
func thousands(rs []rune, i int) bool {
	return rs[i] == ',' && i > 0 && isDigit(rs[i-1]) && threeDigits(rs, i+1)
}
