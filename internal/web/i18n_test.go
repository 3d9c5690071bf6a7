package web

import (
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
