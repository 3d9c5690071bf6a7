package store

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/govkpi/govkpi/internal/kpi"
)

// A dump is a portable copy of every table, for moving a database from one
// engine to another (SQLite → PostgreSQL and back). It is one gzip'd file
// of JSON lines:
//
//	{"govkpi_dump":1,"schema":2,"engine":"sqlite","created_at":"…"}
//	{"table":"regions","columns":[…],"kinds":["int","text",…]}
//	[330000,"浙江省",1,null,90]                 one line per row, in key order
//	…
//	{"end":"regions","rows":3224,"sha256":"…","next_id":0}
//	… every table, parents before children …
//	{"end_dump":true,"tables":15,"sha256":"…"}
//
// Each table's checksum is the SHA-256 of its rows in a canonical form,
// sorted by primary key: integers in decimal, floats in the shortest form
// that reads back to the same float64, times in UTC to the microsecond (the
// finest that PostgreSQL and MySQL keep), text as JSON strings. The same
// rows give the same checksum on every engine, so an import that recomputes
// it from the database it wrote proves that nothing was lost or changed.
// Rows keep their ids, so value_history.value_id still points at its value,
// and each table's next id is carried over, so no id is ever handed out
// twice.

const dumpFormat = 1

// dumpTables lists every table of the schema, parents before children
// (foreign keys), with its primary key. schema_migrations is not dumped:
// the dump records the schema version instead, and the target must be at
// the same version. A table added by a migration must be added here:
// Export refuses a database that has a table it does not know.
var dumpTables = []struct {
	name string
	key  []string
}{
	{"regions", []string{"code"}},
	{"region_leaves", []string{"ancestor_code", "leaf_code"}},
	{"indicators", []string{"id"}},
	{"meta", []string{"name"}},
	{"departments", []string{"id"}},
	{"users", []string{"id"}},
	{"sessions", []string{"id_hash"}},
	{"api_tokens", []string{"hash"}},
	{"login_failures", []string{"id"}},
	{"kpi_values", []string{"id"}},
	{"value_history", []string{"id"}},
	{"targets", []string{"id"}},
	{"reopens", []string{"id"}},
	{"uploads", []string{"id"}},
	{"audit_log", []string{"id"}},
	{"value_generations", []string{"indicator_id"}},
	{"documents", []string{"id"}},
	{"document_figures", []string{"id"}},
	{"indicator_aliases", []string{"id"}},
	{"region_rollups", []string{"indicator_id", "approved_only", "region_code", "year"}},
}

// referenceTables are what "govkpi migrate" loads by itself: an import may
// replace them, as long as every other table is empty.
var referenceTables = []string{"region_leaves", "indicators", "regions", "meta"}

// DumpTable is one table's row count and checksum.
type DumpTable struct {
	Name   string
	Rows   int64
	SHA256 string
	NextID int64 // the id the table's sequence hands out next; 0 for tables without one
}

// DumpSummary describes a dump: what Export wrote, what Import read and
// verified.
type DumpSummary struct {
	Schema int
	Engine string // the engine the dump was made from
	Tables []DumpTable
	SHA256 string // over every table's name, count and checksum
}

// Rows is the number of rows in all tables.
func (d DumpSummary) Rows() int64 {
	var n int64
	for _, t := range d.Tables {
		n += t.Rows
	}
	return n
}

func (d *DumpSummary) seal() {
	h := sha256.New()
	for _, t := range d.Tables {
		fmt.Fprintf(h, "%s %d %s\n", t.Name, t.Rows, t.SHA256)
	}
	d.SHA256 = hex.EncodeToString(h.Sum(nil))
}

type colKind string

const (
	kindInt   colKind = "int"
	kindFloat colKind = "float"
	kindTime  colKind = "time"
	kindText  colKind = "text"
)

// kindOf classifies a column by the type the database reports for it
// (SQLite's declared type, PostgreSQL's and MySQL's type names).
func kindOf(dbType string) colKind {
	t := strings.ToUpper(dbType)
	switch {
	case strings.Contains(t, "INT"):
		return kindInt
	case strings.Contains(t, "REAL"), strings.Contains(t, "DOUBLE"), strings.Contains(t, "FLOAT"), strings.Contains(t, "NUMERIC"), strings.Contains(t, "DECIMAL"):
		return kindFloat
	case strings.Contains(t, "TIME"), strings.Contains(t, "DATE"):
		return kindTime
	}
	return kindText
}

