package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserTour walks the pages of every role in real Chromium, checks
// that each renders without console errors or outside requests, and keeps
// a screenshot of each in test-artifacts/ for people to look at.
func TestBrowserTour(t *testing.T) {
	srv := newServerAs(t, demoCopy(t), "", "")
	tour := map[string][]string{
		"admin":    {"/backfill", "/entry?department=1&period=2026-3", "/history?region=330102&indicator=fulltime_mediators&year=2025"},
		"reviewer": {"/review", "/completeness?period=2025-4", "/compare?indicator=startup_days&year=2025&parent=330100&lang=en"},
		"editor":   {"/entry", "/?lang=en"},
		"viewer":   {"/", "/trend?indicator=prelit_diversion_rate&by=quarter&from=2024&to=2025", "/scorecard?region=330100", "/scorecard?region=330100&lang=en", "/screen?region=330100"},
	}
	passwords := map[string]string{"admin": "demo-admin", "reviewer": "demo-reviewer", "editor": "demo-editor", "viewer": "demo-viewer"}
	for _, role := range []string{"admin", "reviewer", "editor", "viewer"} {
		t.Run(role, func(t *testing.T) {
			b := newBrowser(t)
			b.login(t, srv.URL, role, passwords[role])
			for _, path := range tour[role] {
				b.do(t, chromedp.Navigate(srv.URL+path), chromedp.WaitVisible("main"))
				if title, _ := chromedp.Run(b.ctx, chromedp.Title()); strings.Contains(title, "出错") || strings.Contains(title, "wrong") {
					t.Errorf("%s %s: error page %q", role, path, title)
				}
				name := strings.NewReplacer("/", "_", "?", "_", "&", "_", "=", "-").Replace(path)
				b.screenshot(t, "tour"+name)
			}
			b.checkClean(t, srv.URL)
		})
	}
}
