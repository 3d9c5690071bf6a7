package kpi_test

import (
	"testing"

	"github.com/govkpi/govkpi/internal/kpi"
)

func TestProgressOf(t *testing.T) {
	year := kpi.Period{Year: 2024}
	q2 := kpi.Period{Year: 2024, Quarter: 2}
	q3 := kpi.Period{Year: 2024, Quarter: 3}
	up := casesCount() // flow, higher is better
	down := newCases() // flow, lower is better
	stock := mediatorsStock()
	days := startupDays() // duration, lower is better
	rate := satisfactionRate()
	neutral := casesCount()
	neutral.Direction = kpi.Neutral
	strict := kpi.Thresholds{Met: 0.95, Near: 0.8}

	tests := []struct {
		name           string
		ind            kpi.Indicator
		period         kpi.Period
		actual, target *float64
		th             kpi.Thresholds
		ratio          *float64
		status         kpi.ProgressStatus
	}{
		// higher is better: actual / target
		{"up exactly on target", up, year, f(100), f(100), kpi.DefaultThresholds, f(1), kpi.StatusMet},
		{"up above target", up, year, f(120), f(100), kpi.DefaultThresholds, f(1.2), kpi.StatusMet},
		{"up 95% is near", up, year, f(95), f(100), kpi.DefaultThresholds, f(0.95), kpi.StatusNear},
		{"up 90% is near (boundary)", up, year, f(90), f(100), kpi.DefaultThresholds, f(0.9), kpi.StatusNear},
		{"up 89% is behind", up, year, f(89), f(100), kpi.DefaultThresholds, f(0.89), kpi.StatusBehind},
		{"up zero actual is 0% behind", up, year, f(0), f(100), kpi.DefaultThresholds, f(0), kpi.StatusBehind},
		{"up zero target: any value meets it", up, year, f(5), f(0), kpi.DefaultThresholds, nil, kpi.StatusMet},
		{"up zero target and zero actual", up, year, f(0), f(0), kpi.DefaultThresholds, nil, kpi.StatusMet},
		// lower is better: target / actual
		{"down 2 days against 1.5 is behind", days, year, f(2), f(1.5), kpi.DefaultThresholds, f(0.75), kpi.StatusBehind}, // 1.5/2
		{"down on target", days, year, f(1.5), f(1.5), kpi.DefaultThresholds, f(1), kpi.StatusMet},
		{"down better than target", days, year, f(1), f(1.5), kpi.DefaultThresholds, f(1.5), kpi.StatusMet},                 // 1.5/1
		{"down slightly over target is near", days, year, f(1.6), f(1.5), kpi.DefaultThresholds, f(0.9375), kpi.StatusNear}, // 1.5/1.6
		{"down zero actual meets any target", days, year, f(0), f(2), kpi.DefaultThresholds, nil, kpi.StatusMet},
		{"down zero actual and zero target", days, year, f(0), f(0), kpi.DefaultThresholds, nil, kpi.StatusMet},
		{"down zero target not met by 3", days, year, f(3), f(0), kpi.DefaultThresholds, f(0), kpi.StatusBehind}, // 0/3
		// missing is unknown, never 0%
		{"missing actual", up, year, nil, f(100), kpi.DefaultThresholds, nil, kpi.StatusUnknown},
		{"missing target", up, year, f(100), nil, kpi.DefaultThresholds, nil, kpi.StatusUnknown},
		{"both missing", days, year, nil, nil, kpi.DefaultThresholds, nil, kpi.StatusUnknown},
		{"neutral indicator has no progress", neutral, year, f(100), f(100), kpi.DefaultThresholds, nil, kpi.StatusUnknown},
		// quarters: flows against a quarter of the annual target, levels against all of it
		{"flow in a quarter: 30 of 100/4", up, q2, f(30), f(100), kpi.DefaultThresholds, f(1.2), kpi.StatusMet},    // 30/25
		{"flow in a quarter: 20 of 100/4", up, q3, f(20), f(100), kpi.DefaultThresholds, f(0.8), kpi.StatusBehind}, // 20/25
		{"same flow over the year is not pro-rated", up, year, f(30), f(100), kpi.DefaultThresholds, f(0.3), kpi.StatusBehind},
		{"down flow in a quarter", down, q2, f(20), f(100), kpi.DefaultThresholds, f(1.25), kpi.StatusMet}, // (100/4)/20
		{"stock in a quarter is not pro-rated", stock, q2, f(90), f(100), kpi.DefaultThresholds, f(0.9), kpi.StatusNear},
		{"duration in a quarter is not pro-rated", days, q3, f(2), f(1.5), kpi.DefaultThresholds, f(0.75), kpi.StatusBehind},
		{"rate in a quarter is not pro-rated", rate, q2, f(95), f(100), kpi.DefaultThresholds, f(0.95), kpi.StatusNear},
		{"ratio in a quarter is not pro-rated", diversionRate(), q2, f(60), f(60), kpi.DefaultThresholds, f(1), kpi.StatusMet},
		// other thresholds
		{"strict: 0.94 is near", up, year, f(94), f(100), strict, f(0.94), kpi.StatusNear},
		{"strict: 0.95 is met", up, year, f(95), f(100), strict, f(0.95), kpi.StatusMet},
		{"strict: 0.79 is behind", up, year, f(79), f(100), strict, f(0.79), kpi.StatusBehind},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := kpi.ProgressOf(tc.ind, tc.period, tc.actual, tc.target, tc.th)
			if !ptrEq(got.Ratio, tc.ratio) || got.Status != tc.status {
				t.Errorf("ProgressOf = %s %q, want %s %q", fmtPtr(got.Ratio), got.Status, fmtPtr(tc.ratio), tc.status)
			}
		})
	}
}

func TestProgressOfDoesNotChangeTarget(t *testing.T) {
	target := 100.0
	kpi.ProgressOf(casesCount(), kpi.Period{Year: 2024, Quarter: 1}, f(10), &target, kpi.DefaultThresholds)
	if target != 100 {
		t.Errorf("the caller's target became %v", target)
	}
}

func TestProgressStatusLabel(t *testing.T) {
	tests := []struct {
		s      kpi.ProgressStatus
		zh, en string
	}{
		{kpi.StatusMet, "达标", "on target"},
		{kpi.StatusNear, "接近", "near"},
		{kpi.StatusBehind, "落后", "behind"},
		{kpi.StatusUnknown, "—", "—"},
	}
	for _, tc := range tests {
		if got := tc.s.Label("zh"); got != tc.zh {
			t.Errorf("%q.Label(zh) = %q, want %q", tc.s, got, tc.zh)
		}
		if got := tc.s.Label("en"); got != tc.en {
			t.Errorf("%q.Label(en) = %q, want %q", tc.s, got, tc.en)
		}
	}
	if kpi.DefaultThresholds != (kpi.Thresholds{Met: 1.0, Near: 0.9}) {
		t.Errorf("DefaultThresholds = %+v, want met 1.0, near 0.9", kpi.DefaultThresholds)
	}
}
