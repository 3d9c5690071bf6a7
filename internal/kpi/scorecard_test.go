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

func TestSummaryNames(t *testing.T) {
	prev, cur := 485.0, 497.0
	events, evPrev := 2800.0, 2600.0
	in := kpi.SummaryInput{Region: kpi.Region{Name: "杭州市", Level: kpi.LevelCity}, Year: 2024, Items: []kpi.SummaryItem{
		{Indicator: kpi.Indicator{Code: "m", NameZH: "专职人民调解员数", Unit: "名", Kind: kpi.KindStock}, Value: &cur, Prev: &prev},
		{Indicator: kpi.Indicator{Code: "e", NameZH: "法治宣传活动场次", Unit: "场次", Kind: kpi.KindCount}, Value: &events, Prev: &evPrev},
		{Indicator: kpi.Indicator{Code: "p", NameZH: "人民调解员人数", Unit: "名", Kind: kpi.KindStock}, Value: &cur},
	}}
	want := "2024年，全市专职人民调解员497名，同比增加12名；法治宣传活动2800场次，同比增长7.7%；人民调解员人数497名。"
	if got := kpi.Summarize(in, "zh"); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
