package export

import (
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/govkpi/govkpi/internal/kpi"
)

// The layout of a table's sheet, as 0-based rows.
const (
	titleRow    = 0
	subtitleRow = 1
	headerRow   = 2
	firstData   = 3
)

// WriteXLSX writes wb as an .xlsx workbook: one sheet per table (title,
// subtitle, frozen header, data), then the definitions sheet. Numbers are
// numeric cells in their format, empty when missing; text goes through
// SafeText and is always written as a string, never a formula.
//
// Sheets are written with excelize's stream writer, which keeps one row in
// memory rather than the whole sheet: at MaxRows the ordinary cell-by-cell
// API needs about half a gigabyte, too much for a request.
func WriteXLSX(w io.Writer, wb Workbook) error {
	if err := checkLimits(wb.Tables); err != nil {
		return err
	}
	en := wb.Lang == "en"
	defSheet := "口径与来源"
	if en {
		defSheet = "Definitions"
	}
	names := sheetNames(wb.Tables, defSheet, en)

	x := excelize.NewFile()
	defer x.Close()
	// excelize only fails below on a bad cell reference, sheet name or
	// style, which would be a bug in this package, or when it cannot write
	// its temporary files: either way an internal error.
	if err := writeSheets(x, wb, names, defSheet, en); err != nil {
		return kpi.Internal(err)
	}
	if err := x.Write(w); err != nil {
		return kpi.Internal(err)
	}
	return nil
}

func writeSheets(x *excelize.File, wb Workbook, names []string, defSheet string, en bool) error {
	st, err := newStyles(x)
	if err != nil {
		return err
	}
	sheet := func(i int, name string) (*excelize.StreamWriter, error) {
		if i == 0 { // a new workbook has one sheet, Sheet1: reuse it
			if err := x.SetSheetName(x.GetSheetName(0), name); err != nil {
				return nil, err
			}
		} else if _, err := x.NewSheet(name); err != nil {
			return nil, err
		}
		return x.NewStreamWriter(name)
	}
	for i, t := range wb.Tables {
		sw, err := sheet(i, names[i])
		if err != nil {
			return err
		}
		if err := writeTable(sw, st, t); err != nil {
			return err
		}
	}
	sw, err := sheet(len(wb.Tables), defSheet)
	if err != nil {
		return err
	}
	if err := writeDefinitions(sw, st, wb.Definitions, en); err != nil {
		return err
	}
	x.SetActiveSheet(0)
	return nil
}

// writeTable writes one table's sheet. The stream writer wants column
// widths and panes first, then rows in order.
func writeTable(sw *excelize.StreamWriter, st *styles, t Table) error {
	n := t.columns()
	if err := setWidths(sw, columnWidths(t, n)); err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: firstData, TopLeftCell: ref(firstData, 0), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	row := make([]any, n)
	// band writes text across the whole width: one cell, merged with the
	// rest of the row.
	band := func(r int, text string, style int, opts ...excelize.RowOpts) error {
		row[0] = excelize.Cell{StyleID: style, Value: str(text)}
		for c := 1; c < n; c++ {
			row[c] = excelize.Cell{StyleID: style}
		}
		if err := sw.SetRow(ref(r, 0), row, opts...); err != nil {
			return err
		}
		if n == 1 {
			return nil
		}
		return sw.MergeCell(ref(r, 0), ref(r, n-1))
	}
	if err := band(titleRow, t.Title, st.title, excelize.RowOpts{Height: 26}); err != nil {
		return err
	}
	if err := band(subtitleRow, t.Subtitle, st.subtitle); err != nil {
		return err
	}

	for c := range row {
		h := ""
		if c < len(t.Headers) {
			h = t.Headers[c]
		}
		row[c] = excelize.Cell{StyleID: st.header, Value: str(h)}
	}
	if err := sw.SetRow(ref(headerRow, 0), row); err != nil {
		return err
	}

	for i, r := range t.Rows {
		for c := range row {
			var cell Cell
			if c < len(r) {
				cell = r[c]
			}
			if v, ok := cell.number(); ok {
				id, err := st.number(cell.Format)
				if err != nil {
					return err
				}
				row[c] = excelize.Cell{StyleID: id, Value: v}
				continue
			}
			if cell.Number == nil && cell.Text != "" {
				row[c] = excelize.Cell{StyleID: st.text, Value: str(cell.Text)}
				continue
			}
			row[c] = excelize.Cell{StyleID: st.na} // missing: empty, not zero
		}
		if err := sw.SetRow(ref(firstData+i, 0), row); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// Headers of the definitions sheet.
var (
	definitionHeadersZH = []string{"指标", "单位", "口径", "数据来源"}
	definitionHeadersEN = []string{"Indicator", "Unit", "Definition", "Source"}
	definitionWidths    = []float64{28, 10, 60, 36}
)

// writeDefinitions lists what each indicator means and where it comes
// from, so that a figure copied out of the workbook can be checked.
func writeDefinitions(sw *excelize.StreamWriter, st *styles, defs []Definition, en bool) error {
	headers := definitionHeadersZH
	if en {
		headers = definitionHeadersEN
	}
	if err := setWidths(sw, definitionWidths); err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	row := make([]any, len(headers))
	for c, h := range headers {
		row[c] = excelize.Cell{StyleID: st.header, Value: h}
	}
	if err := sw.SetRow("A1", row); err != nil {
		return err
	}
	for i, d := range defs {
		for c, text := range []string{d.Indicator, d.Unit, d.Definition, d.Source} {
			row[c] = excelize.Cell{StyleID: st.text, Value: str(text)}
		}
		if err := sw.SetRow(ref(i+1, 0), row); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// setWidths gives columns their widths, last column first. The stream
// writer puts each new column before those it has and writes them as they
// stand, while Excel wants them in order and repairs the file otherwise;
// runs of equal widths go in one call, since each call copies every column
// set so far.
func setWidths(sw *excelize.StreamWriter, widths []float64) error {
	for hi := len(widths) - 1; hi >= 0; {
		lo := hi
		for lo > 0 && widths[lo-1] == widths[hi] {
			lo--
		}
		if err := sw.SetColWidth(lo+1, hi+1, widths[hi]); err != nil {
			return err
		}
		hi = lo - 1
	}
	return nil
}

// str is a text cell's value: neutralised, and nil rather than an empty
// string so that the cell stays blank. A string value is always written as
// a string: the stream writer makes formulas only from Cell.Formula.
func str(s string) any {
	if s == "" {
		return nil
	}
	return SafeText(s)
}

// ref is the A1 reference of a 0-based row and column.
func ref(row, col int) string {
	return columnName(col) + strconv.Itoa(row+1)
}

// columnName is bijective base 26: A…Z, AA…AZ, BA…, ZZ, AAA….
func columnName(col int) string {
	var b []byte
	for n := col + 1; n > 0; n = (n - 1) / 26 {
		b = append([]byte{byte('A' + (n-1)%26)}, b...)
	}
	return string(b)
}
