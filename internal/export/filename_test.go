package export_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/govkpi/govkpi/internal/export"
)

func TestFileName(t *testing.T) {
	for _, c := range []struct {
		ext   string
		parts []string
		want  string
	}{
		{"xlsx", []string{"2024年", "诉前分流率", "各市对比"}, "2024年_诉前分流率_各市对比.xlsx"},
		{"csv", []string{"  2024年  第3季度 ", "杭州市"}, "2024年 第3季度_杭州市.csv"},
		{".csv", []string{"a"}, "a.csv"},
		// Path traversal: no separators, no name of dots.
		{"xlsx", []string{"../../etc/passwd"}, "etcpasswd.xlsx"},
		{"xlsx", []string{"..", "报表"}, "报表.xlsx"},
		{"xlsx", []string{`..\..\windows\system32`}, "windowssystem32.xlsx"},
		{"xlsx", []string{".hidden"}, "hidden.xlsx"},
		// Windows forbids <>:"/\|?* and quotes are trouble in headers.
		{"xlsx", []string{`a<b>c:d"e/f\g|h?i*j`, "it's `x`"}, "abcdefghij_its x.xlsx"},
		// Control and invisible characters, including the right-to-left
		// override that shows "exe.xlsx" as "xslx.exe".
		{"xlsx", []string{"报\x00表\r\n\t名", "a\u202Eexe", "b\u200Bc"}, "报表 名_aexe_bc.xlsx"},
		// Empty parts are skipped; nothing left gives "export".
		{"xlsx", []string{"", "  ", "年报", "/", ""}, "年报.xlsx"},
		{"csv", nil, "export.csv"},
		{"csv", []string{"...", "  "}, "export.csv"},
		// The extension is made safe too, or dropped.
		{"x/../sh", []string{"a"}, "a.xsh"},
		{"", []string{"a"}, "a"},
		{strings.Repeat("x", 200), []string{"a"}, "a.xxxxxxxxxx"},
		// Device names Windows refuses.
		{"xlsx", []string{"CON"}, "CON_.xlsx"},
		{"xlsx", []string{"com1"}, "com1_.xlsx"},
		{"xlsx", []string{"COM10"}, "COM10.xlsx"},
	} {
		if got := export.FileName(c.ext, c.parts...); got != c.want {
			t.Errorf("FileName(%q, %q) = %q, want %q", c.ext, c.parts, got, c.want)
		}
	}
}

// TestFileNameLength: a long name is cut to 120 bytes at a rune boundary,
// keeping the extension and no dangling separator.
func TestFileNameLength(t *testing.T) {
	for _, parts := range [][]string{
		{strings.Repeat("行政复议纠错率", 30)},
		{"a" + strings.Repeat("行政复议纠错率", 30)},
		{"ab" + strings.Repeat("行政复议纠错率", 30)},
		{strings.Repeat("x", 200)},
		{strings.Repeat("x", 114), "诉前分流率"},
		{strings.Repeat("x", 114) + " ", "y"},
	} {
		got := export.FileName("xlsx", parts...)
		if len(got) > 120 || !utf8.ValidString(got) || !strings.HasSuffix(got, ".xlsx") {
			t.Errorf("FileName(%q) = %q (%d bytes)", parts, got, len(got))
		}
		base := strings.TrimSuffix(got, ".xlsx")
		if len(base) < 120-5-3 || strings.HasSuffix(base, "_") || strings.HasSuffix(base, " ") {
			t.Errorf("FileName(%q) = %q: cut too short or dangling", parts, got)
		}
	}
	if got := export.FileName("xlsx", strings.Repeat("x", 114), "诉前分流率"); got != strings.Repeat("x", 114)+".xlsx" {
		t.Errorf("cut at the separator: %q", got)
	}
}
