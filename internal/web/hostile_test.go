package web

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
	xhtml "golang.org/x/net/html"

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
	`<img src=x onerror=alert(1)>`,
	`__f__function(){alert(1)}__f__`,
	`=cmd|' /C calc'!A0`, // formula injection in a spreadsheet
	`../../etc/passwd`,
	strings.Repeat("长", 10000),
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
	w := watch(b.ctx) // alert(1) in a name must never open a dialog
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
		w.check(t, srv.URL, path)
	}
}

// hostileWork adds to a hostile database the people and words that reach
// pages besides names of places: a department with a hostile name, an
// editor and a reviewer whose display names are hostile, a submitted
// figure with a hostile note, returned with a hostile review comment. It
// returns the department's id.
func hostileWork(t *testing.T, path string) (dept, doc int64) {
	t.Helper()
	ctx := context.Background()
	st, err := openSQLite(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	st.SetClock(func() time.Time { return testNow })
	st.SetBcryptCost(4)
	d, err := st.EnsureDepartment(ctx, 990100, "justice", hostileNames[1])
	if err != nil {
		t.Fatal(err)
	}
	for _, nu := range []store.NewUser{
		{Name: "heditor", DisplayName: hostileNames[0], Role: kpi.RoleEditor, Department: d.ID, Password: "hostile-pass-1"},
		{Name: "hreviewer", DisplayName: hostileNames[3], Role: kpi.RoleReviewer, Region: 990000, Password: "hostile-pass-2"},
	} {
		if _, err := st.CreateUser(ctx, "test", nu); err != nil {
			t.Fatal(err)
		}
	}
	cat, err := st.Indicators(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p := kpi.Period{Year: 2026, Quarter: 3}
	entries := []store.Entry{{Indicator: "fulltime_mediators", Value: 12, Comment: hostileNames[1]}, {Indicator: "mediators", Value: 30, Comment: hostileNames[6]}}
	if err := st.SaveEntries(ctx, cat, "heditor", d, p, entries, kpi.SourceForm, true); err != nil {
		t.Fatal(err)
	}
	if err := st.Review(ctx, cat, "hreviewer", d, p, store.Return, nil, hostileNames[2]); err != nil {
		t.Fatal(err)
	}
	// A document whose title and text carry every hostile name, with a figure
	// among them so that quotes and highlights carry them too.
	hdoc := store.Document{Region: 990100, Year: 2025, Title: hostileNames[0], Filename: "hostile.txt",
		Text: strings.Join(hostileNames, "，") + "，配备专职人民调解员497名。"}
	docID, err := st.AddDocument(ctx, "heditor", hdoc)
	if err != nil {
		t.Fatal(err)
	}
	return d.ID, docID
}

// checkMarkup fails on anything in an HTML page that a hostile text could
// have become: an inline script, an injected element or handler, a chart
// option that is not plain JSON.
func checkMarkup(t *testing.T, where, body string) {
	t.Helper()
	for _, bad := range []string{"<script>window", "<img src=x", "<svg onload"} {
		if strings.Contains(body, bad) {
			t.Errorf("%s: raw %q in the page", where, bad)
		}
	}
	// Parse the page as a browser would: no element may carry an event
	// handler, no script may be other than a file of /static, and no
	// element may be one that only a hostile text would bring (img, svg).
	z := xhtml.NewTokenizer(strings.NewReader(body))
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			break
		}
		if tt != xhtml.StartTagToken && tt != xhtml.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		src := ""
		for _, a := range tok.Attr {
			if strings.HasPrefix(strings.ToLower(a.Key), "on") {
				t.Errorf("%s: <%s> has an event handler %s=%.60q", where, tok.Data, a.Key, a.Val)
			}
			if a.Key == "src" {
				src = a.Val
			}
		}
		switch tok.Data {
		case "script":
			if !strings.HasPrefix(src, "/static/") {
				t.Errorf("%s: a script that is not a file of /static: %s", where, tok)
			}
		case "img", "svg", "iframe", "object", "embed":
			t.Errorf("%s: an injected <%s>", where, tok.Data)
		}
	}
	for _, m := range dataChart.FindAllStringSubmatch(body, -1) {
		if !json.Valid([]byte(html.UnescapeString(m[1]))) {
			t.Errorf("%s: a chart option is not JSON", where)
		}
	}
}

