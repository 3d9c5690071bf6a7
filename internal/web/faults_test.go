package web

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/govkpi/govkpi/internal/kpi"
	"github.com/govkpi/govkpi/internal/store"
)

// TestSQLiteLockedAnswers503ThenRecovers: another process holds the write
// lock for longer than the busy timeout. A save is refused with 503 and a
// clear message instead of hanging or failing with 500; once the lock is
// released the next save goes through, without a restart.
func TestSQLiteLockedAnswers503ThenRecovers(t *testing.T) {
	path := demoCopy(t)
	cfg, err := store.ParseURL(path)
	if err != nil {
		t.Fatal(err)
	}
	// The production timeout is 10 s; the test need not wait that long.
	cfg.DSN = strings.Replace(cfg.DSN, "_busy_timeout=10000", "_busy_timeout=300", 1)
	if !strings.Contains(cfg.DSN, "_busy_timeout=300") {
		t.Fatalf("busy timeout not found in %s", cfg.DSN)
	}
	st, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	st.SetClock(func() time.Time { return testNow })
	srv := httptest.NewServer(New(st, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(func() { srv.Close(); st.Close() })
	ts := &testServer{Server: srv, client: anonymousClient(), path: path}
	ts.login(t, "editor", "demo-editor")
	token := ts.csrf(t, "/entry")

	// The other process: its own connection, an exclusive transaction.
	other, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"_csrf": {token}, "year": {"2026"}, "quarter": {"3"}, "action": {"save"}, "v.fulltime_mediators": {"61"}}
	start := time.Now()
	code, _, body := ts.post(t, "/entry", "/entry", form)
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "数据库繁忙，请稍后重试") {
		t.Errorf("save while the database is locked: %d, want 503 with a message:\n%s", code, body)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("the refusal took %v: it should come after the busy timeout", took)
	}
	// Reading still works beside the lock (WAL).
	if code, _, _ := get(t, ts, "/entry?year=2026&quarter=3"); code != http.StatusOK {
		t.Errorf("GET /entry while locked: %d", code)
	}
	if _, err := conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if code, _, body := ts.post(t, "/entry", "/entry", form); code != http.StatusSeeOther {
		t.Fatalf("save after the lock is released: %d\n%s", code, body)
	}
	if _, _, body := get(t, ts, "/entry?year=2026&quarter=3"); !strings.Contains(body, `name="v.fulltime_mediators" value="61"`) {
		t.Error("the save after the lock was released is not there")
	}
}

// proxy forwards TCP connections to a database server; closing it cuts
// every live connection, as a server restart or a network fault does.
type proxy struct {
	addr, target string
	mu           sync.Mutex
	ln           net.Listener
	conns        []net.Conn
}

func startProxy(t *testing.T, target string) *proxy {
	p := &proxy{target: target}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(p.stop)
	return p
}

func (p *proxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
}

func (p *proxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *proxy) restart(t *testing.T) {
	ln, err := net.Listen("tcp", p.addr) // the same port: the DSN does not change
	if err != nil {
		t.Fatal(err)
	}
	p.serve(ln)
}

// TestDatabaseOutageAnswers503ThenRecovers puts a proxy between the store
// and PostgreSQL (or MariaDB) and cuts it: requests fail with 503 (not 500,
// not a hang), and when the proxy is back they succeed again by themselves.
// The real servers are never stopped: others use them.
func TestDatabaseOutageAnswers503ThenRecovers(t *testing.T) {
	t.Run("postgres", func(t *testing.T) {
		dsn := os.Getenv("GOVKPI_TEST_POSTGRES")
		if dsn == "" {
			t.Skip("GOVKPI_TEST_POSTGRES not set")
		}
		u, err := url.Parse(dsn)
		if err != nil {
			t.Fatal(err)
		}
		admin, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close()
		schema := uniqueTestName()
		if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { admin.Exec("DROP SCHEMA " + schema + " CASCADE") })
		px := startProxy(t, u.Host)
		u.Host = px.addr
		q := u.Query()
		q.Set("search_path", schema)
		q.Set("connect_timeout", "2")
		u.RawQuery = q.Encode()
		outageThenRecovery(t, u.String(), px)
	})
	t.Run("mysql", func(t *testing.T) {
		dsn := os.Getenv("GOVKPI_TEST_MYSQL")
		if dsn == "" {
			t.Skip("GOVKPI_TEST_MYSQL not set")
		}
		base, err := store.ParseURL(dsn)
		if err != nil {
			t.Fatal(err)
		}
		admin, err := sql.Open("mysql", base.DSN)
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close()
		name := uniqueTestName()
		if _, err := admin.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { admin.Exec("DROP DATABASE " + name) })
		// user@tcp(host:port)/db?params → through the proxy, into the new database
		m := regexp.MustCompile(`^(.*)@tcp\(([^)]+)\)/[^?]*(\?.*)?$`).FindStringSubmatch(base.DSN)
		if m == nil {
			t.Fatalf("cannot read %s", base.Label)
		}
		px := startProxy(t, m[2])
		outageThenRecovery(t, m[1]+"@tcp("+px.addr+")/"+name+"?timeout=2s", px)
	})
}

func uniqueTestName() string {
	b := make([]byte, 6)
	rand.Read(b)
	return "govkpi_t_" + hex.EncodeToString(b)
}

func outageThenRecovery(t *testing.T, dsn string, px *proxy) {
	ctx := context.Background()
	cfg, err := store.ParseURL(dsn)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.SetBcryptCost(4)
	if _, err := st.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	user, err := st.CreateUser(ctx, "test", store.NewUser{Name: "ops", DisplayName: "运维", Role: kpi.RoleAdmin, Password: "long enough password"})
	if err != nil {
		t.Fatal(err)
	}
	token, err := st.CreateAPIToken(ctx, user.ID, "outage")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(st, slog.New(slog.NewTextHandler(io.Discard, nil))))
	defer srv.Close()
	call := func(path string) (int, string) {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		client := &http.Client{Timeout: 20 * time.Second}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, path := range []string{"/healthz", "/api/v1/indicators"} {
		if code, body := call(path); code != http.StatusOK {
			t.Fatalf("%s before the outage: %d %s", path, code, body)
		}
	}

	px.stop()
	for _, path := range []string{"/api/v1/indicators", "/healthz", "/api/v1/indicators"} {
		start := time.Now()
		code, body := call(path)
		if code != http.StatusServiceUnavailable {
			t.Errorf("%s during the outage: %d, want 503\n%s", path, code, body)
		}
		if strings.HasPrefix(path, "/api/") {
			var e apiError
			if json.Unmarshal([]byte(body), &e); e.Error.Code != kpi.EUNAVAILABLE || !strings.Contains(e.Error.Message, "数据库") {
				t.Errorf("%s during the outage: body %s", path, body)
			}
		}
		if took := time.Since(start); took > 10*time.Second {
			t.Errorf("%s took %v to fail", path, took)
		}
	}

	px.restart(t)
	// Connections cut by the outage are dropped from the pool, not reused.
	for i, path := range []string{"/api/v1/indicators", "/healthz", "/api/v1/indicators"} {
		if code, body := call(path); code != http.StatusOK {
			t.Errorf("request %d (%s) after the database came back: %d\n%s", i+1, path, code, body)
		}
	}
}
