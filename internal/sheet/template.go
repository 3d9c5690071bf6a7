package sheet

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/govkpi/govkpi/internal/kpi"
)

// The department template's layout. Row 2 carries machine-readable keys so
// that an upload says which region and period it is for, instead of
// trusting whatever page the user happened to upload it from.
const (
	keyRegion  = "region"
	keyYear    = "year"
	keyQuarter = "quarter"

	keyRow    = 1 // row 2
	headerRow = 2 // row 3
	firstData = 3 // row 4

	colCode, colName, colUnit, colPrev, colLastYear, colValue, colNote = 0, 1, 2, 3, 4, 5, 6
)

// Header texts; ParseTemplate accepts either language whatever the template's.
var (
	headersZH = []string{"指标代码", "指标名称", "单位", "上季度", "上年同期", "本期填报", "说明"}
	headersEN = []string{"Code", "Indicator", "Unit", "Previous quarter", "Same quarter last year", "Value", "Note"}
)

// TemplateRow is one indicator of a department's template. Min and Max
// become the input cell's data validation; Whole asks for whole numbers.
// Previous (the quarter before) and LastYear (the same period a year
// earlier) are shown for reference; Current pre-fills the input cell.
type TemplateRow struct {
	Code, Name, Unit string
	Whole            bool
	Min, Max         float64
	Previous         *float64
	LastYear         *float64
	Current          *float64
}

// Template is what WriteTemplate needs: one department, region and period.
// Quarter 0 is the whole year. Lang "en" gives English headers and notes.
type Template struct {
	Lang       string
	Title      string
	RegionCode int
	RegionName string
	Department string
	Year       int
	Quarter    int
	Rows       []TemplateRow
}

// WriteTemplate writes t as an .xlsx workbook: the title in row 1, the keys
// of row 2 (A2 "region", B2 the six-digit code, C2 "year", D2 the year, E2
// "quarter", F2 the quarter), the header in row 3 and one indicator per row
// from row 4, with the input in column F.
func WriteTemplate(w io.Writer, t Template) error {
	if t.RegionCode < 100000 || t.RegionCode > 999999 {
		return kpi.Invalid("region", "地区代码 %d 不是六位数字", "region code %d is not six digits", t.RegionCode)
	}
	if err := (kpi.Period{Year: t.Year, Quarter: t.Quarter}).Validate(); err != nil {
		return err
	}
	en := t.Lang == "en"
	sheetName, headers := "填报表", headersZH
	if en {
		sheetName, headers = "Template", headersEN
	}
	b, err := newBook(sheetName)
	if err != nil {
		return err
	}
	defer b.Close()
	x, st, must := b.File, b.styles, b.must
	cell := CellRef
	last := cell(0, colNote)

	must(x.SetCellStr(sheetName, "A1", t.Title))
	must(x.MergeCell(sheetName, "A1", last))
	must(x.SetCellStyle(sheetName, "A1", last, st.title))
	must(x.SetRowHeight(sheetName, 1, 28))

	must(x.SetCellStr(sheetName, cell(keyRow, 0), keyRegion))
	must(x.SetCellStr(sheetName, cell(keyRow, 1), fmt.Sprintf("%06d", t.RegionCode)))
	must(x.SetCellStr(sheetName, cell(keyRow, 2), keyYear))
	must(x.SetCellInt(sheetName, cell(keyRow, 3), int64(t.Year)))
	must(x.SetCellStr(sheetName, cell(keyRow, 4), keyQuarter))
	must(x.SetCellInt(sheetName, cell(keyRow, 5), int64(t.Quarter)))
	period := kpi.Period{Year: t.Year, Quarter: t.Quarter}
	hint := joinNonEmpty(" · ", strings.TrimSpace(t.RegionName+" "+t.Department), period.Label("zh"), "本行供系统识别，请勿修改")
	if en {
		hint = joinNonEmpty(" · ", strings.TrimSpace(t.RegionName+" "+t.Department), period.Label("en"), "this row identifies the upload: do not change it")
	}
	must(x.SetCellStr(sheetName, cell(keyRow, colNote), hint))
	must(x.SetCellStyle(sheetName, cell(keyRow, 0), cell(keyRow, colNote), st.keys))
	must(x.SetCellStyle(sheetName, cell(keyRow, 1), cell(keyRow, 1), st.keyText))

	for c, h := range headers {
		must(x.SetCellStr(sheetName, cell(headerRow, c), h))
	}
	must(x.SetCellStyle(sheetName, cell(headerRow, 0), cell(headerRow, colNote), st.header))
	must(x.SetRowHeight(sheetName, headerRow+1, 32))

	for i, r := range t.Rows {
		row := firstData + i
		must(x.SetCellStr(sheetName, cell(row, colCode), r.Code))
		must(x.SetCellStr(sheetName, cell(row, colName), r.Name))
		must(x.SetCellStr(sheetName, cell(row, colUnit), r.Unit))
		setNumber(x, sheetName, cell(row, colPrev), r.Previous, must)
		setNumber(x, sheetName, cell(row, colLastYear), r.LastYear, must)
		setNumber(x, sheetName, cell(row, colValue), r.Current, must)
		must(x.SetCellStr(sheetName, cell(row, colNote), rangeNote(r, en)))
		must(x.SetCellStyle(sheetName, cell(row, colCode), cell(row, colCode), st.code))
		must(x.SetCellStyle(sheetName, cell(row, colName), cell(row, colLastYear), st.body))
		must(x.SetCellStyle(sheetName, cell(row, colValue), cell(row, colValue), st.input))
		must(x.SetCellStyle(sheetName, cell(row, colNote), cell(row, colNote), st.note))
		if dv := validation(r, cell(row, colValue), en); dv != nil {
			must(x.AddDataValidation(sheetName, dv))
		}
	}

	for _, cw := range []struct {
		from, to string
		width    float64
	}{{"A", "A", 26}, {"B", "B", 40}, {"C", "C", 8}, {"D", "F", 14}, {"G", "G", 30}} {
		must(x.SetColWidth(sheetName, cw.from, cw.to, cw.width))
	}
	must(x.SetPanes(sheetName, &excelize.Panes{Freeze: true, YSplit: headerRow + 1, TopLeftCell: cell(firstData, 0), ActivePane: "bottomLeft"}))
	return b.write(w)
}