// TestHostileTextEverywhere fetches every GET route of the router — pages,
// chart options, API responses, XLSX and CSV exports and templates — as
// an administrator, an editor and a reviewer whose own names are hostile,
// on a database where places, a department, notes and review comments
// are hostile. Every text arrives as data: escaped in HTML, a JSON string,
// a text cell (never a formula) in XLSX, a neutralised cell in CSV.
func TestHostileTextEverywhere(t *testing.T) {
	path := hostileDB(t)
	dept, doc := hostileWork(t, path)
	clients := map[string]*testServer{
		"admin":     newServerAs(t, path, "admin", "demo-admin"),
		"heditor":   newServerAs(t, path, "heditor", "hostile-pass-1"),
		"hreviewer": newServerAs(t, path, "hreviewer", "hostile-pass-2"),
	}
	routes, _ := routeTable(t)
	seen := map[string]map[string]bool{} // kind of response → hostile texts found in it
	mark := func(kind, text string) {
		if seen[kind] == nil {
			seen[kind] = map[string]bool{}
		}
		for _, name := range hostileNames {
			if strings.Contains(text, name) {
				seen[kind][name] = true
			}
		}
	}
	for who, ts := range clients {
		for _, r := range routes {
			if r.Method != http.MethodGet || r.Path == "/static/*" {
				continue
			}
			q := "region=990100&parent=990000&indicator=fulltime_mediators&year=2025&from=2024&to=2026"
			if strings.HasPrefix(r.Path, "/entry") || r.Path == "/review" || r.Path == "/completeness" {
				q = "region=990000&year=2026&quarter=3&department=" + fmt.Sprint(dept)
			}
			targets := []string{strings.Replace(routeURL(r.Path), "/documents/5", fmt.Sprint("/documents/", doc), 1) + "?" + q}
			if strings.Contains(r.Path, ":format") {
				targets = append(targets, strings.Replace(r.Path, ":format", "csv", 1)+"?"+q)
			}
			for _, target := range targets {
				fetchHostile(t, who, target, ts, mark)
			}
		}
	}
	for _, kind := range []string{"html", "json", "xlsx", "csv"} {
		for _, name := range hostileNames {
			if !seen[kind][name] {
				t.Errorf("%s responses never showed %.40q as text", kind, name)
			}
		}
	}
	hostileUploadAndNote(t, clients["heditor"])
}

// fetchHostile fetches one URL of the hostile database and checks the
// response by its type; mark records the hostile texts found as data.
func fetchHostile(t *testing.T, who, target string, ts *testServer, mark func(kind, text string)) {
	t.Helper()
	{
		{
			where := who + " " + target
			code, h, body := get(t, ts, target)
			if code >= 500 || (code != http.StatusOK && code != http.StatusForbidden) {
				t.Errorf("%s: %d\n%.300s", where, code, body)
				return
			}
			if code != http.StatusOK {
				return
			}
			switch ct := h.Get("Content-Type"); {
			case strings.HasPrefix(ct, "text/html"):
				checkMarkup(t, where, body)
				mark("html", html.UnescapeString(body))
			case strings.HasPrefix(ct, "application/json"):
				var v any
				if err := json.Unmarshal([]byte(body), &v); err != nil {
					t.Errorf("%s: not JSON: %v", where, err)
				}
				mark("json", fmt.Sprint(v))
			case strings.HasPrefix(ct, xlsxType):
				mark("xlsx", xlsxText(t, where, []byte(body)))
			case strings.HasPrefix(ct, "text/csv"):
				mark("csv", csvText(t, where, body))
			case strings.HasPrefix(ct, "text/plain"): // /metrics
			default:
				t.Errorf("%s: unexpected content type %q", where, ct)
			}
			if cd := h.Get("Content-Disposition"); cd != "" {
				if name := cd[strings.Index(cd, "filename*=")+1:]; strings.Contains(name, "../") || strings.Contains(name, "%2F") || strings.Contains(name, "%5C") {
					t.Errorf("%s: a path in the download name: %s", where, cd)
				}
			}
		}
	}
}

// hostileUploadAndNote: an upload whose cells are hostile shows them as
// text in its preview; a note of 10,000 characters is a clear refusal.
func hostileUploadAndNote(t *testing.T, ed *testServer) {
	t.Helper()
	csvFile := "部门 2026年第3季度\nregion,990100,year,2026,quarter,3\n指标代码,指标名称,单位,上季度,上年同期,本期填报,说明\n" +
		"fulltime_mediators,x,名,,," + csvField(hostileNames[0]) + "," + csvField(hostileNames[1]) + "\n" +
		"mediators,x,名,,,31," + csvField(hostileNames[6]) + "\n"
	code, body := ed.upload(t, "/entry", "/entry/upload", hostileNames[3]+".csv", []byte(csvFile), url.Values{})
	if code != http.StatusUnprocessableEntity {
		t.Errorf("hostile upload: %d, want 422 (the cell is not a number)", code)
	}
	checkMarkup(t, "upload preview", body)
	if !strings.Contains(html.UnescapeString(body), hostileNames[0]) {
		t.Errorf("the preview does not show the hostile cell as text")
	}
	// A note of 10,000 characters is refused with a clear message.
	form := url.Values{"year": {"2026"}, "quarter": {"3"}, "v.fulltime_mediators": {"12"}, "v.mediators": {"30"},
		"c.fulltime_mediators": {hostileNames[len(hostileNames)-1]}}
	if code, _, body := ed.post(t, "/entry", "/entry", form); code != http.StatusUnprocessableEntity || !strings.Contains(body, "1000") {
		t.Errorf("a 10,000-character note: %d", code)
	}
}

