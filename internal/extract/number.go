package extract

import (
	"math"
	"strings"
)

// Mention is one number found in the text, with what surrounds it.
// Start and End are rune indices into the text the scanner was given
// (End is past the unit and trailing qualifiers).
type Mention struct {
	Start, End int
	NumStart   int     // rune index where the numeral itself starts (after 约, 近 …)
	NumEnd     int     // rune index past the numeral (before 余, 万 and the unit)
	Value      float64 // multipliers applied (320余万 is 3200000)
	Low        float64 // a range's lower bound ("3至5天": Low 3, Value 5)
	Range      bool
	Unit       string // "" when the number has none
	Qualifier  string // 余 多 近 约 超 以上 以内 左右 …, as written
	Chinese    bool   // written in Chinese numerals
	Multiplier string // 万 or 亿, as written
}

// units are the measure words a figure can carry, longest first so that
// 个工作日 wins over 个. 日, 年 and 月 are not among them: after a number
// they are dates and durations of policies, not figures.
var units = []string{
	"个百分点", "个工作日", "工作日", "场次", "批次", "小时", "人次", "件次", "户次", "家次",
	"名", "人", "位", "件", "起", "宗", "项", "个", "家", "天", "场", "次", "份", "本", "户", "条", "处", "所", "卷", "部", "分", "轮", "期", "册", "张", "%", "％",
}

// prefixQualifiers come before a number.
var prefixQualifiers = []string{"超过", "将近", "接近", "大约", "约", "近", "超", "逾", "达到"}

// suffixQualifiers come after the unit.
var suffixQualifiers = []string{"以上", "以内", "以下", "左右", "之多", "内", "多"}

func isDigit(r rune) bool { return r >= '0' && r <= '9' || r >= '０' && r <= '９' }

func digitValue(r rune) int {
	if r >= '０' && r <= '９' {
		return int(r - '０')
	}
	return int(r - '0')
}

var cnDigits = map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
var cnSmallUnits = map[rune]int{'十': 10, '百': 100, '千': 1000}

func isCNNumeral(r rune) bool {
	_, d := cnDigits[r]
	_, u := cnSmallUnits[r]
	return d || u
}

// maxRunes bounds how far one number may run, so that a line of ten
// thousand digits is not a number and the scanner stays linear.
const maxRunes = 24

// scanArabic reads digits at rs[i:] ("1,234.5", full-width digits too) and
// returns the value and the index past it; n == i means no number.
func scanArabic(rs []rune, i int) (v float64, n int) {
	j := i
	var intPart float64
	for j < len(rs) && j-i < maxRunes {
		switch {
		case isDigit(rs[j]):
			intPart = intPart*10 + float64(digitValue(rs[j]))
			j++
			continue
		case rs[j] == ',' && j > i && threeDigits(rs, j+1):
			j++
			continue
		}
		break
	}
	if j == i {
		return 0, i
	}
	v = intPart
	if j+1 < len(rs) && (rs[j] == '.' || rs[j] == '．') && isDigit(rs[j+1]) {
		j++
		scale := 0.1
		for j < len(rs) && isDigit(rs[j]) && j-i < maxRunes {
			v += float64(digitValue(rs[j])) * scale
			scale /= 10
			j++
		}
		v = roundTo(v, 6)
	}
	return v, j
}

// threeDigits reports a thousands group: exactly three digits, then no digit.
func threeDigits(rs []rune, i int) bool {
	if i+3 > len(rs) {
		return false
	}
	for k := i; k < i+3; k++ {
		if !isDigit(rs[k]) {
			return false
		}
	}
	return i+3 == len(rs) || !isDigit(rs[i+3])
}