// setNumber writes a numeric cell, or leaves it empty: missing is not zero.
func setNumber(x *excelize.File, sheet, ref string, v *float64, must func(error)) {
	if v == nil || math.IsNaN(*v) || math.IsInf(*v, 0) {
		return
	}
	must(x.SetCellFloat(sheet, ref, *v, -1, 64))
}

// validation makes Excel refuse out-of-range input as it is typed; the
// server checks again on upload, since a validation is easily pasted over.
func validation(r TemplateRow, ref string, en bool) *excelize.DataValidation {
	lo, hi := r.Min, r.Max
	if r.Whole {
		lo, hi = math.Ceil(lo), math.Floor(hi)
	}
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) || lo > hi {
		return nil
	}
	typ, zh, msgEN := excelize.DataValidationTypeDecimal, "请输入 %s 到 %s 之间的数值", "Enter a number from %s to %s"
	if r.Whole {
		typ, zh, msgEN = excelize.DataValidationTypeWhole, "请输入 %s 到 %s 之间的整数", "Enter a whole number from %s to %s"
	}
	dv := excelize.NewDataValidation(true) // blank is allowed: it means not entered
	dv.Sqref = ref
	if err := dv.SetRange(num(lo), num(hi), typ, excelize.DataValidationOperatorBetween); err != nil {
		return nil
	}
	if en {
		dv.SetError(excelize.DataValidationErrorStyleStop, "Invalid value", fmt.Sprintf(msgEN, num(lo), num(hi)))
	} else {
		dv.SetError(excelize.DataValidationErrorStyleStop, "数值无效", fmt.Sprintf(zh, num(lo), num(hi)))
	}
	return dv
}

func rangeNote(r TemplateRow, en bool) string {
	switch {
	case en && r.Whole:
		return fmt.Sprintf("whole number, %s–%s; blank = not entered", num(r.Min), num(r.Max))
	case en:
		return fmt.Sprintf("%s–%s; blank = not entered", num(r.Min), num(r.Max))
	case r.Whole:
		return fmt.Sprintf("整数，%s–%s；留空表示未填报", num(r.Min), num(r.Max))
	default:
		return fmt.Sprintf("%s–%s；留空表示未填报", num(r.Min), num(r.Max))
	}
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

type styles struct {
	title, keys, keyText, header, code, body, input, note int
}

func newStyles(x *excelize.File) (styles, error) {
	thin := []excelize.Border{
		{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1},
	}
	text := 49 // the built-in "@" format: the region code stays text if retyped
	defs := []*excelize.Style{
		{Font: &excelize.Font{Bold: true, Size: 14}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}},
		{Font: &excelize.Font{Size: 9, Color: "808080"}},
		{Font: &excelize.Font{Size: 9, Color: "808080"}, NumFmt: text},
		{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}, Border: thin, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}},
		// The code column looks locked: grey, since changing a code breaks the upload.
		{Font: &excelize.Font{Color: "595959"}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E7E6E6"}}, Border: thin},
		{Border: thin, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}},
		// Input cells are unlocked: if someone protects the sheet, they stay editable.
		{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFF2CC"}}, Border: thin, Protection: &excelize.Protection{Locked: false}},
		{Font: &excelize.Font{Size: 9, Color: "808080"}, Border: thin, Alignment: &excelize.Alignment{WrapText: true}},
	}
	var st styles
	ids := []*int{&st.title, &st.keys, &st.keyText, &st.header, &st.code, &st.body, &st.input, &st.note}
	for i, d := range defs {
		id, err := x.NewStyle(d)
		if err != nil {
			return st, err
		}
		*ids[i] = id
	}
	return st, nil
}

// book is a one-sheet workbook being written. excelize only fails while
// writing cells on a bad reference or style, which would be a bug in this
// package: must keeps the first such error, and write reports it as
// internal instead of writing the file.
type book struct {
	*excelize.File
	styles styles
	first  error
}

func newBook(sheetName string) (*book, error) {
	x := excelize.NewFile()
	if err := x.SetSheetName(x.GetSheetName(0), sheetName); err != nil {
		x.Close()
		return nil, kpi.Internal(err)
	}
	st, err := newStyles(x)
	if err != nil {
		x.Close()
		return nil, kpi.Internal(err)
	}
	return &book{File: x, styles: st}, nil
}

func (b *book) must(err error) {
	if b.first == nil && err != nil {
		b.first = err
	}
}

func (b *book) write(w io.Writer) error {
	if b.first != nil {
		return kpi.Internal(b.first)
	}
	if err := b.Write(w); err != nil {
		return kpi.Internal(err)
	}
	return nil
}
