package export

import "github.com/govkpi/govkpi/internal/kpi"

// Limits on what one export may hold. Exports are built from requests, so a
// request must not be able to make the server build a workbook of any size.
const (
	MaxTables  = 200
	MaxRows    = 100_000 // data rows, all tables together
	MaxColumns = 16_384  // Excel's own limit (column XFD)
)

func checkLimits(tables []Table) error {
	if len(tables) > MaxTables {
		return kpi.Invalid("tables", "一次最多导出 %d 张表，本次请求 %d 张，请缩小范围", "an export holds at most %d tables, not %d: narrow the selection", MaxTables, len(tables))
	}
	rows := 0
	for _, t := range tables {
		rows += len(t.Rows)
		if rows > MaxRows {
			return kpi.Invalid("rows", "一次最多导出 %d 行数据，请缩小范围", "an export holds at most %d rows: narrow the selection", MaxRows)
		}
		if n := t.columns(); n > MaxColumns {
			return kpi.Invalid("columns", "表 %q 有 %d 列，超过 Excel 的上限 %d 列", "table %q has %d columns, more than Excel's %d", t.Name, n, MaxColumns)
		}
	}
	return nil
}