// querier is a connection, a transaction or a pool.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// snapshot runs fn on a read transaction that sees one consistent state of
// the whole database while writers carry on.
func (s *Store) snapshot(ctx context.Context, fn func(q querier) error) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	if s.engine == SQLite {
		// The pool begins every transaction IMMEDIATE (it takes the write
		// lock); a read snapshot must not, or the server's writers would
		// wait for the whole export.
		conn, err := sqlDB.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "BEGIN DEFERRED"); err != nil {
			return err
		}
		defer conn.ExecContext(context.Background(), "ROLLBACK")
		return fn(conn)
	}
	tx, err := sqlDB.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}

// Export writes a dump of the whole database to w and returns its summary.
func (s *Store) Export(ctx context.Context, w io.Writer) (DumpSummary, error) {
	sum := DumpSummary{Engine: s.engine}
	gz, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
	bw := bufio.NewWriterSize(gz, 1<<16)
	err := s.snapshot(ctx, func(q querier) error {
		if err := s.checkKnownTables(ctx, q); err != nil {
			return err
		}
		var err error
		if sum.Schema, err = schemaVersion(ctx, q); err != nil {
			return err
		}
		if err := writeJSONLine(bw, map[string]any{"govkpi_dump": dumpFormat, "schema": sum.Schema, "engine": s.engine,
			"created_at": s.now().Format(time.RFC3339)}); err != nil {
			return err
		}
		for _, t := range dumpTables {
			dt, err := s.scanTable(ctx, q, t.name, t.key, bw)
			if err != nil {
				return fmt.Errorf("table %s: %w", t.name, err)
			}
			sum.Tables = append(sum.Tables, dt)
		}
		return nil
	})
	if err != nil {
		return DumpSummary{}, s.wrap(err)
	}
	sum.seal()
	if err := writeJSONLine(bw, map[string]any{"end_dump": true, "tables": len(sum.Tables), "sha256": sum.SHA256}); err != nil {
		return DumpSummary{}, fileError("dump", err)
	}
	if err := bw.Flush(); err != nil {
		return DumpSummary{}, fileError("dump", err)
	}
	if err := gz.Close(); err != nil {
		return DumpSummary{}, fileError("dump", err)
	}
	return sum, nil
}

// Checksums computes every table's count and checksum as Export would,
// without writing a dump.
func (s *Store) Checksums(ctx context.Context) (DumpSummary, error) {
	sum := DumpSummary{Engine: s.engine}
	err := s.snapshot(ctx, func(q querier) error {
		var err error
		sum, err = s.checksums(ctx, q)
		return err
	})
	return sum, s.wrap(err)
}

func (s *Store) checksums(ctx context.Context, q querier) (DumpSummary, error) {
	sum := DumpSummary{Engine: s.engine}
	var err error
	if sum.Schema, err = schemaVersion(ctx, q); err != nil {
		return sum, err
	}
	for _, t := range dumpTables {
		dt, err := s.scanTable(ctx, q, t.name, t.key, nil)
		if err != nil {
			return sum, fmt.Errorf("table %s: %w", t.name, err)
		}
		sum.Tables = append(sum.Tables, dt)
	}
	sum.seal()
	return sum, nil
}

func schemaVersion(ctx context.Context, q querier) (int, error) {
	var v int
	err := q.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&v)
	return v, err
}

// checkKnownTables refuses a database with a table the dump would miss.
func (s *Store) checkKnownTables(ctx context.Context, q querier) error {
	query := `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	switch s.engine {
	case SQLite:
		query = `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	case MySQL:
		query = `SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'`
	}
	names, err := queryStrings(ctx, q, query)
	if err != nil {
		return err
	}
	known := map[string]bool{"schema_migrations": true}
	for _, t := range dumpTables {
		known[t.name] = true
	}
	for _, n := range names {
		if !known[strings.ToLower(n)] {
			return kpi.Invalid("db", "数据库中有本版本 govkpi 不认识的表 %s，导出会遗漏它；请用与数据库同一版本的 govkpi 导出",
				"the database has a table this govkpi does not know, %s, which the dump would leave behind; export with the govkpi version that made the database", n)
		}
	}
	return nil
}

