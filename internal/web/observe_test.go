package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/govkpi/govkpi/internal/store"
)

// logBuffer collects a server's log lines (the server writes from its own
// goroutines).
type logBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// lines parses the JSON log lines.
func (l *logBuffer) lines(t *testing.T) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(l.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		out = append(out, m)
	}
	return out
}

// Every request is one structured line: request id, user, route pattern,
// status and duration. Passwords never reach the log, whether they are
// right, wrong, or put in the URL.
func TestRequestLogLinesAndNoPasswords(t *testing.T) {
	var logs logBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, nil))
	path := demoCopy(t)
	ts := newServerWith(t, path, logger, Options{}, "viewer", "demo-viewer")
	code, h, _ := get(t, ts, "/compare?indicator=startup_days&year=2025")
	if code != http.StatusOK {
		t.Fatal(code)
	}
	id := h.Get("X-Request-Id")
	wrong := newServerWith(t, path, logger, Options{}, "", "")
	wrong.post(t, "/login", "/login", url.Values{"name": {"viewer"}, "password": {"Wr0ng-Secret-4711"}})
	get(t, wrong, "/login?name=viewer&password=Url-Secret-0815")
	wrong.post(t, "/login", "/login?password=Query-Secret-2342", url.Values{"name": {"nobody"}})

	var found bool
	for _, m := range logs.lines(t) {
		if m["msg"] == "request" && m["id"] == id {
			found = true
			if m["user"] != "viewer" || m["route"] != "/compare" || m["status"] != float64(200) || m["method"] != "GET" {
				t.Errorf("log line = %v, want user viewer, route /compare, status 200", m)
			}
			if ms, ok := m["ms"].(float64); !ok || ms <= 0 {
				t.Errorf("log line without a duration: %v", m)
			}
		}
		if m["msg"] == "request" && (m["id"] == "" || m["route"] == nil) {
			t.Errorf("a request line without id or route: %v", m)
		}
	}
	if !found {
		t.Errorf("no log line for request %s", id)
	}
	for _, secret := range []string{"demo-viewer", "Wr0ng-Secret-4711", "Url-Secret-0815", "Query-Secret-2342"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the log contains the password %q", secret)
		}
	}
	if !strings.Contains(logs.String(), "REDACTED") {
		t.Errorf("the URL password was not visibly redacted")
	}
}

// scrape reads /metrics and checks that it is the Prometheus text format.
func scrape(t *testing.T, ts *testServer, header http.Header) (int, map[string]float64) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/metrics", nil)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := ts.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return resp.StatusCode, nil
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("/metrics is not the Prometheus text format: %v", err)
	}
	// Flatten to name{label="value",…} → value for the assertions.
	out := map[string]float64{}
	for name, mf := range families {
		for _, m := range mf.Metric {
			key := name
			var labels []string
			for _, l := range m.Label {
				labels = append(labels, l.GetName()+"="+l.GetValue())
			}
			if len(labels) > 0 {
				key += "{" + strings.Join(labels, ",") + "}"
			}
			switch {
			case m.Counter != nil:
				out[key] = m.Counter.GetValue()
			case m.Gauge != nil:
				out[key] = m.Gauge.GetValue()
			case m.Histogram != nil:
				out[key+"_count"] = float64(m.Histogram.GetSampleCount())
			}
		}
	}
	return http.StatusOK, out
}

