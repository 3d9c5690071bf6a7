package kpi

import (
	"strconv"
	"strings"
)

// FormatNumber renders v with the given decimals and thousands separators.
func FormatNumber(v float64, decimals int) string {
	s := strconv.FormatFloat(Round(v, decimals), 'f', decimals, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if frac != "" {
		out += "." + frac
	}
	if neg && strings.Trim(out, "0.,") != "" {
		out = "-" + out
	}
	return out
}

// FormatValue renders a value with its unit: "497名", "98.5%", "1.5 working days".
func FormatValue(ind Indicator, v *float64, lang string) string {
	if v == nil {
		return "—"
	}
	n := FormatNumber(*v, ind.Decimals)
	unit := ind.UnitIn(lang)
	if lang == "en" && unit != "%" {
		return n + " " + unit
	}
	return n + unit
}

// FormatDelta renders a change: "+2.1个百分点", "-3.4%", "+2.1 pp".
func FormatDelta(d *Delta, lang string) string {
	if d == nil {
		return "—"
	}
	s := FormatNumber(d.Value, max(d.Decimals, 1))
	if d.Value > 0 && strings.Trim(s, "0.") != "" {
		s = "+" + s
	}
	switch {
	case d.Points && lang == "en":
		return s + " pp"
	case d.Points:
		return s + "个百分点"
	default:
		return s + "%"
	}
}

// FormatPercent renders a progress ratio as a percentage: 0.953 → "95.3%".
func FormatPercent(r *float64) string {
	if r == nil {
		return "—"
	}
	return FormatNumber(*r*100, 1) + "%"
}

func trimFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
