package sheet_test

import (
	"bytes"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/govkpi/govkpi/internal/kpi"
	"github.com/govkpi/govkpi/internal/sheet"
)

func TestCellRef(t *testing.T) {
	tests := []struct {
		row, col int
		want     string
	}{
		{0, 0, "A1"}, {1, 1, "B2"}, {3, 5, "F4"}, {0, 25, "Z1"}, {0, 26, "AA1"}, {9, 27, "AB10"},
		{0, 51, "AZ1"}, {0, 52, "BA1"}, {0, 299, "KN1"}, {0, 300, "KO1"}, {0, 701, "ZZ1"}, {0, 702, "AAA1"},
		{1048575, 16383, "XFD1048576"}, {-1, 0, ""}, {0, -1, ""},
	}
	for _, tc := range tests {
		if got := sheet.CellRef(tc.row, tc.col); got != tc.want {
			t.Errorf("CellRef(%d, %d) = %q, want %q", tc.row, tc.col, got, tc.want)
		}
		if tc.want == "" {
			continue
		}
		// excelize agrees, 1-based
		if ex, _ := excelize.CoordinatesToCellName(tc.col+1, tc.row+1); ex != tc.want {
			t.Errorf("excelize names (%d, %d) %q, CellRef %q", tc.row, tc.col, ex, tc.want)
		}
	}
}

// sample is the table every encoding of sampleCSV must give: cells trimmed
// (ASCII and ideographic spaces), quoted commas and line breaks kept, the
// blank row kept in place so that references match Excel's, trailing blank
// cells and rows dropped.
var sample = [][]string{
	{"指标代码", "指标名称", "本期填报"},
	{"mediation_success", "调解成功数", "1,234"},
	{"satisfaction", "满意度，“群众”评价", "９８．５％"},
	nil,
	{"note", "第一行\n第二行", "=cmd|' /C calc'!A0"},
	{"", "", "7"},
}

const sampleCSV = "指标代码,指标名称,本期填报\r\n" +
	" mediation_success ,\u3000调解成功数\u3000,\"1,234\"\r\n" +
	"satisfaction,\"满意度，“群众”评价\",９８．５％,,\r\n" +
	"\r\n" +
	"note,\"第一行\r\n第二行\",=cmd|' /C calc'!A0\r\n" +
	",,7\r\n" +
	",,,\r\n" +
	"\r\n"

func TestReadCSVEncodings(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(sampleCSV)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal([]byte(gbk), []byte(sampleCSV)) {
		t.Fatal("GBK encoding changed nothing")
	}
	inputs := map[string]string{
		"utf8.csv":         sampleCSV,
		"utf8-bom.csv":     "\xEF\xBB\xBF" + sampleCSV,
		"gbk.csv":          gbk,
		"lf.csv":           strings.ReplaceAll(sampleCSV, "\r\n", "\n"),
		"no-extension":     sampleCSV,
		"named-as-txt.txt": sampleCSV,
	}
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			got, err := sheet.Read(name, strings.NewReader(in), sheet.DefaultLimits)
			if err != nil {
				t.Fatal(err)
			}
			if got.Sheet != "" || !reflect.DeepEqual(got.Rows, sample) {
				t.Errorf("Read(%s) = %q %q\nwant %q", name, got.Sheet, got.Rows, sample)
			}
		})
	}
}

