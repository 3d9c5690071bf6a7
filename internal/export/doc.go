// Package export turns the comparison and scorecard tables the dashboard
// shows into files to download: .xlsx workbooks (one sheet per table, then
// a sheet of definitions and data sources) and CSV.
//
// Exports are built from requests and opened by people in Excel, so every
// text cell is neutralised against formula injection (SafeText), numbers
// stay numbers with their display format, missing values stay empty rather
// than zero, and a workbook's size is capped (MaxTables, MaxRows).
package export
