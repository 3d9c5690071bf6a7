package sheet

import (
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/govkpi/govkpi/internal/kpi"
)

// The backfill sheet is an administrator's: many regions and periods at
// once, one row per region and period, one column per indicator, with the
// indicator codes themselves as headers.
var (
	backfillRegion  = []string{"地区代码", "region"}
	backfillYear    = []string{"年份", "year"}
	backfillQuarter = []string{"季度", "quarter"}
	// A region-name column helps people fill the sheet; the parser ignores it.
	backfillName = []string{"地区名称", "地区", "region name", "name"}
)

// indicatorCode is kpi's rule for indicator codes (Indicator.Validate).
var indicatorCode = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)

// BackfillEntry is one filled cell of a backfill sheet. Text is as typed.
type BackfillEntry struct {
	Ref     string
	Region  int
	Year    int
	Quarter int
	Code    string
	Text    string
}

// RegionName is a region as the backfill template lists it. It is an
// alias, so a []struct{Code int; Name string} literal fits too.
type RegionName = struct {
	Code int
	Name string
}

// ParseBackfill reads a backfill sheet: a header row with 地区代码 (region),
// 年份 (year), 季度 (quarter) and indicator codes, in any order, then one
// row per region and period. Empty cells give no entry. A row's region,
// year and quarter are checked only when it has a value: the template lists
// every region, and most rows stay empty.
func ParseBackfill(t Table) (entries []BackfillEntry, errs []CellError) {
	regionCol, yearCol, quarterCol := -1, -1, -1
	codes := map[int]string{}    // column → indicator code
	codeCols := map[string]int{} // indicator code → column
	named := map[int]bool{}      // columns with any header
	for c, h := range rowOf(t, 0) {
		if h == "" {
			continue
		}
		named[c] = true
		ref := CellRef(0, c)
		switch {
		case oneOf(h, backfillRegion):
			errs = setOnce(&regionCol, c, h, errs)
		case oneOf(h, backfillYear):
			errs = setOnce(&yearCol, c, h, errs)
		case oneOf(h, backfillQuarter):
			errs = setOnce(&quarterCol, c, h, errs)
		case oneOf(h, backfillName):
		case !indicatorCode.MatchString(h):
			errs = append(errs, cellErr(ref, "表头 %q 不是指标代码（小写字母开头，字母、数字、下划线）", "header %q is not an indicator code (lowercase letter first, then letters, digits, underscores)", h))
		default:
			if first, dup := codeCols[h]; dup {
				errs = append(errs, cellErr(ref, "指标代码 %q 重复（已在 %s）", "indicator code %q appears twice (first in %s)", h, CellRef(0, first)))
				continue
			}
			codes[c], codeCols[h] = h, c
		}
	}
	for _, k := range []struct {
		col  int
		zh   string
		en   string
		want int // where WriteBackfillTemplate puts it
	}{{regionCol, "地区代码", "region", 0}, {yearCol, "年份", "year", 2}, {quarterCol, "季度", "quarter", 3}} {
		if k.col < 0 {
			errs = append(errs, cellErr(CellRef(0, k.want), "第 1 行缺少“%[1]s”列", "row 1 has no “%[2]s” column", k.zh, k.en))
		}
	}
	if regionCol < 0 || yearCol < 0 || quarterCol < 0 {
		return nil, errs
	}

	type key struct {
		region, year, quarter int
		code                  string
	}
	seen := map[key]string{}
	unnamed := map[int]bool{} // columns without header already reported
	for r := 1; r < len(t.Rows); r++ {
		var filled []int
		for c, v := range t.Rows[r] {
			switch {
			case v == "" || c == regionCol || c == yearCol || c == quarterCol:
			case codes[c] != "":
				filled = append(filled, c)
			case !named[c] && !unnamed[c]:
				unnamed[c] = true
				errs = append(errs, cellErr(CellRef(r, c), "本列没有表头（指标代码），其中的数值无法导入", "this column has no header (indicator code), so its values cannot be imported"))
			}
		}
		if len(filled) == 0 {
			continue
		}
		region, e1 := parseRegion(CellRef(r, regionCol), t.Cell(r, regionCol))
		year, e2 := parseYear(CellRef(r, yearCol), t.Cell(r, yearCol))
		quarter, e3 := parseQuarter(CellRef(r, quarterCol), t.Cell(r, quarterCol))
		bad := false
		for _, e := range []*CellError{e1, e2, e3} {
			if e != nil {
				errs, bad = append(errs, *e), true
			}
		}
		if bad {
			continue
		}
		for _, c := range filled {
			ref, k := CellRef(r, c), key{region, year, quarter, codes[c]}
			if first, dup := seen[k]; dup {
				errs = append(errs, cellErr(ref, "同一地区、时期、指标的数值重复（已在 %s）", "a second value for the same region, period and indicator (first in %s)", first))
				continue
			}
			seen[k] = ref
			entries = append(entries, BackfillEntry{Ref: ref, Region: region, Year: year, Quarter: quarter, Code: codes[c], Text: t.Rows[r][c]})
		}
	}
	return entries, errs
}

