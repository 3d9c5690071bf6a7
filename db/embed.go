// Package db embeds the reference data and schema migrations that ship with
// govkpi, so the binary needs no files beside it. The SQLite database itself
// (govkpi.db by default) also lives in this directory but is not embedded.
package db

import "embed"

// Files holds the indicator catalogue, the division list and the migrations.
//
//go:embed indicators.yaml regions.csv migrations/*.sql
var Files embed.FS
