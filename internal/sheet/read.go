package sheet

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/govkpi/govkpi/internal/kpi"
)

var (
	zipMagic = []byte("PK\x03\x04")
	// oleMagic starts the old binary .xls, and also an .xlsx with a password:
	// Excel wraps encrypted workbooks in the same container.
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// Zip-bomb heuristics. Real workbooks compress 5–20:1 and deflate cannot do
// better than about 1000:1, so 100:1 is far from both. Entries under
// ratioFloor are exempt: they cannot hurt however well they compress, and
// small generated parts (styles, an empty sheet) can be very repetitive.
const (
	maxRatio   = 100
	ratioFloor = 1 << 20
)

// Read reads an uploaded spreadsheet into a Table: the first worksheet of an
// .xlsx workbook, or a CSV file in UTF-8 (with or without BOM) or GBK. The
// content decides which, not the name: Excel users rename files, and a
// wrong extension must not make a workbook parse as garbage text. filename
// is only used in messages, and to explain a workbook that is not one.
func Read(filename string, r io.Reader, lim Limits) (Table, error) {
	lim = lim.withDefaults()
	name := DisplayName(filename)
	data, err := io.ReadAll(io.LimitReader(r, lim.MaxBytes+1)) // withDefaults keeps the +1 from overflowing
	if err != nil {
		e := kpi.Invalid("file", "读取文件 %q 失败，请重新上传", "could not read file %q: upload it again", name)
		e.Err = err
		return Table{}, e
	}
	if int64(len(data)) > lim.MaxBytes {
		return Table{}, kpi.Invalid("file", "文件 %q 超过 %s MB 的上限", "file %q is larger than the %s MB limit", name, megabytes(lim.MaxBytes))
	}
	if len(data) == 0 {
		return Table{}, kpi.Invalid("file", "文件 %q 是空的", "file %q is empty", name)
	}
	ext := strings.ToLower(path.Ext(name))
	switch {
	case bytes.HasPrefix(data, zipMagic):
		return readXLSX(name, data, lim)
	case bytes.HasPrefix(data, oleMagic):
		return Table{}, kpi.Invalid("file", "文件 %q 是旧版 .xls 格式或设置了密码，请在 Excel 中去掉密码并另存为 .xlsx", "file %q is an old .xls workbook or has a password: remove the password and save it as .xlsx", name)
	case ext == ".xlsx" || ext == ".xlsm" || ext == ".xls":
		return Table{}, kpi.Invalid("file", "文件 %q 的扩展名是 %s，但内容不是 Excel 工作簿（可能改过扩展名或已损坏）", "file %q is named %s but is not an Excel workbook (renamed or damaged?)", name, ext)
	}
	return readCSV(name, data, lim)
}

func readXLSX(name string, data []byte, lim Limits) (t Table, err error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return Table{}, damaged(name, err)
	}
	if err := checkZip(name, zr, lim); err != nil {
		return Table{}, err
	}
	// excelize parses untrusted XML; a panic in it must refuse one upload,
	// not take the server down.
	defer func() {
		if p := recover(); p != nil {
			t, err = Table{}, damaged(name, fmt.Errorf("excelize panic: %v", p))
		}
	}()
	// Both limits at MaxUnzipped: checkZip already holds the total there,
	// and excelize then keeps every part in memory instead of temp files.
	x, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: lim.MaxUnzipped, UnzipXMLSizeLimit: lim.MaxUnzipped})
	if err != nil {
		return Table{}, notWorkbook(name, err)
	}
	defer x.Close()
	sheets := x.GetSheetList()
	if len(sheets) == 0 {
		return Table{}, notWorkbook(name, nil)
	}
	rows, err := x.Rows(sheets[0])
	if err != nil {
		return Table{}, notWorkbook(name, err)
	}
	defer rows.Close()
	t.Sheet = sheets[0]
	blank := 0 // blank rows since the last filled one: kept only if a filled row follows
	// excelize pads a row with blanks up to its last cell that has a value,
	// even a value of spaces. Counting those raw cells, per row and in all,
	// bounds the work a sheet of a million rows ending in " " at column XFD
	// could cost, though every one of them is blank once trimmed.
	budget := lim.MaxRows * lim.MaxCols
	for n := 0; rows.Next(); n++ {
		cols, err := rows.Columns() // formatted text, as the user sees it
		if err != nil {
			e := damaged(name, err)
			e.Field = CellRef(n, 0)
			return Table{}, e
		}
		if len(cols) > lim.MaxCols {
			return Table{}, tooManyCols(name, n, lim.MaxCols)
		}
		if budget -= len(cols); budget < 0 {
			return Table{}, kpi.Invalid(CellRef(n, 0), "文件 %q 的单元格过多（超过 %d 行 × %d 列），请删除多余的行和列", "file %q has too many cells (more than %d rows × %d columns): delete unused rows and columns", name, lim.MaxRows, lim.MaxCols)
		}
		cells := clean(cols)
		if len(cells) == 0 {
			blank++
			continue
		}
		if n >= lim.MaxRows {
			return Table{}, tooManyRows(name, n, lim.MaxRows)
		}
		for ; blank > 0; blank-- {
			t.Rows = append(t.Rows, nil)
		}
		t.Rows = append(t.Rows, cells)
	}
	if err := rows.Error(); err != nil {
		return Table{}, damaged(name, err)
	}
	return t, nil
}