func oneOf(h string, names []string) bool {
	for _, n := range names {
		if strings.EqualFold(h, n) {
			return true
		}
	}
	return false
}

func setOnce(dst *int, c int, h string, errs []CellError) []CellError {
	if *dst >= 0 {
		return append(errs, cellErr(CellRef(0, c), "表头 %q 重复（已在 %s）", "header %q appears twice (first in %s)", h, CellRef(0, *dst)))
	}
	*dst = c
	return errs
}

// WriteBackfillTemplate writes an empty backfill sheet: one row per region
// for the given period, one column per indicator code.
func WriteBackfillTemplate(w io.Writer, codes []string, regions []RegionName, year, quarter int) error {
	if err := (kpi.Period{Year: year, Quarter: quarter}).Validate(); err != nil {
		return err
	}
	seen := map[string]bool{}
	for _, c := range codes {
		if !indicatorCode.MatchString(c) || seen[c] {
			return kpi.Invalid("codes", "指标代码 %q 无效或重复", "indicator code %q is invalid or repeated", c)
		}
		seen[c] = true
	}
	for _, r := range regions {
		if r.Code < 100000 || r.Code > 999999 {
			return kpi.Invalid("regions", "地区代码 %d 不是六位数字", "region code %d is not six digits", r.Code)
		}
	}
	const sheetName = "补录"
	b, err := newBook(sheetName)
	if err != nil {
		return err
	}
	defer b.Close()
	x, st, must := b.File, b.styles, b.must
	headers := append([]string{backfillRegion[0], backfillName[0], backfillYear[0], backfillQuarter[0]}, codes...)
	lastCol := len(headers) - 1
	for c, h := range headers {
		must(x.SetCellStr(sheetName, CellRef(0, c), h))
	}
	must(x.SetCellStyle(sheetName, "A1", CellRef(0, lastCol), st.header))
	for i, r := range regions {
		row := i + 1
		must(x.SetCellStr(sheetName, CellRef(row, 0), fmt.Sprintf("%06d", r.Code)))
		must(x.SetCellStr(sheetName, CellRef(row, 1), r.Name))
		must(x.SetCellInt(sheetName, CellRef(row, 2), int64(year)))
		must(x.SetCellInt(sheetName, CellRef(row, 3), int64(quarter)))
		must(x.SetCellStyle(sheetName, CellRef(row, 0), CellRef(row, 3), st.code))
		if lastCol > 3 {
			must(x.SetCellStyle(sheetName, CellRef(row, 4), CellRef(row, lastCol), st.input))
		}
	}
	must(x.SetColWidth(sheetName, "A", "A", 12))
	must(x.SetColWidth(sheetName, "B", "B", 20))
	must(x.SetColWidth(sheetName, "C", "D", 8))
	if lastCol > 3 {
		must(x.SetColWidth(sheetName, columnName(4), columnName(lastCol), 16))
	}
	must(x.SetPanes(sheetName, &excelize.Panes{Freeze: true, XSplit: 2, YSplit: 1, TopLeftCell: "C2", ActivePane: "bottomRight"}))
	return b.write(w)
}
