package kpi_test

import (
	"testing"

	"github.com/govkpi/govkpi/internal/kpi"
)

func TestScore(t *testing.T) {
	up := kpi.Indicator{Direction: kpi.Up}
	down := kpi.Indicator{Direction: kpi.Down}
	neutral := kpi.Indicator{Direction: kpi.Neutral}
	f := func(x float64) *float64 { return &x }
	tests := []struct {
		name   string
		ind    kpi.Indicator
		v      *float64
		lo, hi float64
		want   *float64
	}{
		{"best of the peers", up, f(98), 80, 98, f(100)},
		{"worst", up, f(80), 80, 98, f(0)},
		{"a quarter of the way", up, f(85), 80, 100, f(25)}, // (85-80)/20 = 25%
		{"lower is better: fewest days best", down, f(2), 2, 10, f(100)},
		{"lower is better: 8 of 2..10", down, f(8), 2, 10, f(25)}, // 100 - (8-2)/8*100 = 25
		{"neutral is not scored", neutral, f(5), 0, 10, nil},
		{"missing is not zero", up, nil, 0, 10, nil},
		{"no range", up, f(5), 5, 5, nil},
	}
	for _, tt := range tests {
		got := kpi.Score(tt.ind, tt.v, tt.lo, tt.hi)
		if (got == nil) != (tt.want == nil) || (got != nil && *got != *tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	if m := kpi.MeanScore([]*float64{f(100), nil, f(50)}); m == nil || *m != 75 {
		t.Errorf("mean of 100, missing, 50 = %v, want 75", m)
	}
	if kpi.MeanScore([]*float64{nil}) != nil {
		t.Error("mean of nothing should be nil")
	}
}

func TestQuartileAndProgressOrder(t *testing.T) {
	for _, tt := range []struct{ rank, n, want int }{{1, 11, 1}, {3, 11, 1}, {4, 11, 2}, {6, 11, 2}, {9, 11, 3}, {11, 11, 4}, {0, 11, 0}, {1, 1, 1}} {
		if got := kpi.Quartile(tt.rank, tt.n); got != tt.want {
			t.Errorf("Quartile(%d, %d) = %d, want %d", tt.rank, tt.n, got, tt.want)
		}
	}
	f := func(x float64) *float64 { return &x }
	rows := []kpi.ComparisonRow{
		{Rank: 1, Progress: kpi.Progress{Ratio: f(0.9)}},
		{Rank: 2},
		{Rank: 3, Progress: kpi.Progress{Ratio: f(1.2)}},
	}
	kpi.SortByProgress(rows)
	if rows[0].Rank != 3 || rows[1].Rank != 1 || rows[2].Rank != 2 {
		t.Errorf("by progress: %d %d %d, want 3 1 2", rows[0].Rank, rows[1].Rank, rows[2].Rank)
	}
}
