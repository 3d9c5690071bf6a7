package export_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/govkpi/govkpi/internal/export"
)

// TestXLSXRoundTrip compares every cell of a written workbook with its
// input: numbers numeric with their full value and format, text as text,
// missing values empty, and the layout around them.
func TestXLSXRoundTrip(t *testing.T) {
	in := cityComparison()
	defs := []export.Definition{
		{Indicator: "诉前分流率", Unit: "%", Definition: "诉前分流的纠纷数 ÷ 受理的纠纷数 × 100", Source: "市司法局，季度报送"},
		{Indicator: "群众满意度", Unit: "%", Definition: "第三方抽样调查", Source: "=HYPERLINK(\"http://evil\",\"x\")"},
	}
	x := writeXLSX(t, export.Workbook{Tables: []export.Table{in}, Definitions: defs})
	s := in.Name

	if got := x.GetSheetList(); !slices.Equal(got, []string{"各市对比", "口径与来源"}) {
		t.Fatalf("sheets %q", got)
	}
	if got := x.GetActiveSheetIndex(); got != 0 {
		t.Errorf("active sheet %d, want the first table", got)
	}
	for ref, want := range map[string]string{"A1": in.Title, "A2": in.Subtitle} {
		if got := value(t, x, s, ref); got != want {
			t.Errorf("%s = %q, want %q", ref, got, want)
		}
	}
	merged, err := x.GetMergeCells(s)
	if err != nil {
		t.Fatal(err)
	}
	var ranges []string
	for _, m := range merged {
		ranges = append(ranges, m.GetStartAxis()+":"+m.GetEndAxis())
	}
	slices.Sort(ranges)
	if !slices.Equal(ranges, []string{"A1:F1", "A2:F2"}) {
		t.Errorf("merged %q, want the title and subtitle across A:F", ranges)
	}
	if st := style(t, x, s, "A1"); st.Font == nil || !st.Font.Bold {
		t.Errorf("title is not bold: %+v", st.Font)
	}

	for c, h := range in.Headers {
		ref := cell(2, c)
		if got := value(t, x, s, ref); got != h {
			t.Errorf("header %s = %q, want %q", ref, got, h)
		}
		st := style(t, x, s, ref)
		if st.Font == nil || !st.Font.Bold || st.Fill.Pattern != 1 || len(st.Fill.Color) == 0 {
			t.Errorf("header %s is not bold and filled: %+v %+v", ref, st.Font, st.Fill)
		}
	}
	panes, err := x.GetPanes(s)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 3 || panes.XSplit != 0 || panes.TopLeftCell != "A4" {
		t.Errorf("panes %+v, want frozen below row 3", panes)
	}

	for i, row := range in.Rows {
		for c := range len(in.Headers) {
			ref := cell(3+i, c)
			var want export.Cell
			if c < len(row) {
				want = row[c]
			}
			checkCell(t, x, s, ref, want)
		}
	}
	if got := value(t, x, s, "A7"); got != "" {
		t.Errorf("A7 = %q after the last row", got)
	}

	// The definitions sheet: header, then one line each, all text.
	d := "口径与来源"
	for c, h := range []string{"指标", "单位", "口径", "数据来源"} {
		if got := value(t, x, d, cell(0, c)); got != h {
			t.Errorf("definitions header %s = %q, want %q", cell(0, c), got, h)
		}
	}
	for i, def := range defs {
		for c, want := range []string{def.Indicator, def.Unit, def.Definition, export.SafeText(def.Source)} {
			ref := cell(i+1, c)
			if got := value(t, x, d, ref); got != want {
				t.Errorf("definitions %s = %q, want %q", ref, got, want)
			}
			if st := style(t, x, d, ref); st.Alignment == nil || !st.Alignment.WrapText {
				t.Errorf("definitions %s does not wrap", ref)
			}
		}
	}
	if got := value(t, x, d, "D3"); !strings.HasPrefix(got, "'=") {
		t.Errorf("definitions D3 = %q, want it neutralised", got)
	}
	if panes, _ := x.GetPanes(d); !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("definitions panes %+v, want the header frozen", panes)
	}
}

