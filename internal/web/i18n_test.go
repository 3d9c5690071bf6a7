package web

import (
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every message key the handlers and templates ask for exists: a missing
// one would show as its key (or as a garbled format) on a page.
func TestEveryMessageKeyExists(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	tmpls, err := filepath.Glob("templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	use := regexp.MustCompile(`(?:\.Tf?\(|\.Tf? )"([a-z0-9_.]+)"`)
	seen := 0
	for _, f := range append(files, tmpls...) {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range use.FindAllStringSubmatch(string(b), -1) {
			key := m[1]
			if strings.HasSuffix(key, ".") {
				continue // a prefix the code completes, e.g. "status." + status
			}
			seen++
			if _, ok := messages[key]; !ok {
				t.Errorf("%s asks for message %q, which i18n.go does not have", f, key)
			}
		}
	}
	if seen < 100 {
		t.Fatalf("found only %d message uses: the pattern no longer matches the code", seen)
	}
}

// A form sent from an English page answers in English: its errors, the
// page it leads to, and the login page after signing out or timing out.
func TestFormsAnswerInTheirLanguage(t *testing.T) {
	path := demoCopy(t)
	ed := newServerAs(t, path, "editor", "demo-editor")
	bad := url.Values{"lang": {"en"}, "year": {"2026"}, "quarter": {"3"}, "v.fulltime_mediators": {"-5"}, "action": {"save"}}
	code, _, body := ed.post(t, "/entry?lang=en", "/entry", bad)
	if code < 400 || !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, "outside the valid range") {
		t.Errorf("a bad figure sent from the English grid: %d, not answered in English:\n%.1500s", code, body)
	}
	good := url.Values{"lang": {"en"}, "year": {"2026"}, "quarter": {"3"}, "v.fulltime_mediators": {"41"}, "action": {"save"}}
	if code, h, _ := ed.post(t, "/entry?lang=en", "/entry", good); code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "lang=en") {
		t.Errorf("a draft saved from the English grid leads to %q (%d)", h.Get("Location"), code)
	}
	if code, h, _ := ed.post(t, "/entry?lang=en", "/logout", url.Values{"lang": {"en"}}); code != http.StatusSeeOther || h.Get("Location") != "/login?lang=en" {
		t.Errorf("signing out from an English page leads to %q (%d)", h.Get("Location"), code)
	}
	if code, h, _ := get(t, ed, "/trend?lang=en"); code != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "lang=en") {
		t.Errorf("an English page asked for signed out leads to %q (%d)", h.Get("Location"), code)
	}
}
