package export_test

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/govkpi/govkpi/internal/export"
)

func writeCSV(t *testing.T, tb export.Table) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := export.WriteCSV(&b, tb); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// readCSV parses data as a strict reader would: every line as wide as the first.
func readCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	if !bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}) {
		t.Fatalf("no UTF-8 BOM: % x", data[:min(len(data), 8)])
	}
	recs, err := csv.NewReader(bytes.NewReader(data[3:])).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	return recs
}

// TestCSVRoundTrip compares every field with its input.
func TestCSVRoundTrip(t *testing.T) {
	in := cityComparison()
	recs := readCSV(t, writeCSV(t, in))
	want := [][]string{
		{in.Title, "", "", "", "", ""},
		{in.Subtitle, "", "", "", "", ""},
		in.Headers,
		{"杭州市", "1234567", "0.6523", "2.1", "98.5", "含, 逗号与\"引号\"\n及换行"},
		{"宁波市", "0", "", "-3.25", "0.123456789012345", "-3.5"},
		{"温州市", "42", "", "", "", ""},
	}
	if !slices.EqualFunc(recs, want, slices.Equal) {
		t.Errorf("CSV\n%q\nwant\n%q", recs, want)
	}
}

// TestCSVQuoting checks the bytes themselves: a field with a comma, quote
// or newline is quoted, its quotes doubled; lines end in CRLF.
func TestCSVQuoting(t *testing.T) {
	data := writeCSV(t, export.Table{
		Title:   "标题",
		Headers: []string{"a", "b"},
		Rows:    [][]export.Cell{{export.Text(`说"明"`), export.Text("x,y")}, {export.Text("两\n行"), export.Text("普通")}},
	})
	want := "\uFEFF标题,\r\n,\r\na,b\r\n\"说\"\"明\"\"\",\"x,y\"\r\n\"两\r\n行\",普通\r\n"
	if string(data) != want {
		t.Errorf("CSV\n%q\nwant\n%q", data, want)
	}
}

// TestCSVNumbers: numbers are plain and keep every digit given; missing,
// NaN and Inf are empty, never 0.
func TestCSVNumbers(t *testing.T) {
	nan, inf, negZero, tenth := 0.0, 1.0, 0.0, 0.1
	nan /= nan
	inf /= 0
	negZero = -negZero
	vals := []*float64{f(1234567.891), f(tenth + 0.2), f(1e21), f(-0.000123), &negZero, nil, &nan, &inf, f(1e-7)}
	var row []export.Cell
	for _, v := range vals {
		row = append(row, export.Num(v, "#,##0.0"))
	}
	recs := readCSV(t, writeCSV(t, export.Table{Rows: [][]export.Cell{row}}))
	want := []string{"1234567.891", "0.30000000000000004", "1000000000000000000000", "-0.000123", "0", "", "", "", "0.0000001"}
	if got := recs[len(recs)-1]; !slices.Equal(got, want) {
		t.Errorf("numbers %q, want %q", got, want)
	}
}

// TestCSVFormulaInjection: hostile text gets its apostrophe in every
// position (title, header, cell); numbers and negative text numbers do not.
func TestCSVFormulaInjection(t *testing.T) {
	hostile := []string{`=HYPERLINK("http://evil","x")`, "@SUM(A1)", "+1", "-x", "\tcmd", "\rcmd"}
	var rows [][]export.Cell
	for _, h := range hostile {
		rows = append(rows, []export.Cell{export.Text(h), export.Num(f(-2), "")})
	}
	rows = append(rows, []export.Cell{export.Text("-3.5"), export.Text("=1")})
	recs := readCSV(t, writeCSV(t, export.Table{Title: "=cmd|' /C calc'!A0", Subtitle: "+x", Headers: []string{"@h", "-"}, Rows: rows}))
	if recs[0][0] != "'=cmd|' /C calc'!A0" || recs[1][0] != "'+x" || recs[2][0] != "'@h" || recs[2][1] != "'-" {
		t.Errorf("title, subtitle, header %q", recs[:3])
	}
	for i, h := range hostile {
		got := recs[3+i]
		// encoding/csv drops a lone \r when it writes CRLF line ends.
		want := strings.ReplaceAll("'"+h, "\r", "")
		if got[0] != want || got[1] != "-2" {
			t.Errorf("row %d = %q, want %q, -2", i, got, want)
		}
	}
	if got := recs[len(recs)-1]; got[0] != "-3.5" || got[1] != "'=1" {
		t.Errorf("last row %q", got)
	}
}

// TestCSVEmpty: a table without rows still writes its title and headers;
// one without anything writes three blank lines (which csv.Reader skips).
func TestCSVEmpty(t *testing.T) {
	recs := readCSV(t, writeCSV(t, export.Table{Title: "2024年", Headers: []string{"地区", "数值"}}))
	if want := [][]string{{"2024年", ""}, {"", ""}, {"地区", "数值"}}; !slices.EqualFunc(recs, want, slices.Equal) {
		t.Errorf("CSV %q, want %q", recs, want)
	}
	if got := string(writeCSV(t, export.Table{})); got != "\uFEFF\r\n\r\n\r\n" {
		t.Errorf("empty table: %q, want three blank lines", got)
	}
}

// TestCSVLimits: one CSV holds at most MaxRows rows, like a workbook.
func TestCSVLimits(t *testing.T) {
	row := []export.Cell{export.Text("x")}
	tb := export.Table{Title: "t", Subtitle: "s", Headers: []string{"h"}, Rows: slices.Repeat([][]export.Cell{row}, export.MaxRows+1)}
	var b bytes.Buffer
	invalid(t, export.WriteCSV(&b, tb), "rows", "at most 100000 rows")
	if b.Len() != 0 {
		t.Errorf("%d bytes written before refusing", b.Len())
	}
	tb.Rows = tb.Rows[:export.MaxRows]
	if recs := readCSV(t, writeCSV(t, tb)); len(recs) != export.MaxRows+3 {
		t.Errorf("%d lines, want %d", len(recs), export.MaxRows+3)
	}
}
