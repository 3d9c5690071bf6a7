package web

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/govkpi/govkpi/internal/kpi"
)

// These tests drive the pages in real headless Chromium. Without a browser
// they skip — unless GOVKPI_REQUIRE_BROWSER is set, as CI sets it, and then
// they fail.

// browser is one headless Chromium tab and what it saw.
type browser struct {
	ctx     context.Context
	mu      sync.Mutex
	console []chromedp.ConsoleMessage
	expect  []string // console texts a test provokes on purpose
}

func chromiumPath() string {
	if p := os.Getenv("GOVKPI_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	return newBrowserFor(t, 90*time.Second)
}

// newBrowserFor is newBrowser for a test that needs longer than 90 s.
func newBrowserFor(t *testing.T, timeout time.Duration) *browser {
	t.Helper()
	path := chromiumPath()
	if path == "" {
		if os.Getenv("GOVKPI_REQUIRE_BROWSER") != "" {
			t.Fatal("GOVKPI_REQUIRE_BROWSER is set but no chromium was found (apt-get install chromium)")
		}
		t.Skip("no chromium found; install it or set GOVKPI_CHROMIUM")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	b := &browser{ctx: ctx}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.console = append(b.console, m)
			b.mu.Unlock()
		}
	}()
	// Registered last, so it runs first: keep a picture of a failed page.
	t.Cleanup(func() {
		if t.Failed() {
			b.screenshot(t, "failed")
		}
	})
	return b
}

// screenshot writes the page to test-artifacts/ at the repository root.
func (b *browser) screenshot(t *testing.T, suffix string) {
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100)) // quality 100 gives a PNG
	if err != nil {
		t.Logf("screenshot: %v", err)
		return
	}
	dir := filepath.Join("..", "..", "test-artifacts")
	os.MkdirAll(dir, 0o755)
	name := filepath.Join(dir, strings.ReplaceAll(t.Name(), "/", "_")+"-"+suffix+".png")
	if err := os.WriteFile(name, png, 0o644); err == nil {
		t.Logf("screenshot: %s", name)
	}
}

