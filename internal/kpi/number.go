package kpi

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits of ParseNumber. 15 significant digits is what a float64 always
// holds exactly (and what Excel keeps); a longer input would be stored as a
// different number than the one typed. No figure needs 30 decimal places,
// and the cap keeps every accepted value printable with
// strconv.FormatFloat(v, 'f', -1, 64) in a form that parses back. No number
// a person types runs to 256 bytes: longer input is refused unread.
const (
	maxSignificant = 15
	maxDecimals    = 30
	maxNumberInput = 256
)

// ParseNumber is the one parser for every number a person types or uploads:
// the entry grid, the Excel template and CSV imports all go through it, so a
// figure means the same whichever way it arrived.
//
// It takes what Chinese offices actually type: full-width digits, "．" as
// decimal point, "－" as minus, ideographic spaces around the number,
// thousands separators "," and "，" in correct groups of three, and a
// trailing "%" or "％" that leaves the value unchanged ("98.5%" is 98.5:
// rates are stored as numbers of percent). It refuses what strconv.ParseFloat
// would take but no clerk means — NaN, Inf, hexadecimal, exponents — and the
// full stop "。", which is a typo rather than a decimal point often enough
// that guessing would store wrong figures.
func ParseNumber(s string) (float64, error) {
	in := strings.TrimSpace(s) // also U+3000 and U+00A0, which Excel pastes carry
	if in == "" {
		return 0, Invalid("value", "数值为空", "the number is empty")
	}
	if len(in) > maxNumberInput {
		return 0, tooLong(in)
	}
	var b strings.Builder
	for _, r := range in {
		switch {
		case r >= '０' && r <= '９':
			b.WriteByte(byte('0' + r - '０'))
		case r == '．':
			b.WriteByte('.')
		case r == '，':
			b.WriteByte(',')
		case r == '－' || r == '−': // full-width hyphen-minus, and the typographic minus Word inserts
			b.WriteByte('-')
		case r == '＋':
			b.WriteByte('+')
		case r == '％':
			b.WriteByte('%')
		case r == '。':
			return 0, Invalid("value", "%q 中的句号“。”不能用作小数点，请使用“.”", "%q: the full stop “。” cannot be a decimal point; use “.”", in)
		default:
			b.WriteRune(r)
		}
	}
	t := b.String()
	if p, ok := strings.CutSuffix(t, "%"); ok {
		t = strings.TrimSpace(p) // "98.5 %" is still 98.5
	}

	// The most telling complaint first: letters mean NaN, Inf, 1e5, 0x1F or
	// a word; only then count points and look for stray characters.
	for _, r := range t {
		if unicode.IsLetter(r) {
			return 0, Invalid("value", "%q 含有字母或文字，不是有效的数字（不接受 NaN、Inf、科学计数法或十六进制）", "%q contains letters or words and is not a number (NaN, Inf, exponents and hex are not accepted)", in)
		}
	}
	sign := ""
	if t != "" && (t[0] == '-' || t[0] == '+') {
		sign, t = t[:1], t[1:]
	}
	if strings.Count(t, ".") > 1 {
		return 0, Invalid("value", "%q 有多个小数点", "%q has more than one decimal point", in)
	}
	for _, r := range t {
		if (r < '0' || r > '9') && r != '.' && r != ',' {
			return 0, Invalid("value", "%q 含有无效字符 %q，不是有效的数字", "%q contains the invalid character %q and is not a number", in, r)
		}
	}
	intPart, frac, _ := strings.Cut(t, ".")
	if intPart == "" && frac == "" {
		return 0, Invalid("value", "%q 不是有效的数字", "%q is not a number", in)
	}
	if strings.Contains(intPart, ",") || strings.Contains(frac, ",") {
		if !grouped(intPart) || strings.Contains(frac, ",") {
			return 0, Invalid("value", "%q 的千位分隔符位置不对（应每三位一组，如 1,234,567.5）", "%q has misplaced thousands separators (groups of three, as in 1,234,567.5)", in)
		}
		intPart = strings.ReplaceAll(intPart, ",", "")
	}
	if len(frac) > maxDecimals {
		return 0, Invalid("value", "%q 的小数位数超过 %d 位", "%q has more than %d decimal places", in, maxDecimals)
	}
	digits := strings.TrimLeft(intPart+strings.TrimRight(frac, "0"), "0")
	if len(digits) > maxSignificant {
		return 0, Invalid("value", "%q 超过 %d 位有效数字，无法精确保存", "%q has more than %d significant digits and cannot be stored exactly", in, maxSignificant)
	}
	num := sign + "0" + intPart
	if frac != "" {
		num += "." + frac
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		// Unreachable after the checks above; kept so no path returns a non-finite value.
		return 0, Invalid("value", "%q 不是有效的数字", "%q is not a number", in)
	}
	if v == 0 {
		v = 0 // "-0" is stored, shown and compared as 0
	}
	return v, nil
}

// grouped reports whether an integer part with commas has them every three
// digits from the right. A leading zero ("0,123") is refused: that is a
// European decimal comma, not 123.
func grouped(intPart string) bool {
	groups := strings.Split(intPart, ",")
	first := groups[0]
	if len(first) < 1 || len(first) > 3 || first[0] == '0' {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return false
		}
	}
	return true
}

func tooLong(in string) *Error {
	quoted := in
	if utf8.RuneCountInString(in) > 20 {
		quoted = string([]rune(in)[:20]) + "…"
	}
	return Invalid("value", "%q 过长，不是有效的数字", "%q is too long to be a number", quoted)
}