func queryStrings(ctx context.Context, q querier, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// scanTable reads a table in key order, computes its checksum and, when
// out is not nil, writes its section of the dump.
func (s *Store) scanTable(ctx context.Context, q querier, table string, key []string, out *bufio.Writer) (DumpTable, error) {
	dt := DumpTable{Name: table}
	rows, err := q.QueryContext(ctx, `SELECT * FROM `+table+` ORDER BY `+strings.Join(key, ", "))
	if err != nil {
		return dt, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return dt, err
	}
	types, err := rows.ColumnTypes()
	if err != nil {
		return dt, err
	}
	kinds := make([]colKind, len(cols))
	for i, c := range types {
		kinds[i] = kindOf(c.DatabaseTypeName())
		cols[i] = strings.ToLower(cols[i])
	}
	keyIdx := make([]int, len(key))
	textKey := false
	for i, k := range key {
		keyIdx[i] = slices.Index(cols, k)
		if keyIdx[i] < 0 {
			return dt, fmt.Errorf("no key column %s", k)
		}
		textKey = textKey || kinds[keyIdx[i]] == kindText
	}
	if out != nil {
		if err := writeJSONLine(out, map[string]any{"table": table, "columns": cols, "kinds": kinds}); err != nil {
			return dt, err
		}
	}
	// Text keys sort differently under each engine's collation: those
	// tables (meta, sessions, tokens — small) are sorted here, bytewise.
	type line struct{ key, canon, dump []byte }
	var held []line
	h := sha256.New()
	idCol := slices.Index(cols, "id")
	var maxID int64
	raw := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	vals := make([]any, len(cols))
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return dt, err
		}
		for i := range raw {
			if vals[i], err = normalise(kinds[i], raw[i]); err != nil {
				return dt, fmt.Errorf("column %s: %w", cols[i], err)
			}
		}
		if idCol >= 0 && vals[idCol] != nil {
			maxID = max(maxID, vals[idCol].(int64))
		}
		canon := encodeRow(nil, vals, true)
		var dump []byte
		if out != nil {
			dump = encodeRow(nil, vals, false)
		}
		dt.Rows++
		if textKey {
			var k []byte
			for _, i := range keyIdx {
				k = append(encodeRow(k, vals[i:i+1], true), 0)
			}
			held = append(held, line{k, canon, dump})
			continue
		}
		h.Write(canon)
		if out != nil {
			if _, err := out.Write(dump); err != nil {
				return dt, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return dt, err
	}
	rows.Close()
	sort.Slice(held, func(i, j int) bool { return bytes.Compare(held[i].key, held[j].key) < 0 })
	for _, l := range held {
		h.Write(l.canon)
		if out != nil {
			if _, err := out.Write(l.dump); err != nil {
				return dt, err
			}
		}
	}
	dt.SHA256 = hex.EncodeToString(h.Sum(nil))
	if idCol >= 0 {
		if dt.NextID, err = s.nextID(ctx, q, table); err != nil {
			return dt, fmt.Errorf("sequence: %w", err)
		}
		dt.NextID = max(dt.NextID, maxID+1)
	}
	if out != nil {
		return dt, writeJSONLine(out, map[string]any{"end": table, "rows": dt.Rows, "sha256": dt.SHA256, "next_id": dt.NextID})
	}
	return dt, nil
}

// nextID is the id the table's sequence would hand out next (at least 1).
func (s *Store) nextID(ctx context.Context, q querier, table string) (int64, error) {
	var next sql.NullInt64
	var err error
	switch s.engine {
	case SQLite:
		err = q.QueryRowContext(ctx, `SELECT MAX(seq) + 1 FROM sqlite_sequence WHERE name = ?`, table).Scan(&next)
	case Postgres:
		var seq sql.NullString
		if err = q.QueryRowContext(ctx, `SELECT pg_get_serial_sequence($1, 'id')`, table).Scan(&seq); err != nil || !seq.Valid {
			return 1, err
		}
		err = q.QueryRowContext(ctx, `SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM `+seq.String).Scan(&next)
	case MySQL:
		err = q.QueryRowContext(ctx, `SELECT AUTO_INCREMENT FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?`, table).Scan(&next)
	}
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return max(next.Int64, 1), err
}

// sqliteTimes are the layouts a SQLite DATETIME column may hold as text.
var sqliteTimes = []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02T15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", time.RFC3339Nano}

// normalise turns what a driver returns into nil, int64, float64,
// time.Time (UTC) or string, according to the column's kind.
func normalise(k colKind, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if b, ok := v.([]byte); ok {
		v = string(b)
	}
	switch k {
	case kindInt:
		switch x := v.(type) {
		case int64:
			return x, nil
		case int32:
			return int64(x), nil
		case int16:
			return int64(x), nil
		case int:
			return int64(x), nil
		case float64:
			if x == math.Trunc(x) {
				return int64(x), nil
			}
		case bool:
			if x {
				return int64(1), nil
			}
			return int64(0), nil
		case string:
			return strconv.ParseInt(x, 10, 64)
		}
	case kindFloat:
		switch x := v.(type) {
		case float64:
			return x, nil
		case float32:
			return float64(x), nil
		case int64:
			return float64(x), nil
		case string:
			return strconv.ParseFloat(x, 64)
		}
	case kindTime:
		switch x := v.(type) {
		case time.Time:
			return x.UTC(), nil
		case string:
			for _, layout := range sqliteTimes {
				if t, err := time.Parse(layout, x); err == nil {
					return t.UTC(), nil
				}
			}
		}
	case kindText:
		switch x := v.(type) {
		case string:
			return x, nil
		case int64:
			return strconv.FormatInt(x, 10), nil
		case float64:
			return strconv.FormatFloat(x, 'g', -1, 64), nil
		case time.Time:
			return x.UTC().Format(time.RFC3339Nano), nil
		}
	}
	return nil, fmt.Errorf("cannot read %T %v as %s", v, v, k)
}

// encodeRow appends a row as a JSON array and a newline. canonical cuts
// times to the microsecond for the checksum; the dump keeps them whole.
func encodeRow(b []byte, vals []any, canonical bool) []byte {
	b = append(b, '[')
	for i, v := range vals {
		if i > 0 {
			b = append(b, ',')
		}
		switch x := v.(type) {
		case nil:
			b = append(b, "null"...)
		case int64:
			b = strconv.AppendInt(b, x, 10)
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				b = strconv.AppendQuote(b, strconv.FormatFloat(x, 'g', -1, 64)) // not valid JSON as a number
				continue
			}
			b = strconv.AppendFloat(b, x, 'g', -1, 64)
		case time.Time:
			if canonical {
				b = strconv.AppendQuote(b, x.Truncate(time.Microsecond).Format("2006-01-02T15:04:05.000000Z"))
			} else {
				b = strconv.AppendQuote(b, x.Format(time.RFC3339Nano))
			}
		case string:
			enc, _ := json.Marshal(x)
			b = append(b, enc...)
		}
	}
	return append(b, ']', '\n')
}

