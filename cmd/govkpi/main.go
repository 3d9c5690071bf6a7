// Command govkpi serves the rule-of-law performance-indicator dashboard.
//
//	govkpi serve     start the web server (migrating first)
//	govkpi migrate   create or upgrade the schema and load the reference data
//	govkpi demo      migrate, then load the demo data once
//
// Configuration comes from flags, or from GOVKPI_DB and GOVKPI_ADDR. This is
// the only place that reads them; everything else is passed in.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/govkpi/govkpi/internal/app"
	"github.com/govkpi/govkpi/internal/demo"
	"github.com/govkpi/govkpi/internal/kpi"
	"github.com/govkpi/govkpi/internal/store"
	"github.com/govkpi/govkpi/internal/web"
)

// Exit statuses: 2 for a usage error or an unreachable database, as the
// README promises; 1 for anything else.
const (
	exitFail  = 1
	exitUsage = 2
)

const usage = `govkpi — 法治政府建设指标看板 / rule-of-law KPI dashboard

Usage:
  govkpi <command> [flags]

Commands:
  serve     迁移数据库后启动网页服务  (migrate, then serve the dashboard)
  migrate   创建或升级数据库结构，载入指标目录与行政区划
            (create or upgrade the schema; load the indicator catalogue and regions)
  demo      迁移后载入演示数据（只载入一次），并列出演示账号；--scale national 载入全国
            (migrate, then load the demo data once; running it again changes nothing;
             --scale national: every county of China, about 8.3 million values)
  user add  --name N --role admin|reviewer|editor|viewer [--region CODE] [--department CODE:TYPE] [--display NAME]
            创建账号，密码从终端提示输入或从标准输入读取（从不作为参数）
            (create an account; the password is prompted for, or read from standard input — never a flag)
  indicator owner --code CODE --department TYPE
            改变指标的填报部门类型 / change which department type enters an indicator
  indicator headline --code CODE [--on]
            设定驾驶舱的重点指标 / put an indicator on the cockpit (--on) or take it off
  extract-eval [-v] GOLD_DIR
            在标注过的报告上测量材料提取的准确率与召回率（NAME.txt 旁放 NAME.gold.tsv）
            (precision, recall and F1 of figure extraction over annotated reports)
  user token --name N [--label TEXT]
            为账号生成 API 令牌（Authorization: Bearer …）/ issue an API token for an account
  backup FILE [--force]      SQLite 在线备份（服务可继续运行），校验后写入 FILE
                             (consistent snapshot of a live SQLite database, verified)
  restore FILE [--force]     用备份替换 --db 指定的 SQLite 文件（须先停止服务）
                             (replace the --db SQLite file with a backup; stop the server first)
  export-all FILE [--force]  导出全部数据到可移植文件（任何数据库），附每张表的校验和
                             (dump every table to a portable file, with a checksum per table)
  import-all FILE            导入到空数据库（任何数据库），校验和不符则全部回滚
                             (load a dump into an empty database of any engine; rolled back unless the checksums match)

Flags (each command):
  --db URL      数据库 / database (default "db/govkpi.db", env GOVKPI_DB)
                a file path selects SQLite; postgres://user:pass@host:5432/db
                selects PostgreSQL; mysql://user:pass@host:3306/db selects MySQL
  --addr ADDR   监听地址 / listen address for serve (default ":8080", env GOVKPI_ADDR)
  --due-days N  serve: 季度结束后几天截止报送 / days after a quarter's end its figures are due (default 15, env GOVKPI_DUE_DAYS)
  --lock-days N serve: 截止后几天自动锁定 / days after the deadline a quarter locks (default 60, env GOVKPI_LOCK_DAYS)
  --met X       serve: 完成度达到几为达标 / progress that counts as met (default 1.0, env GOVKPI_MET)
  --near X      serve: 完成度达到几为接近 / progress that counts as near (default 0.9, env GOVKPI_NEAR)
  --memory-limit MB  serve: 堆内存增长到多少 MiB 才回收 / MiB the heap may grow to before the
                garbage collector runs (default 200, env GOVKPI_MEMORY_LIMIT_MB; GOGC, if set, still applies)

Run "govkpi <command> --help" for a command's flags.
`

type config struct {
	db         string
	addr       string
	deadlines  kpi.Deadlines
	thresholds kpi.Thresholds
	scale      demo.Scale
	// readHeaderTimeout bounds how long a client may take to send its
	// headers (slow-loris); a field so tests can shorten it.
	readHeaderTimeout time.Duration
	memoryLimitMB     int
}

