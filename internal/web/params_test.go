package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Pages open on the newest year that has ended, not on a year under way:
// one department submitting a quarter of 2026 (testNow is in November 2026)
// must not turn the cockpit, the ranking, the trend and the scorecard to a
// year of partial figures. 2026 stays one click away.
func TestDefaultYearHasEnded(t *testing.T) {
	path := demoCopy(t)
	ed := newServerAs(t, path, "editor", "demo-editor")
	form := url.Values{"year": {"2026"}, "quarter": {"3"}, "v.fulltime_mediators": {"41"}, "action": {"submit"}}
	if code, _, body := ed.post(t, "/entry", "/entry", form); code != http.StatusSeeOther {
		t.Fatalf("submitting 2026 Q3: %d\n%.500s", code, body)
	}
	admin := newServer(t, path)
	for path, want := range map[string]string{
		"/":                                   "<h1>浙江省 2025年 法治政府建设驾驶舱</h1>",
		"/compare":                            "<h1>2025年 ",
		"/scorecard?region=330100":            "<h1>杭州市 2025年 指标画像</h1>",
		"/trend?indicator=fulltime_mediators": `name="to" value="2025"`,
	} {
		if _, _, body := get(t, admin, path); !strings.Contains(body, want) {
			t.Errorf("%s does not open on 2025 (%s)", path, want)
		}
	}
	if _, _, body := get(t, admin, "/compare"); !strings.Contains(body, `<option value="2026"`) {
		t.Error("2026, which has a submitted figure, is not offered")
	}
}
