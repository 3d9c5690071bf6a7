package web

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/govkpi/govkpi/db"
)

// TestBrowserDocumentConfirm: the administrator opens a seed report of the
// demo, sees its figures highlighted, confirms one, and finds the value's
// history quoting the report with a link back to the highlighted place.
func TestBrowserDocumentConfirm(t *testing.T) {
	srv := newServerAs(t, demoCopy(t), "", "")
	b := newBrowser(t)
	report, err := fs.ReadFile(db.Files, "reports/01.txt")
	if err != nil {
		t.Fatal(err)
	}
	start := strings.Index(string(report), "497名")
	b.login(t, srv.URL, "admin", "demo-admin")
	b.do(t, chromedp.Navigate(srv.URL+"/documents"), chromedp.WaitVisible("#documents"))
	b.clickAndWait(t, `#documents a[href="/documents/1"]`, "#doc-text mark")
	marks := eval[int](t, b, `document.querySelectorAll('#doc-text mark.fig').length`)
	if marks < 15 {
		t.Errorf("only %d figures highlighted", marks)
	}
	if got := text(t, b, fmt.Sprintf("#c-%d", start)); got != "497名" {
		t.Fatalf("mark c-%d reads %q", start, got)
	}
	b.screenshot(t, "document")
	// Take only the mediators; the table suggested the indicator and the quote.
	row := fmt.Sprintf("#row-%d", start)
	if got := text(t, b, row); !strings.Contains(got, "配备专职人民调解员497名") {
		t.Fatalf("row: %q", got)
	}
	b.do(t, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(
		`document.querySelectorAll('#candidates input[name^="take."]').forEach(i => { i.checked = i.name === "take.%d" })`, start)))
	b.clickAndWait(t, "#figures-confirm", "#doc-saved")
	if got := text(t, b, "#doc-saved"); !strings.Contains(got, "1") {
		t.Errorf("notice: %q", got)
	}
	if cls := eval[string](t, b, fmt.Sprintf(`document.getElementById("c-%d").className`, start)); !strings.Contains(cls, "confirmed") {
		t.Errorf("mark class after confirming: %q", cls)
	}
	b.screenshot(t, "confirmed")
	// The value's history: the quote, and a link to the place in the document.
	b.clickAndWait(t, row+` a[href^="/history"]`, "#history")
	hist := text(t, b, "#history")
	if !strings.Contains(hist, "配备专职人民调解员497名") || !strings.Contains(hist, "材料摘录") || !strings.Contains(hist, "497") {
		t.Errorf("history: %q", hist)
	}
	b.screenshot(t, "history")
	b.clickAndWait(t, "#history a.doc-link", "#doc-text")
	if loc := b.waitForLocation(t, fmt.Sprintf("/documents/1#c-%d", start)); !strings.HasSuffix(loc, fmt.Sprintf("#c-%d", start)) {
		t.Errorf("link from the history went to %s", loc)
	}
	b.checkClean(t, srv.URL)
}
