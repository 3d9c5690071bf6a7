package web

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/govkpi/govkpi/internal/kpi"
)

func download(t *testing.T, ts *testServer, path string) (*http.Response, []byte) {
	t.Helper()
	resp, err := ts.client.Get(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	return resp, b
}

// TestExportRoundTrip reads the .xlsx back and compares every figure with
// the API's numbers for the same comparison.
func TestExportRoundTrip(t *testing.T) {
	ts := newServer(t, demoDB)
	q := "indicator=prelit_diversion_rate&year=2025&parent=330000"
	resp, body := download(t, ts, "/export/compare.xlsx?"+q)
	cd := resp.Header.Get("Content-Disposition")
	if !strings.Contains(cd, "filename*=UTF-8''"+url.PathEscape("2025年_诉前分流率_浙江省各市对比.xlsx")) {
		t.Errorf("file name: %q", cd)
	}
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var api apiComparisonJSON
	getJSON(t, ts, "/api/v1/comparison?"+q, &api)
	sheet := f.GetSheetName(0)
	title, _ := f.GetCellValue(sheet, "A1")
	if !strings.Contains(title, "2025年") || !strings.Contains(title, "诉前分流率") {
		t.Errorf("title %q", title)
	}
	for i, row := range api.Rows {
		r := i + 4 // title, subtitle, header, then rows
		cell := func(col string) string {
			v, _ := f.GetCellValue(sheet, fmt.Sprintf("%s%d", col, r), excelize.Options{RawCellValue: true})
			return v
		}
		if cell("B") != row.Region.Code || cell("C") != row.Region.Name {
			t.Errorf("row %d: %s %s, want %s %s", r, cell("B"), cell("C"), row.Region.Code, row.Region.Name)
		}
		typ, _ := f.GetCellType(sheet, fmt.Sprintf("D%d", r))
		got, err := strconv.ParseFloat(cell("D"), 64)
		if row.Value != nil && (err != nil || got != kpi.Round(*row.Value, api.Indicator.Decimals) || typ == excelize.CellTypeSharedString) {
			t.Errorf("%s value cell %q (type %v), want the number %v", row.Region.Name, cell("D"), typ, *row.Value)
		}
		if want := fmt.Sprint(row.Rank); row.Rank > 0 && cell("A") != want {
			t.Errorf("%s rank %q, want %s", row.Region.Name, cell("A"), want)
		}
		if row.Progress != nil {
			if got, _ := strconv.ParseFloat(cell("K"), 64); got != kpi.Round(*row.Progress, 4) { // as shown: 0.0%
				t.Errorf("%s progress %q, want %v", row.Region.Name, cell("K"), *row.Progress)
			}
		}
	}
	if panes, _ := f.GetPanes(sheet); !panes.Freeze {
		t.Error("header row not frozen")
	}
	if idx, _ := f.GetSheetIndex("口径与来源"); idx < 0 {
		t.Error("no definitions sheet")
	}
}

func TestExportCSVAsExcelWouldOpenIt(t *testing.T) {
	ts := newServer(t, hostileDB(t))
	resp, body := download(t, ts, "/export/compare.csv?indicator=fulltime_mediators&year=2025&parent=990000")
	if !bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")) || !strings.Contains(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("no BOM or wrong type %q", resp.Header.Get("Content-Type"))
	}
	records, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
	if err != nil {
		t.Fatalf("not CSV: %v", err)
	}
	for _, rec := range records[3:] {
		for _, cell := range rec {
			if len(cell) > 0 && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				if _, err := strconv.ParseFloat(cell, 64); err != nil {
					t.Errorf("cell %q would run as a formula", cell)
				}
			}
		}
	}
	// Hostile names come back as text (neutralised), not lost.
	if !strings.Contains(string(body), "__f__function(){window.__pwned=3}__f__") {
		t.Error("a region name was lost from the CSV")
	}
}

func TestExportScorecardAndMulti(t *testing.T) {
	ts := newServer(t, demoDB)
	_, body := download(t, ts, "/export/scorecard.xlsx?region=330100&year=2025")
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(f.GetSheetName(0))
	if len(rows) < 100 {
		t.Errorf("scorecard export has %d rows, want every indicator", len(rows))
	}
	summary, _ := f.GetCellValue("文字综述", "A4")
	if !strings.HasPrefix(summary, "2025年，全市") {
		t.Errorf("the summary is not in the export: %q", summary)
	}
	_, body = download(t, ts, "/export/multi.xlsx?parent=330000&year=2025&indicator=startup_days&indicator=fulltime_mediators&layout=wide")
	f, _ = excelize.OpenReader(bytes.NewReader(body))
	rows, _ = f.GetRows(f.GetSheetName(0))
	if len(rows) != 3+11 || len(rows[2]) != 4 {
		t.Errorf("wide export: %d rows, header %v", len(rows), rows[2])
	}
	_, body = download(t, ts, "/export/multi.xlsx?parent=330000&year=2025&indicator=startup_days&indicator=fulltime_mediators")
	f, _ = excelize.OpenReader(bytes.NewReader(body))
	if n := len(f.GetSheetList()); n != 3 { // two indicators and the definitions
		t.Errorf("one sheet per indicator: %d sheets", n)
	}
	if code, _, _ := get(t, ts, "/export/compare.pdf?indicator=startup_days"); code != http.StatusBadRequest {
		t.Errorf("unknown format: %d", code)
	}
}