// checkCell compares one written cell with the Cell it came from.
func checkCell(t *testing.T, x *excelize.File, sheet, ref string, want export.Cell) {
	t.Helper()
	got, typ := value(t, x, sheet, ref), cellType(t, x, sheet, ref)
	if formula, _ := x.GetCellFormula(sheet, ref); formula != "" {
		t.Errorf("%s has formula %q", ref, formula)
	}
	switch {
	case want.Number != nil:
		if !isNumber(typ) {
			t.Errorf("%s has type %v, want a number", ref, typ)
		}
		v, err := strconv.ParseFloat(got, 64)
		if err != nil || v != *want.Number {
			t.Errorf("%s = %q, want %v", ref, got, *want.Number)
		}
		st := style(t, x, sheet, ref)
		switch {
		case want.Format == "" && (st.NumFmt != 0 || st.CustomNumFmt != nil):
			t.Errorf("%s has format %d %v, want General", ref, st.NumFmt, st.CustomNumFmt)
		case want.Format != "" && (st.CustomNumFmt == nil || *st.CustomNumFmt != want.Format):
			t.Errorf("%s has format %v, want %q", ref, st.CustomNumFmt, want.Format)
		}
	case want.Text != "":
		if typ != excelize.CellTypeInlineString {
			t.Errorf("%s has type %v, want a string", ref, typ)
		}
		if w := export.SafeText(want.Text); got != w {
			t.Errorf("%s = %q, want %q", ref, got, w)
		}
	default: // missing: empty, not zero
		if got != "" {
			t.Errorf("%s = %q, want empty", ref, got)
		}
	}
}

func cell(row, col int) string {
	ref, err := excelize.CoordinatesToCellName(col+1, row+1)
	if err != nil {
		panic(err)
	}
	return ref
}

// TestXLSXFormulaInjection: hostile text comes back as text with a leading
// apostrophe, wherever it is put; a negative number written as text stays.
func TestXLSXFormulaInjection(t *testing.T) {
	hostile := []string{`=HYPERLINK("http://evil","x")`, "@SUM(A1)", "+1", "-x", "\tcmd", "\rcmd", "=1+1"}
	var rows [][]export.Cell
	for _, h := range hostile {
		rows = append(rows, []export.Cell{export.Text(h)})
	}
	rows = append(rows, []export.Cell{export.Text("-3.5")}, []export.Cell{export.Text("普通文本")})
	x := writeXLSX(t, export.Workbook{Tables: []export.Table{{
		Name: "=cmd", Title: "=1+1", Subtitle: "@x", Headers: []string{"-h"}, Rows: rows,
	}}})
	s := x.GetSheetName(0)
	for i, h := range hostile {
		ref := cell(3+i, 0)
		if got := value(t, x, s, ref); got != "'"+h {
			t.Errorf("%s = %q, want %q", ref, got, "'"+h)
		}
		if typ := cellType(t, x, s, ref); typ != excelize.CellTypeInlineString {
			t.Errorf("%s has type %v, want a string", ref, typ)
		}
		if formula, _ := x.GetCellFormula(s, ref); formula != "" {
			t.Errorf("%s has formula %q", ref, formula)
		}
	}
	for ref, want := range map[string]string{
		cell(3+len(hostile), 0): "-3.5", cell(4+len(hostile), 0): "普通文本",
		"A1": "'=1+1", "A2": "'@x", "A3": "'-h",
	} {
		if got := value(t, x, s, ref); got != want {
			t.Errorf("%s = %q, want %q", ref, got, want)
		}
	}
	// "-3.5" given as text stays text: it is not turned into a number.
	if typ := cellType(t, x, s, cell(3+len(hostile), 0)); typ != excelize.CellTypeInlineString {
		t.Errorf("text -3.5 has type %v, want a string", typ)
	}
}