// /metrics is for a scraper on the same machine or an administrator; it
// counts requests by route pattern, the pool, values written, uploads and
// login failures.
func TestMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	path := demoCopy(t)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	editor := newServerWith(t, path, logger, Options{Registry: reg}, "editor", "demo-editor")
	remote := http.Header{"X-Forwarded-For": {"203.0.113.7"}}

	// Who may read it.
	anon := newServerWith(t, path, logger, Options{}, "", "")
	if code, _ := scrape(t, anon, remote); code != http.StatusUnauthorized {
		t.Errorf("anonymous through a proxy: %d, want 401", code)
	}
	if code, _ := scrape(t, editor, remote); code != http.StatusForbidden {
		t.Errorf("editor through a proxy: %d, want 403", code)
	}
	admin := newServerWith(t, path, logger, Options{}, "admin", "demo-admin")
	if code, _ := scrape(t, admin, remote); code != http.StatusOK {
		t.Errorf("admin through a proxy: %d, want 200", code)
	}
	if code, _ := scrape(t, anon, nil); code != http.StatusOK {
		t.Errorf("a scraper on loopback: %d, want 200", code)
	}
	// A request from another machine, straight to the handler.
	h := New(mustOpen(t, path), logger)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	req.RemoteAddr = "198.51.100.9:51000"
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusUnauthorized || strings.Contains(rec.Body.String(), "govkpi_http") {
		t.Errorf("remote anonymous: %d", rec.Code)
	}

	// What it counts: a save of two figures, an upload previewed and
	// confirmed, a refused upload, a failed login.
	form := url.Values{"year": {"2026"}, "quarter": {"3"}, "v.fulltime_mediators": {"41"}, "v.mediators": {"300"}}
	if code, _, body := editor.post(t, "/entry?year=2026&quarter=3", "/entry", form); code != http.StatusSeeOther {
		t.Fatalf("save: %d\n%.500s", code, body)
	}
	csv := "上城区司法局 2026年第3季度\nregion,330102,year,2026,quarter,3\n指标代码,指标名称,单位,上季度,上年同期,本期填报,说明\nfulltime_mediators,专职人民调解员,名,,,42,\n"
	code, body := editor.upload(t, "/entry", "/entry/upload", "a.csv", []byte(csv), url.Values{})
	m := uploadID.FindStringSubmatch(body)
	if code != http.StatusOK || m == nil {
		t.Fatalf("upload: %d\n%.3000s", code, body)
	}
	if code, _, _ := editor.post(t, "/entry", "/entry/upload/confirm", url.Values{"upload": {m[1]}, "year": {"2026"}, "quarter": {"3"}}); code != http.StatusSeeOther {
		t.Fatalf("confirm: %d", code)
	}
	editor.upload(t, "/entry", "/entry/upload", "b.xlsx", []byte("PK\x03\x04junk"), url.Values{})
	failed := newServerWith(t, path, logger, Options{Registry: reg}, "", "")
	failed.post(t, "/login", "/login", url.Values{"name": {"viewer"}, "password": {"nope"}})
	get(t, editor, "/no-such-page")

	_, got := scrape(t, editor, nil)
	for key, want := range map[string]float64{
		`govkpi_values_written_total{kind=value,via=form}`:                                2,
		`govkpi_values_written_total{kind=value,via=upload}`:                              1,
		`govkpi_uploads_total{kind=department,outcome=previewed}`:                         1,
		`govkpi_uploads_total{kind=department,outcome=confirmed}`:                         1,
		`govkpi_uploads_total{kind=department,outcome=rejected}`:                          1,
		`govkpi_login_failures_total{reason=password}`:                                    1,
		`govkpi_http_requests_total{method=POST,route=/entry,status=303}`:                 1,
		`govkpi_http_requests_total{method=GET,route=/*,status=404}`:                      1,
		`govkpi_http_request_duration_seconds{method=POST,route=/entry,status=303}_count`: 1,
		`govkpi_db_max_open_connections`:                                                  16,
	} {
		if got[key] != want {
			t.Errorf("%s = %v, want %v", key, got[key], want)
		}
	}
	if got["govkpi_db_open_connections"] < 1 {
		t.Errorf("no open database connection reported")
	}
	for key := range got {
		if strings.Contains(key, "route=/entry/upload?") || strings.Contains(key, "route=/no-such-page") {
			t.Errorf("a raw path became a label: %s", key)
		}
	}
	// The series follow Prometheus' naming rules.
	problems, err := testutil.GatherAndLint(reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("lint %s: %s", p.Metric, p.Text)
	}
}

func mustOpen(t *testing.T, path string) *store.Store {
	t.Helper()
	st, err := openSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// /healthz asks the database: a closed pool is a 503.
func TestHealthzChecksTheDatabase(t *testing.T) {
	st, err := openSQLite(demoDB)
	if err != nil {
		t.Fatal(err)
	}
	h := New(st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	for _, want := range []int{http.StatusOK, http.StatusServiceUnavailable} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		var body map[string]string
		json.Unmarshal(rec.Body.Bytes(), &body)
		if rec.Code != want {
			t.Errorf("healthz: %d %v, want %d", rec.Code, body, want)
		}
		if want == http.StatusServiceUnavailable && body["status"] != "unavailable" {
			t.Errorf("healthz body %v", body)
		}
		st.Close() // the database goes away
	}
	if err := st.Ping(context.Background()); err == nil {
		t.Fatal("a closed store still answers")
	}
}

// Error pages and API errors carry the request id of the log line, so a
// user's screenshot leads to the log.
func TestErrorsShowTheRequestID(t *testing.T) {
	ts := newServerAs(t, demoDB, "viewer", "demo-viewer")
	// (An unknown path is a 404 for every role: once it was the 403 of the
	// reviewers' route group.)
	for path, want := range map[string]int{"/compare?year=abc": 400, "/review": 403, "/no-such-page": 404} {
		code, h, body := get(t, ts, path)
		id := h.Get("X-Request-Id")
		if code != want || id == "" || !strings.Contains(body, id) {
			t.Errorf("%s: %d, request id %q on the page: %v", path, code, id, strings.Contains(body, id))
		}
	}
	var e apiError
	code, h, body := get(t, ts, "/api/v1/comparison?year=abc")
	json.Unmarshal([]byte(body), &e)
	if code != http.StatusBadRequest || e.Error.RequestID == "" || e.Error.RequestID != h.Get("X-Request-Id") {
		t.Errorf("API error: %d %+v", code, e)
	}
}
