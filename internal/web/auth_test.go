package web

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/govkpi/govkpi/internal/kpi"
)

func TestAnonymousRequestsAreTurnedAway(t *testing.T) {
	ts := newServerAs(t, demoDB, "", "")
	for _, path := range []string{"/", "/trend", "/compare?year=2025", "/entry", "/review", "/completeness", "/history"} {
		code, h, _ := get(t, ts, path)
		if code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login?next=") {
			t.Errorf("anonymous GET %s: %d → %s, want the login page", path, code, h.Get("Location"))
		}
	}
	var e struct{ Error struct{ Code string } }
	if code := getJSON(t, ts, "/api/v1/comparison", &e); code != http.StatusUnauthorized || e.Error.Code != kpi.EUNAUTHORIZED {
		t.Errorf("anonymous API: %d %+v", code, e)
	}
	for _, open := range []string{"/login", "/healthz", "/static/app.js"} {
		if code, _, _ := get(t, ts, open); code != http.StatusOK {
			t.Errorf("GET %s: %d, want it open", open, code)
		}
	}
	// Signed out, the page offers no menu whose every link leads back here.
	if _, _, body := get(t, ts, "/login"); strings.Contains(body, `href="/trend"`) || strings.Contains(body, `id="nav-documents"`) {
		t.Error("the login page shows the menu")
	}
}

func TestLoginLogoutAndCSRF(t *testing.T) {
	ts := newServerAs(t, demoDB, "", "")
	// A wrong password is one clear message, and no session.
	code, _, body := ts.post(t, "/login", "/login", url.Values{"name": {"viewer"}, "password": {"nope"}})
	if code != http.StatusUnauthorized || !strings.Contains(body, "用户名或密码错误") {
		t.Fatalf("wrong password: %d", code)
	}
	// A form without the CSRF token is refused.
	resp, err := ts.client.PostForm(ts.URL+"/login", url.Values{"name": {"viewer"}, "password": {"demo-viewer"}})
	if err != nil {
		t.Fatal(err)
	}
	csrfBody, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(csrfBody), "CSRF") {
		t.Errorf("login without CSRF token: %d, want 403 naming the CSRF check", resp.StatusCode)
	}
	// A session cookie planted before login is not the one after it.
	planted := &http.Cookie{Name: sessionCookie, Value: "planted-by-an-attacker", Path: "/"}
	u, _ := url.Parse(ts.URL)
	ts.client.Jar.SetCookies(u, []*http.Cookie{planted})
	ts.login(t, "viewer", "demo-viewer")
	var session string
	for _, c := range ts.client.Jar.Cookies(u) {
		if c.Name == sessionCookie {
			session = c.Value
		}
	}
	if session == "" || session == planted.Value {
		t.Fatalf("session after login = %q", session)
	}
	if code, _, body := get(t, ts, "/"); code != 200 || !strings.Contains(body, "浙江省领导") {
		t.Fatalf("after login: %d", code)
	}
	// Logout ends the session on the server: the old cookie is worthless.
	if code, _, _ := ts.post(t, "/", "/logout", url.Values{}); code != http.StatusSeeOther {
		t.Fatalf("logout: %d", code)
	}
	replay := anonymousClient()
	replay.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: session, Path: "/"}})
	resp, err = replay.Get(ts.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("replayed cookie after logout: %d, want a redirect to login", resp.StatusCode)
	}
}

