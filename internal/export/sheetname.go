package export

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
)

// maxSheetName is Excel's limit, counted in UTF-16 units as Excel does.
const maxSheetName = 31

// sheetNames gives every table a sheet name Excel accepts, and reserve (the
// definitions sheet, written last) keeps its own name. Names are compared
// case-insensitively, as Excel does; a repeated name gets " (2)", " (3)"….
func sheetNames(tables []Table, reserve string, en bool) []string {
	taken := map[string]bool{strings.ToLower(reserve): true}
	out := make([]string, len(tables))
	for i, t := range tables {
		base := safeSheetName(t.Name)
		if base == "" {
			base = "表" + strconv.Itoa(i+1)
			if en {
				base = "Table " + strconv.Itoa(i+1)
			}
		}
		name := base
		for n := 2; taken[strings.ToLower(name)] || strings.EqualFold(name, "History"); n++ {
			// "History" is reserved by Excel for change tracking.
			suffix := " (" + strconv.Itoa(n) + ")"
			name = strings.TrimRight(cutUTF16(base, maxSheetName-len(suffix)), " ") + suffix
		}
		taken[strings.ToLower(name)] = true
		out[i] = name
	}
	return out
}

// safeSheetName removes the characters Excel forbids in a sheet name
// ([]:*?/\ and control characters), the apostrophes it forbids at either
// end, and cuts the name to 31 units.
func safeSheetName(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return ' ' // a tab or newline separates words
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == unicode.ReplacementChar || strings.ContainsRune(`[]:*?/\`, r) {
			return -1
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	s = strings.Trim(cutUTF16(strings.Trim(s, "' "), maxSheetName), "' ")
	return s
}

// cutUTF16 shortens s to at most n UTF-16 units without splitting a rune.
func cutUTF16(s string, n int) string {
	units := 0
	for i, r := range s {
		w := utf16.RuneLen(r)
		if w < 0 {
			w = 1
		}
		if units+w > n {
			return s[:i]
		}
		units += w
	}
	return s
}
