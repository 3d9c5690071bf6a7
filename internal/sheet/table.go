package sheet

import "strconv"

// Limits bound what Read accepts. A zero field means the DefaultLimits
// value; rows and columns are capped at Excel's own maximums.
type Limits struct {
	MaxBytes    int64 // the upload itself
	MaxRows     int   // rows of the sheet, counting blank rows before the last filled one
	MaxCols     int   // cells of one row, counting blank cells before the last filled one (in CSV, every cell)
	MaxUnzipped int64 // an .xlsx's entries, uncompressed, summed
}

// DefaultLimits fit the largest real upload — every region of a province
// times every indicator — with room to spare, and keep a hostile one to a
// few tens of megabytes of memory.
var DefaultLimits = Limits{MaxBytes: 5 << 20, MaxRows: 5000, MaxCols: 300, MaxUnzipped: 50 << 20}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 || l.MaxBytes > 1<<40 {
		l.MaxBytes = DefaultLimits.MaxBytes
	}
	if l.MaxRows <= 0 {
		l.MaxRows = DefaultLimits.MaxRows
	}
	l.MaxRows = min(l.MaxRows, 1<<20) // Excel's own maximum
	if l.MaxCols <= 0 {
		l.MaxCols = DefaultLimits.MaxCols
	}
	l.MaxCols = min(l.MaxCols, 1<<14)
	if l.MaxUnzipped <= 0 {
		l.MaxUnzipped = DefaultLimits.MaxUnzipped
	}
	return l
}

// Table is a sheet as text. Rows[0] is the sheet's first row, so Rows[r][c]
// is cell CellRef(r, c) whatever blank rows lie in between. Cells are
// trimmed of spaces; rows are ragged (trailing blank cells dropped, a blank
// row is empty) and trailing blank rows are dropped.
type Table struct {
	Sheet string // the worksheet's name; empty for CSV
	Rows  [][]string
}

// Cell returns the text at row, col (0-based), "" outside the table.
func (t Table) Cell(row, col int) string {
	if row < 0 || row >= len(t.Rows) || col < 0 || col >= len(t.Rows[row]) {
		return ""
	}
	return t.Rows[row][col]
}

// CellRef gives the Excel reference of a 0-based row and column: (0, 0) is
// "A1", (9, 27) is "AB10". Negative positions have no reference: "".
func CellRef(row, col int) string {
	if row < 0 || col < 0 {
		return ""
	}
	return columnName(col) + strconv.Itoa(row+1)
}

// columnName is bijective base 26: A…Z, AA…AZ, BA…, ZZ, AAA…
func columnName(col int) string {
	var b []byte
	for n := col + 1; n > 0; n = (n - 1) / 26 {
		b = append(b, byte('A'+(n-1)%26))
	}
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}