func writeJSONLine(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// Import loads a dump into this database, which must be migrated to the
// dump's schema version and empty (apart from the reference data that
// migrate loads, which the dump replaces). It runs in one transaction:
// after the last row it recomputes every table's checksum from what it
// wrote and commits only if each matches the dump's, so a failed import
// leaves the database as it was.
func (s *Store) Import(ctx context.Context, r io.Reader) (DumpSummary, error) {
	in, err := newDumpReader(r)
	if err != nil {
		return DumpSummary{}, err
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return DumpSummary{}, s.wrap(err)
	}
	var want DumpSummary
	err = func() error {
		tx, err := sqlDB.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		if want, err = s.importInto(ctx, tx, in); err != nil {
			return err
		}
		got, err := s.checksums(ctx, tx)
		if err != nil {
			return err
		}
		for i, w := range want.Tables {
			g := got.Tables[i]
			if g.Rows != w.Rows || g.SHA256 != w.SHA256 {
				return kpi.Invalid("file", "导入后 %s 的校验和不符（导出 %d 行 %s，导入后 %d 行 %s），已全部回滚",
					"after import, %s does not match the dump (dumped %d rows %s, imported %d rows %s); everything was rolled back",
					w.Name, w.Rows, short(w.SHA256), g.Rows, short(g.SHA256))
			}
		}
		if s.engine != MySQL {
			if err := s.setSequences(ctx, tx, want.Tables); err != nil {
				return err
			}
		}
		return tx.Commit()
	}()
	if err != nil {
		return DumpSummary{}, s.wrap(err)
	}
	if s.engine == MySQL { // ALTER TABLE would commit the transaction: after it, then
		if err := s.setSequences(ctx, sqlDB, want.Tables); err != nil {
			return DumpSummary{}, s.wrap(err)
		}
	}
	return want, nil
}

func (s *Store) importInto(ctx context.Context, tx *sql.Tx, in *dumpReader) (DumpSummary, error) {
	var head struct {
		Format *int   `json:"govkpi_dump"`
		Schema int    `json:"schema"`
		Engine string `json:"engine"`
	}
	if err := in.next(&head); err != nil || head.Format == nil {
		return DumpSummary{}, badDump("no govkpi_dump header")
	}
	if *head.Format != dumpFormat {
		return DumpSummary{}, badDump(fmt.Sprintf("format %d, this version reads %d", *head.Format, dumpFormat))
	}
	schema, err := schemaVersion(ctx, tx)
	if err != nil {
		return DumpSummary{}, err
	}
	if schema != head.Schema {
		return DumpSummary{}, kpi.Invalid("file", "导出文件的数据库结构是第 %d 版，目标数据库是第 %d 版；请用同一版本的 govkpi 导出和导入",
			"the dump has schema version %d, the target database %d; export and import with the same govkpi version", head.Schema, schema)
	}
	if err := s.emptyTarget(ctx, tx); err != nil {
		return DumpSummary{}, err
	}
	sum := DumpSummary{Schema: head.Schema, Engine: head.Engine}
	for _, t := range dumpTables {
		dt, err := s.importTable(ctx, tx, in, t.name)
		if err != nil {
			return sum, err
		}
		sum.Tables = append(sum.Tables, dt)
	}
	var foot struct {
		End    bool   `json:"end_dump"`
		SHA256 string `json:"sha256"`
	}
	if err := in.next(&foot); err != nil || !foot.End {
		return sum, badDump("the file is incomplete (no end_dump line)")
	}
	sum.seal()
	if sum.SHA256 != foot.SHA256 {
		return sum, badDump("the overall checksum does not match its tables'")
	}
	return sum, nil
}

// emptyTarget refuses a database that holds data of its own; reference
// data that migrate loaded is removed, as the dump brings its own.
func (s *Store) emptyTarget(ctx context.Context, tx *sql.Tx) error {
	var busy []string
	for _, t := range dumpTables {
		if slices.Contains(referenceTables, t.name) {
			continue
		}
		var n int64
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t.name).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			busy = append(busy, fmt.Sprintf("%s %d", t.name, n))
		}
	}
	if len(busy) > 0 {
		return kpi.Errorf(kpi.ECONFLICT, "目标数据库不是空的（%s），不导入；请导入到新建的数据库",
			"the target database is not empty (%s); nothing imported — import into a new database", strings.Join(busy, ", "))
	}
	for _, t := range referenceTables {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
			return err
		}
	}
	return nil
}

