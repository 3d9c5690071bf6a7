package sheet_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/govkpi/govkpi/internal/kpi"
	"github.com/govkpi/govkpi/internal/sheet"
)

func f(v float64) *float64 { return &v }

func hangzhouQ3(lang string) sheet.Template {
	return sheet.Template{
		Lang: lang, Title: "2024年第3季度 杭州市司法局 法治政府建设指标填报表",
		RegionCode: 330100, RegionName: "杭州市", Department: "司法局", Year: 2024, Quarter: 3,
		Rows: []sheet.TemplateRow{
			{Code: "mediation_success", Name: "调解成功数", Unit: "件", Whole: true, Min: 0, Max: 5000, Previous: f(120), LastYear: f(100)},
			{Code: "satisfaction", Name: "群众满意度", Unit: "%", Min: 0, Max: 100, LastYear: f(97.2), Current: f(98.5)},
			{Code: "startup_days", Name: "企业开办时间", Unit: "个工作日", Min: 0, Max: 60},
			{Code: "fulltime_mediators", Name: "专职人民调解员", Unit: "名", Whole: true, Min: 0, Max: 2000, Current: f(35)},
		},
	}
}

func writeTemplate(t *testing.T, tpl sheet.Template) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := sheet.WriteTemplate(&b, tpl); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestTemplateLayout checks the written workbook cell by cell: the keys the
// parser relies on, the header, numeric cells, validation and frozen header.
func TestTemplateLayout(t *testing.T) {
	x, err := excelize.OpenReader(bytes.NewReader(writeTemplate(t, hangzhouQ3("zh"))))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	s := x.GetSheetName(0)
	get := func(ref string) string {
		v, err := x.GetCellValue(s, ref)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for ref, want := range map[string]string{
		"A1": "2024年第3季度 杭州市司法局 法治政府建设指标填报表",
		"A2": "region", "B2": "330100", "C2": "year", "D2": "2024", "E2": "quarter", "F2": "3",
		"A3": "指标代码", "B3": "指标名称", "C3": "单位", "D3": "上季度", "E3": "上年同期", "F3": "本期填报", "G3": "说明",
		"A4": "mediation_success", "B4": "调解成功数", "C4": "件", "D4": "120", "E4": "100", "F4": "",
		"F5": "98.5", "F6": "", "F7": "35", "A8": "",
	} {
		if got := get(ref); got != want {
			t.Errorf("%s = %q, want %q", ref, got, want)
		}
	}
	if !strings.Contains(get("G2"), "杭州市 司法局") || !strings.Contains(get("G4"), "整数，0–5000") {
		t.Errorf("notes G2 %q, G4 %q", get("G2"), get("G4"))
	}
	for _, ref := range []string{"D2", "F2", "D4", "E4", "F5", "F7"} { // numbers are numbers
		if typ, _ := x.GetCellType(s, ref); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
			t.Errorf("%s has type %v, want a number", ref, typ)
		}
	}
	if typ, _ := x.GetCellType(s, "B2"); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
		t.Errorf("B2 (region code) has type %v, want text", typ)
	}
	dvs, err := x.GetDataValidations(s)
	if err != nil {
		t.Fatal(err)
	}
	byRef := map[string]*excelize.DataValidation{}
	for _, dv := range dvs {
		byRef[dv.Sqref] = dv
	}
	for _, tc := range []struct{ ref, typ, lo, hi string }{
		{"F4", "whole", "0", "5000"}, {"F5", "decimal", "0", "100"}, {"F6", "decimal", "0", "60"}, {"F7", "whole", "0", "2000"},
	} {
		dv := byRef[tc.ref]
		if dv == nil {
			t.Errorf("no data validation on %s", tc.ref)
			continue
		}
		if dv.Type != tc.typ || dv.Operator != "between" || dv.Formula1 != tc.lo || dv.Formula2 != tc.hi || !dv.AllowBlank {
			t.Errorf("%s validation: %s %s %q–%q blank %v", tc.ref, dv.Type, dv.Operator, dv.Formula1, dv.Formula2, dv.AllowBlank)
		}
		if dv.Error == nil || !strings.Contains(*dv.Error, "请输入") {
			t.Errorf("%s validation error message %v, want Chinese", tc.ref, dv.Error)
		}
	}
	panes, err := x.GetPanes(s)
	if err != nil || !panes.Freeze || panes.YSplit != 3 || panes.TopLeftCell != "A4" {
		t.Errorf("panes %+v, %v; want the header (rows 1–3) frozen", panes, err)
	}
	if w, _ := x.GetColWidth(s, "B"); w < 30 {
		t.Errorf("name column width %v", w)
	}
	code, _ := x.GetCellStyle(s, "A4")
	input, _ := x.GetCellStyle(s, "F4")
	if st, _ := x.GetStyle(code); st == nil || len(st.Fill.Color) == 0 || st.Fill.Color[0] != "E7E6E6" {
		t.Errorf("code cell style %+v, want a grey fill", st)
	}
	if code == input {
		t.Error("input cells look like the code column")
	}
}

