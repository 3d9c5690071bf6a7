package store

import (
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// Reading a year of stored values row by row costs a crossing into Go per
// quarter. The aggregate and rollup queries instead group each region's
// year in the database and put its quarters side by side, in columns
// quarterColumns makes, and scan them into any: a quarter of the rows, and
// no reflection per column.

// quarterColumns is five columns, the value of quarters 0 (the whole-year
// figure) to 4 or NULL, among the rows that also meet cond (SQL, may be
// empty), for a query grouped by region and year.
func quarterColumns(cond string) string {
	var sb strings.Builder
	for q := range 5 {
		if cond != "" {
			fmt.Fprintf(&sb, ", MAX(CASE WHEN quarter = %d AND %s THEN value END)", q, cond)
		} else {
			fmt.Fprintf(&sb, ", MAX(CASE WHEN quarter = %d THEN value END)", q)
		}
	}
	return sb.String()
}

// pivotRow scans the rows of such a query: an indicator id, a packed cell
// and value columns, each a number or NULL.
type pivotRow struct {
	id, cell any
	vals     []any
	dest     []any
}

func newPivotRow(values int) *pivotRow {
	r := &pivotRow{vals: make([]any, values)}
	r.dest = []any{&r.id, &r.cell}
	for i := range r.vals {
		r.dest = append(r.dest, &r.vals[i])
	}
	return r
}

// scan reads the current row and returns its indicator and cell.
func (r *pivotRow) scan(rows *sql.Rows) (id, cell int64, err error) {
	clear(r.vals)
	if err := rows.Scan(r.dest...); err != nil {
		return 0, 0, err
	}
	if id, err = asInt(r.id); err != nil {
		return 0, 0, err
	}
	cell, err = asInt(r.cell)
	return id, cell, err
}

// each calls fn with the index and value of every value column that is
// not NULL.
func (r *pivotRow) each(fn func(col int, v float64)) error {
	for i, v := range r.vals {
		if v == nil {
			continue
		}
		f, err := asFloat(v)
		if err != nil {
			return err
		}
		fn(i, f)
	}
	return nil
}

// asInt reads an integer column scanned into an any: the drivers hand
// over int64, or the text of the number.
func asInt(v any) (int64, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case []byte:
		return strconv.ParseInt(string(x), 10, 64)
	case string:
		return strconv.ParseInt(x, 10, 64)
	}
	return 0, fmt.Errorf("store: integer column holds %T", v)
}

// asFloat reads a numeric column scanned into an any.
func asFloat(v any) (float64, error) {
	switch x := v.(type) {
	case float64:
		return x, nil
	case int64:
		return float64(x), nil
	case []byte:
		return strconv.ParseFloat(string(x), 64)
	case string:
		return strconv.ParseFloat(x, 64)
	}
	return 0, fmt.Errorf("store: numeric column holds %T", v)
}