func short(sum string) string { return sum[:min(len(sum), 12)] }

func badDump(why string) error {
	return kpi.Invalid("file", "导出文件无效：%s", "not a valid govkpi dump: %s", why)
}

// importTable inserts one table's section in multi-row INSERTs.
func (s *Store) importTable(ctx context.Context, tx *sql.Tx, in *dumpReader, table string) (DumpTable, error) {
	var head struct {
		Table   string    `json:"table"`
		Columns []string  `json:"columns"`
		Kinds   []colKind `json:"kinds"`
	}
	if err := in.next(&head); err != nil || head.Table != table || len(head.Kinds) != len(head.Columns) {
		return DumpTable{}, badDump(fmt.Sprintf("expected table %s", table))
	}
	target, err := columnsOf(ctx, tx, table)
	if err != nil {
		return DumpTable{}, err
	}
	if !slices.Equal(target, head.Columns) {
		return DumpTable{}, kpi.Invalid("file", "表 %s 的列不同：导出文件 %v，目标 %v", "table %s has other columns: dump %v, target %v",
			table, head.Columns, target)
	}
	ins := newInserter(s.engine, tx, table, head.Columns)
	dt := DumpTable{Name: table}
	var held [][]any // regions: parents must go in before their children
	levelCol := slices.Index(head.Columns, "level")
	for {
		line, err := in.line()
		if err != nil {
			return dt, badDump(fmt.Sprintf("table %s: %v", table, err))
		}
		if line[0] == '{' {
			var foot struct {
				End    string `json:"end"`
				Rows   int64  `json:"rows"`
				SHA256 string `json:"sha256"`
				NextID int64  `json:"next_id"`
			}
			if err := json.Unmarshal(line, &foot); err != nil || foot.End != table {
				return dt, badDump(fmt.Sprintf("table %s: bad end line", table))
			}
			if foot.Rows != dt.Rows {
				return dt, badDump(fmt.Sprintf("table %s: %d rows read, the dump says %d", table, dt.Rows, foot.Rows))
			}
			dt.SHA256, dt.NextID = foot.SHA256, foot.NextID
			break
		}
		vals, err := decodeRow(line, head.Kinds)
		if err != nil {
			return dt, badDump(fmt.Sprintf("table %s row %d: %v", table, dt.Rows+1, err))
		}
		if s.engine != SQLite { // PostgreSQL and MySQL keep microseconds and would round the rest
			for i, v := range vals {
				if t, ok := v.(time.Time); ok {
					vals[i] = t.Truncate(time.Microsecond)
				}
			}
		}
		dt.Rows++
		if table == "regions" && levelCol >= 0 {
			held = append(held, vals)
			continue
		}
		if err := ins.add(ctx, vals); err != nil {
			return dt, fmt.Errorf("table %s: %w", table, err)
		}
	}
	sort.SliceStable(held, func(i, j int) bool { return held[i][levelCol].(int64) < held[j][levelCol].(int64) })
	for _, vals := range held {
		if err := ins.add(ctx, vals); err != nil {
			return dt, fmt.Errorf("table %s: %w", table, err)
		}
	}
	return dt, ins.flush(ctx)
}

