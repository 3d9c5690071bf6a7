// Package store keeps govkpi's data in SQLite (default), PostgreSQL or
// MySQL/MariaDB through gorm. It is the only package that imports gorm; it
// converts database errors into *kpi.Error and returns domain types.
//
// Exported methods open their own transaction; unexported helpers take a
// *gorm.DB that may be one and compose.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	mysqldriver "github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mattn/go-sqlite3"
	"golang.org/x/crypto/bcrypt"
	"golang.org/x/sync/singleflight"
	"gorm.io/driver/mysql"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/govkpi/govkpi/internal/kpi"
)

// Engines.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
	MySQL    = "mysql"
)

// Config says which database to open. Build it with ParseURL.
type Config struct {
	Engine string
	DSN    string // the driver's own DSN
	Label  string // what to show in messages: the URL without its password
	// CacheRows bounds the aggregate answers kept in memory, counted in
	// result rows; 0 turns the cache off. ParseURL sets DefaultCacheRows.
	CacheRows int
}

// DefaultCacheRows keeps about 30 MB of aggregate answers.
const DefaultCacheRows = 200_000

// ParseURL turns the --db setting into a Config: postgres://… or
// postgresql://… selects PostgreSQL, mysql://user:pass@host:port/db (or a
// go-sql-driver DSN such as root@tcp(127.0.0.1:3306)/test) selects MySQL,
// and anything else is a SQLite file path.
func ParseURL(s string) (Config, error) {
	cfg, err := parseURL(s)
	cfg.CacheRows = DefaultCacheRows
	return cfg, err
}

func parseURL(s string) (Config, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return Config{}, kpi.Invalid("db", "未指定数据库", "no database given")
	case strings.HasPrefix(s, "postgres://"), strings.HasPrefix(s, "postgresql://"):
		u, err := url.Parse(s)
		if err != nil {
			return Config{}, kpi.Invalid("db", "PostgreSQL 地址无效：%v", "invalid PostgreSQL URL: %v", err)
		}
		return Config{Engine: Postgres, DSN: s, Label: u.Redacted()}, nil
	case strings.HasPrefix(s, "mysql://"):
		return parseMySQLURL(s)
	case strings.Contains(s, "@tcp(") || strings.Contains(s, "@unix("):
		return Config{Engine: MySQL, DSN: withMySQLParams(s), Label: redactMySQL(s)}, nil
	case strings.Contains(s, "://"), urlScheme.MatchString(s):
		return Config{}, kpi.Invalid("db", "不支持的数据库地址 %q：请用 postgres://、mysql:// 或 SQLite 文件路径", "unsupported database URL %q: use postgres://, mysql:// or a SQLite file path", s)
	}
	return Config{Engine: SQLite, DSN: sqliteDSN(s), Label: s}, nil
}

