package web

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/govkpi/govkpi/internal/kpi"
)

// routeTable lists the router's routes (without echo's own catch-alls) and
// the policy action each was registered with.
func routeTable(t *testing.T) ([]*echo.Route, map[string]kpi.Action) {
	t.Helper()
	st, err := openSQLite(demoDB)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	s := &Server{store: st, actions: map[string]kpi.Action{}, pages: parsePages()}
	e := echo.New()
	s.routes(e)
	var out []*echo.Route
	for _, r := range e.Routes() {
		if strings.HasPrefix(r.Name, "github.com/labstack/echo/v4.glob") || r.Method == echo.RouteNotFound {
			continue
		}
		out = append(out, r)
	}
	return out, s.actions
}

// publicRoutes need no login (logout needs one but no particular action).
var publicRoutes = map[string]bool{"GET /healthz": true, "GET /static/*": true, "GET /login": true, "POST /login": true, "POST /logout": true}

// routeURL fills a route pattern's path parameters (document 5 is a demo
// report filed under 杭州市, which every demo account may see).
func routeURL(pattern string) string {
	return strings.NewReplacer(":format", "xlsx", ":id", "5", "/*", "/app.js").Replace(pattern)
}

// demoQuery is a query every role can read: regions in the reviewer's
// scope (杭州市) and the viewer's (浙江省), a year with data, the editor's
// open quarter. Handlers read only the parameters they know.
const demoQuery = "region=330102&parent=330100&indicator=fulltime_mediators&year=2025&from=2024&to=2025"

var demoPasswords = map[string]string{"admin": "demo-admin", "reviewer": "demo-reviewer", "editor": "demo-editor", "viewer": "demo-viewer"}

// demoUsers are the demo accounts as the policy sees them.
func demoUsers(t *testing.T) map[string]*kpi.User {
	t.Helper()
	st, err := openSQLite(demoDB)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	users := map[string]*kpi.User{"anonymous": nil}
	for name := range demoPasswords {
		u, err := st.UserByName(context.Background(), name)
		if err != nil {
			t.Fatal(err)
		}
		users[name] = &u
	}
	return users
}