func columnsOf(ctx context.Context, q querier, table string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT * FROM `+table+` WHERE 1 = 0`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	for i := range cols {
		cols[i] = strings.ToLower(cols[i])
	}
	return cols, err
}

// decodeRow reads one row line: a JSON array of nulls, numbers and
// strings (what encodeRow writes). It scans the array itself rather than
// through encoding/json, which was a third of an import's time.
func decodeRow(line []byte, kinds []colKind) ([]any, error) {
	if len(line) < 2 || line[0] != '[' || line[len(line)-1] != ']' {
		return nil, errors.New("not a JSON array")
	}
	vals := make([]any, 0, len(kinds))
	rest := line[1 : len(line)-1]
	for i := 0; len(rest) > 0 || i == 0 && len(kinds) > 0; i++ {
		if i >= len(kinds) {
			return nil, fmt.Errorf("more than %d values", len(kinds))
		}
		var tok []byte
		if len(rest) > 0 && rest[0] == '"' {
			end, escaped := 1, false
			for ; end < len(rest) && rest[end] != '"'; end++ {
				if rest[end] == '\\' {
					escaped = true
					end++
				}
			}
			if end >= len(rest) {
				return nil, errors.New("unterminated string")
			}
			tok, rest = rest[:end+1], rest[end+1:]
			var str string
			if escaped {
				if err := json.Unmarshal(tok, &str); err != nil {
					return nil, err
				}
			} else {
				str = string(tok[1 : len(tok)-1])
			}
			v, err := fromString(kinds[i], str)
			if err != nil {
				return nil, err
			}
			vals = append(vals, v)
		} else {
			end := bytes.IndexByte(rest, ',')
			if end < 0 {
				end = len(rest)
			}
			tok, rest = rest[:end], rest[end:]
			v, err := fromNumber(kinds[i], string(tok))
			if err != nil {
				return nil, err
			}
			vals = append(vals, v)
		}
		if len(rest) > 0 {
			if rest[0] != ',' || len(rest) == 1 {
				return nil, errors.New("expected a comma between values")
			}
			rest = rest[1:]
		}
	}
	if len(vals) != len(kinds) {
		return nil, fmt.Errorf("%d values, want %d", len(vals), len(kinds))
	}
	return vals, nil
}

func fromNumber(k colKind, tok string) (any, error) {
	switch {
	case tok == "null":
		return nil, nil
	case k == kindInt:
		return strconv.ParseInt(tok, 10, 64)
	case k == kindFloat:
		return strconv.ParseFloat(tok, 64)
	}
	return nil, fmt.Errorf("a number %q in a %s column", tok, k)
}

func fromString(k colKind, s string) (any, error) {
	switch k {
	case kindTime:
		return time.Parse(time.RFC3339Nano, s)
	case kindFloat:
		return strconv.ParseFloat(s, 64) // NaN, ±Inf
	case kindText:
		return s, nil
	}
	return nil, fmt.Errorf("a string in an %s column", k)
}

// setSequences moves each table's id sequence to where the source's was,
// so that new rows never take an id the source had already used.
func (s *Store) setSequences(ctx context.Context, q querier, tables []DumpTable) error {
	for _, t := range tables {
		if t.NextID == 0 {
			continue
		}
		var err error
		switch s.engine {
		case SQLite:
			var res sql.Result
			if res, err = q.ExecContext(ctx, `UPDATE sqlite_sequence SET seq = ? WHERE name = ?`, t.NextID-1, t.Name); err == nil {
				if n, _ := res.RowsAffected(); n == 0 {
					_, err = q.ExecContext(ctx, `INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)`, t.Name, t.NextID-1)
				}
			}
		case Postgres:
			_, err = q.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence($1, 'id'), $2, false)`, t.Name, t.NextID)
		case MySQL:
			_, err = q.ExecContext(ctx, fmt.Sprintf(`ALTER TABLE %s AUTO_INCREMENT = %d`, t.Name, t.NextID))
		}
		if err != nil {
			return fmt.Errorf("sequence of %s: %w", t.Name, err)
		}
	}
	return nil
}

