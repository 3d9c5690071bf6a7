// Package sheet reads uploaded spreadsheets — .xlsx workbooks and CSV files
// — into plain text tables, and writes and parses govkpi's department
// template and the administrators' backfill sheet.
//
// It extracts text with its cell positions and nothing more: turning "１，２３４"
// into 1234 is kpi.ParseNumber's job, and checking it against the indicator
// is the caller's, so a typed cell and an uploaded one follow the same rules.
//
// Uploads are untrusted. Every limit (bytes, rows, columns, unzipped size)
// is checked while reading, before anything large is allocated, and every
// refusal is a *kpi.Error (kpi.EINVALID) that names the file and, where it
// can, the cell.
package sheet
