package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/govkpi/govkpi/internal/app"
	"github.com/govkpi/govkpi/internal/catalog"
	"github.com/govkpi/govkpi/internal/kpi"
	"github.com/govkpi/govkpi/internal/store"
)

// Names reach pages, chart options and tooltips. These are chosen to break
// out of HTML, out of a <script> block, and out of go-echarts' function
// markers; each sets window.__pwned if it ever runs.
var hostileNames = []string{
	`<script>window.__pwned=1</script>`,
	`</script><img src=x onerror="window.__pwned=2">`,
	`__f__function(){window.__pwned=3}__f__`,
	`"'><svg onload=window.__pwned=4>`,
	"\u202e市\u200b甲" + strings.Repeat("长", 90),
}

// hostileDB is a database whose province, cities and first indicator have
// hostile names, with values so that every chart draws them.
func hostileDB(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hostile.db")
	st, err := openSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	prep, err := app.Prepare(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	var buf strings.Builder
	w := csv.NewWriter(&buf)
	w.Write([]string{"code", "name", "level", "parent"})
	w.Write([]string{"990000", hostileNames[0], "1", ""})
	for i, name := range hostileNames {
		w.Write([]string{fmt.Sprint(990000 + (i+1)*100), name, "2", "990000"})
	}
	w.Flush()
	regions, err := catalog.ParseRegions(strings.NewReader(buf.String()))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SyncRegions(ctx, append(prep.Regions, regions...)); err != nil {
		t.Fatal(err)
	}
	inds := prep.Catalogue.Indicators
	if inds[0].Code != hostileIndicator {
		t.Fatalf("the catalogue's first indicator is %s, not %s", inds[0].Code, hostileIndicator)
	}
	inds[0].NameZH, inds[0].Unit = hostileNames[1], hostileNames[3]
	if err := st.SyncIndicators(ctx, inds); err != nil {
		t.Fatal(err)
	}
	var ins []kpi.ValueInput
	for i := range hostileNames {
		for _, ind := range []string{inds[0].Code, "fulltime_mediators"} {
			ins = append(ins, kpi.ValueInput{Region: 990000 + (i+1)*100, Indicator: ind,
				Period: kpi.Period{Year: 2025, Quarter: 4}, Value: float64(10 + i), Status: kpi.StatusApproved})
		}
	}
	if _, err := st.PutValues(ctx, "test", ins); err != nil {
		t.Fatal(err)
	}
	if err := st.SetMeta(ctx, "demo_province", "990000"); err != nil {
		t.Fatal(err)
	}
	st.SetBcryptCost(4)
	if _, err := st.CreateUser(ctx, "test", store.NewUser{Name: "admin", Role: kpi.RoleAdmin, Password: "demo-admin"}); err != nil {
		t.Fatal(err)
	}
	return path
}

// hostileIndicator is the catalogue's first indicator, renamed hostile.
const hostileIndicator = "recon_applications"

var dataChart = regexp.MustCompile(`data-chart="([^"]*)"`)

func TestHostileNamesStayText(t *testing.T) {
	srv := newServer(t, hostileDB(t))
	pages := []string{
		"/compare?indicator=recon_applications&year=2025&parent=990000",
		"/compare?indicator=fulltime_mediators&year=2025&parent=990000",
		"/trend?indicator=recon_applications&region=990100&region=990200&region=990300&from=2024&to=2025&by=quarter",
		"/?region=990000&year=2025",
		"/?region=990200&year=2025&lang=en",
	}
	for _, path := range pages {
		code, _, body := get(t, srv, path)
		if code != 200 {
			t.Fatalf("GET %s: %d\n%s", path, code, body)
		}
		for _, bad := range []string{"<script>window", "<img src=x", "<svg onload", `"'>`} {
			if strings.Contains(body, bad) {
				t.Errorf("GET %s: raw %q in the page", path, bad)
			}
		}
		// Each chart option survives as data: the attribute unescapes to
		// JSON whose strings are the names exactly as stored.
		for _, m := range dataChart.FindAllStringSubmatch(body, -1) {
			var option map[string]any
			if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &option); err != nil {
				t.Fatalf("GET %s: chart option is not JSON: %v", path, err)
			}
		}
		if strings.Contains(path, "compare") && !strings.Contains(html.UnescapeString(body), hostileNames[2]) {
			t.Errorf("GET %s: the __f__ name is not shown as text", path)
		}
	}
	// The API returns names as JSON strings, unchanged.
	var api apiComparisonJSON
	getJSON(t, srv, "/api/v1/comparison?indicator=fulltime_mediators&year=2025&parent=990000", &api)
	seen := map[string]bool{}
	for _, row := range api.Rows {
		seen[row.Region.Name] = true
	}
	for _, name := range hostileNames {
		if !seen[name] {
			t.Errorf("API lost the name %q", name)
		}
	}

	b := newBrowser(t)
	b.login(t, srv.URL, "admin", "demo-admin")
	for _, path := range pages {
		b.do(t, chromedp.Navigate(srv.URL+path))
		b.waitForCharts(t, 1)
		// Show every tooltip: ECharts' tooltips are HTML.
		b.do(t, chromedp.Evaluate[chromedp.Void](`govkpiCharts.forEach(c => {
			const n = (c.getOption().series[0].data || []).length;
			for (let i = 0; i < n; i++) c.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: i});
		})`), chromedp.Sleep(300*time.Millisecond))
		pwned := eval[any](t, b, `window.__pwned === undefined ? null : window.__pwned`)
		injected := eval[int](t, b, `document.querySelectorAll('img[src="x"], svg[onload], body script:not([src])').length`)
		if pwned != nil || injected != 0 {
			t.Errorf("%s: a name ran as code (pwned=%v, injected elements=%d)", path, pwned, injected)
		}
		b.checkClean(t, srv.URL)
	}
}