// inserter batches rows into multi-row INSERTs, below every engine's limit
// on bound parameters and a few megabytes per statement.
type inserter struct {
	engine, prefix string
	tx             *sql.Tx
	cols, perBatch int
	rows           int
	bytes          int
	sql            strings.Builder
	args           []any
}

func newInserter(engine string, tx *sql.Tx, table string, cols []string) *inserter {
	return &inserter{engine: engine, tx: tx, cols: len(cols), perBatch: max(1, 30000/len(cols)),
		prefix: `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES `}
}

func (b *inserter) add(ctx context.Context, vals []any) error {
	if b.rows == 0 {
		b.sql.Reset()
		b.sql.WriteString(b.prefix)
	} else {
		b.sql.WriteString(",")
	}
	b.sql.WriteString("(")
	for i, v := range vals {
		if i > 0 {
			b.sql.WriteString(",")
		}
		if b.engine == Postgres {
			b.sql.WriteString("$" + strconv.Itoa(len(b.args)+1))
		} else {
			b.sql.WriteString("?")
		}
		if s, ok := v.(string); ok {
			b.bytes += len(s)
		}
		b.args = append(b.args, v)
	}
	b.sql.WriteString(")")
	b.rows++
	if b.rows >= b.perBatch || b.bytes > 4<<20 {
		return b.flush(ctx)
	}
	return nil
}

func (b *inserter) flush(ctx context.Context) error {
	if b.rows == 0 {
		return nil
	}
	_, err := b.tx.ExecContext(ctx, b.sql.String(), b.args...)
	b.rows, b.bytes, b.args = 0, 0, b.args[:0]
	return err
}

// dumpReader reads a dump's lines, gzip'd or not.
type dumpReader struct{ r *bufio.Reader }

func newDumpReader(r io.Reader) (*dumpReader, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, badDump(err.Error())
		}
		br = bufio.NewReaderSize(gz, 1<<16)
	}
	return &dumpReader{r: br}, nil
}

func (d *dumpReader) line() ([]byte, error) {
	line, err := d.r.ReadBytes('\n')
	if err == io.EOF && len(line) > 0 {
		err = nil
	}
	if err == io.EOF {
		return nil, errors.New("unexpected end of file")
	}
	if err != nil {
		return nil, err
	}
	line = bytes.TrimSpace(line)
	if len(line) == 0 {
		return nil, errors.New("empty line")
	}
	return line, nil
}

func (d *dumpReader) next(v any) error {
	line, err := d.line()
	if err != nil {
		return err
	}
	return json.Unmarshal(line, v)
}