// urlScheme catches typos such as "postgres:/x", which would otherwise
// become a SQLite file in a directory called "postgres:".
var urlScheme = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]+:`)

// sqliteDSN sets every pragma in the connection string, so that each pooled
// connection has them: WAL for readers beside a writer, a busy timeout
// instead of "database is locked", foreign keys, and BEGIN IMMEDIATE so a
// writing transaction takes the write lock up front rather than failing
// half-way when it upgrades.
func sqliteDSN(path string) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_busy_timeout", "10000")
	q.Set("_foreign_keys", "on")
	q.Set("_txlock", "immediate")
	q.Set("_synchronous", "NORMAL")
	return "file:" + path + "?" + q.Encode()
}

func parseMySQLURL(s string) (Config, error) {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" {
		return Config{}, kpi.Invalid("db", "MySQL 地址无效，应为 mysql://用户:密码@主机:端口/库名", "invalid MySQL URL: use mysql://user:pass@host:port/dbname")
	}
	host := u.Host
	if u.Port() == "" {
		host += ":3306"
	}
	dsn := fmt.Sprintf("%s@tcp(%s)%s", u.User.String(), host, u.Path)
	if u.RawQuery != "" {
		dsn += "?" + u.RawQuery
	}
	return Config{Engine: MySQL, DSN: withMySQLParams(dsn), Label: u.Redacted()}, nil
}

// withMySQLParams adds what govkpi relies on: time values as time.Time in
// UTC and full UTF-8.
func withMySQLParams(dsn string) string {
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	for _, p := range []string{"parseTime=true", "loc=UTC", "charset=utf8mb4"} {
		if !strings.Contains(dsn, strings.SplitN(p, "=", 2)[0]+"=") {
			dsn += sep + p
			sep = "&"
		}
	}
	return dsn
}

// redactMySQL hides the password of a go-sql-driver DSN. It splits the
// DSN as the driver does — the last "/" ends the address, the last "@"
// before it ends the credentials, the first ":" in them ends the user — so
// that a password holding "@" or ":" is hidden whole.
func redactMySQL(dsn string) string {
	slash := strings.LastIndex(dsn, "/")
	if slash < 0 {
		slash = len(dsn)
	}
	at := strings.LastIndex(dsn[:slash], "@")
	if colon := strings.Index(dsn[:max(at, 0)], ":"); at > 0 && colon >= 0 {
		return dsn[:colon+1] + "xxxxx" + dsn[at:]
	}
	return dsn
}

// Store is the database.
type Store struct {
	db         *gorm.DB
	engine     string
	label      string
	now        func() time.Time
	bcryptCost int
	cache      *aggCache // nil when off
	flight     singleflight.Group
	catalogue  tokenCache[kpi.Catalogue]
	regions    tokenCache[*regionTree]
	targets    tokenCache[*targetAnswers]
	cfg        Config
}

// sqlitePageSize is the page size of a new SQLite file. A national load
// writes its indexes in order, where 16 KiB pages cost fewer splits and
// headers than the default 4 KiB: a province loads about 15% faster.
const sqlitePageSize = 16384

// createSQLite gives a file that does not exist yet its page size, which
// must be set before the file switches to WAL, as every connection's DSN
// makes it do. An existing file keeps the size it has. The size is only
// an optimisation: if this fails (another process creating the file at
// the same moment, a directory it cannot write), Open goes on and reports
// or retries what its own connection meets.
func createSQLite(path string) {
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		return
	}
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=10000")
	if err != nil {
		return
	}
	defer db.Close()
	db.Exec(fmt.Sprintf("PRAGMA page_size = %d; PRAGMA journal_mode = WAL", sqlitePageSize))
}

// Open connects and checks that the database answers. It does not migrate.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	var dialector gorm.Dialector
	switch cfg.Engine {
	case SQLite:
		// The directory must exist: a typo should not create one.
		path := strings.TrimPrefix(strings.SplitN(cfg.DSN, "?", 2)[0], "file:")
		if _, err := os.Stat(filepath.Dir(path)); err != nil {
			return nil, unavailable(cfg.Label, err)
		}
		createSQLite(path)
		dialector = sqlite.Open(cfg.DSN)
	case Postgres:
		dialector = postgres.Open(cfg.DSN)
	case MySQL:
		dialector = mysql.Open(cfg.DSN)
	default:
		return nil, kpi.Invalid("db", "未知数据库类型 %q", "unknown database engine %q", cfg.Engine)
	}
	gcfg := &gorm.Config{
		Logger:                 logger.Default.LogMode(logger.Silent),
		SkipDefaultTransaction: true, // exported methods open their own
		TranslateError:         true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	}
	// A new SQLite file switches to WAL on its first connection, and a
	// second process opening it at that moment is told "locked" even with
	// a busy timeout (the journal-mode pragma does not wait): try again
	// for a couple of seconds before giving up.
	db, err := gorm.Open(dialector, gcfg)
	for attempt := 0; err != nil && cfg.Engine == SQLite && strings.Contains(err.Error(), "database is locked") && attempt < 20; attempt++ {
		time.Sleep(100 * time.Millisecond)
		db, err = gorm.Open(sqlite.Open(cfg.DSN), gcfg)
	}
	if err != nil {
		return nil, unavailable(cfg.Label, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, unavailable(cfg.Label, err)
	}
	sqlDB.SetMaxOpenConns(16)
	sqlDB.SetMaxIdleConns(16)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	for attempt := 0; ; attempt++ {
		err = sqlDB.PingContext(pingCtx)
		if err == nil || cfg.Engine != SQLite || !strings.Contains(err.Error(), "database is locked") || attempt == 20 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		sqlDB.Close()
		return nil, unavailable(cfg.Label, err)
	}
	st := &Store{db: db, engine: cfg.Engine, label: cfg.Label, now: func() time.Time { return time.Now().UTC() },
		bcryptCost: bcrypt.DefaultCost, cfg: cfg}
	if cfg.CacheRows > 0 {
		st.cache = newAggCache(cfg.CacheRows)
	}
	return st, nil
}

func unavailable(label string, err error) error {
	detail := strings.Join(strings.Fields(err.Error()), " ")
	e := kpi.Errorf(kpi.EUNAVAILABLE, "无法连接数据库 %s：%s", "cannot reach database %s: %s", label, detail)
	e.Err = err
	return e
}

// Close closes the connection pool.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// SetBcryptCost lowers the password-hashing cost, for tests only.
func (s *Store) SetBcryptCost(cost int) { s.bcryptCost = cost }

// SetClock replaces the store's clock, for tests of expiry and deadlines.
func (s *Store) SetClock(now func() time.Time) { s.now = now }

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

// Engine names the database engine: sqlite, postgres or mysql.
func (s *Store) Engine() string { return s.engine }

// Ping checks that the database answers, for /healthz.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return s.wrap(err)
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		return unavailable(s.label, err)
	}
	return nil
}

// Stats reports the connection pool, for /metrics. A pool that cannot be
// reached reports zeros rather than failing a scrape.
func (s *Store) Stats() sql.DBStats {
	sqlDB, err := s.db.DB()
	if err != nil {
		return sql.DBStats{}
	}
	return sqlDB.Stats()
}

// Analyze refreshes the query planner's statistics, so that it keeps
// choosing the per-region seeks of kpi_values_agg as the table grows. Run
// after bulk loads.
func (s *Store) Analyze(ctx context.Context) error {
	db := s.db.WithContext(ctx)
	switch s.engine {
	case SQLite:
		return s.wrap(db.Exec("ANALYZE").Error)
	case Postgres:
		return s.wrap(db.Exec("ANALYZE kpi_values, value_history, targets, regions, region_leaves").Error)
	default:
		return s.wrap(db.Exec("ANALYZE TABLE kpi_values, value_history, targets, regions, region_leaves").Error)
	}
}

// wrap converts database errors into *kpi.Error; *kpi.Error passes through.
func (s *Store) wrap(err error) error {
	if err == nil {
		return nil
	}
	var ke *kpi.Error
	var sqe sqlite3.Error
	var netErr net.Error
	switch {
	case errors.As(err, &ke):
		return ke
	case errors.Is(err, gorm.ErrRecordNotFound):
		return &kpi.Error{Code: kpi.ENOTFOUND, Message: "记录不存在", MessageEN: "record not found", Err: err}
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return &kpi.Error{Code: kpi.ECONFLICT, Message: "记录已存在", MessageEN: "record already exists", Err: err}
	case errors.As(err, &sqe) && (sqe.Code == sqlite3.ErrBusy || sqe.Code == sqlite3.ErrLocked):
		return busy(err)
	case errors.As(err, &sqe) && sqe.Code == sqlite3.ErrFull:
		return diskFull(err)
	case errors.As(err, &sqe) && (sqe.Code == sqlite3.ErrIoErr || sqe.Code == sqlite3.ErrReadonly || sqe.Code == sqlite3.ErrCantOpen):
		return &kpi.Error{Code: kpi.EUNAVAILABLE, Message: "数据库文件无法读写，未写入任何数据；请联系管理员检查磁盘",
			MessageEN: "the database file cannot be read or written; nothing was saved — ask the administrator to check the disk", Err: err}
	case serverFault(err) != nil:
		return serverFault(err)
	case errors.Is(err, driver.ErrBadConn), errors.As(err, &netErr), lostConnection(err),
		errors.Is(err, context.DeadlineExceeded):
		return &kpi.Error{Code: kpi.EUNAVAILABLE, Message: "数据库暂时不可用，请稍后重试", MessageEN: "the database is unavailable, try again shortly", Err: err}
	case errors.Is(err, context.Canceled):
		return &kpi.Error{Code: kpi.EUNAVAILABLE, Message: "请求已取消", MessageEN: "request cancelled", Err: err}
	}
	return kpi.Internal(err)
}

func busy(err error) *kpi.Error {
	return &kpi.Error{Code: kpi.EUNAVAILABLE, Message: "数据库繁忙，请稍后重试", MessageEN: "the database is busy, try again shortly", Err: err}
}

// diskFull is 503 rather than 500: nothing is wrong with the request, and
// the transaction was rolled back whole, so it can simply be sent again
// once an administrator has freed space.
func diskFull(err error) *kpi.Error {
	return &kpi.Error{Code: kpi.EUNAVAILABLE, Message: "数据库磁盘已满，本次未写入任何数据；请联系管理员释放空间后重试",
		MessageEN: "the database disk is full; nothing was saved — ask the administrator to free space, then try again", Err: err}
}

// serverFault converts what PostgreSQL and MySQL report about themselves
// (full disk, shutting down, too many connections, lock timeouts) into
// EUNAVAILABLE; nil for anything else.
func serverFault(err error) *kpi.Error {
	var pge *pgconn.PgError
	var mye *mysqldriver.MySQLError
	switch {
	case errors.As(err, &pge):
		switch {
		case pge.Code == "53100": // disk_full
			return diskFull(err)
		case strings.HasPrefix(pge.Code, "08"), strings.HasPrefix(pge.Code, "53"), strings.HasPrefix(pge.Code, "57P"):
			// connection exceptions, insufficient resources, admin/crash shutdown
			return &kpi.Error{Code: kpi.EUNAVAILABLE, Message: "数据库暂时不可用，请稍后重试", MessageEN: "the database is unavailable, try again shortly", Err: err}
		case pge.Code == "40001", pge.Code == "40P01", pge.Code == "55P03": // serialization, deadlock, lock not available
			return busy(err)
		}
	case errors.As(err, &mye):
		switch mye.Number {
		case 1021, 1114: // ER_DISK_FULL, ER_RECORD_FILE_FULL
			return diskFull(err)
		case 1205, 1213: // lock wait timeout, deadlock
			return busy(err)
		case 1040, 1053, 1077, 1079, 1080: // too many connections, shutdown in progress
			return &kpi.Error{Code: kpi.EUNAVAILABLE, Message: "数据库暂时不可用，请稍后重试", MessageEN: "the database is unavailable, try again shortly", Err: err}
		}
	}
	return nil
}

// lostConnection recognises a connection that died under a query: the
// server went away (EOF, reset) or the driver had already closed it.
func lostConnection(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.Is(err, mysqldriver.ErrInvalidConn) ||
		pgconn.Timeout(err) || strings.Contains(err.Error(), "conn closed")
}
