package export_test

import (
	"testing"

	"github.com/govkpi/govkpi/internal/export"
)

func TestSafeText(t *testing.T) {
	for in, want := range map[string]string{
		// Formula starts are neutralised.
		`=HYPERLINK("http://evil","x")`: `'=HYPERLINK("http://evil","x")`,
		"@SUM(A1)":                      "'@SUM(A1)",
		"+1":                            "'+1",
		"+86 571 8888":                  "'+86 571 8888",
		"-x":                            "'-x",
		"-":                             "'-",
		"-1+2":                          "'-1+2",
		"-2+3+cmd|' /C calc'!A0":        "'-2+3+cmd|' /C calc'!A0",
		"-3.5e2":                        "'-3.5e2",
		"-2.1个百分点":                      "'-2.1个百分点",
		"-.":                            "'-.",
		"-%":                            "'-%",
		"\tcmd":                         "'\tcmd",
		"\rcmd":                         "'\rcmd",
		"=":                             "'=",
		// Negative numbers as text are read as numbers, never formulas: kept.
		"-3.5":      "-3.5",
		"-12":       "-12",
		"-0.5":      "-0.5",
		"-.5":       "-.5",
		"-1,234.5":  "-1,234.5",
		"-12.5%":    "-12.5%",
		"-1,23,4.5": "'-1,23,4.5",
		// Everything else is left alone.
		"":           "",
		"杭州市":        "杭州市",
		"3.5":        "3.5",
		" =1":        " =1",
		"a=b":        "a=b",
		"'=already":  "'=already",
		"\n=x":       "\n=x",
		"１２３":        "１２３",
		"＝SUM(A1)":   "＝SUM(A1)",
		"2024年 诉前分流": "2024年 诉前分流",
	} {
		if got := export.SafeText(in); got != want {
			t.Errorf("SafeText(%q) = %q, want %q", in, got, want)
		}
	}
}
