package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/govkpi/govkpi/internal/app"
	"github.com/govkpi/govkpi/internal/demo"
	"github.com/govkpi/govkpi/internal/kpi"
	"github.com/govkpi/govkpi/internal/store"
)

// demoDB is a SQLite file holding the full demo, built once for the
// package's tests, which only read it.
var demoDB string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "govkpi-web-test")
	if err != nil {
		panic(err)
	}
	demoDB = filepath.Join(dir, "demo.db")
	if err := buildDemo(demoDB); err != nil {
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func buildDemo(path string) error {
	ctx := context.Background()
	st, err := openSQLite(path)
	if err != nil {
		return err
	}
	defer st.Close()
	prep, err := app.Prepare(ctx, st)
	if err != nil {
		return err
	}
	_, err = demo.Load(ctx, st, prep.Catalogue, prep.Regions, demo.ScaleProvince, func(string, ...any) {})
	return err
}

func openSQLite(path string) (*store.Store, error) {
	cfg, err := store.ParseURL(path)
	if err != nil {
		return nil, err
	}
	return store.Open(context.Background(), cfg)
}

// testNow is the web tests' clock: the latest ended quarter is 2026 Q3, due
// 16 Oct and open until 15 Dec.
var testNow = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// demoCopy is a private copy of the demo database for a test that writes.
func demoCopy(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(demoDB)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "demo.db")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// testServer is the real router on a test server, with a client that has
// logged in through the login form like a browser.
type testServer struct {
	*httptest.Server
	client *http.Client
	path   string // the database
}

// newServer serves the database at path and logs in as the demo's admin.
func newServer(t testing.TB, path string) *testServer {
	t.Helper()
	return newServerAs(t, path, "admin", "demo-admin")
}

func newServerAs(t testing.TB, path, name, password string) *testServer {
	t.Helper()
	return newServerWith(t, path, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{}, name, password)
}

// newServerWith is newServerAs with a logger and options of the test's own.
func newServerWith(t testing.TB, path string, logger *slog.Logger, opts Options, name, password string) *testServer {
	t.Helper()
	return newServerAt(t, path, testNow, logger, opts, name, password)
}

// newServerAt is newServerWith on a clock stopped at now.
func newServerAt(t testing.TB, path string, now time.Time, logger *slog.Logger, opts Options, name, password string) *testServer {
	t.Helper()
	st, err := openSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	st.SetClock(func() time.Time { return now }) // deadlines and locks must not depend on when CI runs
	srv := httptest.NewServer(New(st, logger, opts))
	t.Cleanup(func() {
		srv.Close()
		st.Close()
	})
	ts := &testServer{Server: srv, client: anonymousClient(), path: path}
	if name != "" {
		ts.login(t, name, password)
	}
	return ts
}

// gridVersion is the version the editor's grid for period ("2026-3")
// carries for an indicator's cell, as a save must send it back.
func gridVersion(t testing.TB, ts *testServer, period, code string) string {
	t.Helper()
	_, _, grid := get(t, ts, "/entry?period="+period)
	m := regexp.MustCompile(`name="ver\.` + regexp.QuoteMeta(code) + `" value="(\d+)"`).FindStringSubmatch(grid)
	if m == nil {
		t.Fatalf("no version for %s on the %s grid", code, period)
	}
	return m[1]
}

func anonymousClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// csrf fetches a page and returns the CSRF token of its forms.
func (ts *testServer) csrf(t testing.TB, path string) string {
	t.Helper()
	_, _, body := get(t, ts, path)
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token on %s", path)
	}
	return m[1]
}