// TestReadCSVRowNumbers: csv.Reader skips blank lines, Excel does not; the
// rows after a blank line and after a cell spanning lines must keep the
// numbers Excel shows.
func TestReadCSVRowNumbers(t *testing.T) {
	in := "a\n\n\"x\ny\nz\"\n\n\nb,c\n"
	got, err := sheet.Read("rows.csv", strings.NewReader(in), sheet.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	// Excel opens this as: A1 a, A2 blank, A3 "x\ny\nz", A4 and A5 blank, A6 b, B6 c.
	want := [][]string{{"a"}, nil, {"x\ny\nz"}, nil, nil, {"b", "c"}}
	if !reflect.DeepEqual(got.Rows, want) {
		t.Fatalf("rows = %q, want %q", got.Rows, want)
	}
	if got.Cell(5, 1) != "c" || sheet.CellRef(5, 1) != "B6" {
		t.Errorf("Cell(5, 1) = %q at %s", got.Cell(5, 1), sheet.CellRef(5, 1))
	}
	if got.Cell(99, 0) != "" || got.Cell(0, 99) != "" || got.Cell(-1, 0) != "" {
		t.Error("Cell outside the table is not empty")
	}
}

// TestReadXLSXMatchesCSV: the same cells typed into a workbook give the
// same table as the CSV, text exactly as shown.
func TestReadXLSXMatchesCSV(t *testing.T) {
	data := workbook(t, func(x *excelize.File, s string) {
		cells(t, [][]string{sample[0], {" mediation_success ", "\u3000调解成功数\u3000", "1,234"}, sample[2]})(x, s)
		x.SetCellStr(s, "A5", sample[4][0])
		x.SetCellStr(s, "B5", sample[4][1])
		x.SetCellStr(s, "C5", sample[4][2])
		x.SetCellInt(s, "C6", 7)                         // a number cell reads as its text
		x.SetCellStr(s, "D6", "   ")                     // blank after trimming: dropped
		x.SetCellFormula(s, "D9", "=1+1")                // a formula never calculated has no text
		x.SetCellStyle(s, "A12", "E12", mustStyle(t, x)) // styled but empty: trailing blank row
	})
	got, err := sheet.Read("填报.xlsx", bytes.NewReader(data), sheet.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if got.Sheet != "Sheet1" || !reflect.DeepEqual(got.Rows, sample) {
		t.Errorf("Read = %q %q\nwant %q", got.Sheet, got.Rows, sample)
	}
}

func mustStyle(t *testing.T, x *excelize.File) int {
	id, err := x.NewStyle(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFFF00"}}})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestReadXLSXFormattedText(t *testing.T) {
	data := workbook(t, func(x *excelize.File, s string) {
		pct, _ := x.NewStyle(&excelize.Style{NumFmt: 10})      // 0.00%
		thousands, _ := x.NewStyle(&excelize.Style{NumFmt: 4}) // #,##0.00
		x.SetCellFloat(s, "A1", 0.985, -1, 64)
		x.SetCellStyle(s, "A1", "A1", pct)
		x.SetCellFloat(s, "B1", 1234567.891, -1, 64)
		x.SetCellStyle(s, "B1", "B1", thousands)
		x.SetCellFloat(s, "C1", 0.1+0.2, -1, 64) // General shows 0.3, not 0.30000000000000004
		x.SetCellFloat(s, "D1", 1.0/3, -1, 64)   // and at most 15 digits
	})
	got, err := sheet.Read("f.xlsx", bytes.NewReader(data), sheet.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"98.50%", "1,234,567.89", "0.3", "0.333333333333333"}
	if !reflect.DeepEqual(got.Rows[0], want) {
		t.Errorf("row = %q, want %q", got.Rows[0], want)
	}
	// and every one of them is a number to kpi.ParseNumber
	for _, s := range got.Rows[0] {
		if _, err := kpi.ParseNumber(s); err != nil {
			t.Errorf("ParseNumber(%q): %v", s, err)
		}
	}
}

// TestReadFirstWorksheet: the first sheet in the workbook's order is read,
// not the active one nor one that happens to be named like a template.
func TestReadFirstWorksheet(t *testing.T) {
	data := workbook(t, func(x *excelize.File, s string) {
		x.SetSheetName(s, "第一页")
		x.SetCellStr("第一页", "A1", "first")
		i, _ := x.NewSheet("Sheet1")
		x.SetCellStr("Sheet1", "A1", "second")
		x.SetActiveSheet(i)
	})
	got, err := sheet.Read("two.xlsx", bytes.NewReader(data), sheet.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	if got.Sheet != "第一页" || got.Cell(0, 0) != "first" {
		t.Errorf("read sheet %q, A1 %q; want the first sheet", got.Sheet, got.Cell(0, 0))
	}
}

// TestReadByContent: a workbook renamed to .csv (or with no extension) is
// still read as a workbook.
func TestReadByContent(t *testing.T) {
	data := workbook(t, cells(t, [][]string{{"region", "330100"}}))
	for _, name := range []string{"renamed.csv", "renamed.txt", "noext"} {
		got, err := sheet.Read(name, bytes.NewReader(data), sheet.DefaultLimits)
		if err != nil || got.Cell(0, 1) != "330100" {
			t.Errorf("Read(%s) = %q, %v", name, got.Rows, err)
		}
	}
}

// TestReadFormulaTextStaysText: a CSV injection payload is kept as the text
// it is; rejecting it as a number is kpi.ParseNumber's job.
func TestReadFormulaTextStaysText(t *testing.T) {
	const payload = `=cmd|' /C calc'!A0`
	for name, data := range map[string][]byte{
		"x.csv":  []byte("code,value\nmediation_success," + payload + "\n"),
		"x.xlsx": workbook(t, cells(t, [][]string{{"code", "value"}, {"mediation_success", payload}})),
	} {
		got, err := sheet.Read(name, bytes.NewReader(data), sheet.DefaultLimits)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got.Cell(1, 1) != payload {
			t.Errorf("%s: B2 = %q, want the text %q", name, got.Cell(1, 1), payload)
		}
		if _, err := kpi.ParseNumber(got.Cell(1, 1)); err == nil {
			t.Errorf("%s: ParseNumber accepted %q", name, payload)
		}
	}
}

func TestReadRefusals(t *testing.T) {
	junk := make([]byte, 4096)
	for i := range junk {
		junk[i] = byte(i*7919%251 + 3) // deterministic noise, no zip or OLE magic
	}
	notGBK := []byte("code,value\nmediation_success,\xff\xfe\xfd\n")
	tests := []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"empty file", "empty.csv", nil, "is empty"},
		{"empty workbook name", "empty.xlsx", nil, "is empty"},
		{"random bytes named .xlsx", "data.xlsx", junk, "is named .xlsx but is not an Excel workbook"},
		{"text named .xlsx", "data.xlsx", []byte("a,b\n1,2\n"), "is named .xlsx but is not an Excel workbook"},
		{"old .xls", "old.xls", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, junk...), "old .xls workbook or has a password"},
		{"a .csv that is a zip", "data.csv", zipOf(t, [2]string{"hello.txt", "hello"}), "is a zip archive but not an Excel workbook"},
		{"a zip that is not an xlsx", "data.xlsx", zipOf(t, [2]string{"[Content_Types].xml", contentTypes}, [2]string{"word/document.xml", "<w/>"}), "is a zip archive but not an Excel workbook"},
		{"a damaged zip", "data.xlsx", append([]byte("PK\x03\x04"), junk...), "is damaged"},
		{"random bytes named .csv", "data.csv", junk, "not CSV text in UTF-8 or GBK"},
		{"invalid UTF-8 that is not GBK", "data.csv", notGBK, "not CSV text in UTF-8 or GBK"},
		{"UTF-16", "unicode.txt", []byte("\xFF\xFEa\x00,\x00b\x00"), "UTF-16"},
		{"NUL bytes", "nul.csv", []byte("a,b\n1,\x002\n"), "not CSV text"},
		{"unclosed quote", "quote.csv", []byte("a,b\n1,\"2\n3,4\n"), "line 2: a quote is unclosed or misplaced"},
		{"bare quote", "quote.csv", []byte("a,b\n1,2\"x\n"), "line 2: a quote"},
		{"name from a Windows path", `C:\Users\张三\Desktop\填报.xlsx`, junk, `"填报.xlsx"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := sheet.Read(tc.file, bytes.NewReader(tc.data), sheet.DefaultLimits)
			name := tc.file
			if i := strings.LastIndex(name, `\`); i >= 0 {
				name = name[i+1:]
			}
			e := invalid(t, err, name, tc.want)
			if e.Field != "file" {
				t.Errorf("field %q, want file", e.Field)
			}
		})
	}
}

func TestReadReaderError(t *testing.T) {
	_, err := sheet.Read("x.csv", iotest.ErrReader(iotest.ErrTimeout), sheet.DefaultLimits)
	e := invalid(t, err, "x.csv", "could not read")
	if e.Err != iotest.ErrTimeout {
		t.Errorf("cause %v not kept for the log", e.Err)
	}
}

func TestReadTooBig(t *testing.T) {
	for _, tc := range []struct {
		lim  sheet.Limits
		size int64
		want string
	}{
		{sheet.DefaultLimits, 5<<20 + 1, "larger than the 5 MB limit"},
		{sheet.Limits{MaxBytes: 1 << 19}, 1<<19 + 1, "larger than the 0.5 MB limit"},
	} {
		data := bytes.Repeat([]byte("1,"), int(tc.size/2)+1)[:tc.size]
		_, err := sheet.Read("big.csv", bytes.NewReader(data), tc.lim)
		invalid(t, err, "big.csv", tc.want)
		// exactly at the limit is fine (and then fails for its columns, not its size)
		_, err = sheet.Read("big.csv", bytes.NewReader(data[:tc.size-1]), tc.lim)
		if e := invalid(t, err, "big.csv", "more than 300 columns"); e.Field != "KO1" {
			t.Errorf("field %q, want the first cell past the limit, KO1", e.Field)
		}
	}
}

// TestReadMillionColumns: one line of a million commas is refused at the
// limit, without csv.Reader building a million fields.
func TestReadMillionColumns(t *testing.T) {
	line := strings.Repeat(",", 1_000_000) + "\n"
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err := sheet.Read("wide.csv", strings.NewReader(line), sheet.DefaultLimits)
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	e := invalid(t, err, "wide.csv", "row 1 has more than 300 columns (from cell KO1 on)")
	if e.Field != "KO1" {
		t.Errorf("field %q, want KO1", e.Field)
	}
	if elapsed > time.Second {
		t.Errorf("took %v", elapsed)
	}
	// The input is 1 MB; a million empty strings alone would be 16 MB.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
		t.Errorf("allocated %d MB", alloc>>20)
	}
}

func TestReadTooManyRows(t *testing.T) {
	lim := sheet.Limits{MaxRows: 10}
	var b strings.Builder
	for i := 0; i < 10; i++ {
		b.WriteString("x,1\n")
	}
	ok := b.String() + strings.Repeat("\n", 1000) + strings.Repeat(",,\n", 1000) // blank rows past the limit are dropped
	got, err := sheet.Read("ten.csv", strings.NewReader(ok), lim)
	if err != nil || len(got.Rows) != 10 {
		t.Fatalf("10 rows and trailing blanks: %d rows, %v", len(got.Rows), err)
	}
	eleven := b.String() + "\n\ny,2\n" // the 13th row holds something
	_, err = sheet.Read("many.csv", strings.NewReader(eleven), lim)
	if e := invalid(t, err, "many.csv", "more than 10 rows (from row 13 on)"); e.Field != "A13" {
		t.Errorf("field %q, want A13", e.Field)
	}
	quoted := b.String() + "\"\"\n" // even an empty quoted cell is content
	_, err = sheet.Read("many.csv", strings.NewReader(quoted), lim)
	invalid(t, err, "many.csv", "more than 10 rows")

	rows := make([][]string, 11)
	for i := range rows {
		rows[i] = []string{"x"}
	}
	data := workbook(t, cells(t, rows))
	_, err = sheet.Read("many.xlsx", bytes.NewReader(data), lim)
	if e := invalid(t, err, "many.xlsx", "more than 10 rows (from row 11 on)"); e.Field != "A11" {
		t.Errorf("field %q, want A11", e.Field)
	}
	// A cell at the last row Excel has: refused without building a million rows.
	data = workbook(t, func(x *excelize.File, s string) {
		sw, _ := x.NewStreamWriter(s) // writes the one row, not a million empty ones
		sw.SetRow("A1048576", []any{"far"})
		sw.Flush()
	})
	start := time.Now()
	_, err = sheet.Read("far.xlsx", bytes.NewReader(data), sheet.DefaultLimits)
	invalid(t, err, "far.xlsx", "more than 5000 rows (from row 1048576 on)")
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v", d)
	}
}

func TestReadTooManyColumnsXLSX(t *testing.T) {
	data := workbook(t, func(x *excelize.File, s string) {
		x.SetCellStr(s, "A1", "ok")
		x.SetCellStr(s, "KN2", "col 300 is fine")
		x.SetCellStr(s, "XFD3", "col 16384 is not")
	})
	_, err := sheet.Read("wide.xlsx", bytes.NewReader(data), sheet.DefaultLimits)
	if e := invalid(t, err, "wide.xlsx", "row 3 has more than 300 columns (from cell KO3 on)"); e.Field != "KO3" {
		t.Errorf("field %q, want KO3", e.Field)
	}
}

func TestReadZipBombs(t *testing.T) {
	tests := []struct {
		name           string
		size, declared uint64
		lim            sheet.Limits
		want           string
	}{
		{"200 MB of zeros", 200 << 20, 200 << 20, sheet.DefaultLimits, "would unpack to more than 50 MB"},
		{"within the total, but 1000:1", 10 << 20, 10 << 20, sheet.DefaultLimits, "compressed more than 100:1"},
		{"a smaller total limit", 10 << 20, 10 << 20, sheet.Limits{MaxUnzipped: 8 << 20}, "would unpack to more than 8 MB"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := bomb(t, tc.size, tc.declared)
			if len(data) > 1<<20 {
				t.Fatalf("the bomb itself is %d bytes", len(data))
			}
			start := time.Now()
			_, err := sheet.Read("bomb.xlsx", bytes.NewReader(data), tc.lim)
			invalid(t, err, "bomb.xlsx", tc.want)
			if d := time.Since(start); d > 500*time.Millisecond {
				t.Errorf("took %v to refuse", d)
			}
		})
	}
}

// TestReadZipBombLyingHeader: an entry that claims to be small inflates no
// further than it claims (archive/zip stops it), so the limits still hold.
func TestReadZipBombLyingHeader(t *testing.T) {
	data := bomb(t, 200<<20, 1000)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	got, err := sheet.Read("liar.xlsx", bytes.NewReader(data), sheet.DefaultLimits)
	d := time.Since(start)
	runtime.ReadMemStats(&after)
	if err == nil && len(got.Rows) != 0 {
		t.Errorf("read %d rows out of zeros", len(got.Rows))
	}
	if err != nil {
		invalid(t, err, "liar.xlsx", "")
	}
	if d > time.Second {
		t.Errorf("took %v", d)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32<<20 {
		t.Errorf("allocated %d MB", alloc>>20)
	}
}

// TestReadBlankCellBudget: cells of spaces are blank once trimmed, but
// excelize still builds every row up to them; a sheet of such rows is
// refused once it holds more raw cells than MaxRows × MaxCols.
func TestReadBlankCellBudget(t *testing.T) {
	lim := sheet.Limits{MaxRows: 10, MaxCols: 5}
	data := workbook(t, func(x *excelize.File, s string) {
		x.SetCellStr(s, "A1", "x")
		for r := 2; r <= 1000; r++ {
			x.SetCellStr(s, fmt.Sprintf("E%d", r), " ")
		}
	})
	_, err := sheet.Read("spaces.xlsx", bytes.NewReader(data), lim)
	if e := invalid(t, err, "spaces.xlsx", "too many cells (more than 10 rows × 5 columns)"); e.Field != "A11" {
		t.Errorf("field %q, want A11", e.Field)
	}
	// A few such rows are only blank rows.
	data = workbook(t, cells(t, [][]string{{"x"}, {"", "", "", "", " "}}))
	got, err := sheet.Read("spaces.xlsx", bytes.NewReader(data), lim)
	if err != nil || !reflect.DeepEqual(got.Rows, [][]string{{"x"}}) {
		t.Errorf("Read = %q, %v", got.Rows, err)
	}
}
