package sheet

import (
	"errors"
	"strconv"
	"strings"

	"github.com/govkpi/govkpi/internal/kpi"
)

// CellError is one problem of an uploaded sheet, at a cell. The parsers
// report every problem they find, so that a department fixes its file once
// rather than once per upload.
type CellError struct {
	Ref       string // "B2"
	Message   string // Chinese, without the reference
	MessageEN string
}

// Entry is one filled input cell of a department template. Text is as
// typed (trimmed): the caller parses it with kpi.ParseNumber.
type Entry struct {
	Ref  string // the input cell, "F7"
	Row  int    // its row as Excel numbers it, from 1
	Code string // the indicator code of the row
	Text string
}

func cellErr(ref, zh, en string, args ...any) CellError {
	e := kpi.Errorf(kpi.EINVALID, zh, en, args...)
	return CellError{Ref: ref, Message: e.Message, MessageEN: e.MessageEN}
}

// ParseTemplate reads a filled department template (written by
// WriteTemplate, or the same layout saved as CSV). It takes the region and
// period from the keys of row 2 and, for each row with an indicator code,
// the text of the input column; an empty input cell means not entered, not
// zero, and gives no entry. The code and input columns are found by their
// headers in row 3, so a column inserted by hand does not shift the values
// onto the wrong indicator. region, year and quarter are 0 when invalid.
func ParseTemplate(t Table) (region, year, quarter int, entries []Entry, errs []CellError) {
	keys := map[string]int{}
	for c, v := range rowOf(t, keyRow) {
		k := strings.ToLower(v)
		if k != keyRegion && k != keyYear && k != keyQuarter {
			continue
		}
		if first, dup := keys[k]; dup {
			errs = append(errs, cellErr(CellRef(keyRow, c), "关键字 %q 重复（已在 %s）", "key %q appears twice (first in %s)", k, CellRef(keyRow, first)))
			continue
		}
		keys[k] = c
	}
	for _, k := range []struct {
		name string
		col  int // where WriteTemplate puts it
		read func(ref, text string) (int, *CellError)
		dst  *int
	}{
		{keyRegion, 0, parseRegion, &region},
		{keyYear, 2, parseYear, &year},
		{keyQuarter, 4, parseQuarter, &quarter},
	} {
		c, ok := keys[k.name]
		if !ok {
			errs = append(errs, cellErr(CellRef(keyRow, k.col), "第 2 行缺少关键字 %q：请使用系统下载的模板，不要修改第 2 行", "row 2 lacks the key %q: use the template as downloaded, without changing row 2", k.name))
			continue
		}
		ref := CellRef(keyRow, c+1)
		v, e := k.read(ref, t.Cell(keyRow, c+1))
		if e != nil {
			errs = append(errs, *e)
			continue
		}
		*k.dst = v
	}

	codeCol, valueCol := -1, -1
	for c, h := range rowOf(t, headerRow) {
		switch {
		case isHeader(h, colCode) && codeCol < 0:
			codeCol = c
		case isHeader(h, colValue) && valueCol < 0:
			valueCol = c
		}
	}
	if codeCol < 0 {
		errs = append(errs, cellErr(CellRef(headerRow, colCode), "第 3 行表头中没有“%s”列", "the header (row 3) has no “%s” column", headersZH[colCode]))
	}
	if valueCol < 0 {
		errs = append(errs, cellErr(CellRef(headerRow, colValue), "第 3 行表头中没有“%s”列", "the header (row 3) has no “%s” column", headersZH[colValue]))
	}
	if codeCol < 0 || valueCol < 0 {
		return region, year, quarter, nil, errs
	}

	seen := map[string]string{} // code → the cell it first appeared in
	for r := firstData; r < len(t.Rows); r++ {
		code, text := t.Cell(r, codeCol), t.Cell(r, valueCol)
		codeRef, ref := CellRef(r, codeCol), CellRef(r, valueCol)
		if code == "" {
			if text != "" {
				errs = append(errs, cellErr(ref, "填了数值，但本行没有指标代码", "a value on a row without an indicator code"))
			}
			continue
		}
		if first, dup := seen[code]; dup {
			errs = append(errs, cellErr(codeRef, "指标代码 %q 重复（已在 %s）", "indicator code %q appears twice (first in %s)", code, first))
			continue
		}
		seen[code] = codeRef
		if text != "" {
			entries = append(entries, Entry{Ref: ref, Row: r + 1, Code: code, Text: text})
		}
	}
	return region, year, quarter, entries, errs
}

func rowOf(t Table, r int) []string {
	if r < 0 || r >= len(t.Rows) {
		return nil
	}
	return t.Rows[r]
}

// isHeader matches a header text in either language.
func isHeader(h string, col int) bool {
	return h == headersZH[col] || strings.EqualFold(h, headersEN[col])
}

// parseRegion takes a six-digit GB/T 2260 code, written as digits only.
func parseRegion(ref, text string) (int, *CellError) {
	if text == "" {
		e := cellErr(ref, "地区代码为空", "the region code is empty")
		return 0, &e
	}
	n, ok := digits(text)
	if !ok || len(text) != 6 || n < 100000 {
		e := cellErr(ref, "地区代码 %q 不是六位数字", "region code %q is not six digits", text)
		return 0, &e
	}
	return n, nil
}

func parseYear(ref, text string) (int, *CellError) {
	if text == "" {
		e := cellErr(ref, "年份为空", "the year is empty")
		return 0, &e
	}
	n, ok := digits(text)
	if !ok || len(text) > 4 {
		e := cellErr(ref, "年份 %q 不是四位整数", "year %q is not a four-digit whole number", text)
		return 0, &e
	}
	return periodPart(ref, kpi.Period{Year: n}, n)
}

func parseQuarter(ref, text string) (int, *CellError) {
	if text == "" {
		e := cellErr(ref, "季度为空（全年填 0）", "the quarter is empty (0 for the whole year)")
		return 0, &e
	}
	n, ok := digits(text)
	if !ok || len(text) > 1 {
		e := cellErr(ref, "季度 %q 无效，应为 1–4（0 表示全年）", "quarter %q is invalid: use 1–4 (0 for the whole year)", text)
		return 0, &e
	}
	return periodPart(ref, kpi.Period{Year: kpi.MinYear, Quarter: n}, n)
}

// periodPart checks a year or quarter with kpi's own rule and wording.
func periodPart(ref string, p kpi.Period, n int) (int, *CellError) {
	var ke *kpi.Error
	if err := p.Validate(); errors.As(err, &ke) {
		return 0, &CellError{Ref: ref, Message: ke.Message, MessageEN: ke.MessageEN}
	}
	return n, nil
}

// digits parses ASCII digits only: keys and codes are written by the
// system, so "2,024" or "２０２４" there means the row was edited by hand.
func digits(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}
