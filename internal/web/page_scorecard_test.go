package web

import (
	"strings"
	"testing"
)

// A scorecard of a region whose peers have no figures (the demo's province
// among all provinces) says that nothing can be scored and offers the
// regions under it, instead of an empty radar; a city among its province's
// cities is scored as before.
func TestScorecardAlone(t *testing.T) {
	ts := newServer(t, demoCopy(t))
	_, _, body := get(t, ts, "/scorecard?region=330000&year=2025")
	if !strings.Contains(body, `id="scorecard-alone"`) || !strings.Contains(body, "/scorecard?region=330100&amp;year=2025") ||
		strings.Contains(body, `id="radar-chart"`) {
		t.Errorf("the province's scorecard does not explain itself:\n%.3000s", body[strings.Index(body, "<main"):])
	}
	_, _, body = get(t, ts, "/scorecard?region=330100&year=2025")
	if strings.Contains(body, `id="scorecard-alone"`) || !strings.Contains(body, `id="radar-chart"`) {
		t.Error("杭州市's scorecard among the province's cities is not scored")
	}
	// A year without figures says so; it is not "alone".
	_, _, body = get(t, ts, "/scorecard?region=330102&year=2026")
	if !strings.Contains(body, `id="scorecard-empty"`) || strings.Contains(body, `id="scorecard-alone"`) || strings.Contains(body, `id="radar-chart"`) {
		t.Errorf("上城区's scorecard for 2026, which has no figures:\n%.2000s", body[strings.Index(body, "<main"):])
	}
}
