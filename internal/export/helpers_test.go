package export_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/govkpi/govkpi/internal/export"
	"github.com/govkpi/govkpi/internal/kpi"
)

// f returns a pointer to x, for numeric cells.
func f(x float64) *float64 { return &x }

// writeXLSX writes wb and opens the result with excelize, as a user's
// spreadsheet program would.
func writeXLSX(t *testing.T, wb export.Workbook) *excelize.File {
	t.Helper()
	var b bytes.Buffer
	if err := export.WriteXLSX(&b, wb); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatalf("written workbook does not open: %v", err)
	}
	t.Cleanup(func() { x.Close() })
	return x
}

// value returns a cell's stored value, unformatted.
func value(t *testing.T, x *excelize.File, sheet, ref string) string {
	t.Helper()
	v, err := x.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// isNumber reports a numeric cell. excelize writes numbers without a type
// attribute, which OOXML defines as "n" (ECMA-376 §18.3.1.4), so it reads
// them back as CellTypeUnset; a string is "s" and a formula "str".
func isNumber(typ excelize.CellType) bool {
	return typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset
}

func cellType(t *testing.T, x *excelize.File, sheet, ref string) excelize.CellType {
	t.Helper()
	typ, err := x.GetCellType(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	return typ
}

func style(t *testing.T, x *excelize.File, sheet, ref string) *excelize.Style {
	t.Helper()
	id, err := x.GetCellStyle(sheet, ref)
	if err != nil {
		t.Fatal(err)
	}
	s, err := x.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// invalid asserts that err is a *kpi.Error with code EINVALID for field,
// with a Chinese message and an English one containing want.
func invalid(t *testing.T, err error, field, want string) {
	t.Helper()
	var e *kpi.Error
	if !errors.As(err, &e) || e.Code != kpi.EINVALID {
		t.Fatalf("error %#v is not an invalid-input *kpi.Error", err)
	}
	if e.Field != field {
		t.Errorf("field %q, want %q", e.Field, field)
	}
	if !strings.Contains(e.MessageEN, want) {
		t.Errorf("message %q does not say %q", e.MessageEN, want)
	}
	if e.Message == "" || e.Message == e.MessageEN {
		t.Errorf("Chinese message %q missing or untranslated", e.Message)
	}
}

// cityComparison is a comparison table as the dashboard shows it: text,
// counts, rates, changes in points, a missing value and a ragged row.
func cityComparison() export.Table {
	return export.Table{
		Name:     "各市对比",
		Title:    "2024年 诉前分流率 各市对比",
		Subtitle: "数据状态：已报送和已审核 · 演示数据 · 导出时间 2026-11-25 10:00",
		Headers:  []string{"地区", "受理数（件）", "诉前分流率", "同比", "满意度", "备注"},
		Rows: [][]export.Cell{
			{export.Text("杭州市"), export.Num(f(1234567), "#,##0"), export.Num(f(0.6523), "0.0%"), export.Num(f(2.1), `0.0"个百分点"`), export.Num(f(98.5), "0.0"), export.Text("含, 逗号与\"引号\"\n及换行")},
			{export.Text("宁波市"), export.Num(f(0), "#,##0"), export.Num(nil, "0.0%"), export.Num(f(-3.25), `0.0"个百分点"`), export.Num(f(0.123456789012345), ""), export.Text("-3.5")},
			{export.Text("温州市"), export.Num(f(42), "#,##0")},
		},
	}
}
