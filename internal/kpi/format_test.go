package kpi_test

import (
	"testing"

	"github.com/govkpi/govkpi/internal/kpi"
)

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		v    float64
		d    int
		want string
	}{
		{0, 0, "0"},
		{497, 0, "497"},
		{999, 0, "999"},
		{1000, 0, "1,000"},
		{1234, 0, "1,234"},
		{20299, 0, "20,299"},
		{100000, 0, "100,000"},
		{1234567, 0, "1,234,567"},
		{1234567.891, 2, "1,234,567.89"},
		{12345.678, 0, "12,346"}, // rounds up into the thousands
		{7, 2, "7.00"},           // pads to the decimals
		{1.5, 1, "1.5"},
		{1.5, 0, "2"}, // half away from zero
		{2.5, 0, "3"}, // not banker's rounding
		{-2.5, 0, "-3"},
		{98.44, 1, "98.4"},
		{98.45, 1, "98.5"},
		{98.456, 2, "98.46"},
		{0.125, 2, "0.13"},
		{999.95, 1, "1,000.0"}, // rounding carries into a new group
		{-1234.5, 1, "-1,234.5"},
		{-999, 0, "-999"},
		{-1000, 0, "-1,000"},
		{-999999.5, 0, "-1,000,000"},
		{-0.04, 1, "0.0"}, // no "-0.0"
		{-0.4, 0, "0"},    // no "-0"
		{-0.05, 1, "-0.1"},
	}
	for _, tc := range tests {
		if got := kpi.FormatNumber(tc.v, tc.d); got != tc.want {
			t.Errorf("FormatNumber(%v, %d) = %q, want %q", tc.v, tc.d, got, tc.want)
		}
	}
}

func TestFormatValue(t *testing.T) {
	noEN := casesCount()
	noEN.UnitEN = ""
	tests := []struct {
		name string
		ind  kpi.Indicator
		v    *float64
		lang string
		want string
	}{
		{"count zh", mediatorsStock(), f(497), "zh", "497名"},
		{"count en: number, space, unit", mediatorsStock(), f(497), "en", "497 mediators"},
		{"thousands zh", casesCount(), f(20299), "zh", "20,299件"},
		{"thousands en", casesCount(), f(20299), "en", "20,299 disputes"},
		{"percent zh", satisfactionRate(), f(98.5), "zh", "98.5%"},
		{"percent en has no space", satisfactionRate(), f(98.5), "en", "98.5%"},
		{"percent rounded to decimals", satisfactionRate(), f(98.456), "zh", "98.5%"},
		{"ratio at 2 decimals", diversionRate(), f(98.4719), "zh", "98.47%"},
		{"duration zh", startupDays(), f(1.5), "zh", "1.5个工作日"},
		{"duration en", startupDays(), f(1.5), "en", "1.5 working days"},
		{"duration padded", startupDays(), f(3), "zh", "3.0个工作日"},
		{"en falls back to the Chinese unit", noEN, f(3), "en", "3 件"},
		{"zero is shown", casesCount(), f(0), "zh", "0件"},
		{"nil zh", casesCount(), nil, "zh", "—"},
		{"nil en", casesCount(), nil, "en", "—"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := kpi.FormatValue(tc.ind, tc.v, tc.lang); got != tc.want {
				t.Errorf("FormatValue = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestFormatDelta(t *testing.T) {
	tests := []struct {
		name string
		d    *kpi.Delta
		lang string
		want string
	}{
		{"points zh", &kpi.Delta{Value: 2.1, Points: true}, "zh", "+2.1个百分点"},
		{"points en", &kpi.Delta{Value: 2.1, Points: true}, "en", "+2.1 pp"},
		{"negative points zh", &kpi.Delta{Value: -2.1, Points: true}, "zh", "-2.1个百分点"},
		{"negative points en", &kpi.Delta{Value: -2.1, Points: true}, "en", "-2.1 pp"},
		{"float noise in points", &kpi.Delta{Value: 98.5 - 96.4, Points: true}, "zh", "+2.1个百分点"}, // 2.0999999…
		{"percent", &kpi.Delta{Value: 13.3333}, "zh", "+13.3%"},
		{"percent en is the same", &kpi.Delta{Value: 13.3333}, "en", "+13.3%"},
		{"negative percent", &kpi.Delta{Value: -3.4}, "zh", "-3.4%"},
		{"zero has no sign", &kpi.Delta{Value: 0}, "zh", "0.0%"},
		{"tiny positive rounds to zero without a plus", &kpi.Delta{Value: 0.04, Points: true}, "zh", "0.0个百分点"},
		{"tiny negative rounds to zero without a minus", &kpi.Delta{Value: -0.04}, "zh", "0.0%"},
		{"0.05 rounds up to +0.1", &kpi.Delta{Value: 0.05}, "zh", "+0.1%"},
		{"thousands", &kpi.Delta{Value: 1234.56}, "zh", "+1,234.6%"},
		{"nil", nil, "zh", "—"},
		{"nil en", nil, "en", "—"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := kpi.FormatDelta(tc.d, tc.lang); got != tc.want {
				t.Errorf("FormatDelta = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestFormatPercent(t *testing.T) {
	tests := []struct {
		r    *float64
		want string
	}{
		{f(0.953), "95.3%"},
		{f(1), "100.0%"},
		{f(0.9), "90.0%"},
		{f(20.0 / 22), "90.9%"}, // 0.90909 → 90.909
		{f(1.25), "125.0%"},
		{f(12.5), "1,250.0%"},
		{f(0), "0.0%"},
		{nil, "—"}, // missing is not 0%
	}
	for _, tc := range tests {
		if got := kpi.FormatPercent(tc.r); got != tc.want {
			t.Errorf("FormatPercent(%s) = %q, want %q", fmtPtr(tc.r), got, tc.want)
		}
	}
}