// do sends a request with the client's cookies, from a (pretended) remote
// address behind a proxy, so that /metrics applies its login rule too.
func (ts *testServer) do(t *testing.T, method, path string, form url.Values) (int, http.Header, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, ts.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("X-Forwarded-For", "203.0.113.7")
	resp, err := ts.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// TestAuthorisationMatrixOverEveryRoute requests every route of the router
// as every role. The expected answer comes from the route's rule and
// kpi.Authorize: refused roles get 403 (anonymous: the login page, or 401
// for the API and for writes); allowed roles get the page (GET 200) or at
// least past the gate (POST: not 401/403). A route without a rule fails.
func TestAuthorisationMatrixOverEveryRoute(t *testing.T) {
	routes, actions := routeTable(t)
	users := demoUsers(t)
	path := demoCopy(t) // the POSTs may write
	for _, role := range []string{"anonymous", "admin", "reviewer", "editor", "viewer"} {
		ts := newServerAs(t, path, "", "")
		if role != "anonymous" {
			ts.login(t, role, demoPasswords[role])
		}
		token := ts.csrf(t, "/login")
		for _, r := range routes {
			key := r.Method + " " + r.Path
			act, ruled := actions[key]
			if !ruled && !publicRoutes[key] {
				t.Errorf("route %s has no policy rule", key)
				continue
			}
			if r.Method != http.MethodGet && r.Method != http.MethodPost {
				t.Errorf("route %s: a method this test does not know", key)
				continue
			}
			if key == "POST /login" || key == "POST /logout" {
				continue // they change the session under test; TestLoginLogoutAndCSRF covers them
			}
			target := routeURL(r.Path)
			var form url.Values
			if r.Method == http.MethodPost {
				form = url.Values{"_csrf": {token}, "year": {"2026"}, "quarter": {"3"}}
			} else {
				target += "?" + demoQuery
				if role == "admin" && strings.HasPrefix(r.Path, "/entry") {
					target += "&department=1"
				}
				if strings.HasPrefix(r.Path, "/entry") || strings.HasPrefix(r.Path, "/targets") {
					target = strings.Replace(target, "year=2025", "year=2026&quarter=3", 1)
				}
			}
			code, h, body := ts.do(t, r.Method, target, form)
			var want string
			var ok bool
			switch {
			case !ruled && role == "anonymous" && key == "POST /logout":
				want, ok = "401", code == http.StatusUnauthorized
			case !ruled:
				want, ok = "200", code == http.StatusOK
			default:
				err := kpi.Authorize(users[role], act, kpi.Resource{})
				switch {
				case role == "anonymous" && r.Method == http.MethodGet && !strings.HasPrefix(r.Path, "/api/") && r.Path != "/metrics":
					want, ok = "303 to /login", code == http.StatusSeeOther && strings.HasPrefix(h.Get("Location"), "/login?next=")
				case role == "anonymous":
					want, ok = "401", code == http.StatusUnauthorized
				case err != nil:
					want, ok = "403", code == http.StatusForbidden
				case r.Method == http.MethodGet:
					want, ok = "200", code == http.StatusOK
				default:
					want, ok = "past the gate", code != http.StatusUnauthorized && code != http.StatusForbidden && code < 500
				}
			}
			if !ok {
				t.Errorf("%s %s %s: %d, want %s\n%.300s", role, r.Method, target, code, want, body)
			}
		}
	}
}

// TestCSRFOnEveryWrite posts to every state-changing route of the router,
// logged in as the administrator who may do everything, without the
// token and with a forged one: 403 each time, and nothing is written.
func TestCSRFOnEveryWrite(t *testing.T) {
	routes, _ := routeTable(t)
	path := demoCopy(t)
	ts := newServerAs(t, path, "admin", "demo-admin")
	before := historyCount(t, path)
	writes := 0
	for _, r := range routes {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			continue
		}
		writes++
		for name, token := range map[string]string{"no token": "", "a forged token": "forged-token-of-an-attacker"} {
			form := url.Values{"year": {"2026"}, "quarter": {"3"}, "department": {"1"}, "decision": {"approve"}, "v.fulltime_mediators": {"99"}}
			if token != "" {
				form.Set("_csrf", token)
			}
			code, _, body := ts.do(t, r.Method, routeURL(r.Path), form)
			if code != http.StatusForbidden || !strings.Contains(body, "CSRF") {
				t.Errorf("%s %s with %s: %d, want 403 naming the CSRF check", r.Method, r.Path, name, code)
			}
		}
	}
	if writes < 10 {
		t.Errorf("only %d state-changing routes found", writes)
	}
	if after := historyCount(t, path); after != before {
		t.Errorf("refused posts wrote %d history rows", after-before)
	}
	// Still logged in: logout without a token did not end the session.
	if code, _, _ := get(t, ts, "/"); code != http.StatusOK {
		t.Errorf("after the refused posts: %d", code)
	}
}

