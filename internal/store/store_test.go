package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gorm.io/driver/mysql"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/govkpi/govkpi/internal/catalog"
	"github.com/govkpi/govkpi/internal/kpi"
)

// mustOpenDB opens a migrated SQLite database in a temp dir.
func mustOpenDB(t testing.TB) *Store {
	t.Helper()
	cfg, err := ParseURL(filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	return mustOpen(t, cfg)
}

func mustOpen(t testing.TB, cfg Config) *Store {
	t.Helper()
	s, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("open %s: %v", cfg.Label, err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return s
}

// forEachEngine runs fn on SQLite, and on PostgreSQL and MariaDB/MySQL when
// GOVKPI_TEST_POSTGRES / GOVKPI_TEST_MYSQL name a server. Each run gets a
// fresh schema (PostgreSQL) or database (MySQL), dropped afterwards.
func forEachEngine(t *testing.T, fn func(t *testing.T, s *Store)) {
	t.Run(SQLite, func(t *testing.T) { fn(t, mustOpenDB(t)) })
	t.Run(Postgres, func(t *testing.T) {
		dsn := os.Getenv("GOVKPI_TEST_POSTGRES")
		if dsn == "" {
			t.Skip("GOVKPI_TEST_POSTGRES not set")
		}
		fn(t, mustOpen(t, freshPostgres(t, dsn)))
	})
	t.Run(MySQL, func(t *testing.T) {
		dsn := os.Getenv("GOVKPI_TEST_MYSQL")
		if dsn == "" {
			t.Skip("GOVKPI_TEST_MYSQL not set")
		}
		fn(t, mustOpen(t, freshMySQL(t, dsn)))
	})
}

func uniqueName() string {
	b := make([]byte, 6)
	rand.Read(b)
	return "govkpi_t_" + hex.EncodeToString(b)
}

func adminDB(t testing.TB, d gorm.Dialector) *gorm.DB {
	t.Helper()
	db, err := gorm.Open(d, &gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	return db
}

func closeDB(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		sqlDB.Close()
	}
}

func freshPostgres(t testing.TB, dsn string) Config {
	t.Helper()
	admin := adminDB(t, postgres.Open(dsn))
	schema := uniqueName()
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		closeDB(admin)
	})
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	cfg, err := ParseURL(u.String())
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func freshMySQL(t testing.TB, dsn string) Config {
	t.Helper()
	base, err := ParseURL(dsn)
	if err != nil {
		t.Fatal(err)
	}
	admin := adminDB(t, mysql.Open(base.DSN))
	name := uniqueName()
	if err := admin.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4").Error; err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP DATABASE " + name)
		closeDB(admin)
	})
	// Swap the database name: user@tcp(host)/test?params → user@tcp(host)/name?params
	slash := strings.LastIndex(base.DSN, "/")
	rest := base.DSN[slash+1:]
	params := ""
	if i := strings.Index(rest, "?"); i >= 0 {
		params = rest[i:]
	}
	return Config{Engine: MySQL, DSN: base.DSN[:slash+1] + name + params, Label: "mysql " + name, CacheRows: base.CacheRows}
}

// fixtureRegions is a small hierarchy with every shape that matters:
// a city with two counties, a city with one, and a city with none (a leaf
// city, like Dongguan).
const fixtureRegions = `code,name,level,parent
990000,测试省,1,
990100,甲市,2,990000
990101,甲一县,3,990100
990102,甲二县,3,990100
990200,乙市,2,990000
990201,乙一县,3,990200
990300,丙市,2,990000
`

