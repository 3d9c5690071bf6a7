package kpi

import (
	"strings"
	"unicode/utf8"
)

// MaxNote is the longest note or review comment, in characters: the
// columns that keep them hold 1000 on every engine, and a longer text must
// be a clear error everywhere, not stored on SQLite and refused by
// PostgreSQL.
const MaxNote = 1000

// CheckNote refuses a note longer than MaxNote.
func CheckNote(field, text string) error {
	if n := utf8.RuneCountInString(text); n > MaxNote {
		return Invalid(field, "说明不能超过%d字（现有%d字）", "a note cannot be longer than %d characters (this one has %d)", MaxNote, n)
	}
	return nil
}

// CellCheck is the verdict on one typed cell of the entry grid.
type CellCheck struct {
	Value   float64
	Empty   bool   // nothing typed: not entered, which is not zero
	Error   error  // the cell cannot be saved
	Warning string // a jump against last year; it needs a comment to submit
}

// CheckCell parses and validates what was typed for ind. The same rules
// run in the browser as the user types (static/app.js) and here, which is
// the one that counts.
func CheckCell(ind Indicator, text string, lastYear *float64, comment string, submit bool, lang string) CellCheck {
	if err := CheckNote(ind.Code, comment); err != nil {
		return CellCheck{Empty: strings.TrimSpace(text) == "", Error: err}
	}
	if strings.TrimSpace(text) == "" { // TrimSpace knows the ideographic space too
		return CellCheck{Empty: true}
	}
	v, err := ParseNumber(text)
	if err != nil {
		return CellCheck{Error: err}
	}
	if err := CheckValue(ind, v); err != nil {
		return CellCheck{Value: v, Error: err}
	}
	c := CellCheck{Value: v}
	if Jumps(v, lastYear) {
		c.Warning = jumpMessage(lang)
		if submit && strings.TrimSpace(comment) == "" {
			c.Error = Invalid(ind.Code, "%s 较上年同期变动超过50%%，报送前请在备注中说明原因", "%s changes by more than 50%% against last year: explain it in the note before submitting", ind.NameZH)
		}
	}
	return c
}

func jumpMessage(lang string) string {
	if lang == "en" {
		return "more than 50% away from the same period last year: add a note"
	}
	return "较上年同期变动超过50%，请填写说明"
}

// CheckShares returns, for each percentage ratio whose numerator and
// denominator are both among values (by indicator code), an error on the
// numerator when it exceeds the denominator: diverted cases cannot outnumber
// new cases.
func CheckShares(cat Catalogue, values map[string]float64) map[string]error {
	errs := map[string]error{}
	for _, ind := range cat {
		if !ind.IsRatio() || !ind.IsPercent() {
			continue
		}
		num, okN := values[ind.Numerator]
		den, okD := values[ind.Denominator]
		if okN && okD && num > den {
			n, _ := cat.Get(ind.Numerator)
			d, _ := cat.Get(ind.Denominator)
			errs[ind.Numerator] = Invalid(ind.Numerator, "%s（%s）不能大于%s（%s）", "%s (%s) cannot exceed %s (%s)",
				n.NameZH, trimFloat(num), d.NameZH, trimFloat(den))
		}
	}
	return errs
}
