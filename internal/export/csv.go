package export

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/govkpi/govkpi/internal/kpi"
)

// utf8BOM makes Excel read the file as UTF-8; without it, Chinese Excel
// assumes GBK and shows mojibake.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// WriteCSV writes one table as CSV in UTF-8 with a BOM: the title and
// subtitle as the first two lines, then the headers and rows, every line
// as wide as the table so that strict readers accept it. Numbers are plain
// (no thousands separators, every digit given), missing ones empty; text
// goes through SafeText.
func WriteCSV(w io.Writer, t Table) error {
	if err := checkLimits([]Table{t}); err != nil {
		return err
	}
	if _, err := w.Write(utf8BOM); err != nil {
		return kpi.Internal(err)
	}
	n := t.columns()
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // what Excel writes, and RFC 4180
	rec := make([]string, n)
	line := func(fill func(c int) string) {
		for c := range rec {
			rec[c] = fill(c)
		}
		_ = cw.Write(rec) // errors stick: cw.Error reports them below
	}
	alone := func(s string) func(int) string {
		return func(c int) string {
			if c == 0 {
				return SafeText(s)
			}
			return ""
		}
	}
	line(alone(t.Title))
	line(alone(t.Subtitle))
	line(func(c int) string {
		if c < len(t.Headers) {
			return SafeText(t.Headers[c])
		}
		return ""
	})
	for _, r := range t.Rows {
		line(func(c int) string {
			if c >= len(r) {
				return ""
			}
			return csvCell(r[c])
		})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return kpi.Internal(err)
	}
	return nil
}

// csvCell renders a cell for CSV: the shortest text that reads back as the
// same float64, or the neutralised text.
func csvCell(c Cell) string {
	if v, ok := c.number(); ok {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	if c.Number != nil {
		return "" // NaN or Inf: missing
	}
	return SafeText(c.Text)
}