func fixtureIndicators() []kpi.Indicator {
	base := func(code string, kind kpi.Kind, unit string, pagg kpi.PeriodAgg, ragg kpi.RegionAgg) kpi.Indicator {
		return kpi.Indicator{Code: code, NameZH: code + "中", NameEN: code, Category: "disputes", Kind: kind,
			Unit: unit, UnitEN: unit, Direction: kpi.Up, Decimals: 2, Min: 0, Max: 1e6,
			Frequency: kpi.Quarterly, PeriodAgg: pagg, RegionAgg: ragg}
	}
	cases := base("cases", kpi.KindCount, "件", kpi.PeriodSum, kpi.RegionSum)
	cases.Decimals = 0
	mediators := base("mediators", kpi.KindStock, "名", kpi.PeriodLast, kpi.RegionSum)
	mediators.Decimals = 0
	days := base("days", kpi.KindDuration, "天", kpi.PeriodLast, kpi.RegionAvg)
	days.Direction = kpi.Down
	success := base("success", kpi.KindRate, "%", kpi.PeriodAvg, kpi.RegionAvg)
	success.Max = 100
	items := base("items", kpi.KindList, "项", kpi.PeriodLast, kpi.RegionNone)
	items.Decimals = 0
	peak := base("peak", kpi.KindStock, "名", kpi.PeriodMax, kpi.RegionSum)
	diverted := base("diverted", kpi.KindCount, "件", kpi.PeriodSum, kpi.RegionSum)
	diverted.Decimals = 0
	newcases := base("newcases", kpi.KindCount, "件", kpi.PeriodSum, kpi.RegionSum)
	newcases.Decimals = 0
	divrate := base("divrate", kpi.KindRatio, "%", kpi.PeriodSum, kpi.RegionSum)
	divrate.Numerator, divrate.Denominator, divrate.Scale, divrate.Max = "diverted", "newcases", 100, 100
	regs := base("regs", kpi.KindCount, "件", kpi.PeriodSum, kpi.RegionSum)
	regs.Frequency, regs.Decimals = kpi.Annual, 0
	return []kpi.Indicator{cases, mediators, days, success, items, peak, diverted, newcases, divrate, regs}
}

// seedReference loads the fixture regions and indicators through the
// store's own API and returns the catalogue with IDs.
func seedReference(t testing.TB, s *Store) kpi.Catalogue {
	t.Helper()
	ctx := context.Background()
	regions, err := catalog.ParseRegions(strings.NewReader(fixtureRegions))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SyncRegions(ctx, regions); err != nil {
		t.Fatal(err)
	}
	if err := s.SyncIndicators(ctx, fixtureIndicators()); err != nil {
		t.Fatal(err)
	}
	cat, err := s.Indicators(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func TestParseURL(t *testing.T) {
	tests := []struct {
		in, engine, dsnPart string
	}{
		{"db/govkpi.db", SQLite, "_txlock=immediate"},
		{"db/govkpi.db", SQLite, "_journal_mode=WAL"},
		{"db/govkpi.db", SQLite, "_foreign_keys=on"},
		{"db/govkpi.db", SQLite, "_busy_timeout="},
		{"postgres://u:p@h:5432/d?sslmode=disable", Postgres, "postgres://u:p@h:5432/d"},
		{"postgresql://u@h/d", Postgres, "postgresql://u@h/d"},
		{"mysql://root:pw@127.0.0.1:3306/test", MySQL, "root:pw@tcp(127.0.0.1:3306)/test?parseTime=true"},
		{"mysql://root@db/test", MySQL, "root@tcp(db:3306)/test"},
		{"root@tcp(127.0.0.1:3306)/test", MySQL, "charset=utf8mb4"},
	}
	for _, tt := range tests {
		cfg, err := ParseURL(tt.in)
		if err != nil {
			t.Fatalf("%s: %v", tt.in, err)
		}
		if cfg.Engine != tt.engine || !strings.Contains(cfg.DSN, tt.dsnPart) {
			t.Errorf("ParseURL(%q) = %+v, want engine %s and DSN containing %q", tt.in, cfg, tt.engine, tt.dsnPart)
		}
	}
	if cfg, _ := ParseURL("mysql://root:secret@h:3306/d"); strings.Contains(cfg.Label, "secret") {
		t.Errorf("label leaks the password: %s", cfg.Label)
	}
	for _, bad := range []string{"", "redis://x", "mysql://"} {
		if _, err := ParseURL(bad); kpi.ErrorCode(err) != kpi.EINVALID {
			t.Errorf("ParseURL(%q) error = %v, want invalid", bad, err)
		}
	}
}

func TestOpenUnreachable(t *testing.T) {
	cfg, _ := ParseURL("postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2")
	_, err := Open(context.Background(), cfg)
	if kpi.ErrorCode(err) != kpi.EUNAVAILABLE {
		t.Fatalf("Open unreachable = %v, want unavailable", err)
	}
	if !strings.Contains(kpi.ErrorMessage(err, "zh"), "无法连接数据库") {
		t.Errorf("message %q does not say the database is unreachable", kpi.ErrorMessage(err, "zh"))
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store) {
		applied, err := s.Migrate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Errorf("second Migrate applied %v, want nothing", applied)
		}
	})
}

