// Package db embeds the reference data and schema migrations that ship with
// govkpi, so the binary needs no files beside it. The SQLite database itself
// (govkpi.db by default) also lives in this directory but is not embedded.
package db

import "embed"

// Files holds the indicator catalogue, the division list, the migrations and
// the five seed reports the demo loads as documents (reports/).
//
//go:embed indicators.yaml regions.csv migrations/*.sql reports/*.txt
var Files embed.FS