// csvField quotes a CSV field.
func csvField(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// xlsxText reads a workbook back and returns its cells' text; a formula in
// any cell fails the test (every cell we write is a value).
func xlsxText(t *testing.T, where string, data []byte) string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Errorf("%s: not a workbook: %v", where, err)
		return ""
	}
	defer f.Close()
	var all strings.Builder
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Errorf("%s: %v", where, err)
			continue
		}
		for i, row := range rows {
			for j, cell := range row {
				ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
				if formula, _ := f.GetCellFormula(sheet, ref); formula != "" {
					t.Errorf("%s: %s!%s is a formula: %s", where, sheet, ref, formula)
				}
				all.WriteString(cell + "\n")
			}
		}
	}
	return all.String()
}

// csvText parses an export and returns its cells' text; a cell that a
// spreadsheet would run as a formula fails the test.
func csvText(t *testing.T, where, body string) string {
	t.Helper()
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\ufeff")))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Errorf("%s: not CSV: %v", where, err)
		return ""
	}
	var all strings.Builder
	for _, rec := range recs {
		for _, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
				if _, err := strconv.ParseFloat(cell, 64); err != nil {
					t.Errorf("%s: cell %.40q would run as a formula", where, cell)
				}
			}
			all.WriteString(strings.TrimPrefix(cell, "'") + "\n")
		}
	}
	return all.String()
}

// TestBrowserHostileWork opens, in Chromium, the pages where hostile
// department names, display names, notes and review comments appear, as
// the people who see them: no dialog, no injected element, nothing run.
func TestBrowserHostileWork(t *testing.T) {
	path := hostileDB(t)
	dept, _ := hostileWork(t, path)
	srv := newServerAs(t, path, "", "")
	b := newBrowserFor(t, 2*time.Minute)
	visits := map[string][]string{
		"heditor":   {"/entry?year=2026&quarter=3", "/history?region=990100&indicator=fulltime_mediators&year=2026", "/"},
		"hreviewer": {"/review?region=990000&year=2026&quarter=3", "/completeness?region=990000&year=2026&quarter=3", "/scorecard?region=990100&year=2025", "/screen?region=990000"},
		"admin":     {"/entry?year=2026&quarter=3&department=" + fmt.Sprint(dept), "/compare?indicator=fulltime_mediators&year=2025&parent=990000&lang=en"},
	}
	passwords := map[string]string{"heditor": "hostile-pass-1", "hreviewer": "hostile-pass-2", "admin": "demo-admin"}
	for _, who := range []string{"heditor", "hreviewer", "admin"} {
		tb, w := b.tab(t)
		tb.login(t, srv.URL, who, passwords[who])
		for _, p := range visits[who] {
			tb.do(t, chromedp.Navigate(srv.URL+p), chromedp.WaitVisible("main"))
			if n := eval[int](t, tb, `document.querySelectorAll('[data-chart]').length`); n > 0 {
				tb.waitForCharts(t, n)
				tb.do(t, chromedp.Evaluate[chromedp.Void](`govkpiCharts.forEach(c => {
					const s = c.getOption().series || [];
					const n = s.length && s[0].data ? s[0].data.length : 0;
					for (let i = 0; i < n; i++) c.dispatchAction({type: 'showTip', seriesIndex: 0, dataIndex: i});
				})`), chromedp.Sleep(200*time.Millisecond))
			}
			// Hover and focus every element with a title: tooltips are text too.
			tb.do(t, chromedp.Evaluate[chromedp.Void](`document.querySelectorAll('[title], input, textarea').forEach(e => {
				e.dispatchEvent(new MouseEvent('mouseover', {bubbles: true})); e.focus && e.focus(); })`))
			pwned := eval[any](t, tb, `window.__pwned === undefined ? null : window.__pwned`)
			injected := eval[int](t, tb, `document.querySelectorAll('img[src="x"], svg[onload], body script:not([src])').length`)
			if pwned != nil || injected != 0 {
				t.Errorf("%s %s: hostile text ran (pwned=%v, injected elements=%d)", who, p, pwned, injected)
			}
			if text := eval[string](t, tb, `document.body.innerText`); !strings.Contains(text, "<") {
				t.Errorf("%s %s: the hostile text is not shown as text", who, p)
			}
			w.check(t, srv.URL, who+" "+p)
		}
		tb.checkClean(t, srv.URL)
		if t.Failed() {
			tb.screenshot(t, who)
		}
	}
}