type ownerFlags struct {
	code, department string
	headline         bool
}

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return exitUsage
		}
		return 0
	}
	cmd, rest := args[0], args[1:]
	if cmd == "extract-eval" {
		return extractEval(rest, stdout, stderr)
	}
	if cmd == "user" || cmd == "indicator" {
		sub := map[string][]string{"user": {"add", "token"}, "indicator": {"owner", "headline"}}[cmd]
		if len(rest) == 0 || !slices.Contains(sub, rest[0]) {
			fmt.Fprintf(stderr, "govkpi %s: 需要子命令 / subcommand required: %s\n", cmd, strings.Join(sub, ", "))
			return exitUsage
		}
		cmd, rest = cmd+" "+rest[0], rest[1:]
	}
	fs := flag.NewFlagSet("govkpi "+cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // one line of our own instead of flag's usage dump
	cfg := config{db: envOr("GOVKPI_DB", "db/govkpi.db"), addr: envOr("GOVKPI_ADDR", ":8080"), readHeaderTimeout: 10 * time.Second}
	fs.StringVar(&cfg.db, "db", cfg.db, "database: SQLite file path, postgres://… or mysql://… URL (env GOVKPI_DB)")
	if cmd == "serve" {
		fs.StringVar(&cfg.addr, "addr", cfg.addr, "listen address (env GOVKPI_ADDR)")
		fs.IntVar(&cfg.deadlines.DueDays, "due-days", envInt("GOVKPI_DUE_DAYS", kpi.DefaultDeadlines.DueDays), "days after a quarter's end its figures are due")
		fs.IntVar(&cfg.deadlines.LockDays, "lock-days", envInt("GOVKPI_LOCK_DAYS", kpi.DefaultDeadlines.LockDays), "days after the deadline a quarter locks")
		fs.Float64Var(&cfg.thresholds.Met, "met", envFloat("GOVKPI_MET", kpi.DefaultThresholds.Met), "progress at which a target counts as met (1.0 = 100%)")
		fs.Float64Var(&cfg.thresholds.Near, "near", envFloat("GOVKPI_NEAR", kpi.DefaultThresholds.Near), "progress at which a target counts as near")
		fs.IntVar(&cfg.memoryLimitMB, "memory-limit", envInt("GOVKPI_MEMORY_LIMIT_MB", 200), "MiB the server's heap may grow to before the garbage collector runs")
	}
	var owner ownerFlags
	if strings.HasPrefix(cmd, "indicator ") {
		fs.StringVar(&owner.code, "code", "", "indicator code")
		fs.StringVar(&owner.department, "department", "", "department type (indicator owner)")
		fs.BoolVar(&owner.headline, "on", false, "indicator headline: show it on the cockpit (without --on: take it off)")
	}
	scale := string(demo.ScaleProvince)
	if cmd == "demo" {
		fs.StringVar(&scale, "scale", scale, "province (Zhejiang, about 262,000 values) or national (every county, about 8.3 million)")
	}
	var acct accountFlags
	if strings.HasPrefix(cmd, "user ") {
		acct.register(fs, cmd)
	}
	var bk backupFlags
	if isBackupCommand(cmd) {
		bk.register(fs, cmd)
	}
	fs.Usage = func() { fmt.Fprintf(fs.Output(), "Usage: govkpi %s [flags]\n", cmd); fs.PrintDefaults() }
	switch cmd {
	case "serve", "migrate", "demo", "user add", "user token", "indicator owner", "indicator headline",
		"backup", "restore", "export-all", "import-all":
	default:
		fmt.Fprintf(stderr, "govkpi: 未知命令 %q（可用：serve、migrate、demo；见 govkpi --help）/ unknown command %q\n", cmd, cmd)
		return exitUsage
	}
	err := fs.Parse(rest)
	if err == nil && isBackupCommand(cmd) {
		err = bk.takeFile(fs, cmd)
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return 0
		}
		fmt.Fprintf(stderr, "govkpi %s: 参数错误 / bad flag: %v（见 govkpi %s --help）\n", cmd, err, cmd)
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "govkpi %s: 多余的参数 %q / unexpected argument\n", cmd, fs.Arg(0))
		return exitUsage
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if cfg.deadlines.DueDays < 0 || cfg.deadlines.LockDays < 0 || cfg.thresholds.Near > cfg.thresholds.Met || cfg.thresholds.Near < 0 {
		fmt.Fprintf(stderr, "govkpi %s: 天数不能为负，且须 0 ≤ near ≤ met / days cannot be negative, and 0 ≤ near ≤ met\n", cmd)
		return exitUsage
	}
	if scale != string(demo.ScaleProvince) && scale != string(demo.ScaleNational) {
		fmt.Fprintf(stderr, "govkpi demo: --scale 只能是 province 或 national / --scale must be province or national\n")
		return exitUsage
	}
	cfg.scale = demo.Scale(scale)
	if isBackupCommand(cmd) {
		err = runBackup(ctx, cmd, cfg, bk, stdout)
	} else {
		err = execute(ctx, cmd, cfg, acct, owner, stdin, stdout, logger)
	}
	if err == nil {
		return 0
	}
	fmt.Fprintf(stderr, "govkpi %s: %s / %s\n", cmd, oneLine(kpi.ErrorMessage(err, "zh")), oneLine(kpi.ErrorMessage(err, "en")))
	if kpi.ErrorCode(err) == kpi.EINTERNAL {
		logger.Error("failed", "err", err)
	}
	if code := kpi.ErrorCode(err); code == kpi.EUNAVAILABLE || code == kpi.EINVALID {
		return exitUsage
	}
	return exitFail
}

