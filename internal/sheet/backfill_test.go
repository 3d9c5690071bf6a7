package sheet_test

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/govkpi/govkpi/internal/kpi"
	"github.com/govkpi/govkpi/internal/sheet"
)

// TestBackfillRoundTrip: an administrator downloads the backfill sheet,
// fills some cells and uploads it.
func TestBackfillRoundTrip(t *testing.T) {
	regions := []sheet.RegionName{{Code: 330102, Name: "上城区"}, {Code: 330105, Name: "拱墅区"}, {Code: 330106, Name: "西湖区"}}
	var b bytes.Buffer
	if err := sheet.WriteBackfillTemplate(&b, []string{"mediation_success", "satisfaction"}, regions, 2023, 4); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	s := x.GetSheetName(0)
	if got, _ := x.GetRows(s); !reflect.DeepEqual(got[0], []string{"地区代码", "地区名称", "年份", "季度", "mediation_success", "satisfaction"}) ||
		!reflect.DeepEqual(got[2], []string{"330105", "拱墅区", "2023", "4"}) {
		t.Fatalf("written rows %q", got)
	}
	x.SetCellInt(s, "E2", 310)
	x.SetCellStr(s, "F2", "97.5%")
	x.SetCellStr(s, "F4", "９６")
	x.SetCellInt(s, "C4", 2022) // a row may be for another year
	var out bytes.Buffer
	x.Write(&out)
	x.Close()

	tb, err := sheet.Read("补录.xlsx", &out, sheet.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	entries, errs := sheet.ParseBackfill(tb)
	if errs != nil {
		t.Fatalf("errors %v", errs)
	}
	want := []sheet.BackfillEntry{
		{Ref: "E2", Region: 330102, Year: 2023, Quarter: 4, Code: "mediation_success", Text: "310"},
		{Ref: "F2", Region: 330102, Year: 2023, Quarter: 4, Code: "satisfaction", Text: "97.5%"},
		{Ref: "F4", Region: 330106, Year: 2022, Quarter: 4, Code: "satisfaction", Text: "９６"},
	}
	if !reflect.DeepEqual(entries, want) {
		t.Fatalf("entries\n%+v\nwant\n%+v", entries, want)
	}
}

func TestParseBackfill(t *testing.T) {
	tests := []struct {
		name    string
		rows    [][]string
		entries []sheet.BackfillEntry
		errs    map[string]string
	}{
		{"English headers in any order, no name column",
			[][]string{
				{"year", "Quarter", "a_count", "REGION"},
				{"2024", "0", "12", "330100"},
				{"2024", "1", "", "330100"}, // nothing to import
			},
			[]sheet.BackfillEntry{{Ref: "C2", Region: 330100, Year: 2024, Quarter: 0, Code: "a_count", Text: "12"}}, nil},
		{"missing key columns",
			[][]string{{"地区名称", "a_count"}, {"杭州市", "1"}},
			nil, map[string]string{"A1": "no “region” column", "C1": "no “year” column", "D1": "no “quarter” column"}},
		{"bad headers",
			[][]string{{"地区代码", "年份", "季度", "a_count", "调解成功数", "a_count", "年份"}},
			nil, map[string]string{
				"E1": `header "调解成功数" is not an indicator code`,
				"F1": `indicator code "a_count" appears twice (first in D1)`,
				"G1": `header "年份" appears twice (first in B1)`,
			}},
		{"bad keys on a row with values, ignored on a row without",
			[][]string{
				{"地区代码", "年份", "季度", "a_count"},
				{"3301", "2024", "9", "5"},
				{"", "", "", ""},
				{"bad", "bad", "bad"}, // no value: nothing to check
				{"330100", "", "1", "6"},
			},
			nil, map[string]string{"A2": "not six digits", "C2": "quarter 9 is invalid", "B5": "year is empty"}},
		{"the same region, period and indicator twice",
			[][]string{
				{"地区代码", "年份", "季度", "a_count", "b_rate"},
				{"330100", "2024", "1", "5"},
				{"330100", "2024", "1", "", "98"}, // another indicator on a second row is fine
				{"330100", "2024", "1", "6"},
				{"330100", "2024", "2", "7"},
			},
			[]sheet.BackfillEntry{
				{Ref: "D2", Region: 330100, Year: 2024, Quarter: 1, Code: "a_count", Text: "5"},
				{Ref: "E3", Region: 330100, Year: 2024, Quarter: 1, Code: "b_rate", Text: "98"},
				{Ref: "D5", Region: 330100, Year: 2024, Quarter: 2, Code: "a_count", Text: "7"},
			}, map[string]string{"D4": "a second value for the same region, period and indicator (first in D2)"}},
		{"values under no header",
			[][]string{
				{"地区代码", "年份", "季度", "a_count"},
				{"330100", "2024", "1", "5", "", "x"},
				{"330100", "2024", "2", "6", "", "y"}, // reported once per column
			},
			[]sheet.BackfillEntry{
				{Ref: "D2", Region: 330100, Year: 2024, Quarter: 1, Code: "a_count", Text: "5"},
				{Ref: "D3", Region: 330100, Year: 2024, Quarter: 2, Code: "a_count", Text: "6"},
			}, map[string]string{"F2": "this column has no header"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			entries, errs := sheet.ParseBackfill(sheet.Table{Rows: tc.rows})
			if !reflect.DeepEqual(entries, tc.entries) {
				t.Errorf("entries\n%+v\nwant\n%+v", entries, tc.entries)
			}
			checkCellErrors(t, errs, tc.errs)
		})
	}
}

func TestWriteBackfillTemplateRefuses(t *testing.T) {
	ok := []sheet.RegionName{{Code: 330100, Name: "杭州市"}}
	for name, err := range map[string]error{
		"bad code":      sheet.WriteBackfillTemplate(&bytes.Buffer{}, []string{"Cases!"}, ok, 2024, 1),
		"repeated code": sheet.WriteBackfillTemplate(&bytes.Buffer{}, []string{"a_count", "a_count"}, ok, 2024, 1),
		"bad region":    sheet.WriteBackfillTemplate(&bytes.Buffer{}, []string{"a_count"}, []sheet.RegionName{{Code: 33}}, 2024, 1),
		"bad year":      sheet.WriteBackfillTemplate(&bytes.Buffer{}, []string{"a_count"}, ok, 1900, 1),
		"bad quarter":   sheet.WriteBackfillTemplate(&bytes.Buffer{}, []string{"a_count"}, ok, 2024, 7),
		"anonymous type": sheet.WriteBackfillTemplate(&bytes.Buffer{}, []string{"a_count"}, []struct {
			Code int
			Name string
		}{{Code: 1}}, 2024, 1),
	} {
		if kpi.ErrorCode(err) != kpi.EINVALID {
			t.Errorf("%s: %v, want an invalid-input error", name, err)
		}
	}
}
