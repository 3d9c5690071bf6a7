package web

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserEntryReviewWorkflow is the entry issue's walk: an editor
// enters and submits figures, a reviewer returns one with a comment, the
// editor fixes and resubmits, the reviewer approves, and the compare page
// shows the new value; a viewer cannot reach the entry page.
func TestBrowserEntryReviewWorkflow(t *testing.T) {
	srv := newServerAs(t, demoCopy(t), "", "")
	b := newBrowser(t)
	b.expect = []string{"status of 422"} // the refused save below answers 422 on purpose
	const code = "fulltime_mediators"
	cell := fmt.Sprintf(`input[name="v.%s"]`, code)

	// The editor of 上城区司法局 enters two figures and submits 2026 Q3.
	b.login(t, srv.URL, "editor", "demo-editor")
	b.do(t, chromedp.Navigate(srv.URL+"/entry"), chromedp.WaitVisible("#entry-grid"))
	lastYear := eval[string](t, b, fmt.Sprintf(`document.querySelector('%s').dataset.lastyear`, cell))
	ly, err := strconv.ParseFloat(lastYear, 64)
	if err != nil {
		t.Fatalf("no last-year figure beside the cell: %q", lastYear)
	}
	first := int(ly) + 1
	b.do(t,
		chromedp.SetValue(cell, toFullWidth(strconv.Itoa(first))),      // typed with full-width digits
		chromedp.SetValue(`input[name="v.mediation_accepted"]`, "1,2"), // not a number: refused, nothing saved
	)
	b.clickAndWait(t, "#submit-quarter", "#entry-error")
	if v := eval[string](t, b, fmt.Sprintf(`document.querySelector('%s').value`, cell)); v != toFullWidth(strconv.Itoa(first)) {
		t.Errorf("typed value lost after a refused save: %q", v)
	}
	accepted := eval[string](t, b, `document.querySelector('input[name="v.mediation_accepted"]').dataset.lastyear`)
	b.do(t, chromedp.SetValue(`input[name="v.mediation_accepted"]`, accepted))
	b.clickAndWait(t, "#submit-quarter", "#entry-saved")
	if state := text(t, b, "#entry-state"); state != "已报送" {
		t.Fatalf("after submitting: state %q", state)
	}
	b.checkClean(t, srv.URL)
	b.logout(t)

	// The reviewer of 杭州市 returns it with a comment on the figure.
	b.login(t, srv.URL, "reviewer", "demo-reviewer")
	b.do(t, chromedp.Navigate(srv.URL+"/review"), chromedp.WaitVisible(".review-item"))
	item := `.review-item`
	if !strings.Contains(text(t, b, item), "上城区司法局") {
		t.Fatalf("the submission is not waiting for review: %q", text(t, b, item))
	}
	b.do(t,
		chromedp.SetValue(item+fmt.Sprintf(` tr[data-code="%s"] input`, code), "请核对专职调解员人数"),
		chromedp.SetValue(item+` input[name="comment"]`, "部分数据需核实"))
	b.clickAndWait(t, item+` button[value="return"]`, "#review-done")
	b.logout(t)

	// The editor sees the comment on the cell, fixes the figure and resubmits.
	b.login(t, srv.URL, "editor", "demo-editor")
	b.do(t, chromedp.Navigate(srv.URL+"/entry"), chromedp.WaitVisible("#entry-grid"))
	row := fmt.Sprintf(`tr[data-code="%s"]`, code)
	if got := text(t, b, row); !strings.Contains(got, "请核对专职调解员人数") || !strings.Contains(got, "已退回") {
		t.Fatalf("the returned cell does not show the reviewer's comment: %q", got)
	}
	second := first + 1
	b.do(t, chromedp.SetValue(cell, strconv.Itoa(second)))
	b.clickAndWait(t, "#submit-quarter", "#entry-saved")
	b.logout(t)

	// The reviewer approves; the compare page shows the new value.
	b.login(t, srv.URL, "reviewer", "demo-reviewer")
	b.do(t, chromedp.Navigate(srv.URL+"/review"), chromedp.WaitVisible(".review-item"))
	b.clickAndWait(t, `.review-item button[value="approve"]`, "#review-done")
	b.do(t, chromedp.Navigate(srv.URL+"/compare?indicator="+code+"&year=2026&quarter=3&parent=330100"), chromedp.WaitVisible("#ranking"))
	if got := text(t, b, `#ranking tr[data-region="330102"]`); !strings.Contains(got, strconv.Itoa(second)+"名") {
		t.Errorf("compare row of 上城区 = %q, want the approved %d名", got, second)
	}
	b.checkClean(t, srv.URL)
	b.screenshot(t, "compare-after-approval")
	b.logout(t)

	// A viewer cannot reach the entry page.
	b.login(t, srv.URL, "viewer", "demo-viewer")
	b.do(t, chromedp.Navigate(srv.URL+"/entry"), chromedp.WaitVisible("#error-message"))
	if got := text(t, b, "#error-message"); !strings.Contains(got, "无权") {
		t.Errorf("viewer on /entry sees %q", got)
	}
}

func text(t *testing.T, b *browser, sel string) string {
	t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(sel))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

func (b *browser) logout(t *testing.T) {
	t.Helper()
	b.clickAndWait(t, `form[action="/logout"] button`, `input[name="name"]`)
}

// clickAndWait clicks something that loads a new page and waits for an
// element of it. (A wait issued straight after the click could still see
// the old page.)
func (b *browser) clickAndWait(t *testing.T, click, want string) {
	t.Helper()
	b.do(t, chromedp.Evaluate[chromedp.Void](`window.__leaving = true`), chromedp.Click(click))
	cond := fmt.Sprintf(`!window.__leaving && document.readyState === "complete" && !!document.querySelector(%q)`, want)
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		// Errors while the old page goes away are expected: try again.
		if ok, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](cond)); err == nil && ok {
			return
		}
	}
	loc, _ := chromedp.Run(b.ctx, chromedp.Location())
	t.Fatalf("after clicking %s, %s never appeared (at %s)", click, want, loc)
}

func toFullWidth(s string) string {
	var out strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			r += '０' - '0'
		}
		out.WriteRune(r)
	}
	return out.String()
}