// checkZip refuses zip bombs before excelize unpacks anything. The sizes
// are the ones the archive declares; archive/zip stops reading an entry that
// inflates past its declared size, so a lying header gains nothing.
func checkZip(name string, zr *zip.Reader, lim Limits) error {
	limit := uint64(lim.MaxUnzipped)
	var total uint64
	for _, f := range zr.File {
		u, c := f.UncompressedSize64, f.CompressedSize64
		if u > limit || total+u > limit { // total <= limit, so no overflow
			return kpi.Invalid("file", "文件 %q 解压后超过 %s MB，可能是“压缩炸弹”，已拒绝", "file %q would unpack to more than %s MB (a zip bomb?) and was refused", name, megabytes(lim.MaxUnzipped))
		}
		total += u
		if u > ratioFloor && u/maxRatio > c {
			return kpi.Invalid("file", "文件 %q 中的 %q 压缩比异常（超过 %d:1），可能是“压缩炸弹”，已拒绝", "file %q: entry %q is compressed more than %d:1 (a zip bomb?) and was refused", name, f.Name, maxRatio)
		}
	}
	return nil
}

// clean trims every cell and drops trailing blank cells. The result is a
// fresh slice, so a row padded out to column XFD does not keep its backing
// array alive.
func clean(cells []string) []string {
	n := 0
	for i, c := range cells {
		if strings.TrimSpace(c) != "" {
			n = i + 1
		}
	}
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = strings.TrimSpace(cells[i])
	}
	return out
}

func damaged(name string, cause error) *kpi.Error {
	e := kpi.Invalid("file", "文件 %q 已损坏，无法作为 Excel 工作簿读取", "file %q is damaged and cannot be read as an Excel workbook", name)
	e.Err = cause
	return e
}

func notWorkbook(name string, cause error) *kpi.Error {
	e := kpi.Invalid("file", "文件 %q 是压缩包，但不是 Excel 工作簿（.xlsx），或其中没有工作表", "file %q is a zip archive but not an Excel workbook (.xlsx), or has no worksheet", name)
	e.Err = cause
	return e
}

func tooManyRows(name string, row, limit int) *kpi.Error {
	return kpi.Invalid(CellRef(row, 0), "文件 %q 超过 %d 行（第 %d 行起），请分批上传", "file %q has more than %d rows (from row %d on): split it", name, limit, row+1)
}

func tooManyCols(name string, row, limit int) *kpi.Error {
	ref := CellRef(row, limit)
	return kpi.Invalid(ref, "文件 %q 第 %d 行超过 %d 列（单元格 %s 起）", "file %q: row %d has more than %d columns (from cell %s on)", name, row+1, limit, ref)
}

func megabytes(n int64) string {
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', -1, 64)
}

// DisplayName is the file's base name, fit for a message: browsers may send
// a Windows path, and a name is user input like any other.
func DisplayName(filename string) string {
	if i := strings.LastIndexAny(filename, `/\`); i >= 0 {
		filename = filename[i+1:]
	}
	filename = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, filename)
	if utf8.RuneCountInString(filename) > 80 {
		filename = string([]rune(filename)[:80]) + "…"
	}
	if filename == "" {
		return "upload"
	}
	return filename
}