func (b *browser) do(t *testing.T, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func eval[T any](t *testing.T, b *browser, expr string) T {
	t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitForCharts waits until app.js has drawn n charts.
func (b *browser) waitForCharts(t *testing.T, n int) {
	t.Helper()
	expr := fmt.Sprintf("window.govkpiCharts && window.govkpiCharts.length >= %d", n)
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("charts never drew: %v", err)
	}
}

// login signs in through the login form, as a person would.
func (b *browser) login(t *testing.T, serverURL, name, password string) {
	t.Helper()
	b.do(t, chromedp.Navigate(serverURL+"/login"),
		chromedp.WaitVisible(`input[name="name"]`),
		chromedp.SendKeys(`input[name="name"]`, name),
		chromedp.SendKeys(`input[name="password"]`, password),
		chromedp.Click(`.login-box button[type="submit"]`))
	for i := 0; i < 50; i++ {
		loc, _ := chromedp.Run(b.ctx, chromedp.Location())
		if !strings.Contains(loc, "/login") {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("login as %s failed", name)
}

// waitForLocation waits for a navigation to a URL containing want and
// returns the location it ended at. (Polling in the page itself would die
// with the page that navigates away.)
func (b *browser) waitForLocation(t *testing.T, want string) string {
	t.Helper()
	var loc string
	for i := 0; i < 50; i++ {
		loc, _ = chromedp.Run(b.ctx, chromedp.Location())
		if strings.Contains(loc, want) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	return loc
}

func (b *browser) expected(text string) bool {
	for _, e := range b.expect {
		if strings.Contains(text, e) {
			return true
		}
	}
	return false
}

// checkClean fails on any console error or exception, and on any request
// to another host than the server: no CDN, no external font.
func (b *browser) checkClean(t *testing.T, serverURL string) {
	t.Helper()
	b.mu.Lock()
	for _, m := range b.console {
		if b.expected(m.Text) {
			continue
		}
		if m.IsException() || m.Type == "error" || m.Type == "warning" {
			t.Errorf("console %s: %s (%s:%d)", m.Type, m.Text, m.URL, m.Line)
		}
	}
	b.mu.Unlock()
	urls := eval[[]string](t, b, `performance.getEntriesByType('resource').map(e => e.name).concat([location.href])`)
	for _, u := range urls {
		if !strings.HasPrefix(u, serverURL) {
			t.Errorf("request left the server: %s", u)
		}
	}
}

func TestBrowserCompareDrawsTheRankingAndDrillsDown(t *testing.T) {
	srv := newServer(t, demoDB)
	b := newBrowser(t)
	b.login(t, srv.URL, "admin", "demo-admin")
	q := "?indicator=prelit_diversion_rate&year=2025&parent=330000"
	var api apiComparisonJSON
	getJSON(t, srv, "/api/v1/comparison"+q, &api)

	b.do(t, chromedp.Navigate(srv.URL+"/compare"+q))
	b.waitForCharts(t, 1)
	drawn := eval[[][]any](t, b, `govkpiCharts[0].getOption().series[0].data.map(d => [d.name, d.value])`)
	var want [][]any
	for _, row := range api.Rows {
		if row.Value != nil {
			want = append(want, []any{row.Region.Name, kpi.Round(*row.Value, api.Indicator.Decimals)})
		}
	}
	if fmt.Sprint(drawn) != fmt.Sprint(want) {
		t.Fatalf("bars drawn:\n%v\nwant (from the API):\n%v", drawn, want)
	}
	axis := eval[[]string](t, b, `govkpiCharts[0].getOption().xAxis[0].data`)
	if len(axis) != len(want) || axis[0] != want[0][0] {
		t.Errorf("x axis %v does not name the bars", axis)
	}
	b.checkClean(t, srv.URL)
	b.screenshot(t, "compare")

	// Click the first bar: the page drills down to that city's counties.
	xy := eval[[]float64](t, b, `(() => {
		const c = govkpiCharts[0], d = c.getOption().series[0].data[0];
		const p = c.convertToPixel({seriesIndex: 0}, [0, d.value / 2]);
		const r = c.getDom().getBoundingClientRect();
		return [r.left + p[0], r.top + p[1]];
	})()`)
	first := api.Rows[0].Region
	b.do(t, chromedp.MouseClickXY(xy[0], xy[1]))
	if loc := b.waitForLocation(t, "parent="+first.Code); !strings.Contains(loc, "parent="+first.Code) {
		t.Fatalf("clicking %s did not drill down; at %s", first.Name, loc)
	}
	b.do(t, chromedp.WaitVisible("#ranking"))
	crumb, err := chromedp.Run(b.ctx, chromedp.Text(".breadcrumb"))
	if err != nil || !strings.Contains(crumb, "浙江省") || !strings.Contains(crumb, first.Name) {
		t.Errorf("breadcrumb after drill-down = %q, %v", crumb, err)
	}
	b.waitForCharts(t, 1)
	b.checkClean(t, srv.URL)
}

func TestBrowserTrendDrawsTheSeries(t *testing.T) {
	srv := newServer(t, demoDB)
	b := newBrowser(t)
	b.login(t, srv.URL, "admin", "demo-admin")
	q := "?indicator=startup_days&region=330000&region=330100&from=2016&to=2025"
	var api struct {
		Indicator struct{ Decimals int } `json:"indicator"`
		Series    []struct {
			Region struct{ Name string } `json:"region"`
			Points []struct {
				Value *float64 `json:"value"`
			} `json:"points"`
			Targets []struct{ Year int } `json:"targets"`
		} `json:"series"`
	}
	getJSON(t, srv, "/api/v1/series"+q, &api)
	b.do(t, chromedp.Navigate(srv.URL+"/trend"+q))
	b.waitForCharts(t, 1)
	names := eval[[]string](t, b, `govkpiCharts[0].getOption().series.map(s => s.name)`)
	if len(names) != 4 || names[0] != "浙江省" || names[1] != "杭州市" || !strings.Contains(names[2], "目标") {
		t.Fatalf("series drawn = %v, want two regions and their target lines", names)
	}
	for i, s := range api.Series {
		drawn := eval[[]any](t, b, fmt.Sprintf(`govkpiCharts[0].getOption().series[%d].data.map(d => d.value)`, i))
		if len(drawn) != len(s.Points) {
			t.Fatalf("%s: %d points drawn, want %d", s.Region.Name, len(drawn), len(s.Points))
		}
		for j, p := range s.Points {
			want := any("-")
			if p.Value != nil {
				want = kpi.Round(*p.Value, api.Indicator.Decimals)
			}
			if fmt.Sprint(drawn[j]) != fmt.Sprint(want) {
				t.Errorf("%s point %d: drawn %v, want %v", s.Region.Name, j, drawn[j], want)
			}
		}
	}
	b.checkClean(t, srv.URL)
	b.screenshot(t, "trend")
}

func TestBrowserPagesAtPhoneWidth(t *testing.T) {
	srv := newServer(t, demoDB)
	b := newBrowser(t)
	b.login(t, srv.URL, "admin", "demo-admin")
	for name, path := range map[string]string{"cockpit": "/", "compare": "/compare?indicator=startup_days&year=2025",
		"trend": "/trend", "scorecard": "/scorecard?region=330100"} {
		b.do(t, chromedp.EmulateViewport(375, 800), chromedp.Navigate(srv.URL+path))
		b.waitForCharts(t, 1)
		// Wide tables scroll inside their own box; the page itself must not.
		if eval[bool](t, b, `document.documentElement.scrollWidth > window.innerWidth + 1`) {
			t.Errorf("%s scrolls sideways at 375 px", name)
		}
		b.screenshot(t, name+"-375")
	}
	b.checkClean(t, srv.URL)
}

func TestBrowserTrendDrillsDown(t *testing.T) {
	srv := newServer(t, demoDB)
	b := newBrowser(t)
	b.login(t, srv.URL, "admin", "demo-admin")
	b.do(t, chromedp.Navigate(srv.URL+"/trend?indicator=prelit_diverted&region=330100&from=2016&to=2025"))
	b.waitForCharts(t, 1)
	// Click the last point of 杭州市's line: the comparison of its districts in
	// 2025. (After the line's drawing animation, or the point is not there yet.)
	time.Sleep(1500 * time.Millisecond)
	xy := eval[[]float64](t, b, `(() => {
		const c = govkpiCharts[0], data = c.getOption().series[0].data, i = data.length - 1;
		const p = c.convertToPixel({seriesIndex: 0}, [i, data[i].value]);
		const r = c.getDom().getBoundingClientRect();
		return [r.left + p[0], r.top + p[1]];
	})()`)
	b.do(t, chromedp.MouseClickXY(xy[0], xy[1]))
	if loc := b.waitForLocation(t, "parent=330100"); !strings.Contains(loc, "year=2025") {
		t.Fatalf("clicking the 2025 point went to %s", loc)
	}
	b.checkClean(t, srv.URL)
}
