package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/govkpi/govkpi/internal/kpi"
)

// watcher records what a tab asked the network for and every JavaScript
// dialog it opened (an alert is the classic proof of injected script).
type watcher struct {
	mu       sync.Mutex
	requests []string
	dialogs  []string
}

// watch subscribes to the tab's network requests and dialogs. A dialog is
// dismissed at once, so that a test that provoked one still finishes.
func watch(ctx context.Context) *watcher {
	w := &watcher{}
	requests := chromedp.Events(ctx, network.RequestWillBeSent)
	dialogs := chromedp.Events(ctx, cdppage.JavascriptDialogOpening)
	go func() {
		for ev, err := range requests {
			if err != nil {
				return
			}
			w.mu.Lock()
			w.requests = append(w.requests, ev.Request.URL)
			w.mu.Unlock()
		}
	}()
	go func() {
		for ev, err := range dialogs {
			if err != nil {
				return
			}
			w.mu.Lock()
			w.dialogs = append(w.dialogs, string(ev.Type)+": "+ev.Message)
			w.mu.Unlock()
			go chromedp.Call(ctx, cdppage.HandleJavaScriptDialog, cdppage.HandleJavaScriptDialogParams{Accept: false})
		}
	}()
	return w
}

// check fails on any dialog, and on any request to another host than the
// server (data: URLs are the page's own bytes).
func (w *watcher) check(t *testing.T, serverURL, where string) {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, d := range w.dialogs {
		t.Errorf("%s: a JavaScript dialog opened: %s", where, d)
	}
	for _, u := range w.requests {
		if !strings.HasPrefix(u, serverURL+"/") && !strings.HasPrefix(u, "data:") {
			t.Errorf("%s: a request left the server: %s", where, u)
		}
	}
	w.dialogs, w.requests = nil, nil
}

// tab opens a new tab in b's browser, with its own console record.
func (b *browser) tab(t *testing.T) (*browser, *watcher) {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	tb := &browser{ctx: ctx}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			tb.mu.Lock()
			tb.console = append(tb.console, m)
			tb.mu.Unlock()
		}
	}()
	return tb, watch(ctx)
}

// pageRoutes are the router's GET routes that answer with a page (not the
// API, downloads, assets or probes), each with the query that fills its
// parameters with demo values every role can read.
func pageRoutes(t *testing.T) map[string]kpi.Action {
	t.Helper()
	routes, actions := routeTable(t)
	out := map[string]kpi.Action{}
	for _, r := range routes {
		if r.Method != http.MethodGet || r.Path == "/login" || r.Path == "/healthz" || r.Path == "/metrics" ||
			strings.HasPrefix(r.Path, "/api/") || strings.HasPrefix(r.Path, "/export/") || strings.HasPrefix(r.Path, "/static/") ||
			strings.HasSuffix(r.Path, "/template") {
			continue
		}
		act, ok := actions["GET "+r.Path]
		if !ok {
			t.Fatalf("page %s has no rule", r.Path)
		}
		out[r.Path] = act
	}
	return out
}

// pageURL is a page with demo parameters for role.
func pageURL(role, path string) string {
	q := demoQuery
	switch {
	case strings.HasPrefix(path, "/entry") || strings.HasPrefix(path, "/targets"):
		q = strings.Replace(q, "year=2025", "year=2026&quarter=3", 1)
		if role == "admin" && path == "/entry" {
			q += "&department=1"
		}
	}
	return routeURL(path) + "?" + q
}

// TestBrowserEveryPageAsEveryRole logs in as each role in one browser (a
// tab per role) and opens every page of the router: the pages the role may
// see answer 200 and draw their charts, the others a readable 403 page;
// no console errors or exceptions, no dialog, no request to another host.
// A failed page leaves a screenshot in test-artifacts/.
func TestBrowserEveryPageAsEveryRole(t *testing.T) {
	start := time.Now()
	srv := newServerAs(t, demoCopy(t), "", "")
	users := demoUsers(t)
	pages := pageRoutes(t)
	if len(pages) < 10 {
		t.Fatalf("only %d pages found in the router", len(pages))
	}
	b := newBrowserFor(t, 4*time.Minute)
	visits := 0
	for _, role := range []string{"admin", "reviewer", "editor", "viewer"} {
		tb, w := b.tab(t)
		tb.expect = []string{"status of 403"} // Chromium logs each refused page
		tb.login(t, srv.URL, role, demoPasswords[role])
		for path, act := range pages {
			url := srv.URL + pageURL(role, path)
			where := role + " " + pageURL(role, path)
			failedBefore := t.Failed()
			resp, err := chromedp.RunResponse(tb.ctx, chromedp.Navigate(url))
			if err != nil {
				t.Fatalf("%s: %v", where, err)
			}
			visits++
			want := http.StatusOK
			if kpi.Authorize(users[role], act, kpi.Resource{}) != nil {
				want = http.StatusForbidden
			}
			if int(resp.Status) != want {
				t.Errorf("%s: %d, want %d", where, resp.Status, want)
			}
			if want == http.StatusForbidden {
				msg, err := chromedp.Run(tb.ctx, chromedp.Text("#error-message"))
				if err != nil || strings.TrimSpace(msg) == "" {
					t.Errorf("%s: the 403 page has no readable message (%v)", where, err)
				}
			} else {
				tb.do(t, chromedp.WaitVisible("main"))
				if n := eval[int](t, tb, `document.querySelectorAll('[data-chart]').length`); n > 0 {
					tb.waitForCharts(t, n)
				}
			}
			tb.checkClean(t, srv.URL)
			w.check(t, srv.URL, where)
			if !failedBefore && t.Failed() {
				tb.screenshot(t, strings.NewReplacer("/", "_", "?", "_", "&", "_", "=", "-").Replace(role+path))
			}
			tb.mu.Lock()
			tb.console = nil // each page is judged on its own messages
			tb.mu.Unlock()
		}
	}
	t.Logf("%d page visits as 4 roles in %v", visits, time.Since(start).Round(time.Millisecond))
}

// The watcher itself must see what it is there to catch: a dialog and a
// request to another host.
func TestBrowserWatcherSeesDialogsAndOutsideRequests(t *testing.T) {
	srv := newServerAs(t, demoDB, "", "")
	b := newBrowser(t)
	tb, w := b.tab(t)
	tb.do(t, chromedp.Navigate(srv.URL+"/login"))
	// CSP forbids inline scripts in pages, not evaluation by the test. (A
	// fetch to another host would not even be sent: connect-src is 'self'.)
	tb.do(t, chromedp.Evaluate[chromedp.Void](`setTimeout(() => alert("x"), 0)`))
	time.Sleep(300 * time.Millisecond)
	// The same server under another name is another host.
	other := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	tb.do(t, chromedp.Navigate(other+"/login"))
	w.mu.Lock()
	dialogs, requests := len(w.dialogs), fmt.Sprint(w.requests)
	w.mu.Unlock()
	if dialogs != 1 || !strings.Contains(requests, other) {
		t.Errorf("watcher saw %d dialogs and requests %s", dialogs, requests)
	}
}
