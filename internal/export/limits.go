package export

import "github.com/govkpi/govkpi/internal/kpi"

// Limits on what one export may hold. Exports are built from requests, so a
// request must not be able to make the server build a workbook of any size.
const (
	MaxTables = 200
	MaxRows   = 100_000 // data rows, all tables together
	// MaxColumns is per table: a comparison is read across, and 256 is
	// already more than a screen. The stream writer's cost grows with the
	// square of a sheet's columns, so Excel's own 16,384 is no limit here.
	MaxColumns = 256
	// MaxCells bounds rows × columns, all tables together: 100,000 rows of
	// 20 columns, but not 100,000 rows of 256.
	MaxCells = 2_000_000
)

func checkLimits(tables []Table) error {
	if len(tables) > MaxTables {
		return kpi.Invalid("tables", "一次最多导出 %d 张表，本次请求 %d 张，请缩小范围", "an export holds at most %d tables, not %d: narrow the selection", MaxTables, len(tables))
	}
	rows, cells := 0, 0
	for _, t := range tables {
		n := t.columns()
		if n > MaxColumns {
			return kpi.Invalid("columns", "表 %q 有 %d 列，一张表最多 %d 列", "table %q has %d columns: a table has at most %d", t.Name, n, MaxColumns)
		}
		rows += len(t.Rows)
		cells += len(t.Rows) * n
		if rows > MaxRows {
			return kpi.Invalid("rows", "一次最多导出 %d 行数据，请缩小范围", "an export holds at most %d rows: narrow the selection", MaxRows)
		}
		if cells > MaxCells {
			return kpi.Invalid("cells", "一次最多导出 %d 个数据单元格，请减少行或列", "an export holds at most %d cells: choose fewer rows or columns", MaxCells)
		}
	}
	return nil
}
