package export

import "regexp"

// plainNumber is text that spreadsheets read as a number and never as a
// formula, even with a leading minus: -3.5, 1,234, -12.5%. A leading plus is
// not plain: "+1" is how a formula such as +1+cmd|... begins.
var plainNumber = regexp.MustCompile(`^-?(?:(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)%?$`)

// SafeText neutralises spreadsheet formula injection: text that starts with
// = + - @ or a tab or carriage return gets a leading apostrophe ('), unless
// the whole text is a plain number (e.g. "-3.5" stays). Used for every text
// cell of both formats.
//
// In an .xlsx written here text is never a formula anyway; the apostrophe is
// for the copy a user pastes elsewhere or saves again as CSV, where Excel
// would evaluate =HYPERLINK(…) or @SUM(…) on opening.
func SafeText(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
	default:
		return s
	}
	if s[0] == '-' && plainNumber.MatchString(s) {
		return s
	}
	return "'" + s
}
