package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/govkpi/govkpi/internal/kpi"
)

// Snapshot describes a verified SQLite copy of a govkpi database.
type Snapshot struct {
	Path   string
	Bytes  int64
	Schema int              // the highest migration applied
	Counts map[string]int64 // rows of the main tables
}

// snapshotTables are counted when a snapshot is verified, so that the
// command can say what it holds.
var snapshotTables = []string{"regions", "indicators", "kpi_values", "value_history", "targets", "users"}

// Backup writes a consistent snapshot of a live SQLite database to path
// with VACUUM INTO: it reads inside one read transaction, so writers carry
// on (WAL) and the copy holds exactly the transactions committed before it
// began. The copy goes to a temporary name beside path, is checked, and
// only then renamed over path — a failed or interrupted backup never
// leaves a half-written file under the name asked for. An existing path is
// refused unless force.
func (s *Store) Backup(ctx context.Context, path string, force bool) (Snapshot, error) {
	if s.engine != SQLite {
		return Snapshot{}, kpi.Invalid("engine", "backup 只用于 SQLite；%s 请用 export-all 或数据库自带的备份工具",
			"backup is for SQLite; for %s use export-all or the server's own backup tools", s.engine)
	}
	if sameFile(path, s.label) {
		return Snapshot{}, kpi.Invalid("file", "不能备份到数据库文件 %s 本身", "cannot back up onto the database file %s itself", path)
	}
	if err := refuseExisting(path, force); err != nil {
		return Snapshot{}, err
	}
	tmp, err := tempBeside(path)
	if err != nil {
		return Snapshot{}, err
	}
	defer os.Remove(tmp) // gone after the rename; removes a failed attempt
	os.Remove(tmp)       // VACUUM INTO wants a name that does not exist yet
	if err := s.db.WithContext(ctx).Exec(`VACUUM INTO ?`, tmp).Error; err != nil {
		return Snapshot{}, s.wrap(err)
	}
	snap, err := VerifySnapshot(ctx, tmp)
	if err != nil {
		return Snapshot{}, err
	}
	if err := syncFile(tmp); err != nil {
		return Snapshot{}, fileError(path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return Snapshot{}, fileError(path, err)
	}
	syncDir(filepath.Dir(path))
	snap.Path = path
	return snap, nil
}

// VerifySnapshot opens a SQLite file read-only and checks that it is a
// sound govkpi database: PRAGMA integrity_check passes, the schema is
// govkpi's, and every value has the history that explains it.
func VerifySnapshot(ctx context.Context, path string) (Snapshot, error) {
	st, err := os.Stat(path)
	if err != nil {
		return Snapshot{}, fileError(path, err)
	}
	notOurs := func(why string) error {
		return kpi.Invalid("file", "%s 不是有效的 govkpi 数据库（%s）", "%s is not a valid govkpi database (%s)", path, why)
	}
	// mode=ro and immutable: checking a copy must never change it (no WAL
	// switch, no journal) nor wait for locks on it.
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&immutable=1")
	if err != nil {
		return Snapshot{}, kpi.Internal(err)
	}
	defer db.Close()
	var check string
	if err := db.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check); err != nil {
		return Snapshot{}, notOurs(oneLine(err.Error()))
	}
	if check != "ok" {
		return Snapshot{}, notOurs("integrity_check: " + check)
	}
	snap := Snapshot{Path: path, Bytes: st.Size(), Counts: map[string]int64{}}
	if err := db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&snap.Schema); err != nil || snap.Schema == 0 {
		return Snapshot{}, notOurs("no schema_migrations")
	}
	for _, t := range snapshotTables {
		var n int64
		if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t).Scan(&n); err != nil {
			return Snapshot{}, notOurs("no table " + t)
		}
		snap.Counts[t] = n
	}
	bad, err := historyMismatches(ctx, db)
	if err != nil {
		return Snapshot{}, kpi.Internal(err)
	}
	if bad != "" {
		return Snapshot{}, notOurs(bad)
	}
	return snap, nil
}

// historyMismatches checks the rule every write keeps: each value that
// changed since it was created has a history (a loaded value at version 1
// is its own record: LoadValues), its latest history row says what the
// value is, and no history row points at a value that does not exist. ""
// when all hold.
func historyMismatches(ctx context.Context, db *sql.DB) (string, error) {
	checks := []struct{ what, query string }{
		{"changed values without history", `SELECT COUNT(*) FROM kpi_values v
			WHERE v.version > 1 AND NOT EXISTS (SELECT 1 FROM value_history h WHERE h.value_id = v.id)`},
		{"history without its value", `SELECT COUNT(*) FROM value_history h WHERE NOT EXISTS (SELECT 1 FROM kpi_values v WHERE v.id = h.value_id)`},
		{"values whose latest history differs", `SELECT COUNT(*) FROM kpi_values v JOIN value_history h
			ON h.id = (SELECT MAX(id) FROM value_history WHERE value_id = v.id)
			WHERE h.new_value IS NULL OR h.new_value <> v.value OR h.version <> v.version OR h.new_status <> v.status`},
	}
	var faults []string
	for _, c := range checks {
		var n int64
		if err := db.QueryRowContext(ctx, c.query).Scan(&n); err != nil {
			return "", err
		}
		if n > 0 {
			faults = append(faults, fmt.Sprintf("%d %s", n, c.what))
		}
	}
	return strings.Join(faults, ", "), nil
}

