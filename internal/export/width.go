package export

import (
	"strconv"
	"strings"

	"golang.org/x/text/width"

	"github.com/govkpi/govkpi/internal/kpi"
)

// Column widths are in Excel's units, about one Latin digit each. Computed
// widths fit the longest cell plus a margin, within bounds: a long note
// wraps rather than making the sheet a screen wide.
const (
	minColumnWidth = 8
	maxColumnWidth = 50
	excelMaxWidth  = 255
)

// columnWidths returns the width of each of the table's n columns: the
// given one where there is one, otherwise computed from the headers and
// cells (not the title and subtitle, which span all columns).
func columnWidths(t Table, n int) []float64 {
	longest := make([]float64, n)
	see := func(c int, w float64) { longest[c] = max(longest[c], w) }
	for c, h := range t.Headers {
		see(c, textWidth(h))
	}
	for _, r := range t.Rows {
		for c, cell := range r {
			see(c, cellWidth(cell))
		}
	}
	out := make([]float64, n)
	for c := range out {
		if c < len(t.Widths) && t.Widths[c] > 0 { // false for NaN too
			out[c] = min(t.Widths[c], excelMaxWidth)
			continue
		}
		out[c] = min(max(longest[c]+2, minColumnWidth), maxColumnWidth)
	}
	return out
}

// textWidth is the width of the widest line of s, CJK and other wide
// characters counting double.
func textWidth(s string) float64 {
	widest := 0
	for line := range strings.SplitSeq(s, "\n") {
		w := 0
		for _, r := range line {
			switch width.LookupRune(r).Kind() {
			case width.EastAsianWide, width.EastAsianFullwidth:
				w += 2
			default:
				w++
			}
		}
		widest = max(widest, w)
	}
	return float64(widest)
}

// cellWidth estimates how wide a cell shows: text as it is, a number as its
// format renders it, roughly.
func cellWidth(c Cell) float64 {
	v, ok := c.number()
	if !ok {
		return textWidth(SafeText(c.Text))
	}
	section, _, _ := strings.Cut(c.Format, ";")
	literal, code := splitLiterals(section)
	var s string
	switch {
	case c.Format == "":
		// General shows at most 11 characters, switching to exponents.
		s = strconv.FormatFloat(v, 'f', -1, 64)
		if len(s) > 11 {
			s = s[:11]
		}
	case strings.Contains(code, "%"):
		s = kpi.FormatNumber(v*100, decimals(code)) + "%"
	default:
		s = kpi.FormatNumber(v, decimals(code))
	}
	if !strings.Contains(code, ",") {
		s = strings.ReplaceAll(s, ",", "")
	}
	return float64(len(s)) + textWidth(literal)
}

// splitLiterals separates a format section's quoted text ("个百分点") from
// its code (0.0).
func splitLiterals(section string) (literal, code string) {
	var lit, cod strings.Builder
	for i, part := range strings.Split(section, `"`) {
		if i%2 == 1 {
			lit.WriteString(part)
		} else {
			cod.WriteString(part)
		}
	}
	return lit.String(), cod.String()
}

// decimals counts the digit placeholders after the point of a format code.
func decimals(code string) int {
	_, frac, ok := strings.Cut(code, ".")
	if !ok {
		return 0
	}
	n := 0
	for _, r := range frac {
		if r != '0' && r != '#' && r != '?' {
			break
		}
		n++
	}
	return min(n, 10)
}
