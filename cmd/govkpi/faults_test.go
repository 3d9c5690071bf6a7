package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/govkpi/govkpi/internal/store"
)

// buildBinary builds govkpi for tests that need a real process to kill.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "govkpi")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// lineWatcher collects a process's output lines as they come.
type lineWatcher struct {
	mu    sync.Mutex
	lines []string
	eof   chan struct{} // closed when the output has been read to its end
}

func watch(r io.Reader) *lineWatcher {
	w := &lineWatcher{eof: make(chan struct{})}
	go func() {
		defer close(w.eof)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			w.mu.Lock()
			w.lines = append(w.lines, sc.Text())
			w.mu.Unlock()
		}
	}()
	return w
}

// wait returns the submatches of the lines matching re once there are n.
func (w *lineWatcher) wait(t *testing.T, re *regexp.Regexp, n int, timeout time.Duration) [][]string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		w.mu.Lock()
		var found [][]string
		for _, l := range w.lines {
			if m := re.FindStringSubmatch(l); m != nil {
				found = append(found, m)
			}
		}
		all := strings.Join(w.lines, "\n")
		w.mu.Unlock()
		if len(found) >= n {
			return found
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %d lines matching %s:\n%s", timeout, n, re, all)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

var provinceDone = regexp.MustCompile(`\d+/\d+ (\S+)：\d+ 个地区，(\d+) 条数据`)

// TestKill9DuringBulkLoad kills the national demo load with SIGKILL while
// a province is being written. Each province is one transaction: after
// the kill every province is there whole or not at all, every value has
// the history that explains it, the file is sound, and govkpi starts on it.
func TestKill9DuringBulkLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a real process")
	}
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "killed.db")
	cmd := exec.Command(bin, "demo", "--scale", "national", "--db", db)
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := watch(out)
	lines.wait(t, provinceDone, 2, 3*time.Minute)
	time.Sleep(time.Duration(rand.IntN(1500)) * time.Millisecond) // somewhere inside the third province
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-lines.eof // every line printed before the kill landed
	cmd.Wait()
	done := lines.wait(t, provinceDone, 2, time.Second)

	ctx := context.Background()
	raw, err := sql.Open("sqlite3", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var check string
	if err := raw.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check after kill -9: %q %v", check, err)
	}
	counts := map[int]int{} // province prefix → values
	rows, err := raw.Query(`SELECT region_code / 10000, COUNT(*) FROM kpi_values GROUP BY region_code / 10000`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var p, n int
		rows.Scan(&p, &n)
		counts[p] = n
	}
	rows.Close()
	for _, m := range done {
		var code int
		if err := raw.QueryRow(`SELECT code FROM regions WHERE level = 1 AND name = ?`, m[1]).Scan(&code); err != nil {
			t.Fatalf("province %s: %v", m[1], err)
		}
		want, _ := strconv.Atoi(m[2])
		if counts[code/10000] != want {
			t.Errorf("%s was reported loaded with %d values; after the kill it has %d", m[1], want, counts[code/10000])
		}
		delete(counts, code/10000)
	}
	// The province being written when the kill came is absent — or, if the
	// kill fell between its commit and its progress line, whole: the
	// history check below then shows it is consistent.
	if len(counts) > 1 {
		t.Errorf("values of more than one unreported province: %v", counts)
	}
	t.Logf("killed after %d provinces; unreported provinces with values: %v", len(done), counts)

	cfg, _ := store.ParseURL(db)
	st, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.CheckHistory(ctx); err != nil {
		t.Errorf("after kill -9: %v", err)
	}
	st.Close()
	if out, err := exec.Command(bin, "migrate", "--db", db).CombinedOutput(); err != nil {
		t.Errorf("migrate after kill -9: %v\n%s", err, out)
	}

	// The same for import-all, which loads a whole dump in one transaction:
	// killed half-way, it leaves the target without data, so it can simply
	// be run again.
	dump := filepath.Join(t.TempDir(), "dump.gz")
	if out, err := exec.Command(bin, "export-all", "--db", db, dump).CombinedOutput(); err != nil {
		t.Fatalf("export-all: %v\n%s", err, out)
	}
	target := killImportMidway(t, bin, dump)
	tgt, err := sql.Open("sqlite3", "file:"+target)
	if err != nil {
		t.Fatal(err)
	}
	defer tgt.Close()
	var left int
	if err := tgt.QueryRow(`SELECT (SELECT COUNT(*) FROM kpi_values) + (SELECT COUNT(*) FROM value_history) +
		(SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM regions)`).Scan(&left); err != nil || left != 0 {
		t.Errorf("an import killed half-way left %d rows (%v)", left, err)
	}
	if err := tgt.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check after killing import-all: %q %v", check, err)
	}
}