func TestTemplateEnglish(t *testing.T) {
	tb, err := sheet.Read("t.xlsx", bytes.NewReader(writeTemplate(t, hangzhouQ3("en"))), sheet.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Code", "Indicator", "Unit", "Previous quarter", "Same quarter last year", "Value", "Note"}
	if !reflect.DeepEqual(tb.Rows[2], want) {
		t.Errorf("header %q, want %q", tb.Rows[2], want)
	}
	if region, year, quarter, entries, errs := sheet.ParseTemplate(tb); region != 330100 || year != 2024 || quarter != 3 || len(entries) != 2 || errs != nil {
		t.Errorf("ParseTemplate = %d %d %d %v %v", region, year, quarter, entries, errs)
	}
}

// TestTemplateRoundTrip is the department's path: download, fill in Excel,
// upload. Entries carry the text; kpi.ParseNumber makes numbers of it.
func TestTemplateRoundTrip(t *testing.T) {
	x, err := excelize.OpenReader(bytes.NewReader(writeTemplate(t, hangzhouQ3("zh"))))
	if err != nil {
		t.Fatal(err)
	}
	s := x.GetSheetName(0)
	x.SetCellInt(s, "F4", 497)       // typed as a number
	x.SetCellStr(s, "F6", "１．５")     // typed with a Chinese input method
	x.SetCellStr(s, "F7", "")        // pre-filled 35, cleared: not entered
	x.SetCellStr(s, "G5", "按季度抽样调查") // a note is not an entry
	var b bytes.Buffer
	if err := x.Write(&b); err != nil {
		t.Fatal(err)
	}
	x.Close()

	tb, err := sheet.Read("杭州市司法局2024Q3.xlsx", &b, sheet.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	region, year, quarter, entries, errs := sheet.ParseTemplate(tb)
	if errs != nil {
		t.Fatalf("errors %v", errs)
	}
	if region != 330100 || year != 2024 || quarter != 3 {
		t.Errorf("keys %d %d %d", region, year, quarter)
	}
	want := []sheet.Entry{
		{Ref: "F4", Row: 4, Code: "mediation_success", Text: "497"},
		{Ref: "F5", Row: 5, Code: "satisfaction", Text: "98.5"},
		{Ref: "F6", Row: 6, Code: "startup_days", Text: "１．５"},
	}
	if !reflect.DeepEqual(entries, want) {
		t.Fatalf("entries\n%+v\nwant\n%+v", entries, want)
	}
	for i, v := range []float64{497, 98.5, 1.5} {
		if got, err := kpi.ParseNumber(entries[i].Text); err != nil || got != v {
			t.Errorf("%s: ParseNumber(%q) = %v, %v", entries[i].Ref, entries[i].Text, got, err)
		}
	}
}

// TestTemplateAsCSV: the same layout saved as CSV (GBK, as Chinese Excel
// saves it) parses the same, and a whole-year template has quarter 0.
func TestTemplateAsCSV(t *testing.T) {
	csv := "2024年 杭州市司法局 填报表\n" +
		"region,330100,year,2024,quarter,0,杭州市 司法局\n" +
		"指标代码,指标名称,单位,上季度,上年同期,本期填报,说明\n" +
		"mediation_success,调解成功数,件,,100,\"1,980\",\n" +
		"satisfaction,群众满意度,%,,97.2,,\n" +
		"startup_days,企业开办时间,个工作日,,,２,\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(csv)
	if err != nil {
		t.Fatal(err)
	}
	tb, err := sheet.Read("全年.csv", strings.NewReader(gbk), sheet.DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	region, year, quarter, entries, errs := sheet.ParseTemplate(tb)
	want := []sheet.Entry{
		{Ref: "F4", Row: 4, Code: "mediation_success", Text: "1,980"},
		{Ref: "F6", Row: 6, Code: "startup_days", Text: "２"},
	}
	if region != 330100 || year != 2024 || quarter != 0 || errs != nil || !reflect.DeepEqual(entries, want) {
		t.Errorf("ParseTemplate = %d %d %d %+v %v", region, year, quarter, entries, errs)
	}
}

// TestTemplateColumnsFoundByHeader: a column inserted by hand moves the
// input; the parser follows the header instead of reading column F.
func TestTemplateColumnsFoundByHeader(t *testing.T) {
	tb := sheet.Table{Rows: [][]string{
		{"title"},
		{"region", "330100", "year", "2024", "quarter", "3"},
		{"指标代码", "指标名称", "单位", "备注", "上季度", "上年同期", "本期填报", "说明"},
		{"mediation_success", "调解成功数", "件", "see F", "120", "100", "497"},
	}}
	_, _, _, entries, errs := sheet.ParseTemplate(tb)
	want := []sheet.Entry{{Ref: "G4", Row: 4, Code: "mediation_success", Text: "497"}}
	if errs != nil || !reflect.DeepEqual(entries, want) {
		t.Errorf("entries %+v, errors %v; want %+v", entries, errs, want)
	}
}

func TestParseTemplateErrors(t *testing.T) {
	header := []string{"指标代码", "指标名称", "单位", "上季度", "上年同期", "本期填报", "说明"}
	keys := func(region, year, quarter string) []string {
		return []string{"region", region, "year", year, "quarter", quarter}
	}
	tests := []struct {
		name    string
		rows    [][]string
		entries int
		errs    map[string]string // ref → part of the English message
	}{
		{"empty table", nil, 0, map[string]string{
			"A2": `lacks the key "region"`, "C2": `lacks the key "year"`, "E2": `lacks the key "quarter"`,
			"A3": "no “指标代码” column", "F3": "no “本期填报” column",
		}},
		{"not a template", [][]string{{"地区代码", "年份", "季度", "mediation_success"}, {"330100", "2024", "3", "5"}}, 0, map[string]string{
			"A2": "lacks the key", "C2": "lacks the key", "E2": "lacks the key", "A3": "no “指标代码”", "F3": "no “本期填报”",
		}},
		{"every bad key is reported", [][]string{{"t"}, keys("33010", "1999", "5"), header, {"a_count", "", "", "", "", "1"}}, 1, map[string]string{
			"B2": `region code "33010" is not six digits`, "D2": "year 1999 is out of range", "F2": "quarter 5 is invalid",
		}},
		{"keys that are not plain digits", [][]string{{"t"}, keys("３３０１００", "2,024", "Q3"), header}, 0, map[string]string{
			"B2": "not six digits", "D2": `year "2,024" is not a four-digit whole number`, "F2": `quarter "Q3" is invalid`,
		}},
		{"empty keys", [][]string{{"t"}, {"region", "", "year", "", "quarter"}, header}, 0, map[string]string{
			"B2": "region code is empty", "D2": "year is empty", "F2": "quarter is empty",
		}},
		{"a key twice", [][]string{{"t"}, append(keys("330100", "2024", "3"), "year", "2023"), header}, 0, map[string]string{
			"G2": `key "year" appears twice (first in C2)`,
		}},
		{"duplicated code and a value without code", [][]string{{"t"}, keys("330100", "2024", "3"), header,
			{"a_count", "", "", "", "", "1"},
			{"b_rate", "", "", "", "", "2"},
			{"a_count", "", "", "", "", "3"},
			{"", "", "", "", "", "4"},
			{"", "小计"}, // a label without a value is fine
		}, 2, map[string]string{
			"A6": `indicator code "a_count" appears twice (first in A4)`, "F7": "a value on a row without an indicator code",
		}},
		{"an empty input cell is not an entry", [][]string{{"t"}, keys("330100", "2024", "0"), header,
			{"a_count", "", "", "", "5"}, {"b_rate"}}, 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, _, entries, errs := sheet.ParseTemplate(sheet.Table{Rows: tc.rows})
			if len(entries) != tc.entries {
				t.Errorf("%d entries %+v, want %d", len(entries), entries, tc.entries)
			}
			checkCellErrors(t, errs, tc.errs)
		})
	}
}

// checkCellErrors asserts that errs are exactly the expected references,
// each with a Chinese and an English message.
func checkCellErrors(t *testing.T, errs []sheet.CellError, want map[string]string) {
	t.Helper()
	got := map[string]string{}
	for _, e := range errs {
		if _, dup := got[e.Ref]; dup {
			t.Errorf("two errors at %s", e.Ref)
		}
		got[e.Ref] = e.MessageEN
		if e.Message == "" || e.Message == e.MessageEN {
			t.Errorf("%s: Chinese message %q missing or untranslated", e.Ref, e.Message)
		}
	}
	for ref, msg := range want {
		if !strings.Contains(got[ref], msg) {
			t.Errorf("%s: got %q, want a message with %q", ref, got[ref], msg)
		}
	}
	for ref, msg := range got {
		if _, ok := want[ref]; !ok {
			t.Errorf("unexpected error at %s: %s", ref, msg)
		}
	}
}

func TestWriteTemplateRefusesBadKeys(t *testing.T) {
	for _, tpl := range []sheet.Template{
		{RegionCode: 33010, Year: 2024, Quarter: 1},
		{RegionCode: 330100, Year: 1999, Quarter: 1},
		{RegionCode: 330100, Year: 2024, Quarter: 5},
	} {
		err := sheet.WriteTemplate(&bytes.Buffer{}, tpl)
		if kpi.ErrorCode(err) != kpi.EINVALID {
			t.Errorf("WriteTemplate(%+v) = %v, want an invalid-input error", tpl, err)
		}
	}
}

// TestTemplateNoValidationForBadRange: a range Excel cannot express gives
// no validation rather than a broken workbook.
func TestTemplateNoValidationForBadRange(t *testing.T) {
	tpl := hangzhouQ3("zh")
	tpl.Rows = []sheet.TemplateRow{{Code: "odd", Name: "odd", Unit: "件", Whole: true, Min: 0.2, Max: 0.8}}
	x, err := excelize.OpenReader(bytes.NewReader(writeTemplate(t, tpl)))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if dvs, _ := x.GetDataValidations(x.GetSheetName(0)); len(dvs) != 0 {
		t.Errorf("validations %+v on an empty whole-number range", dvs)
	}
}
