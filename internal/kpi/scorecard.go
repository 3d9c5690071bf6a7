package kpi

// Scores for the scorecard 画像: each indicator is scored 0–100 by where a
// region's value lies in the range of its peers (the regions it is ranked
// among), best = 100 whichever way the indicator points. Monitoring
// (neutral) indicators are not scored. A category's score is the mean of
// its indicators' scores.

// Score places v in [lo, hi]: 100 at the best end, 0 at the worst. It is
// nil for neutral indicators, a missing value, or peers that all agree (no
// range to place it in).
func Score(ind Indicator, v *float64, lo, hi float64) *float64 {
	if v == nil || ind.Direction == Neutral || hi <= lo {
		return nil
	}
	s := (*v - lo) / (hi - lo) * 100
	if ind.Direction == Down {
		s = 100 - s
	}
	s = Round(min(max(s, 0), 100), 1)
	return &s
}

// PeerRange is the lowest and highest value among peers; ok is false when
// fewer than two peers have a value.
func PeerRange(c Comparison) (lo, hi float64, ok bool) {
	n := 0
	for _, row := range c.Rows {
		if row.Point.Value == nil {
			continue
		}
		v := *row.Point.Value
		if n == 0 || v < lo {
			lo = v
		}
		if n == 0 || v > hi {
			hi = v
		}
		n++
	}
	return lo, hi, n >= 2
}

// MeanScore averages the scores present; nil when there are none.
func MeanScore(scores []*float64) *float64 {
	var sum float64
	n := 0
	for _, s := range scores {
		if s != nil {
			sum += *s
			n++
		}
	}
	if n == 0 {
		return nil
	}
	m := Round(sum/float64(n), 1)
	return &m
}