// TestXLSXEmptyTable: a table without rows still has its title, headers
// and frozen header row.
func TestXLSXEmptyTable(t *testing.T) {
	x := writeXLSX(t, export.Workbook{Lang: "en", Tables: []export.Table{{
		Name: "Empty", Title: "2024 Pre-litigation diversion", Headers: []string{"Region", "Rate"},
	}}})
	if got := x.GetSheetList(); !slices.Equal(got, []string{"Empty", "Definitions"}) {
		t.Fatalf("sheets %q", got)
	}
	for ref, want := range map[string]string{"A1": "2024 Pre-litigation diversion", "A3": "Region", "B3": "Rate", "A4": ""} {
		if got := value(t, x, "Empty", ref); got != want {
			t.Errorf("%s = %q, want %q", ref, got, want)
		}
	}
	if panes, _ := x.GetPanes("Empty"); !panes.Freeze || panes.YSplit != 3 {
		t.Errorf("panes %+v", panes)
	}
	for c, h := range []string{"Indicator", "Unit", "Definition", "Source"} {
		if got := value(t, x, "Definitions", cell(0, c)); got != h {
			t.Errorf("definitions header %d = %q, want %q", c, got, h)
		}
	}
}

// TestXLSXSpecialNumbers: the full value of a number survives up to
// Excel's 15 digits; NaN and Inf, which Excel cannot store, are missing.
func TestXLSXSpecialNumbers(t *testing.T) {
	vals := []float64{1234567.891, -0.000123, 123456789012345, 1e-7, -3.25}
	var row []export.Cell
	for _, v := range vals {
		row = append(row, export.Num(f(v), "0.00"))
	}
	nan, inf := 0.0, 1.0
	nan /= nan
	inf /= 0
	row = append(row, export.Num(&nan, ""), export.Num(&inf, ""))
	x := writeXLSX(t, export.Workbook{Tables: []export.Table{{Name: "n", Rows: [][]export.Cell{row}}}})
	for c, v := range vals {
		got := value(t, x, "n", cell(3, c))
		if p, err := strconv.ParseFloat(got, 64); err != nil || p != v {
			t.Errorf("%v came back as %q", v, got)
		}
	}
	for c := len(vals); c < len(row); c++ {
		if got := value(t, x, "n", cell(3, c)); got != "" {
			t.Errorf("%s = %q, want NaN and Inf empty", cell(3, c), got)
		}
	}
}

// TestNumCopies: a Cell keeps its value even if the caller's variable
// changes afterwards, as it does in a loop.
func TestNumCopies(t *testing.T) {
	v := 1.5
	c := export.Num(&v, "0.0")
	v = 2
	if *c.Number != 1.5 {
		t.Errorf("Num kept a reference: %v", *c.Number)
	}
	if c := export.Num(nil, "0.0"); c.Number != nil || c.Text != "" {
		t.Errorf("Num(nil) = %+v, want empty", c)
	}
}

