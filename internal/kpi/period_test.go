package kpi_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/govkpi/govkpi/internal/kpi"
)

func TestPeriodValidate(t *testing.T) {
	tests := []struct {
		p     kpi.Period
		field string // "" for valid
	}{
		{kpi.Period{Year: 2024}, ""},
		{kpi.Period{Year: 2024, Quarter: 1}, ""},
		{kpi.Period{Year: 2024, Quarter: 4}, ""},
		{kpi.Period{Year: kpi.MinYear, Quarter: 1}, ""},
		{kpi.Period{Year: kpi.MaxYear, Quarter: 4}, ""},
		{kpi.Period{Year: 1999}, "year"},
		{kpi.Period{Year: 2101}, "year"},
		{kpi.Period{Year: 0}, "year"},
		{kpi.Period{Year: 24, Quarter: 1}, "year"},
		{kpi.Period{Year: 2024, Quarter: -1}, "quarter"},
		{kpi.Period{Year: 2024, Quarter: 5}, "quarter"},
		{kpi.Period{Year: 1999, Quarter: 5}, "year"}, // the year is checked first
	}
	for _, tc := range tests {
		err := tc.p.Validate()
		if tc.field == "" {
			if err != nil {
				t.Errorf("%+v: unexpected error %v", tc.p, err)
			}
			continue
		}
		wantInvalid(t, err, tc.field)
	}
	if kpi.MinYear != 2000 || kpi.MaxYear != 2100 {
		t.Errorf("year window %d–%d, want 2000–2100", kpi.MinYear, kpi.MaxYear)
	}
}

func TestPeriodValidateMessages(t *testing.T) {
	err := kpi.Period{Year: 2024, Quarter: 5}.Validate()
	if en := kpi.ErrorMessage(err, "en"); !strings.Contains(en, "quarter 5") {
		t.Errorf("en message %q should name the bad quarter", en)
	}
	if zh := kpi.ErrorMessage(err, "zh"); !strings.Contains(zh, "季度 5") {
		t.Errorf("zh message %q should name the bad quarter", zh)
	}
	err = kpi.Period{Year: 1999}.Validate()
	if en := kpi.ErrorMessage(err, "en"); !strings.Contains(en, "1999") || !strings.Contains(en, "2000") || !strings.Contains(en, "2100") {
		t.Errorf("en message %q should name the year and the window", en)
	}
}

func TestPeriodPrevLabel(t *testing.T) {
	tests := []struct {
		p             kpi.Period
		prev          kpi.Period
		isYear        bool
		zh, en, short string
	}{
		{kpi.Period{Year: 2024}, kpi.Period{Year: 2023}, true, "2024年", "2024", "2024"},
		{kpi.Period{Year: 2024, Quarter: 3}, kpi.Period{Year: 2023, Quarter: 3}, false, "2024年第3季度", "2024 Q3", "2024Q3"},
		{kpi.Period{Year: 2000, Quarter: 1}, kpi.Period{Year: 1999, Quarter: 1}, false, "2000年第1季度", "2000 Q1", "2000Q1"},
	}
	for _, tc := range tests {
		if got := tc.p.Prev(); got != tc.prev {
			t.Errorf("%+v.Prev() = %+v, want %+v", tc.p, got, tc.prev)
		}
		if got := tc.p.IsYear(); got != tc.isYear {
			t.Errorf("%+v.IsYear() = %v", tc.p, got)
		}
		if got := tc.p.Label("zh"); got != tc.zh {
			t.Errorf("%+v.Label(zh) = %q, want %q", tc.p, got, tc.zh)
		}
		if got := tc.p.Label("en"); got != tc.en {
			t.Errorf("%+v.Label(en) = %q, want %q", tc.p, got, tc.en)
		}
		if got := tc.p.ShortLabel(); got != tc.short {
			t.Errorf("%+v.ShortLabel() = %q, want %q", tc.p, got, tc.short)
		}
	}
}

func TestSpanValidate(t *testing.T) {
	tests := []struct {
		name  string
		s     kpi.Span
		field string
	}{
		{"ten years", kpi.Span{From: 2016, To: 2025}, ""},
		{"one year", kpi.Span{From: 2024, To: 2024}, ""},
		{"by quarter", kpi.Span{From: 2023, To: 2024, ByQuarter: true}, ""},
		{"fifty years is the limit", kpi.Span{From: 2000, To: 2050}, ""},
		{"from after to", kpi.Span{From: 2025, To: 2016}, "from"},
		{"from out of range", kpi.Span{From: 1999, To: 2024}, "from"},
		{"to out of range", kpi.Span{From: 2016, To: 2101}, "to"},
		{"both out of range: from first", kpi.Span{From: 1, To: 3000}, "from"},
		{"fifty-one years", kpi.Span{From: 2000, To: 2051}, "to"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.s.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			wantInvalid(t, err, tc.field)
		})
	}
	err := kpi.Span{From: 2025, To: 2016}.Validate()
	if en := kpi.ErrorMessage(err, "en"); !strings.Contains(en, "from") || !strings.Contains(en, "2025") || !strings.Contains(en, "2016") {
		t.Errorf("en message %q should mention from and both years", en)
	}
}

func TestSpanPeriods(t *testing.T) {
	y := func(year int) kpi.Period { return kpi.Period{Year: year} }
	q := func(year, quarter int) kpi.Period { return kpi.Period{Year: year, Quarter: quarter} }
	tests := []struct {
		name string
		s    kpi.Span
		want []kpi.Period
	}{
		{"by year", kpi.Span{From: 2023, To: 2025}, []kpi.Period{y(2023), y(2024), y(2025)}},
		{"one year", kpi.Span{From: 2024, To: 2024}, []kpi.Period{y(2024)}},
		{"by quarter", kpi.Span{From: 2023, To: 2024, ByQuarter: true},
			[]kpi.Period{q(2023, 1), q(2023, 2), q(2023, 3), q(2023, 4), q(2024, 1), q(2024, 2), q(2024, 3), q(2024, 4)}},
		{"one year by quarter", kpi.Span{From: 2024, To: 2024, ByQuarter: true}, []kpi.Period{q(2024, 1), q(2024, 2), q(2024, 3), q(2024, 4)}},
		{"reversed is empty", kpi.Span{From: 2025, To: 2024}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.s.Periods(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Periods = %v, want %v", got, tc.want)
			}
		})
	}
	if n := len(kpi.Span{From: 2016, To: 2025, ByQuarter: true}.Periods()); n != 40 {
		t.Errorf("2016–2025 by quarter has %d periods, want 40 (10 years × 4)", n)
	}
}