func TestSQLitePragmasOnEveryConnection(t *testing.T) {
	s := mustOpenDB(t)
	sqlDB, _ := s.db.DB()
	// Hold several connections at once so the pool must open new ones.
	ctx := context.Background()
	for i := 0; i < 4; i++ {
		conn, err := sqlDB.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var mode string
		var fk, timeout int
		conn.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode)
		conn.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk)
		conn.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&timeout)
		if mode != "wal" || fk != 1 || timeout < 1000 {
			t.Errorf("connection %d: journal_mode=%s foreign_keys=%d busy_timeout=%d", i, mode, fk, timeout)
		}
	}
}

// Two instances starting at once on an empty database migrate it once
// between them, and both succeed.
func TestConcurrentMigrate(t *testing.T) {
	configs := map[string]func(t *testing.T) Config{
		SQLite: func(t *testing.T) Config {
			cfg, _ := ParseURL(filepath.Join(t.TempDir(), "race.db"))
			return cfg
		},
		Postgres: func(t *testing.T) Config { return freshPostgres(t, os.Getenv("GOVKPI_TEST_POSTGRES")) },
		MySQL:    func(t *testing.T) Config { return freshMySQL(t, os.Getenv("GOVKPI_TEST_MYSQL")) },
	}
	env := map[string]string{Postgres: "GOVKPI_TEST_POSTGRES", MySQL: "GOVKPI_TEST_MYSQL"}
	for engine, cfgOf := range configs {
		t.Run(engine, func(t *testing.T) {
			if name := env[engine]; name != "" && os.Getenv(name) == "" {
				t.Skip(name + " not set")
			}
			cfg := cfgOf(t)
			errs := make(chan error, 2)
			applied := make(chan int, 2)
			for i := 0; i < 2; i++ {
				go func() {
					s, err := Open(context.Background(), cfg)
					if err != nil {
						errs <- err
						return
					}
					defer s.Close()
					names, err := s.Migrate(context.Background())
					applied <- len(names)
					errs <- err
				}()
			}
			for i := 0; i < 2; i++ {
				if err := <-errs; err != nil {
					t.Fatal(err)
				}
			}
			// Each migration once, whichever instance ran it.
			if a, b := <-applied, <-applied; a+b != len(mustMigrations(t)) {
				t.Errorf("the instances applied %d and %d migrations, want %d in all", a, b, len(mustMigrations(t)))
			}
		})
	}
}

func mustMigrations(t *testing.T) []migration {
	ms, err := loadMigrations(SQLite)
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// Stats is what /metrics reports of the pool: it must see the pool's own
// limit and the connections a query opened, and zeros once it is closed.
func TestStatsReportThePool(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store) {
		if err := s.Ping(context.Background()); err != nil {
			t.Fatal(err)
		}
		st := s.Stats()
		if st.MaxOpenConnections != 16 || st.OpenConnections < 1 {
			t.Errorf("stats = %+v, want the pool's limit of 16 and an open connection", st)
		}
	})
	s := mustOpenDB(t)
	s.Close()
	if st := s.Stats(); st.OpenConnections != 0 {
		t.Errorf("closed pool reports %d open connections", st.OpenConnections)
	}
}

// otherInstance opens a second Store on a's database, as a second server
// would, closed when the test ends.
func otherInstance(t testing.TB, a *Store) *Store {
	t.Helper()
	b, err := Open(context.Background(), a.cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}
