package export_test

import (
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/govkpi/govkpi/internal/export"
)

// FuzzSafeText: whatever the text, the result does not start a formula,
// and only text that is not one is left unchanged.
func FuzzSafeText(f *testing.F) {
	for _, s := range []string{"=1+1", "-3.5", "-1,234.5%", "+1", "@x", "\tcmd", "杭州市", "-", "-.5", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := export.SafeText(s)
		if got != s && got != "'"+s {
			t.Fatalf("SafeText(%q) = %q: changed more than a prefix", s, got)
		}
		if got == "" {
			return
		}
		switch got[0] {
		case '=', '+', '@', '\t', '\r':
			t.Fatalf("SafeText(%q) = %q starts a formula", s, got)
		case '-':
			v := strings.TrimSuffix(strings.ReplaceAll(got, ",", ""), "%")
			if _, err := strconv.ParseFloat(v, 64); err != nil || strings.ContainsAny(v, "eEnNiIxX_+") {
				t.Fatalf("SafeText(%q) = %q: not a plain number", s, got)
			}
		}
	})
}

// FuzzFileName: whatever the parts, the name is short, valid and has no
// character a file system or a download header would trip on.
func FuzzFileName(f *testing.F) {
	f.Add("xlsx", "../../etc/passwd", "诉前分流率")
	f.Add("csv", "a<b>c", " . ")
	f.Add("", "CON", "")
	f.Fuzz(func(t *testing.T, ext, a, b string) {
		got := export.FileName(ext, a, b)
		if len(got) > 120 || got == "" || !utf8.ValidString(got) {
			t.Fatalf("FileName(%q, %q, %q) = %q", ext, a, b, got)
		}
		if strings.ContainsAny(got, `<>:"/\|?*'`+"`") || strings.IndexFunc(got, func(r rune) bool {
			return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError
		}) >= 0 {
			t.Fatalf("FileName(%q, %q, %q) = %q holds a forbidden character", ext, a, b, got)
		}
		if strings.HasPrefix(got, ".") || strings.HasPrefix(got, " ") || strings.Trim(got, ".") == "" {
			t.Fatalf("FileName(%q, %q, %q) = %q", ext, a, b, got)
		}
	})
}
