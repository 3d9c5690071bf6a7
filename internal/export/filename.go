package export

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxFileName bounds a download name in bytes, extension included: 120
// bytes is 120 characters of ASCII and 40 of Chinese, well inside the 255
// bytes most file systems allow, with room for a browser's " (1)".
const maxFileName = 120

// FileName makes a meaningful, safe download name from parts joined by "_"
// plus an extension: FileName("xlsx", "2024年", "诉前分流率", "各市对比") is
// "2024年_诉前分流率_各市对比.xlsx".
//
// Path separators, control and invisible formatting characters (such as
// the right-to-left override, which can make a name ending in "exe" look
// like one ending in "xlsx"), quotes and the
// characters Windows forbids (<>:"/\|?*) are removed; runs of spaces are
// collapsed; each part is trimmed of spaces and dots, and empty parts are
// skipped, so "../../etc/passwd" cannot name a path. The name is cut at a
// rune boundary to 120 bytes, keeping the extension. With nothing left the
// name is "export".
func FileName(ext string, parts ...string) string {
	ext = strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return r
		}
		return -1
	}, ext)
	ext = ext[:min(len(ext), 10)] // an extension, not a second name
	if ext != "" {
		ext = "." + ext
	}
	var kept []string
	for _, p := range parts {
		if p = cleanPart(p); p != "" {
			kept = append(kept, p)
		}
	}
	base := strings.Join(kept, "_")
	base = trimEnds(cutBytes(base, maxFileName-len(ext)))
	if base == "" {
		base = "export"
	}
	if reservedOnWindows(base) {
		base += "_"
	}
	return base + ext
}

// cleanPart removes what a file name must not hold and tidies the spaces.
func cleanPart(p string) string {
	var b strings.Builder
	space := false
	for _, r := range p {
		switch {
		case unicode.IsSpace(r): // tabs and newlines too
			space = true
			continue
		case r == utf8.RuneError, unicode.IsControl(r), unicode.Is(unicode.Cf, r),
			strings.ContainsRune(`<>:"/\|?*'`+"`", r):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	// Windows strips trailing dots and spaces itself, a leading dot hides
	// a file on Unix, and a name of dots only is a directory.
	return strings.Trim(b.String(), " .")
}

// trimEnds tidies a name after cutting: no trailing space, dot or the
// underscore that joined a part cut away.
func trimEnds(s string) string {
	return strings.Trim(s, " ._")
}

// cutBytes shortens s to at most n bytes without splitting a rune.
func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// reservedOnWindows reports the device names Windows will not save a file
// under, whatever its extension: CON, NUL, COM1 and the like.
func reservedOnWindows(base string) bool {
	u, _, _ := strings.Cut(strings.ToUpper(base), ".")
	switch u {
	case "CON", "PRN", "AUX", "NUL":
		return true
	default:
		return len(u) == 4 && (strings.HasPrefix(u, "COM") || strings.HasPrefix(u, "LPT")) && u[3] >= '1' && u[3] <= '9'
	}
}