// TestXLSXColumnWidths: given widths are used, others fit the text with
// Chinese counting double, within bounds.
func TestXLSXColumnWidths(t *testing.T) {
	x := writeXLSX(t, export.Workbook{Tables: []export.Table{{
		Name:    "w",
		Headers: []string{"地区", "Region", "说明", "x", "given"},
		Rows: [][]export.Cell{{
			export.Text("浙江省杭州市西湖区"), export.Text("Xihu District"),
			export.Text(strings.Repeat("很长的说明", 40)), export.Num(f(1234567), "#,##0"), export.Text("x"),
		}},
		Widths: []float64{0, 0, 0, 0, 33},
	}}})
	width := func(col string) float64 {
		w, err := x.GetColWidth("w", col)
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	if a, b := width("A"), width("B"); a != 9*2+2 || b != 13+2 {
		t.Errorf("widths A %v (9 Chinese characters), B %v (13 Latin), want 20 and 15", a, b)
	}
	if c := width("C"); c != 50 {
		t.Errorf("width C %v, want the cap 50", c)
	}
	if d := width("D"); d < 9 || d > 14 { // "1,234,567"
		t.Errorf("width D %v, want about 11", d)
	}
	if e := width("E"); e != 33 {
		t.Errorf("width E %v, want the given 33", e)
	}
}

// TestSheetNames: names Excel would refuse are made safe, and repeated
// names (Excel ignores case) made unique, the definitions sheet's included.
func TestSheetNames(t *testing.T) {
	long := strings.Repeat("行政复议纠错率", 6) // 42 characters
	names := []string{
		"2024/Q3 [演示]", `a:b*c?d\e`, long, long, "对比", "对比", "Sheet", "SHEET",
		"口径与来源", "History", "", "'quoted'", "tab\there", "  ",
	}
	var tables []export.Table
	for _, n := range names {
		tables = append(tables, export.Table{Name: n, Headers: []string{"h"}})
	}
	x := writeXLSX(t, export.Workbook{Tables: tables})
	want := []string{
		"2024Q3 演示", "abcde", string([]rune(long)[:31]), string([]rune(long)[:27]) + " (2)",
		"对比", "对比 (2)", "Sheet", "SHEET (2)",
		"口径与来源 (2)", "History (2)", "表11", "quoted", "tab here", "表14",
		"口径与来源",
	}
	got := x.GetSheetList()
	if !slices.Equal(got, want) {
		t.Errorf("sheets\n%q\nwant\n%q", got, want)
	}
	seen := map[string]bool{}
	for _, n := range got {
		if len([]rune(n)) > 31 || strings.ContainsAny(n, `[]:*?/\`) || seen[strings.ToLower(n)] {
			t.Errorf("unsafe or repeated sheet name %q", n)
		}
		seen[strings.ToLower(n)] = true
	}
}

// TestXLSXLimits: a request cannot make a workbook of any size.
func TestXLSXLimits(t *testing.T) {
	many := make([]export.Table, export.MaxTables+1)
	invalid(t, export.WriteXLSX(&bytes.Buffer{}, export.Workbook{Tables: many}), "tables", "at most 200 tables")

	row := []export.Cell{export.Text("x")}
	half := export.Table{Rows: slices.Repeat([][]export.Cell{row}, export.MaxRows/2)}
	extra := export.Table{Rows: [][]export.Cell{row}}
	invalid(t, export.WriteXLSX(&bytes.Buffer{}, export.Workbook{Tables: []export.Table{half, half, extra}}), "rows", "at most 100000 rows")

	wide := export.Table{Name: "宽表", Headers: make([]string, export.MaxColumns+1)}
	invalid(t, export.WriteXLSX(&bytes.Buffer{}, export.Workbook{Tables: []export.Table{wide}}), "columns", `table "宽表" has 257 columns`)
	ragged := export.Table{Headers: []string{"a"}, Rows: [][]export.Cell{make([]export.Cell, export.MaxColumns+1)}}
	invalid(t, export.WriteXLSX(&bytes.Buffer{}, export.Workbook{Tables: []export.Table{ragged}}), "columns", "at most 256")

	// Rows within their limit can still be too many cells.
	wideRow := make([]export.Cell, 21)
	tall := export.Table{Rows: slices.Repeat([][]export.Cell{wideRow}, export.MaxCells/21+1)}
	invalid(t, export.WriteXLSX(&bytes.Buffer{}, export.Workbook{Tables: []export.Table{tall}}), "cells", "at most 2000000 cells")

	// At the limits themselves, a workbook is written.
	x := writeXLSX(t, export.Workbook{Tables: make([]export.Table, export.MaxTables)})
	if got := len(x.GetSheetList()); got != export.MaxTables+1 {
		t.Errorf("%d sheets, want %d", got, export.MaxTables+1)
	}
	x = writeXLSX(t, export.Workbook{Tables: []export.Table{{Name: "wide", Headers: make([]string, export.MaxColumns)}}})
	if w, err := x.GetColWidth("wide", "IV"); err != nil || w != 8 { // column 256
		t.Errorf("column IV has width %v (%v), want the minimum 8", w, err)
	}
}

// TestXLSXMaxRows writes the largest workbook allowed, to see that it is
// possible at all in reasonable time.
func TestXLSXMaxRows(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 100,000 rows")
	}
	rows := make([][]export.Cell, export.MaxRows)
	for i := range rows {
		rows[i] = []export.Cell{export.Text(fmt.Sprintf("地区%d", i%100)), export.Num(f(float64(i)), "#,##0"), export.Num(f(float64(i)/7), "0.0%"), export.Text("已审核")}
	}
	var b bytes.Buffer
	if err := export.WriteXLSX(&b, export.Workbook{Tables: []export.Table{{Name: "big", Headers: []string{"a", "b", "c", "d"}, Rows: rows}}}); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d rows: %d bytes", export.MaxRows, b.Len())
}

// TestSheetNamesUTF16: Excel counts a name's length in UTF-16 units, so an
// emoji counts two; the sheet excelize starts with does not get in the way.
func TestSheetNamesUTF16(t *testing.T) {
	x := writeXLSX(t, export.Workbook{Tables: []export.Table{
		{Name: "sheet1"}, {Name: "Sheet1"}, {Name: strings.Repeat("😀", 20)}, {Name: "a😀" + strings.Repeat("b", 40)},
	}})
	want := []string{"sheet1", "Sheet1 (2)", strings.Repeat("😀", 15), "a😀" + strings.Repeat("b", 28), "口径与来源"}
	if got := x.GetSheetList(); !slices.Equal(got, want) {
		t.Errorf("sheets %q, want %q", got, want)
	}
}

// TestXLSXStructure looks inside the file, where excelize's reader is
// lenient and Excel is not: column widths must be listed in order (Excel
// repairs the file otherwise), and no cell may hold a formula.
func TestXLSXStructure(t *testing.T) {
	in := cityComparison()
	in.Rows = append(in.Rows, []export.Cell{export.Text(`=HYPERLINK("http://evil","x")`), export.Text("@SUM(A1)")})
	var b bytes.Buffer
	if err := export.WriteXLSX(&b, export.Workbook{Tables: []export.Table{in, in}, Definitions: []export.Definition{{Indicator: "=1"}}}); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	colRE := regexp.MustCompile(`<col min="(\d+)" max="(\d+)"`)
	sheets := 0
	for _, zf := range zr.File {
		if !strings.HasPrefix(zf.Name, "xl/worksheets/") {
			continue
		}
		sheets++
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte("<f>")) || bytes.Contains(data, []byte("<f ")) || bytes.Contains(data, []byte(`t="str"`)) {
			t.Errorf("%s holds a formula", zf.Name)
		}
		next := 1
		cols := colRE.FindAllSubmatch(data, -1)
		if len(cols) == 0 {
			t.Errorf("%s sets no column widths", zf.Name)
		}
		for _, m := range cols {
			lo, _ := strconv.Atoi(string(m[1]))
			hi, _ := strconv.Atoi(string(m[2]))
			if lo < next || hi < lo {
				t.Errorf("%s: columns %d–%d out of order (next expected from %d)", zf.Name, lo, hi, next)
			}
			next = hi + 1
		}
	}
	if sheets != 3 {
		t.Errorf("%d worksheets, want 3", sheets)
	}
}

// TestXLSXEnglishNames: unnamed tables get a name in the workbook's language.
func TestXLSXEnglishNames(t *testing.T) {
	x := writeXLSX(t, export.Workbook{Lang: "en", Tables: []export.Table{{}, {Name: "Definitions"}, {}}})
	want := []string{"Table 1", "Definitions (2)", "Table 3", "Definitions"}
	if got := x.GetSheetList(); !slices.Equal(got, want) {
		t.Errorf("sheets %q, want %q", got, want)
	}
}
