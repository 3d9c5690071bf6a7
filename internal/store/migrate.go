package store

import (
	"context"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/govkpi/govkpi/db"
	"github.com/govkpi/govkpi/internal/kpi"
)

// migration is one numbered file of db/migrations.
type migration struct {
	version int
	name    string
	sql     string
}

// typeMacros turn the one migration text into each engine's dialect.
var typeMacros = map[string]map[string]string{
	SQLite: {"{{id}}": "INTEGER PRIMARY KEY AUTOINCREMENT", "{{double}}": "REAL", "{{time}}": "DATETIME", "{{text}}": "TEXT",
		"{{on_kpi_values}}": ""},
	Postgres: {"{{id}}": "BIGSERIAL PRIMARY KEY", "{{double}}": "DOUBLE PRECISION", "{{time}}": "TIMESTAMPTZ", "{{text}}": "TEXT",
		"{{on_kpi_values}}": ""},
	MySQL: {"{{id}}": "BIGINT AUTO_INCREMENT PRIMARY KEY", "{{double}}": "DOUBLE", "{{time}}": "DATETIME(6)", "{{text}}": "MEDIUMTEXT",
		"{{on_kpi_values}}": " ON kpi_values"}, // MySQL names the table of the index it drops
}

// afterMigration holds the steps some migrations need beyond SQL, run in
// the migration's transaction after its statements: 0005 creates the
// rollups, which a database with values must fill before it is used.
var afterMigration = map[int]func(s *Store, tx *gorm.DB) error{
	5: (*Store).rebuildRollups,
}

func loadMigrations(engine string) ([]migration, error) {
	files, err := fs.Glob(db.Files, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, f := range files {
		base := strings.TrimPrefix(f, "migrations/")
		num, _, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number and '_'", f)
		}
		body, err := fs.ReadFile(db.Files, f)
		if err != nil {
			return nil, err
		}
		text := string(body)
		for macro, typ := range typeMacros[engine] {
			text = strings.ReplaceAll(text, macro, typ)
		}
		ms = append(ms, migration{version: v, name: base, sql: text})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// Migrate applies the migrations not yet recorded in schema_migrations, in
// order, each in its own transaction (MySQL commits DDL implicitly, so there
// a failed migration must be repaired by hand; SQLite and PostgreSQL roll it
// back whole). It returns the names of those applied.
func (s *Store) Migrate(ctx context.Context) ([]string, error) {
	ms, err := loadMigrations(s.engine)
	if err != nil {
		return nil, kpi.Internal(err)
	}
	var names []string
	// Several instances may start at once against one server: one
	// connection holds a lock while it migrates, and the others wait and
	// then find nothing left to do. (SQLite's BEGIN IMMEDIATE serialises.)
	err = s.db.WithContext(ctx).Connection(func(conn *gorm.DB) error {
		unlock, err := s.migrationLock(conn)
		if err != nil {
			return err
		}
		defer unlock()
		if err := conn.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY, name VARCHAR(200) NOT NULL, applied_at VARCHAR(40) NOT NULL)`).Error; err != nil {
			return err
		}
		var done []int
		if err := conn.Raw(`SELECT version FROM schema_migrations`).Scan(&done).Error; err != nil {
			return err
		}
		applied := map[int]bool{}
		for _, v := range done {
			applied[v] = true
		}
		for _, m := range ms {
			if applied[m.version] {
				continue
			}
			skipped := false
			err := conn.Transaction(func(tx *gorm.DB) error {
				// Checked again under the write lock: on SQLite the lock is
				// the transaction itself.
				var n int64
				if err := tx.Raw(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.version).Scan(&n).Error; err != nil || n > 0 {
					skipped = n > 0
					return err
				}
				for _, stmt := range splitStatements(m.sql) {
					if err := tx.Exec(stmt).Error; err != nil {
						return fmt.Errorf("migration %s: %w\n%s", m.name, err, stmt)
					}
				}
				if step := afterMigration[m.version]; step != nil {
					// A new session on the same transaction: conn carries the
					// state of the statements run on it before (MySQL's lock).
					if err := step(s, tx.Session(&gorm.Session{NewDB: true})); err != nil {
						return fmt.Errorf("migration %s: %w", m.name, err)
					}
				}
				return tx.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
					m.version, m.name, s.now().Format(time.RFC3339)).Error
			})
			if err != nil {
				return err
			}
			if !skipped {
				names = append(names, m.name)
			}
		}
		return nil
	})
	return names, s.wrap(err)
}

// migrationLock takes a server-wide lock on conn's session and returns its release.
func (s *Store) migrationLock(conn *gorm.DB) (func(), error) {
	const key = 4_7_2_0_1 // any constant shared by every govkpi instance
	switch s.engine {
	case Postgres:
		if err := conn.Exec(`SELECT pg_advisory_lock(?)`, key).Error; err != nil {
			return nil, err
		}
		return func() { conn.Exec(`SELECT pg_advisory_unlock(?)`, key) }, nil
	case MySQL:
		var got int
		if err := conn.Raw(`SELECT GET_LOCK('govkpi_migrate', 120)`).Scan(&got).Error; err != nil || got != 1 {
			return nil, fmt.Errorf("could not take the migration lock: %v", err)
		}
		return func() { conn.Exec(`SELECT RELEASE_LOCK('govkpi_migrate')`) }, nil
	}
	return func() {}, nil
}

// splitStatements splits a migration on semicolons at line ends, dropping
// comment lines. Migrations are ours, so this need not parse SQL strings.
func splitStatements(text string) []string {
	var out []string
	var cur strings.Builder
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "--") {
			continue
		}
		if i := strings.Index(line, "--"); i >= 0 {
			line = line[:i]
		}
		cur.WriteString(line)
		cur.WriteString("\n")
		if strings.HasSuffix(strings.TrimSpace(line), ";") {
			out = append(out, strings.TrimSuffix(strings.TrimSpace(cur.String()), ";"))
			cur.Reset()
		}
	}
	if strings.TrimSpace(cur.String()) != "" {
		out = append(out, strings.TrimSpace(cur.String()))
	}
	return out
}