func roundTo(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

// scanChinese reads a Chinese numeral below 万 at rs[i:] (一 … 九千九百九十九,
// 两, 十二, 二十, 一百零五). It must start with a digit or 十.
func scanChinese(rs []rune, i int) (v float64, n int) {
	if i >= len(rs) {
		return 0, i
	}
	if _, ok := cnDigits[rs[i]]; !ok && rs[i] != '十' {
		return 0, i
	}
	total, digit := 0, -1
	j := i
	lastUnit := 10000
	for j < len(rs) && j-i < maxRunes {
		r := rs[j]
		if d, ok := cnDigits[r]; ok {
			if digit >= 0 && d != 0 && digit != 0 {
				break // 二三 is not a numeral
			}
			digit = d
			j++
			continue
		}
		if u, ok := cnSmallUnits[r]; ok {
			if u >= lastUnit {
				break // 十百 is not a numeral
			}
			if digit < 0 {
				if u != 10 {
					break
				}
				digit = 1 // 十二 is 12
			}
			total += digit * u
			digit = -1
			lastUnit = u
			j++
			continue
		}
		break
	}
	if digit > 0 {
		total += digit
	}
	if j == i {
		return 0, i
	}
	return float64(total), j
}

func hasPrefixAt(rs []rune, i int, s string) bool {
	for _, r := range s {
		if i >= len(rs) || rs[i] != r {
			return false
		}
		i++
	}
	return true
}

// scanNumber reads one number mention starting exactly at rs[i] (a digit or
// a Chinese numeral): numeral, 余/多, 万/亿, unit, 以上. ok is false when
// there is no numeral at i.
func scanNumber(rs []rune, i int) (m Mention, ok bool) {
	m.Start, m.NumStart = i, i
	v, j := scanArabic(rs, i)
	if j == i {
		v, j = scanChinese(rs, i)
		if j == i {
			return m, false
		}
		m.Chinese = true
	}
	m.NumEnd = j
	// 余/多 may stand before or after 万: 320余万, 1.2万余
	if j < len(rs) && (rs[j] == '余' || rs[j] == '多') && j+1 < len(rs) && (rs[j+1] == '万' || rs[j+1] == '亿' || unitAt(rs, j+1) != "") {
		m.Qualifier = string(rs[j])
		j++
	}
	if j < len(rs) && (rs[j] == '万' || rs[j] == '亿') {
		// 万人 after a number is a count of people in ten thousands
		// ("120万人"): keep 万 as the multiplier all the same.
		m.Multiplier = string(rs[j])
		// The numeral has at most six decimals: round away the binary
		// error of the product (1.36万 is 13600, not 13600.000000000002).
		if rs[j] == '万' {
			v = roundTo(v*1e4, 2)
		} else {
			v = roundTo(v*1e8, 0)
		}
		j++
		if j+1 < len(rs) && j < len(rs) && (rs[j] == '余' || rs[j] == '多') && (unitAt(rs, j+1) != "") {
			m.Qualifier = string(rs[j])
			j++
		}
	}
	m.Value = v
	if u := unitAt(rs, j); u != "" && !(u == "部" && j+1 < len(rs) && strings.ContainsRune("门署分位", rs[j+1])) && // 3部门 is not 3部
		!(u == "分" && j+1 < len(rs) && strings.ContainsRune("钟之局院别类中队所厂行支期批项级会部组布散管秒", rs[j+1])) { // 5分钟, 3分局 are not scores
		m.Unit = normUnit(u)
		j += len([]rune(u))
	}
	for _, q := range suffixQualifiers {
		if hasPrefixAt(rs, j, q) && m.Unit != "" && (q != "多" && q != "内" || m.Qualifier == "") {
			// 内 and 多 are qualifiers only where nothing else follows them as a word.
			if q == "内" || q == "多" {
				if j+1 < len(rs) && isCJK(rs[j+1]) && !isClauseEnd(rs[j+1]) {
					continue
				}
			}
			if m.Qualifier == "" {
				m.Qualifier = q
			} else {
				m.Qualifier += q
			}
			j += len([]rune(q))
			break
		}
	}
	m.End = j
	// Prefix qualifiers: 约 近 超 …
	for _, q := range prefixQualifiers {
		k := i - len([]rune(q))
		if k >= 0 && hasPrefixAt(rs, k, q) {
			if q == "达到" {
				break // 达到 is a verb, not a qualifier; stop looking
			}
			if m.Qualifier == "" {
				m.Qualifier = q
			} else {
				m.Qualifier = q + m.Qualifier
			}
			m.Start = k
			break
		}
	}
	return m, true
}

func unitAt(rs []rune, j int) string {
	for _, u := range units {
		if hasPrefixAt(rs, j, u) {
			return u
		}
	}
	return ""
}

func normUnit(u string) string {
	switch u {
	case "％":
		return "%"
	case "工作日":
		return "个工作日"
	}
	return u
}

func isCJK(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }

// ParseNumber parses one number mention as it stands in a report
// ("320余万份", "两千", "98.47%", "十余个"), for tests and the fuzzer.
// ok is false when s does not start with a number.
func ParseNumber(s string) (m Mention, ok bool) {
	rs := []rune(strings.TrimSpace(s))
	i := 0
	for _, q := range prefixQualifiers {
		if hasPrefixAt(rs, 0, q) {
			i = len([]rune(q))
			break
		}
	}
	if hasPrefixAt(rs, i, "百分之") {
		return scanPercentWords(rs, i)
	}
	return scanNumber(rs, i)
}

// scanPercentWords reads 百分之九十八 / 百分之98.5.
func scanPercentWords(rs []rune, i int) (m Mention, ok bool) {
	k := i + 3
	v, j := scanArabic(rs, k)
	chinese := false
	if j == k {
		v, j = scanChinese(rs, k)
		if j == k {
			return m, false
		}
		chinese = true
		// 百分之九十八点五
		if j+1 < len(rs) && rs[j] == '点' {
			if d, ok := cnDigits[rs[j+1]]; ok {
				scale := 0.1
				v += float64(d) * scale
				j += 2
				for j < len(rs) {
					d, ok := cnDigits[rs[j]]
					if !ok {
						break
					}
					scale /= 10
					v += float64(d) * scale
					j++
				}
				v = roundTo(v, 6)
			}
		}
	}
	m = Mention{Start: i, NumStart: i, NumEnd: j, End: j, Value: v, Unit: "%", Chinese: chinese}
	for _, q := range prefixQualifiers {
		if k := i - len([]rune(q)); k >= 0 && hasPrefixAt(rs, k, q) && q != "达到" {
			m.Qualifier, m.Start = q, k
			break
		}
	}
	return m, true
}
