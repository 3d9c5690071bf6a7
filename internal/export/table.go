package export

import "math"

// Cell is one table cell: a number (with an Excel number format) or text.
type Cell struct {
	Text   string   // shown when Number is nil
	Number *float64 // written as a numeric cell, never as text
	Format string   // Excel number format for numbers, e.g. "#,##0", "0.0", "0.0%", `0.0"个百分点"`; "" → General
}

// Text makes a text cell.
func Text(s string) Cell { return Cell{Text: s} }

// Num makes a numeric cell. nil gives an empty cell: missing is not zero.
// The value is copied, so the caller may reuse v.
func Num(v *float64, format string) Cell {
	if v == nil {
		return Cell{Format: format}
	}
	n := *v
	return Cell{Number: &n, Format: format}
}

// number returns the cell's value if it is one that can be written as a
// number. NaN and ±Inf have no numeric cell in Excel; like nil they are
// missing values, not text.
func (c Cell) number() (float64, bool) {
	if c.Number == nil || math.IsNaN(*c.Number) || math.IsInf(*c.Number, 0) {
		return 0, false
	}
	if *c.Number == 0 {
		return 0, true // no "-0"
	}
	return *c.Number, true
}

// Table is one sheet.
type Table struct {
	Name     string   // sheet name (made safe: at most 31 characters, no []:*?/\ , unique within the workbook)
	Title    string   // row 1, bold, merged across the columns: e.g. "2024年 诉前分流率 各市对比"
	Subtitle string   // row 2: data status, e.g. "数据状态：已报送和已审核 · 演示数据 · 导出时间 2026-11-25 10:00"
	Headers  []string // row 3: styled (bold, filled), the frozen header row
	Rows     [][]Cell
	Widths   []float64 // optional column widths; 0 or missing → computed
}

// columns is the table's width: its header or its longest row, at least one
// column so that the title has somewhere to go.
func (t Table) columns() int {
	n := max(len(t.Headers), 1)
	for _, r := range t.Rows {
		n = max(n, len(r))
	}
	return n
}

// Definition is a line of the 口径 sheet: an indicator, its definition and
// its data source.
type Definition struct{ Indicator, Unit, Definition, Source string }

// Workbook is what WriteXLSX writes: the tables, then one sheet "口径与来源"
// (or "Definitions" in English) listing Definitions.
type Workbook struct {
	Lang        string // "zh" (default) or "en"
	Tables      []Table
	Definitions []Definition
}