// killImportMidway runs import-all once to the end to learn how long its
// rows take on this machine, then again into a new file, killed at a random
// point inside that span; it returns the killed target. A dump without
// per-value history imports in well under a second, so a fixed delay
// would often kill a finished import and prove nothing.
func killImportMidway(t *testing.T, bin, dump string) string {
	t.Helper()
	imported := regexp.MustCompile(`已导入 / imported`)
	run := func(target string, killAfter time.Duration) (*lineWatcher, time.Duration) {
		imp := exec.Command(bin, "import-all", "--db", target, dump)
		out, _ := imp.StdoutPipe()
		imp.Stderr = os.Stderr
		if err := imp.Start(); err != nil {
			t.Fatal(err)
		}
		lines := watch(out)
		lines.wait(t, regexp.MustCompile(`migrated: 0002`), 1, time.Minute) // the schema is there; rows are going in
		start := time.Now()
		if killAfter > 0 {
			time.Sleep(killAfter)
			imp.Process.Signal(syscall.SIGKILL)
		}
		<-lines.eof
		imp.Wait()
		return lines, time.Since(start)
	}
	whole, span := run(filepath.Join(t.TempDir(), "whole.db"), 0)
	whole.wait(t, imported, 1, time.Second)
	for try := range 5 {
		target := filepath.Join(t.TempDir(), fmt.Sprintf("target%d.db", try))
		killAfter := time.Duration(float64(span) * (0.2 + 0.6*rand.Float64()) / float64(int(1)<<try))
		lines, _ := run(target, killAfter)
		lines.mu.Lock()
		finished := imported.MatchString(strings.Join(lines.lines, "\n"))
		lines.mu.Unlock()
		if !finished {
			t.Logf("import-all takes %v here; killed after %v", span, killAfter)
			return target
		}
	}
	t.Fatalf("import-all (%v here) finished before every kill", span)
	return ""
}

// TestGracefulShutdown runs serve as a real process and sends it SIGTERM
// while a request is half-way through its body: the server stops
// accepting connections at once, finishes that request (a login, which
// writes a session), and exits 0. Meanwhile it also shows that a backup
// can be taken of the live database and that restore refuses to replace a
// database a server has open.
func TestGracefulShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and signals a real process")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	if out, err := exec.Command(bin, "migrate", "--db", db).CombinedOutput(); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	add := exec.Command(bin, "user", "add", "--db", db, "--name", "ops", "--role", "admin")
	add.Stdin = strings.NewReader("a long enough password\n")
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("user add: %v\n%s", err, out)
	}
	srv := exec.Command(bin, "serve", "--db", db, "--addr", "127.0.0.1:0")
	out, _ := srv.StdoutPipe()
	var logs syncBuffer
	srv.Stderr = &logs
	defer func() {
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	}()
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer srv.Process.Kill()
	base := watch(out).wait(t, servingOn, 1, 30*time.Second)[0][1]
	addr := strings.TrimPrefix(base, "http://")

	// Backup of the live database; restore over it is refused while served.
	snap := filepath.Join(dir, "snap.db")
	if out, err := exec.Command(bin, "backup", "--db", db, snap).CombinedOutput(); err != nil {
		t.Errorf("backup while serving: %v\n%s", err, out)
	}
	restore := exec.Command(bin, "restore", snap, "--db", db, "--force")
	if out, err := restore.CombinedOutput(); err == nil || !strings.Contains(string(out), "正被进程") {
		t.Errorf("restore over a served database: %v\n%s", err, out)
	}

	// The login form's CSRF token and cookie.
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	resp, err := client.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindSubmatch(page)
	if m == nil {
		t.Fatal("no CSRF token on /login")
	}
	u, _ := url.Parse(base)
	var cookies []string
	for _, c := range jar.Cookies(u) {
		cookies = append(cookies, c.Name+"="+c.Value)
	}
	body := url.Values{"_csrf": {string(m[1])}, "name": {"ops"}, "password": {"a long enough password"}}.Encode()

	// Half of a request, then SIGTERM.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /login HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\nCookie: %s\r\n\r\n%s",
		addr, len(body), strings.Join(cookies, "; "), body[:len(body)/2])
	time.Sleep(200 * time.Millisecond) // the server has read the first bytes: the request is in flight
	if err := srv.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- srv.Wait() }()
	refused := false
	for i := 0; i < 40 && !refused; i++ {
		time.Sleep(50 * time.Millisecond)
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			refused = true
		} else {
			c.Close()
		}
	}
	if !refused {
		t.Error("the server still accepts connections after SIGTERM")
	}
	select {
	case err := <-exited:
		t.Fatalf("the server exited (%v) with a request in flight", err)
	default:
	}
	// The rest of the body: the request completes.
	io.WriteString(conn, body[len(body)/2:])
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err = http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the in-flight request got no answer: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Set-Cookie") == "" {
		t.Errorf("in-flight login: %d %v, want 303 with a session cookie", resp.StatusCode, resp.Header)
	}
	conn.Close()
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("serve exited with %v after SIGTERM, want 0", err)
		}
	case <-time.After(25 * time.Second):
		t.Fatal("serve did not exit after SIGTERM")
	}
	// The login's session was written before the process ended.
	raw, err := sql.Open("sqlite3", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var sessions int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM sessions`).Scan(&sessions); err != nil || sessions != 1 {
		t.Errorf("sessions after the in-flight login: %d %v", sessions, err)
	}
}
