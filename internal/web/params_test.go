package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
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
	// A trend from 2026 on, or by quarter, runs to 2026.
	for _, path := range []string{"/api/v1/series?indicator=fulltime_mediators&region=330102&from=2026",
		"/api/v1/series?indicator=fulltime_mediators&region=330102&by=quarter"} {
		var out struct {
			Series []struct {
				Points []struct{ Period struct{ Year, Quarter int } }
			}
		}
		if code := getJSON(t, admin, path, &out); code != http.StatusOK || len(out.Series) != 1 || len(out.Series[0].Points) == 0 ||
			out.Series[0].Points[len(out.Series[0].Points)-1].Period.Year != 2026 {
			t.Errorf("%s: %d %+v, want a line that ends in 2026", path, code, out)
		}
	}
}

// A year that has ended but holds no figures (the demo runs to 2025; here
// it is November 2027) is not where pages open: the newest ended year with
// figures is, even after a submission for the year under way.
func TestDefaultYearSkipsEmptyYears(t *testing.T) {
	path := demoCopy(t)
	later := time.Date(2027, 11, 25, 10, 0, 0, 0, time.UTC)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	ed := newServerAt(t, path, later, quiet, Options{}, "editor", "demo-editor")
	form := url.Values{"year": {"2027"}, "quarter": {"3"}, "v.fulltime_mediators": {"41"}, "action": {"submit"}}
	if code, _, body := ed.post(t, "/entry", "/entry", form); code != http.StatusSeeOther {
		t.Fatalf("submitting 2027 Q3: %d\n%.500s", code, body)
	}
	admin := newServerAt(t, path, later, quiet, Options{}, "admin", "demo-admin")
	if _, _, body := get(t, admin, "/"); !strings.Contains(body, "<h1>浙江省 2025年 法治政府建设驾驶舱</h1>") {
		t.Errorf("the cockpit does not open on 2025, the newest ended year with figures:\n%.400s", body[strings.Index(body, "<h1>"):])
	}
}