func TestLoginRedirectStaysOnSite(t *testing.T) {
	for in, want := range map[string]string{"/compare?year=2024": "/compare?year=2024", "//evil.example/x": "/",
		"https://evil.example": "/", "/\\evil": "/", "": "/", "/\t/evil.example": "/", "/\n/evil.example": "/"} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAPIToken(t *testing.T) {
	st, err := openSQLite(demoDB)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, _ := st.UserByName(context.Background(), "viewer")
	token, err := st.CreateAPIToken(context.Background(), u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	ts := newServerAs(t, demoDB, "", "")
	for tok, want := range map[string]int{token: 200, token + "x": 401} {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+"/api/v1/comparison?indicator=startup_days&year=2025", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("token %q…: %d, want %d", tok[:10], resp.StatusCode, want)
		}
	}
}

// TestEveryRouteHasARule lists the routes from the router itself: a route
// added without a policy action fails here.
func TestEveryRouteHasARule(t *testing.T) {
	routes, actions := routeTable(t)
	for _, r := range routes {
		key := r.Method + " " + r.Path
		if _, ok := actions[key]; !ok && !publicRoutes[key] {
			t.Errorf("route %s has no policy rule", key)
		}
	}
}

// TestRolesReachWhatTheyMay walks the pages as every demo role.
func TestRolesReachWhatTheyMay(t *testing.T) {
	type want map[string]int
	cases := map[string]want{
		"admin":    {"/": 200, "/entry?department=1": 200, "/review": 200, "/completeness": 200},
		"reviewer": {"/compare?parent=330100": 200, "/compare?parent=330200": 403, "/entry": 403, "/review": 200, "/completeness": 200, "/completeness?region=330200": 403},
		"editor":   {"/": 200, "/entry": 200, "/review": 403, "/completeness": 403},
		"viewer":   {"/": 200, "/compare": 200, "/trend": 200, "/entry": 403, "/review": 403, "/completeness": 403},
	}
	passwords := map[string]string{"admin": "demo-admin", "reviewer": "demo-reviewer", "editor": "demo-editor", "viewer": "demo-viewer"}
	for role, paths := range cases {
		ts := newServerAs(t, demoDB, role, passwords[role])
		for path, code := range paths {
			if got, _, body := get(t, ts, path); got != code {
				t.Errorf("%s GET %s: %d, want %d\n%.300s", role, path, got, code, body)
			}
		}
	}
}

// TestWriteRoutesRefuseOtherRoles posts to every write route as each role
// that may not write there.
func TestWriteRoutesRefuseOtherRoles(t *testing.T) {
	passwords := map[string]string{"reviewer": "demo-reviewer", "editor": "demo-editor", "viewer": "demo-viewer"}
	refused := map[string][]string{
		"viewer":   {"/entry", "/entry/upload", "/entry/upload/confirm", "/review", "/backfill", "/backfill/confirm"},
		"editor":   {"/review", "/backfill", "/backfill/confirm"},
		"reviewer": {"/entry", "/entry/upload", "/entry/upload/confirm", "/backfill", "/backfill/confirm"},
	}
	path := demoCopy(t)
	for role, routes := range refused {
		ts := newServerAs(t, path, role, passwords[role])
		for _, route := range routes {
			form := url.Values{"year": {"2026"}, "quarter": {"3"}, "department": {"1"}, "decision": {"approve"}, "upload": {"1"}}
			if code, _, _ := ts.post(t, "/", route, form); code != http.StatusForbidden {
				t.Errorf("%s POST %s: %d, want 403", role, route, code)
			}
		}
	}
	// A reviewer of 杭州市 cannot approve 宁波市's departments.
	st, _ := openSQLite(path)
	depts, _ := st.Departments(context.Background(), 330200)
	st.Close()
	ts := newServerAs(t, path, "reviewer", "demo-reviewer")
	form := url.Values{"year": {"2026"}, "quarter": {"3"}, "department": {strconv.FormatInt(depts[0].ID, 10)}, "decision": {"approve"}}
	if code, _, _ := ts.post(t, "/", "/review", form); code != http.StatusForbidden {
		t.Errorf("reviewer approving outside the scope: %d", code)
	}
}

// A scoped reviewer's breadcrumbs do not link above the scope (it would be a 403).
func TestBreadcrumbsStayInScope(t *testing.T) {
	ts := newServerAs(t, demoDB, "reviewer", "demo-reviewer")
	for _, path := range []string{"/compare?parent=330100", "/scorecard?region=330102", "/?region=330102"} {
		_, _, body := get(t, ts, path)
		crumb := body[strings.Index(body, `class="breadcrumb"`):]
		crumb = crumb[:strings.Index(crumb, "</nav>")]
		if strings.Contains(crumb, "330000") || !strings.Contains(crumb, "330100") {
			t.Errorf("%s breadcrumb: %s", path, crumb)
		}
	}
}
