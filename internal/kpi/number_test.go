package kpi_test

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/govkpi/govkpi/internal/kpi"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{
		{"0", 0},
		{"497", 497},
		{"98.5", 98.5},
		{"-3.25", -3.25},
		{"+7", 7},
		{"007", 7},
		{".5", 0.5},
		{"5.", 5},
		{"1.50", 1.5},
		// full-width, as typed with a Chinese input method
		{"４９７", 497},
		{"９８．５", 98.5},
		{"－１２", -12},
		{"−12", -12}, // U+2212, Word's minus sign
		{"＋５", 5},
		{"１，２３４", 1234},
		// spaces around the number
		{"  42  ", 42},
		{"\u3000４２\u3000", 42},
		{"\t42\n", 42},
		{"\u00a042", 42}, // non-breaking space from an Excel paste
		// thousands separators in groups of three
		{"1,234", 1234},
		{"1,234,567.5", 1234567.5},
		{"12,345", 12345},
		{"123,456", 123456},
		{"-1,000", -1000},
		{"1，234，567", 1234567},
		{"1,234.", 1234},
		// a trailing percent sign leaves the value as it is
		{"98.5%", 98.5},
		{"98.5％", 98.5},
		{"100 %", 100},
		{"９８．５％", 98.5},
		{"-0.5%", -0.5},
		// 15 significant digits is the most a float64 always holds
		{"123456789012345", 123456789012345},
		{"1234567890.12345", 1234567890.12345},
		{"0.000123456789012345", 0.000123456789012345},
		{"1.100000000000000000", 1.1}, // trailing zeros after the point are not significant
		{"000000000000000000001", 1},  // nor leading zeros
		{"0.000000000000000000000000000001", 1e-30},
		{"-0", 0},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := kpi.ParseNumber(tc.in)
			if err != nil {
				t.Fatalf("ParseNumber(%q): %v", tc.in, err)
			}
			if got != tc.want {
				t.Errorf("ParseNumber(%q) = %v, want %v", tc.in, got, tc.want)
			}
			if math.Signbit(got) && got == 0 {
				t.Errorf("ParseNumber(%q) = -0, want 0", tc.in)
			}
		})
	}
}

