package web

import (
	"strings"
	"testing"
)

// The cockpit shows how this quarter's reports stand across the region
// (DESIGN §4), to a leader who may not open the completeness page too; a
// reviewer gets the link to it. testNow is November 2026: the quarter due
// is 2026 Q3, which nobody in the demo has reported, so all are overdue.
func TestCockpitReporting(t *testing.T) {
	path := demoCopy(t)
	viewer := newServerAs(t, path, "viewer", "demo-viewer")
	_, _, body := get(t, viewer, "/")
	start := strings.Index(body, `<section class="card reporting"`)
	if start < 0 {
		t.Fatalf("the viewer's cockpit has no reporting card:\n%.3000s", body)
	}
	card := body[start:]
	card = card[:strings.Index(card, "</section>")]
	for _, want := range []string{"本季度报送 · 2026年第3季度", "报送率 <b>0.0%</b>（0/", "报送截止 2026-10-15", "逾期未报 "} {
		if !strings.Contains(card, want) {
			t.Errorf("the viewer's reporting card lacks %q:\n%s", want, card)
		}
	}
	if strings.Contains(card, "/completeness") {
		t.Error("the viewer, who may not open completeness, is offered a link to it")
	}
	_, _, body = get(t, newServer(t, path), "/?region=330100&lang=en")
	if !strings.Contains(body, `id="reporting"`) || !strings.Contains(body, "This quarter&#39;s reports · 2026 Q3") ||
		!strings.Contains(body, `/completeness?lang=en&amp;quarter=3&amp;region=330100&amp;year=2026`) {
		t.Errorf("the administrator's English cockpit of 杭州市 lacks the card or its link:\n%.3000s", body[strings.Index(body, "<main"):])
	}
}
