package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestTwoInstancesShareOneDatabase runs two servers on one database, as two
// instances behind a load balancer: a session made by one is honoured by
// the other, and a write through one is visible through the other at once.
func TestTwoInstancesShareOneDatabase(t *testing.T) {
	path := demoCopy(t)
	a := newServerAs(t, path, "editor", "demo-editor")
	b := newServerAs(t, path, "", "")
	// The same session cookie works on the other instance.
	ua, _ := url.Parse(a.URL)
	ub, _ := url.Parse(b.URL)
	b.client.Jar.SetCookies(ub, a.client.Jar.Cookies(ua))
	if code, _, body := get(t, b, "/entry"); code != http.StatusOK || !strings.Contains(body, "上城区司法局") {
		t.Fatalf("instance B does not know instance A's session: %d", code)
	}
	// A draft saved through A shows in B's grid at once.
	form := url.Values{"year": {"2026"}, "quarter": {"3"}, "action": {"save"}, "v.fulltime_mediators": {"61"}}
	if code, _, _ := a.post(t, "/entry", "/entry", form); code != http.StatusSeeOther {
		t.Fatalf("save through A: %d", code)
	}
	if _, _, body := get(t, b, "/entry?year=2026&quarter=3"); !strings.Contains(body, `name="v.fulltime_mediators" value="61"`) {
		t.Error("B does not see the draft saved through A")
	}
	// Logging out on B ends the session for A too.
	if code, _, _ := b.post(t, "/", "/logout", url.Values{}); code != http.StatusSeeOther {
		t.Fatalf("logout on B: %d", code)
	}
	if code, _, _ := get(t, a, "/entry"); code != http.StatusSeeOther {
		t.Errorf("A still accepts the session ended on B: %d", code)
	}
}