// oneLine folds a driver's multi-line message into one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func envFloat(name string, def float64) float64 {
	if n, err := strconv.ParseFloat(os.Getenv(name), 64); err == nil {
		return n
	}
	return def
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return n
	}
	return def
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func execute(ctx context.Context, cmd string, cfg config, acct accountFlags, owner ownerFlags, stdin io.Reader, stdout io.Writer, logger *slog.Logger) error {
	dbCfg, err := store.ParseURL(cfg.db)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, dbCfg)
	if err != nil {
		return err
	}
	defer st.Close()
	prep, err := app.Prepare(ctx, st)
	if err != nil {
		return err
	}
	for _, name := range prep.Migrated {
		fmt.Fprintf(stdout, "已迁移 / migrated: %s\n", name)
	}
	switch cmd {
	case "demo":
		loaded, err := demo.Load(ctx, st, prep.Catalogue, prep.Regions, cfg.scale, func(format string, args ...any) {
			fmt.Fprintf(stdout, format+"\n", args...)
		})
		if err != nil {
			return err
		}
		if !loaded {
			fmt.Fprintln(stdout, "演示数据已存在，未作改动 / demo data already loaded, nothing changed")
		}
		fmt.Fprintln(stdout, "演示账号 / demo accounts (用户名 / 密码):")
		for _, a := range demo.Accounts {
			fmt.Fprintf(stdout, "  %-9s %-14s %s\n", a.Name, a.Password, a.DisplayName)
		}
		return nil
	case "user add":
		return addUser(ctx, st, acct, stdin, stdout)
	case "user token":
		return issueToken(ctx, st, acct, stdout)
	case "indicator owner":
		if err := st.SetIndicatorDepartment(ctx, "cli", owner.code, owner.department); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s → %s\n", owner.code, owner.department)
		return nil
	case "indicator headline":
		if err := st.SetIndicatorHeadline(ctx, "cli", owner.code, owner.headline); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s headline=%v\n", owner.code, owner.headline)
		return nil
	case "serve":
		return serve(ctx, st, cfg, stdout, logger)
	}
	return nil
}

func serve(ctx context.Context, st *store.Store, cfg config, stdout io.Writer, logger *slog.Logger) error {
	setMemoryLimit(cfg.memoryLimitMB)
	addr := cfg.addr
	srv := newHTTPServer(cfg, web.New(st, logger, web.Options{Deadlines: cfg.deadlines, Thresholds: cfg.thresholds}))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return kpi.Errorf(kpi.EUNAVAILABLE, "无法监听 %s：%v", "cannot listen on %s: %v", addr, err)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "govkpi 已启动 / serving on %s\n", displayURL(ln.Addr().(*net.TCPAddr)))
	select {
	case err := <-errc:
		return kpi.Internal(err)
	case <-ctx.Done():
	}
	// Finish in-flight requests, accept no new ones.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}

// setMemoryLimit lets the heap grow to limitMB before the garbage collector
// runs (GOGC=off with a soft memory limit), unless the operator set GOGC.
// Under load the default pacing collected several times a second and made
// the slowest requests wait: make load went from p99 151 ms to 49 ms with
// server RSS at most 227 MB, within the 300 MB the server is allowed.
func setMemoryLimit(limitMB int) {
	if limitMB <= 0 {
		return
	}
	debug.SetMemoryLimit(int64(limitMB) << 20)
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(-1)
	}
}

// newHTTPServer is the server serve runs, with its timeouts: a client that
// trickles its headers (slow-loris) is cut off after readHeaderTimeout.
func newHTTPServer(cfg config, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              cfg.addr,
		Handler:           h,
		ReadHeaderTimeout: cfg.readHeaderTimeout,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10, // no page needs more; the default is 1 MB
	}
}

// displayURL is the address to open in a browser: localhost for a
// wildcard listener.
func displayURL(a *net.TCPAddr) string {
	if a.IP == nil || a.IP.IsUnspecified() {
		return fmt.Sprintf("http://localhost:%d", a.Port)
	}
	return "http://" + a.String()
}