// post submits a form with the page's CSRF token.
func (ts *testServer) post(t testing.TB, formPage, path string, form url.Values) (int, http.Header, string) {
	t.Helper()
	if form.Get("_csrf") == "" {
		form.Set("_csrf", ts.csrf(t, formPage))
	}
	resp, err := ts.client.PostForm(ts.URL+path, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(body)
}

func (ts *testServer) login(t testing.TB, name, password string) {
	t.Helper()
	code, h, body := ts.post(t, "/login", "/login", url.Values{"name": {name}, "password": {password}})
	if code != http.StatusSeeOther {
		t.Fatalf("login as %s: %d %s\n%s", name, code, h.Get("Location"), body)
	}
}

func get(t testing.TB, ts *testServer, path string) (int, http.Header, string) {
	t.Helper()
	resp, err := ts.client.Get(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(body)
}

func getJSON(t testing.TB, ts *testServer, path string, into any) int {
	t.Helper()
	code, _, body := get(t, ts, path)
	if err := json.Unmarshal([]byte(body), into); err != nil {
		t.Fatalf("%s: not JSON: %v\n%s", path, err, body)
	}
	return code
}

func TestPagesOpenWithDefaults(t *testing.T) {
	srv := newServer(t, demoDB)
	for _, tt := range []struct{ path, want string }{
		{"/", "浙江省 2025年 法治政府建设驾驶舱"},
		{"/trend", "趋势"},
		{"/compare", "对比排名"},
		{"/?lang=en", "rule-of-law cockpit"},
		{"/compare?lang=en", "ranking"},
		{"/trend?indicator=startup_days&region=330000&by=quarter&from=2024&to=2025", "2025Q4"},
		{"/compare?indicator=fulltime_mediators&year=2024&quarter=2&parent=330100", "杭州市 下辖地区"},
		{"/compare?indicator=startup_days&year=2025&level=3&within=330000", "上城区"},
		{"/compare?indicator=startup_days&year=2025&level=3&within=330000", "浙江省 各县（区）"},
		{"/compare?indicator=startup_days&year=2025&level=2&within=all", "全国各市"},
		{"/scorecard?region=330102&year=2025", "上城区 2025年 指标画像"},
		{"/targets?parent=330000", "目标"},
	} {
		code, h, body := get(t, srv, tt.path)
		if code != http.StatusOK || !strings.Contains(body, tt.want) {
			t.Errorf("GET %s: %d, body contains %q: %v", tt.path, code, tt.want, strings.Contains(body, tt.want))
		}
		if !strings.Contains(body, "演示数据") && !strings.Contains(body, "Demo data") {
			t.Errorf("GET %s: no demo-data label", tt.path)
		}
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("GET %s: CSP %q", tt.path, csp)
		}
		if strings.Contains(body, "<script>") || strings.Contains(body, "http://") || strings.Contains(body, "https://") {
			t.Errorf("GET %s: inline script or external URL in the page", tt.path)
		}
	}
}

func TestStaticAssetsAreEmbedded(t *testing.T) {
	srv := newServer(t, demoDB)
	code, h, body := get(t, srv, "/static/vendor/echarts.min.js")
	if code != http.StatusOK || !strings.Contains(h.Get("Content-Type"), "javascript") || len(body) < 500_000 {
		t.Fatalf("echarts.min.js: %d %s %d bytes", code, h.Get("Content-Type"), len(body))
	}
	if !strings.Contains(body[:2000], "5.6.0") && !strings.Contains(body, `version="5.`) && !strings.Contains(body, `"5.6.0"`) {
		t.Errorf("echarts.min.js is not the 5.x release go-echarts expects")
	}
}

// apiComparison mirrors the JSON the API returns.
type apiComparisonJSON struct {
	Indicator struct {
		Code     string `json:"code"`
		Decimals int    `json:"decimals"`
		Unit     string `json:"unit"`
	} `json:"indicator"`
	Average *float64 `json:"average"`
	Rows    []struct {
		Rank   int `json:"rank"`
		Region struct {
			Code string `json:"code"`
			Name string `json:"name"`
		} `json:"region"`
		Value    *float64 `json:"value"`
		Origin   string   `json:"origin"`
		Reported *float64 `json:"reported"`
		Computed *float64 `json:"computed"`
		Differs  bool     `json:"differs"`
		Partial  bool     `json:"partial"`
		Previous *float64 `json:"previous"`
		Target   *float64 `json:"target"`
		Progress *float64 `json:"progress"`
		Status   string   `json:"status"`
	} `json:"rows"`
}

// TestAPIAndPageAgree checks that the ranking table and the API carry the
// same numbers, and that the demo's rollups behave: ranks in order, cities
// computed from counties, the odd city's reported figure flagged.
func TestAPIAndPageAgree(t *testing.T) {
	srv := newServer(t, demoDB)
	for _, ind := range []string{"prelit_diversion_rate", "fulltime_mediators", "startup_days", "law_events", "licensing_items"} {
		q := "?indicator=" + ind + "&year=2025&parent=330000"
		var api apiComparisonJSON
		if code := getJSON(t, srv, "/api/v1/comparison"+q, &api); code != 200 {
			t.Fatalf("%s: API status %d", ind, code)
		}
		_, _, page := get(t, srv, "/compare"+q)
		if len(api.Rows) != 11 {
			t.Fatalf("%s: %d rows, want Zhejiang's 11 cities", ind, len(api.Rows))
		}
		prevRank := 0
		for _, row := range api.Rows {
			if row.Value == nil {
				continue
			}
			if row.Rank < prevRank {
				t.Errorf("%s: rank %d after %d", ind, row.Rank, prevRank)
			}
			prevRank = row.Rank
			want := kpi.FormatNumber(*row.Value, api.Indicator.Decimals)
			rowHTML := htmlRow(page, row.Region.Code)
			if !strings.Contains(rowHTML, ">"+fmt.Sprint(row.Rank)+"<") || !strings.Contains(rowHTML, want) {
				t.Errorf("%s %s: page row lacks rank %d and value %s:\n%s", ind, row.Region.Name, row.Rank, want, rowHTML)
			}
		}
	}
}

// htmlRow returns the table row of one region.
func htmlRow(page, code string) string {
	i := strings.Index(page, `data-region="`+code+`"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(page[i:], "</tr>")
	return page[i : i+j]
}

func TestDemoRollupsThroughTheAPI(t *testing.T) {
	srv := newServer(t, demoDB)
	var flows apiComparisonJSON
	getJSON(t, srv, "/api/v1/comparison?indicator=prelit_diverted&year=2025&parent=330000", &flows)
	differs := 0
	for _, row := range flows.Rows {
		if row.Computed == nil || row.Value == nil {
			t.Fatalf("%s: a city's flow must be computed from its counties: %+v", row.Region.Name, row)
		}
		if row.Differs {
			differs++
		}
	}
	if differs != 1 {
		t.Errorf("%d cities flagged as reported ≠ computed, want the demo's one odd city", differs)
	}
	// A list (region aggregation none) is never summed: each city has its own.
	var lists apiComparisonJSON
	getJSON(t, srv, "/api/v1/comparison?indicator=licensing_items&year=2025&parent=330000", &lists)
	for _, row := range lists.Rows {
		if row.Computed != nil || row.Origin != "reported" {
			t.Errorf("%s: licensing list computed=%v origin=%s, want its own figure only", row.Region.Name, row.Computed, row.Origin)
		}
	}
	// Two counties have not reported the last quarter of 2025: the province's year is partial.
	var series struct {
		Series []struct {
			Points []struct {
				Value   *float64 `json:"value"`
				Partial bool     `json:"partial"`
			} `json:"points"`
		} `json:"series"`
	}
	getJSON(t, srv, "/api/v1/series?indicator=prelit_diverted&region=330000&from=2024&to=2025", &series)
	pts := series.Series[0].Points
	if len(pts) != 2 || pts[0].Partial || !pts[1].Partial {
		t.Errorf("province 2024/2025 partial flags = %+v, want complete then partial", pts)
	}
}

func TestBadParametersAreClear400s(t *testing.T) {
	srv := newServer(t, demoDB)
	tests := []struct{ path, field, want string }{
		{"/compare?indicator=nope", "indicator", "nope"},
		{"/compare?year=1800", "year", "1800"},
		{"/compare?year=abc", "year", "abc"},
		{"/compare?parent=999999", "parent", "999999"},
		{"/compare?parent=abc", "parent", "abc"},
		{"/compare?parent=330102", "parent", "上城区"},
		{"/compare?quarter=5", "quarter", "5"},
		{"/compare?level=7", "level", "7"},
		{"/trend?from=2020&to=2010", "from", "2020"},
		{"/trend?by=month", "by", "month"},
		{"/trend?region=123", "region", "123"},
		{"/trend?region=999999", "region", "999999"},
	}
	for _, tt := range tests {
		code, _, body := get(t, srv, tt.path)
		if code != http.StatusBadRequest || !strings.Contains(body, tt.want) {
			t.Errorf("page %s: %d, want 400 mentioning %q", tt.path, code, tt.want)
		}
		apiPath := strings.Replace(strings.Replace(tt.path, "/compare", "/api/v1/comparison", 1), "/trend", "/api/v1/series", 1)
		var e struct {
			Error struct{ Code, Message, Field string } `json:"error"`
		}
		if code := getJSON(t, srv, apiPath, &e); code != http.StatusBadRequest || e.Error.Code != kpi.EINVALID ||
			!strings.Contains(e.Error.Message, tt.want) {
			t.Errorf("API %s: %d %+v, want 400 invalid mentioning %q", apiPath, code, e.Error, tt.want)
		}
	}
	if code, _, _ := get(t, srv, "/no-such-page"); code != http.StatusNotFound {
		t.Errorf("unknown page: %d, want 404", code)
	}
	var e struct{ Error struct{ Code string } }
	if code := getJSON(t, srv, "/api/v1/nothing", &e); code != http.StatusNotFound || e.Error.Code == "" {
		t.Errorf("unknown API path: %d %+v, want a 404 JSON error", code, e)
	}
}

func TestAPIListsIndicatorsAndRegions(t *testing.T) {
	srv := newServer(t, demoDB)
	var inds struct {
		Indicators []struct{ Code, Kind, Numerator string } `json:"indicators"`
	}
	getJSON(t, srv, "/api/v1/indicators", &inds)
	if len(inds.Indicators) < 60 {
		t.Errorf("%d indicators, want at least 60", len(inds.Indicators))
	}
	var regs struct {
		Regions []struct {
			Code, Name string
			Leaf       bool
		} `json:"regions"`
	}
	getJSON(t, srv, "/api/v1/regions?parent=330100", &regs)
	if len(regs.Regions) < 10 || regs.Regions[0].Code != "330102" || !regs.Regions[0].Leaf {
		t.Errorf("Hangzhou's districts = %+v", regs.Regions)
	}
	getJSON(t, srv, "/api/v1/regions", &regs)
	if len(regs.Regions) != 31 {
		t.Errorf("%d provinces, want 31", len(regs.Regions))
	}
	var h map[string]string
	if code := getJSON(t, srv, "/healthz", &h); code != 200 || h["status"] != "ok" {
		t.Errorf("healthz %d %v", code, h)
	}
}

func TestTrendYearToDate(t *testing.T) {
	ts := newServer(t, demoDB)
	type series struct {
		Series []struct {
			Points []struct {
				Value *float64 `json:"value"`
			} `json:"points"`
		} `json:"series"`
	}
	var plain, ytd series
	q := "/api/v1/series?indicator=prelit_diverted&region=330102&from=2025&to=2025&by=quarter"
	getJSON(t, ts, q, &plain)
	getJSON(t, ts, q+"&cumulative=1", &ytd)
	sum := 0.0
	for i, p := range plain.Series[0].Points {
		sum += *p.Value
		if got := ytd.Series[0].Points[i].Value; got == nil || *got != sum {
			t.Errorf("Q%d year to date = %v, want %v", i+1, got, sum)
		}
	}
}

// The pickers keep the region and year the page shows.
func TestPickersKeepTheSelection(t *testing.T) {
	ts := newServer(t, demoDB)
	for _, p := range []string{"/?region=330100&year=2024", "/scorecard?region=330100&year=2024"} {
		_, _, body := get(t, ts, p)
		if !strings.Contains(body, `<option value="2024" selected>`) || !strings.Contains(body, `<option value="330100" selected>`) {
			t.Errorf("%s: the picker lost the selection", p)
		}
	}
}

// Ranking every region of a level in the whole country is for national
// roles: a leader of 浙江省 or a reviewer of 杭州市 is refused, an
// administrator gets every city.
func TestNationwideComparisonNeedsNationalScope(t *testing.T) {
	const path = "/api/v1/comparison?indicator=startup_days&year=2025&level=2&within=all"
	for role, password := range map[string]string{"viewer": "demo-viewer", "reviewer": "demo-reviewer"} {
		code, _, _ := get(t, newServerAs(t, demoDB, role, password), path)
		if code != http.StatusForbidden {
			t.Errorf("%s: %d, want 403", role, code)
		}
	}
	admin := newServer(t, demoDB)
	code, _, body := get(t, admin, path)
	if code != http.StatusOK || !strings.Contains(body, "杭州市") || !strings.Contains(body, "宁波市") {
		t.Fatalf("admin: %d %.300s", code, body)
	}
	// The compare page offers the nationwide rankings to those who may see them.
	const page = "/compare?indicator=startup_days&year=2025&parent=330000"
	if _, _, body := get(t, admin, page); strings.Count(body, `class="nation-link"`) != 3 || !strings.Contains(body, "within=all") {
		t.Error("the administrator's compare page has no links to the nationwide rankings")
	}
	if _, _, body := get(t, newServerAs(t, demoDB, "viewer", "demo-viewer"), page); strings.Contains(body, "within=all") {
		t.Error("a leader of 浙江省 is offered a nationwide ranking she may not open")
	}
}
