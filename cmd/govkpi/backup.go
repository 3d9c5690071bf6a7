package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/govkpi/govkpi/internal/kpi"
	"github.com/govkpi/govkpi/internal/store"
)

// backupCommands take a FILE argument and work on the database as it is:
// they neither migrate it nor load reference data into it (import-all
// creates the schema of an empty target, nothing more).
var backupCommands = []string{"backup", "restore", "export-all", "import-all"}

type backupFlags struct {
	file  string
	force bool
}

func isBackupCommand(cmd string) bool { return slices.Contains(backupCommands, cmd) }

func (b *backupFlags) register(fs *flag.FlagSet, cmd string) {
	if cmd != "import-all" { // import-all never overwrites: its target must be empty
		fs.BoolVar(&b.force, "force", false, "overwrite an existing file")
	}
}

// takeFile takes the FILE argument and parses the flags after it, so that
// both "backup --force FILE" and "backup FILE --force" work.
func (b *backupFlags) takeFile(fs *flag.FlagSet, cmd string) error {
	if fs.NArg() == 0 {
		return fmt.Errorf("缺少文件名 / FILE is required: govkpi %s FILE", cmd)
	}
	b.file = fs.Arg(0)
	return fs.Parse(fs.Args()[1:])
}

func runBackup(ctx context.Context, cmd string, cfg config, b backupFlags, stdout io.Writer) error {
	dbCfg, err := store.ParseURL(cfg.db)
	if err != nil {
		return err
	}
	start := time.Now()
	if cmd == "restore" {
		if dbCfg.Engine != store.SQLite {
			return kpi.Invalid("db", "restore 只用于 SQLite 文件；其他数据库请用 import-all", "restore is for a SQLite file; for other databases use import-all")
		}
		snap, err := store.Restore(ctx, b.file, dbCfg.Label, b.force)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已恢复 / restored %s → %s\n", b.file, snap.Path)
		printSnapshot(stdout, snap, start)
		return nil
	}
	st, err := store.Open(ctx, dbCfg)
	if err != nil {
		return err
	}
	defer st.Close()
	switch cmd {
	case "backup":
		snap, err := st.Backup(ctx, b.file, b.force)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已备份 / backed up %s → %s\n", dbCfg.Label, snap.Path)
		printSnapshot(stdout, snap, start)
	case "export-all":
		sum, err := exportFile(ctx, st, b.file, b.force)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已导出 / exported %s → %s (schema %d)\n", dbCfg.Label, b.file, sum.Schema)
		printSums(stdout, sum, start)
	case "import-all":
		f, err := os.Open(b.file)
		if err != nil {
			return kpi.Invalid("file", "无法打开 %s：%v", "cannot open %s: %v", b.file, err)
		}
		defer f.Close()
		names, err := st.Migrate(ctx) // the schema only: the dump brings the data
		if err != nil {
			return err
		}
		for _, n := range names {
			fmt.Fprintf(stdout, "已迁移 / migrated: %s\n", n)
		}
		sum, err := st.Import(ctx, f)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "已导入 / imported %s → %s; 校验和一致 / checksums verified against the database\n", b.file, dbCfg.Label)
		printSums(stdout, sum, start)
	}
	return nil
}

// exportFile writes the dump beside its name first, so that an export that
// fails half-way never leaves a file that looks whole.
func exportFile(ctx context.Context, st *store.Store, path string, force bool) (store.DumpSummary, error) {
	if _, err := os.Stat(path); err == nil && !force {
		return store.DumpSummary{}, kpi.Errorf(kpi.ECONFLICT, "%s 已存在；确认要覆盖请加 --force", "%s already exists; add --force to overwrite it", path)
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return store.DumpSummary{}, kpi.Errorf(kpi.EUNAVAILABLE, "无法写入 %s：%v", "cannot write %s: %v", path, err)
	}
	defer os.Remove(f.Name())
	sum, err := st.Export(ctx, f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	var ke *kpi.Error
	if err != nil && !errors.As(err, &ke) {
		err = kpi.Errorf(kpi.EUNAVAILABLE, "无法写入 %s：%v", "cannot write %s: %v", path, err)
	}
	return sum, err
}

func printSnapshot(w io.Writer, s store.Snapshot, start time.Time) {
	fmt.Fprintf(w, "  %.1f MB, schema %d, integrity_check ok, history consistent; %.1f s\n", float64(s.Bytes)/1e6, s.Schema, time.Since(start).Seconds())
	for _, t := range []string{"regions", "indicators", "kpi_values", "value_history", "targets", "users"} {
		fmt.Fprintf(w, "  %-14s %10d\n", t, s.Counts[t])
	}
}

func printSums(w io.Writer, sum store.DumpSummary, start time.Time) {
	for _, t := range sum.Tables {
		fmt.Fprintf(w, "  %-14s %10d rows  sha256 %s\n", t.Name, t.Rows, t.SHA256[:16])
	}
	fmt.Fprintf(w, "  %-14s %10d rows  sha256 %s  (%.1f s)\n", "total", sum.Rows(), sum.SHA256[:16], time.Since(start).Seconds())
}
