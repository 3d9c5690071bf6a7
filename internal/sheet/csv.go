package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/govkpi/govkpi/internal/kpi"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// readCSV reads a CSV file. Chinese Excel saves "CSV" as GBK and "CSV UTF-8"
// with a BOM; both arrive, so text that is not valid UTF-8 is decoded as
// GB18030, of which GBK is a subset.
func readCSV(name string, data []byte, lim Limits) (Table, error) {
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return Table{}, kpi.Invalid("file", "文件 %q 是 UTF-16 编码（Excel 的“Unicode 文本”），请另存为“CSV UTF-8”或 .xlsx", "file %q is UTF-16 (Excel's “Unicode text”): save it as “CSV UTF-8” or .xlsx", name)
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if !utf8.Valid(data) {
		// The decoder does not fail: it writes U+FFFD for bytes that are not
		// GB18030, and that is how text in neither encoding shows.
		dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil || bytes.ContainsRune(dec, utf8.RuneError) {
			return Table{}, notText(name)
		}
		data = dec
	}
	if bytes.IndexFunc(data, isBinary) >= 0 {
		return Table{}, notText(name)
	}
	if err := prescan(name, data, lim); err != nil {
		return Table{}, err
	}

	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1 // rows may be ragged
	cr.LazyQuotes = false   // a stray quote is a mistake to show, not to guess around
	var t Table
	blank := 0 // blank rows since the last filled one
	row := 0   // the row the next record is on
	next := 1  // the line the next record starts on, if no blank line comes first
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Table{}, csvError(name, err)
		}
		// csv.Reader skips blank lines; count them back in, so that row
		// numbers and cell references are the ones Excel shows.
		line, _ := cr.FieldPos(0)
		if skipped := line - next; skipped > 0 {
			row += skipped
			blank += skipped
		}
		last := len(rec) - 1
		lastLine, _ := cr.FieldPos(last)
		next = lastLine + strings.Count(rec[last], "\n") + 1

		cells := clean(rec)
		switch {
		case len(cells) == 0:
			blank++
		case len(rec) > lim.MaxCols: // prescan has refused this already
			return Table{}, tooManyCols(name, row, lim.MaxCols)
		case row >= lim.MaxRows:
			return Table{}, tooManyRows(name, row, lim.MaxRows)
		default:
			for ; blank > 0; blank-- {
				t.Rows = append(t.Rows, nil)
			}
			t.Rows = append(t.Rows, cells)
		}
		row++
	}
	return t, nil
}

// prescan counts rows and cells without allocating anything, so that a line
// of a million commas is refused before csv.Reader builds a million strings.
// It follows quotes as csv.Reader does on well-formed input; where it is
// fooled by a stray quote, csv.Reader stops with an error at that quote,
// before it reaches the fields that follow.
//
// Columns count even when blank (they are what csv.Reader would allocate);
// rows count only when they hold something, since trailing blank rows are
// dropped anyway.
func prescan(name string, data []byte, lim Limits) error {
	row, col := 0, 0
	quoted := false
	for _, b := range data {
		switch {
		case b == '"':
			quoted = !quoted
		case quoted:
		case b == ',':
			if col++; col >= lim.MaxCols {
				return tooManyCols(name, row, lim.MaxCols)
			}
			continue
		case b == '\n':
			row, col = row+1, 0
			continue
		case b == '\r' || b == ' ' || b == '\t':
			continue
		}
		if row >= lim.MaxRows { // a quote or other content on a row past the limit
			return tooManyRows(name, row, lim.MaxRows)
		}
	}
	return nil
}

// isBinary finds control characters no text file has: NUL from UTF-16 or a
// binary file, form feeds and the like.
func isBinary(r rune) bool {
	return (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7F
}

func notText(name string) *kpi.Error {
	return kpi.Invalid("file", "文件 %q 不是 UTF-8 或 GBK 编码的 CSV 文本，请上传 .xlsx 或另存为“CSV UTF-8”", "file %q is not CSV text in UTF-8 or GBK: upload the .xlsx, or save as “CSV UTF-8”", name)
}

func csvError(name string, err error) *kpi.Error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		e := kpi.Invalid("file", "文件 %q 无法按 CSV 读取", "file %q cannot be read as CSV", name)
		e.Err = err
		return e
	}
	e := kpi.Invalid("file", "文件 %q 第 %d 行：引号不成对或位置不对（含逗号或引号的单元格须整体用英文双引号括起，其中的引号写两遍）", "file %q, line %d: a quote is unclosed or misplaced (quote the whole cell, and double any quote inside it)", name, pe.StartLine)
	e.Err = err
	return e
}