// CheckHistory reports values and history rows that disagree (see
// historyMismatches); nil when every value is explained by its history.
func (s *Store) CheckHistory(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return s.wrap(err)
	}
	bad, err := historyMismatches(ctx, sqlDB)
	if err != nil {
		return s.wrap(err)
	}
	if bad != "" {
		return kpi.Errorf(kpi.EINTERNAL, "数据与历史不一致：%s", "values and history disagree: %s", bad)
	}
	return nil
}

// Restore replaces the SQLite database at dbPath with the snapshot at
// from, after checking the snapshot (VerifySnapshot). It refuses an
// existing dbPath unless force, and refuses while another process has
// dbPath open: a server still running would go on writing into the file
// it had opened, and those writes would be lost. The snapshot is copied
// beside dbPath and renamed over it, so dbPath is at every moment either
// the old database or the whole new one.
func Restore(ctx context.Context, from, dbPath string, force bool) (Snapshot, error) {
	if sameFile(from, dbPath) {
		return Snapshot{}, kpi.Invalid("file", "备份文件就是数据库 %s 本身", "the backup is the database %s itself", dbPath)
	}
	// A database in use has committed pages in its WAL that a plain copy
	// of the main file would miss.
	if st, err := os.Stat(from + "-wal"); err == nil && st.Size() > 0 {
		return Snapshot{}, kpi.Invalid("file", "%s 旁有未合并的 -wal 文件，像是正在使用的数据库而不是备份；请先用 govkpi backup 备份它",
			"%s has a -wal file beside it: it looks like a database in use, not a backup; make a backup of it with govkpi backup first", from)
	}
	snap, err := VerifySnapshot(ctx, from)
	if err != nil {
		return Snapshot{}, err
	}
	if err := refuseExisting(dbPath, force); err != nil {
		return Snapshot{}, err
	}
	if pid := openedBy(dbPath); pid != 0 {
		return Snapshot{}, kpi.Errorf(kpi.ECONFLICT, "%s 正被进程 %d 使用（服务还在运行？），请先停止它再恢复",
			"%s is open in process %d (is the server running?); stop it before restoring", dbPath, pid)
	}
	tmp, err := tempBeside(dbPath)
	if err != nil {
		return Snapshot{}, err
	}
	defer os.Remove(tmp)
	if err := copyFile(from, tmp); err != nil {
		return Snapshot{}, fileError(dbPath, err)
	}
	// The old database's WAL and shared-memory index belong to the old
	// file: left beside the new one, SQLite would replay the old WAL onto it.
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(dbPath + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return Snapshot{}, fileError(dbPath+suffix, err)
		}
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		return Snapshot{}, fileError(dbPath, err)
	}
	syncDir(filepath.Dir(dbPath))
	snap.Path = dbPath
	return snap, nil
}

// sameFile tells whether two paths name one file (false if either is missing).
func sameFile(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(sa, sb)
}

func refuseExisting(path string, force bool) error {
	if _, err := os.Stat(path); err == nil && !force {
		return kpi.Errorf(kpi.ECONFLICT, "%s 已存在；确认要覆盖请加 --force", "%s already exists; add --force to overwrite it", path)
	}
	if _, err := os.Stat(filepath.Dir(path)); err != nil {
		return fileError(path, err)
	}
	return nil
}

// tempBeside names a temporary file in path's directory, so that the final
// rename stays on one file system and is atomic.
func tempBeside(path string) (string, error) {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return "", kpi.Internal(err)
	}
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp-"+hex.EncodeToString(b)), nil
}

func fileError(path string, err error) error {
	e := kpi.Errorf(kpi.EUNAVAILABLE, "无法写入或读取 %s：%s", "cannot read or write %s: %s", path, oneLine(err.Error()))
	if errors.Is(err, os.ErrNotExist) {
		e.Code = kpi.EINVALID
	}
	e.Err = err
	return e
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// syncDir makes a rename durable; best effort, as not every file system
// supports it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// openedBy returns the id of another process that has path open, or 0.
// It reads /proc, so it only knows on Linux; elsewhere it says 0.
func openedBy(path string) int {
	abs, err := filepath.Abs(path)
	if err != nil {
		return 0
	}
	want := map[string]bool{abs: true, abs + "-wal": true, abs + "-shm": true}
	procs, _ := os.ReadDir("/proc")
	for _, p := range procs {
		pid, err := strconv.Atoi(p.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		fds, _ := os.ReadDir(filepath.Join("/proc", p.Name(), "fd"))
		for _, fd := range fds {
			if target, err := os.Readlink(filepath.Join("/proc", p.Name(), "fd", fd.Name())); err == nil && want[target] {
				return pid
			}
		}
	}
	return 0
}