func TestParseNumberRejects(t *testing.T) {
	tests := []struct {
		name, in string
		enHas    string // part of the English message saying what is wrong
	}{
		{"empty", "", "empty"},
		{"spaces only", " \u3000 ", "empty"},
		{"letters", "abc", "letters"},
		{"number with a unit", "12件", "letters"},
		{"Chinese numerals", "一百", "letters"},
		{"NaN", "NaN", "letters"},
		{"nan", "nan", "letters"},
		{"Inf", "Inf", "letters"},
		{"+Inf", "+Inf", "letters"},
		{"-infinity", "-infinity", "letters"},
		{"exponent", "1e5", "letters"},
		{"exponent upper", "1E-3", "letters"},
		{"hex", "0x1F", "letters"},
		{"hex float", "0x1p-2", "letters"},
		{"full-width letters", "ＮａＮ", "letters"},
		{"two decimal points", "1.2.3", "more than one decimal point"},
		{"two full-width points", "１．２．３", "more than one decimal point"},
		{"ideographic full stop", "98。5", "full stop"},
		{"12,34 is not a group of three", "12,34", "thousands separators"},
		{"European decimal comma", "1,5", "thousands separators"},
		{"leading zero before a separator", "0,123", "thousands separators"},
		{"group of four", "1,2345", "thousands separators"},
		{"first group of four", "1234,567", "thousands separators"},
		{"empty group", "1,,234", "thousands separators"},
		{"leading separator", ",123", "thousands separators"},
		{"trailing separator", "123,", "thousands separators"},
		{"separator after the point", "1.234,5", "thousands separators"},
		{"16 significant digits", "1234567890123456", "15 significant digits"},
		{"16 digits with a point", "12345678.12345678", "15 significant digits"},
		{"a large round number is still too many digits", "10000000000000000000", "15 significant digits"},
		{"sign only", "-", "not a number"},
		{"point only", ".", "not a number"},
		{"percent only", "%", "not a number"},
		{"two percent signs", "5%%", "invalid character"},
		{"leading percent", "%5", "invalid character"},
		{"sign in the middle", "1-2", "invalid character"},
		{"two signs", "--5", "invalid character"},
		{"space inside", "1 234", "invalid character"},
		{"underscore", "1_000", "invalid character"},
		{"currency", "¥100", "invalid character"},
		{"accounting negative", "(100)", "invalid character"},
		{"formula", "=1+1", "invalid character"},
		{"spreadsheet injection", "=cmd|' /C calc'!A0", "letters"},
		{"NUL byte", "1\x002", "invalid character"},
		{"too long", strings.Repeat("0", 300) + "1", "too long"},
		{"31 decimal places", "0." + strings.Repeat("0", 30) + "1", "more than 30 decimal places"},
		{"very long input", strings.Repeat("9", 10000), "too long"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v, err := kpi.ParseNumber(tc.in)
			if err == nil {
				t.Fatalf("ParseNumber(%q) = %v, want an error", tc.in, v)
			}
			var e *kpi.Error
			if !errors.As(err, &e) || e.Code != kpi.EINVALID || e.Field != "value" {
				t.Fatalf("ParseNumber(%q): error %#v is not an invalid-value *kpi.Error", tc.in, err)
			}
			if !strings.Contains(e.MessageEN, tc.enHas) {
				t.Errorf("English message %q does not say %q", e.MessageEN, tc.enHas)
			}
			if e.Message == "" || e.Message == e.MessageEN {
				t.Errorf("Chinese message %q missing or untranslated", e.Message)
			}
			if strings.TrimSpace(tc.in) != "" && tc.enHas != "too long" {
				q := strconv.Quote(strings.TrimSpace(tc.in))
				if !strings.Contains(e.Message, q) || !strings.Contains(e.MessageEN, q) {
					t.Errorf("messages %q / %q do not quote the input %s", e.Message, e.MessageEN, q)
				}
			}
		})
	}
}

// TestParseNumberRoundTrip checks that what the application prints (the
// shortest form that reads back as the same float) parses to the same value.
func TestParseNumberRoundTrip(t *testing.T) {
	for _, v := range []float64{0, 1, -1, 0.1, 0.3, 98.47, 1e14, 999999999999999, 123456.789, 1e-20, -2.5e-10} {
		s := strconv.FormatFloat(v, 'f', -1, 64)
		got, err := kpi.ParseNumber(s)
		if err != nil || got != v {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v", s, got, err, v)
		}
		grouped := kpi.FormatNumber(v, 2)
		if got, err := kpi.ParseNumber(grouped); err != nil || got != kpi.Round(v, 2) {
			t.Errorf("ParseNumber(FormatNumber(%v, 2) = %q) = %v, %v", v, grouped, got, err)
		}
	}
}

func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{
		"0", "497", "98.5", "-3.25", "1,234,567.5", "12,34", "９８．５％", "－１２", "1e5", "NaN", "Inf",
		"0x1p-2", "1.2.3", "98。5", "", " ", "\u3000４２\u3000", "123456789012345", "1234567890123456",
		"0.000000000000000000000000000000000000000000000000000000000001", "-0", ".5", "5.", "%", "1_000",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := kpi.ParseNumber(s)
		if err != nil {
			var e *kpi.Error
			if !errors.As(err, &e) || e.Code != kpi.EINVALID || e.Message == "" || e.MessageEN == "" {
				t.Fatalf("ParseNumber(%q): error %#v is not an invalid-value *kpi.Error with messages", s, err)
			}
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("ParseNumber(%q) = %v, not finite", s, v)
		}
		printed := strconv.FormatFloat(v, 'f', -1, 64)
		again, err := kpi.ParseNumber(printed)
		if err != nil {
			t.Fatalf("ParseNumber(%q) = %v, printed %q, which does not parse: %v", s, v, printed, err)
		}
		if again != v {
			t.Fatalf("ParseNumber(%q) = %v, printed %q, parsed back as %v", s, v, printed, again)
		}
	})
}