// historyCount fingerprints the stored data through the store's API: the
// number of values, and the history of the cell the forms above would write
// (上城区 full-time mediators, 2026 Q3).
func historyCount(t *testing.T, path string) int64 {
	t.Helper()
	ctx := context.Background()
	st, err := openSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n, err := st.CountValues(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cat, err := st.Indicators(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ind, _ := cat.Get("fulltime_mediators")
	h, err := st.History(ctx, 330102, ind, kpi.Period{Year: 2026, Quarter: 3})
	if err != nil {
		t.Fatal(err)
	}
	return n*1000 + int64(len(h))
}

// sqlPayload carries the metacharacters of every SQL dialect we run on:
// quotes of both kinds, comment starts, a statement break, LIKE wildcards,
// a backslash and a backtick, behind a region code so that a parser reading
// a numeric prefix would pass it on. One string, so that every parameter of
// every route is tried in a bounded time (about 600 requests).
const sqlPayload = `330102' OR '1'='1"; DROP TABLE kpi_values; -- /**/UNION SELECT password_hash FROM users%_\` + "`"

// queryParams are every query parameter a handler reads.
var queryParams = []string{"region", "parent", "within", "indicator", "year", "quarter", "from", "to", "by", "level",
	"period", "department", "sort", "layout", "lang", "next", "approved", "cumulative", "saved", "done", "count", "q"}

// TestSQLMetacharactersInEveryParameter puts SQL metacharacters into every
// query parameter of every GET route listed from the router: the answer is
// a page or a clear 4xx, never a 500, and the database is unchanged.
func TestSQLMetacharactersInEveryParameter(t *testing.T) {
	routes, _ := routeTable(t)
	path := demoCopy(t)
	ts := newServerAs(t, path, "admin", "demo-admin")
	before := historyCount(t, path)
	var api apiComparisonJSON
	getJSON(t, ts, "/api/v1/comparison?indicator=fulltime_mediators&year=2025&parent=330000", &api)
	requests := 0
	for _, r := range routes {
		if r.Method != http.MethodGet || r.Path == "/static/*" {
			continue
		}
		for _, param := range queryParams {
			// The other parameters name a county, so each page is quick.
			q, _ := url.ParseQuery(demoQuery)
			q.Set(param, sqlPayload)
			target := routeURL(r.Path) + "?" + q.Encode()
			code, h, body := get(t, ts, target)
			requests++
			if code >= 500 {
				t.Errorf("GET %s: %d\n%.300s", target, code, body)
			}
			if code == http.StatusBadRequest && strings.HasPrefix(h.Get("Content-Type"), "text/html") && !strings.Contains(body, `id="error-message"`) {
				t.Errorf("GET %s: 400 without a message", target)
			}
		}
	}
	t.Logf("%d requests", requests)
	var again apiComparisonJSON
	getJSON(t, ts, "/api/v1/comparison?indicator=fulltime_mediators&year=2025&parent=330000", &again)
	if len(again.Rows) != len(api.Rows) || len(again.Rows) == 0 {
		t.Errorf("comparison has %d rows after the attack, %d before", len(again.Rows), len(api.Rows))
	}
	for i := range again.Rows {
		if a, b := again.Rows[i].Value, api.Rows[i].Value; (a == nil) != (b == nil) || (a != nil && *a != *b) {
			t.Errorf("%s changed", again.Rows[i].Region.Name)
		}
	}
	if after := historyCount(t, path); after != before {
		t.Errorf("GET requests wrote %d history rows", after-before)
	}
	// And in a form that is saved: the text is data, stored as typed.
	ed := newServerAs(t, path, "editor", "demo-editor")
	form := url.Values{"year": {"2026"}, "quarter": {"3"}, "v.fulltime_mediators": {"41"}, "c.fulltime_mediators": {"x'); DROP TABLE kpi_values; --"}}
	if code, _, body := ed.post(t, "/entry", "/entry", form); code != http.StatusSeeOther {
		t.Fatalf("saving a comment with SQL in it: %d\n%.500s", code, body)
	}
	if _, _, page := get(t, ed, "/entry?year=2026&quarter=3"); !strings.Contains(page, "x&#39;); DROP TABLE kpi_values; --") {
		t.Errorf("the comment did not come back as typed")
	}
}

// uploadRaw posts a multipart body with a file part of the given name.
func (ts *testServer) uploadRaw(t *testing.T, path, filename string, content []byte, fields url.Values) (int, string) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	part, _ := w.CreateFormFile("file", filename)
	part.Write(content)
	w.Close()
	resp, err := ts.client.Post(ts.URL+path, w.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// A file name is only ever shown, never used as a path: whatever directories
// it names are dropped, and what remains is text.
func TestPathTraversalInNames(t *testing.T) {
	ts := newServerAs(t, demoCopy(t), "editor", "demo-editor")
	csv := "上城区司法局 2026年第3季度\nregion,330102,year,2026,quarter,3\n指标代码,指标名称,单位,上季度,上年同期,本期填报,说明\nfulltime_mediators,专职人民调解员,名,,,41,\n"
	for _, name := range []string{"../../../../etc/passwd.csv", `..\..\..\Windows\win.ini.csv`, "/etc/shadow.csv", "%2e%2e%2fx.csv", "x.csv\x00.exe"} {
		code, body := ts.uploadRaw(t, "/entry/upload", name, []byte(csv), url.Values{"_csrf": {ts.csrf(t, "/entry")}})
		if code >= 500 {
			t.Errorf("upload named %q: %d", name, code)
		}
		for _, bad := range []string{"../", `..\`, "/etc/", `\Windows`, "\x00"} {
			if strings.Contains(body, bad) {
				t.Errorf("upload named %q: the page shows %q", name, bad)
			}
		}
	}
	// The export's format is a path parameter: only xlsx and csv exist.
	for _, p := range []string{"/export/compare.%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/export/compare.xlsx%2f..%2f..%2fetc%2fpasswd", "/export/scorecard.csv%00.exe", "/export/../../etc/passwd"} {
		code, h, _ := get(t, ts, p)
		if code == http.StatusOK || code >= 500 {
			t.Errorf("GET %s: %d", p, code)
		}
		if cd := h.Get("Content-Disposition"); strings.Contains(cd, "..") || strings.Contains(cd, "/") {
			t.Errorf("GET %s: Content-Disposition %q", p, cd)
		}
	}
	// Static files are served from the embedded tree only.
	for _, p := range []string{"/static/../../go.mod", "/static/%2e%2e/%2e%2e/go.mod", "/static/..%2f..%2fgo.mod"} {
		if code, _, body := get(t, ts, p); code == http.StatusOK && strings.Contains(body, "module github.com") {
			t.Errorf("GET %s served a file outside static/", p)
		}
	}
}

// Bodies over the limit are refused with 413 and a message saying so,
// whether the client declares the length or streams it chunked.
func TestOversizedBodiesAre413(t *testing.T) {
	ts := newServerAs(t, demoCopy(t), "editor", "demo-editor")
	token := ts.csrf(t, "/entry")
	big := bytes.Repeat([]byte("a,"), maxBody/2+1024)
	for _, chunked := range []bool{false, true} {
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		w.WriteField("_csrf", token)
		part, _ := w.CreateFormFile("file", "big.csv")
		part.Write(big)
		w.Close()
		var rd io.Reader = &body
		if chunked {
			rd = io.MultiReader(&body) // hides the length: sent chunked
		}
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/entry/upload", rd)
		req.Header.Set("Content-Type", w.FormDataContentType())
		resp, err := ts.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		msg, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(msg), "6 MB") {
			t.Errorf("chunked=%v: %d, want 413 naming the 6 MB limit\n%.300s", chunked, resp.StatusCode, msg)
		}
	}
	// The API answers in JSON.
	req, _ := http.NewRequest(http.MethodGet, ts.URL+"/api/v1/regions", bytes.NewReader(big))
	resp, err := ts.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	msg, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(msg), `"request_id"`) {
		t.Errorf("API with a huge body: %d %.200s", resp.StatusCode, msg)
	}
}

// A body declared too large is refused unread: nothing behind the limit —
// form parsing, the error page's language lookup — reads a byte of it
// (which would let anyone make the server read 200 MB to say 413).
func TestOversizedBodyIsNotRead(t *testing.T) {
	st, err := openSQLite(demoDB)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h := New(st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	for _, ct := range []string{"application/x-www-form-urlencoded", "multipart/form-data; boundary=x"} {
		body := &countingReader{left: 200 << 20}
		req := httptest.NewRequest(http.MethodPost, "/entry/upload", body)
		req.ContentLength = 200 << 20
		req.Header.Set("Content-Type", ct)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusRequestEntityTooLarge || body.read != 0 {
			t.Errorf("%s: %d, %d bytes read; want 413 and none", ct, rec.Code, body.read)
		}
	}
}

// countingReader yields left bytes of "a" and counts what was read.
type countingReader struct{ left, read int }

func (r *countingReader) Read(p []byte) (int, error) {
	if r.left == 0 {
		return 0, io.EOF
	}
	n := min(len(p), r.left)
	for i := range p[:n] {
		p[i] = 'a'
	}
	r.left -= n
	r.read += n
	return n, nil
}

// Bytes that are not UTF-8 are refused at the door with a 400 naming the
// field, in a query, a form and a multipart form.
func TestInvalidUTF8IsAClear400(t *testing.T) {
	ts := newServerAs(t, demoCopy(t), "editor", "demo-editor")
	if code, _, body := get(t, ts, "/compare?indicator=%ff%fe"); code != http.StatusBadRequest || !strings.Contains(body, "UTF-8") || !strings.Contains(body, "indicator") {
		t.Errorf("query: %d\n%.300s", code, body)
	}
	var e struct{ Error struct{ Code, Field string } }
	if code := getJSON(t, ts, "/api/v1/series?region=%c0%af", &e); code != http.StatusBadRequest || e.Error.Field != "region" {
		t.Errorf("API query: %d %+v", code, e)
	}
	form := url.Values{"year": {"2026"}, "quarter": {"3"}, "v.fulltime_mediators": {"41"}, "c.fulltime_mediators": {"bad \xff\xfe comment"}}
	if code, _, body := ts.post(t, "/entry", "/entry", form); code != http.StatusBadRequest || !strings.Contains(body, "c.fulltime_mediators") {
		t.Errorf("form: %d\n%.300s", code, body)
	}
	code, body := ts.uploadRaw(t, "/entry/upload", "x.csv", []byte("a,b\n"), url.Values{"_csrf": {ts.csrf(t, "/entry")}, "note": {"\xed\xa0\x80"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "UTF-8") {
		t.Errorf("multipart field: %d\n%.300s", code, body)
	}
	// A file in neither UTF-8 nor GBK is the sheet reader's clear 400.
	code, body = ts.uploadRaw(t, "/entry/upload", "x.csv", []byte("\x80\x80\xff,\xfe\n"), url.Values{"_csrf": {ts.csrf(t, "/entry")}})
	if code != http.StatusBadRequest || !strings.Contains(body, "UTF-8") {
		t.Errorf("invalid file: %d\n%.300s", code, body)
	}
}

// Repeated wrong passwords throttle the account: 429 with a message, even
// for the right password, counted for /metrics as throttled.
func TestLoginIsThrottled(t *testing.T) {
	reg := prometheus.NewRegistry()
	ts := newServerWith(t, demoCopy(t), slog.New(slog.NewTextHandler(io.Discard, nil)), Options{Registry: reg}, "", "")
	throttled := 0
	for i := 0; i < 30 && throttled == 0; i++ {
		code, _, body := ts.post(t, "/login", "/login", url.Values{"name": {"viewer"}, "password": {"guess-" + strconv.Itoa(i)}})
		switch code {
		case http.StatusUnauthorized:
		case http.StatusTooManyRequests:
			throttled = i
			if !strings.Contains(body, "登录失败次数过多") {
				t.Errorf("429 without the message")
			}
		default:
			t.Fatalf("attempt %d: %d", i, code)
		}
	}
	if throttled == 0 {
		t.Fatal("30 wrong passwords and no throttle")
	}
	if code, _, _ := ts.post(t, "/login", "/login", url.Values{"name": {"viewer"}, "password": {"demo-viewer"}}); code != http.StatusTooManyRequests {
		t.Errorf("right password while throttled: %d, want 429", code)
	}
	_, got := scrape(t, ts, nil)
	if got["govkpi_login_failures_total{reason=throttled}"] != 2 || got["govkpi_login_failures_total{reason=password}"] != float64(throttled) {
		t.Errorf("login failures counted: %v throttled, %v password; want 2 and %d", got["govkpi_login_failures_total{reason=throttled}"], got["govkpi_login_failures_total{reason=password}"], throttled)
	}
	t.Logf("throttled after %d failures", throttled)
}
