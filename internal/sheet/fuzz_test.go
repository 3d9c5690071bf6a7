package sheet_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/govkpi/govkpi/internal/kpi"
	"github.com/govkpi/govkpi/internal/sheet"
)

// FuzzRead feeds Read arbitrary bytes, as CSV and as a workbook (the seeds
// include real templates for the fuzzer to mutate). Read must not panic,
// must refuse with an invalid-input *kpi.Error or return a table within the
// limits and in the documented shape, and the parsers must cope with any
// such table.
func FuzzRead(f *testing.F) {
	var tpl, bf bytes.Buffer
	if err := sheet.WriteTemplate(&tpl, hangzhouQ3("zh")); err != nil {
		f.Fatal(err)
	}
	if err := sheet.WriteBackfillTemplate(&bf, []string{"a_count"}, []sheet.RegionName{{Code: 330100, Name: "杭州市"}}, 2024, 1); err != nil {
		f.Fatal(err)
	}
	for _, seed := range []struct {
		data []byte
		xlsx bool
	}{
		{[]byte(sampleCSV), false},
		{[]byte("\xEF\xBB\xBFa,b\n1,2\n"), false},
		{[]byte("\xb5\xf7\xbd\xe2,1\n"), false}, // GBK 调解
		{[]byte("a,\"b\nc\",d\n\n\ne\n"), false},
		{[]byte("a,b\n1,2\"x\n"), false},
		{[]byte(strings.Repeat(",", 100)), false},
		{[]byte(strings.Repeat("\n", 200) + "x"), false},
		{[]byte("\xff\xfe\xfd"), false},
		{[]byte("region,330100,year,2024,quarter,3\n指标代码,本期填报\n"), false},
		{tpl.Bytes(), true},
		{bf.Bytes(), true},
		{[]byte("PK\x03\x04garbage"), true},
		{[]byte("not a workbook"), true},
	} {
		f.Add(seed.data, seed.xlsx)
	}
	lim := sheet.Limits{MaxBytes: 1 << 20, MaxRows: 100, MaxCols: 50, MaxUnzipped: 4 << 20}
	f.Fuzz(func(t *testing.T, data []byte, xlsx bool) {
		name := "fuzz.csv"
		if xlsx {
			name = "fuzz.xlsx"
		}
		tb, err := sheet.Read(name, bytes.NewReader(data), lim)
		if err != nil {
			var e *kpi.Error
			if !errors.As(err, &e) || e.Code != kpi.EINVALID || !strings.Contains(e.Message, name) || !strings.Contains(e.MessageEN, name) {
				t.Fatalf("error %#v is not an invalid-input *kpi.Error naming the file", err)
			}
			return
		}
		if len(tb.Rows) > lim.MaxRows {
			t.Fatalf("%d rows, limit %d", len(tb.Rows), lim.MaxRows)
		}
		if n := len(tb.Rows); n > 0 && len(tb.Rows[n-1]) == 0 {
			t.Fatal("trailing blank row kept")
		}
		for r, row := range tb.Rows {
			if len(row) > lim.MaxCols {
				t.Fatalf("row %d has %d cells, limit %d", r+1, len(row), lim.MaxCols)
			}
			if len(row) > 0 && row[len(row)-1] == "" {
				t.Fatalf("row %d keeps a trailing blank cell", r+1)
			}
			for c, v := range row {
				if v != strings.TrimSpace(v) {
					t.Fatalf("%s = %q is not trimmed", sheet.CellRef(r, c), v)
				}
			}
		}
		_, _, _, entries, _ := sheet.ParseTemplate(tb)
		for _, e := range entries {
			if e.Text == "" || e.Code == "" || e.Ref == "" {
				t.Fatalf("empty entry %+v", e)
			}
		}
		backfill, _ := sheet.ParseBackfill(tb)
		for _, e := range backfill {
			if e.Text == "" || e.Code == "" || e.Region < 100000 {
				t.Fatalf("bad backfill entry %+v", e)
			}
		}
	})
}
