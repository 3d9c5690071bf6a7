package kpi

import "math"

// ProgressStatus is the traffic light of target progress.
type ProgressStatus string

const (
	StatusMet     ProgressStatus = "met"    // 达标
	StatusNear    ProgressStatus = "near"   // 接近
	StatusBehind  ProgressStatus = "behind" // 落后
	StatusUnknown ProgressStatus = ""       // no target, no value, or a neutral indicator
)

// Label names the status in lang.
func (s ProgressStatus) Label(lang string) string {
	zh := map[ProgressStatus]string{StatusMet: "达标", StatusNear: "接近", StatusBehind: "落后", StatusUnknown: "—"}
	en := map[ProgressStatus]string{StatusMet: "on target", StatusNear: "near", StatusBehind: "behind", StatusUnknown: "—"}
	if lang == "en" {
		return en[s]
	}
	return zh[s]
}

// Thresholds are the progress ratios at which a value counts as met or near.
type Thresholds struct {
	Met  float64
	Near float64
}

// DefaultThresholds: 100% of target is met, 90% is near.
var DefaultThresholds = Thresholds{Met: 1.0, Near: 0.9}

// Progress is how far a value has come towards its target. Ratio is nil when
// it cannot be computed; a missing target or value is never shown as 0%.
type Progress struct {
	Ratio  *float64 // 1.0 = exactly on target
	Status ProgressStatus
}

// ProgressOf computes actual ÷ target for higher-is-better indicators and
// target ÷ actual for lower-is-better. For a single quarter, flows are
// measured against a quarter of the annual target; stocks, durations and
// rates against the full target.
func ProgressOf(ind Indicator, period Period, actual, target *float64, th Thresholds) Progress {
	if actual == nil || target == nil || ind.Direction == Neutral {
		return Progress{}
	}
	// Judge the figures as displayed, so that a value shown equal to its
	// target is never called "near".
	t, a := Round(*target, ind.Decimals), Round(*actual, ind.Decimals)
	if !period.IsYear() && ind.IsFlow() {
		t /= 4 // not rounded: a target of 1 a year is not 0 a quarter
	}
	var r float64
	switch {
	case ind.Direction == Up && t == 0:
		return Progress{Status: StatusMet} // any value meets a zero target
	case ind.Direction == Up:
		r = a / t
	case a == 0:
		return Progress{Status: StatusMet} // nothing left: lower cannot be better
	default:
		r = t / a
	}
	p := Progress{Ratio: &r}
	switch {
	case r >= th.Met:
		p.Status = StatusMet
	case r >= th.Near:
		p.Status = StatusNear
	default:
		p.Status = StatusBehind
	}
	return p
}

// CheckTarget validates a target for ind: a number, not negative, at most
// 100 for a percentage, whole for a count. The grid, the upload and the
// store all ask this one function.
func CheckTarget(ind Indicator, v float64) error {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0) || v < 0:
		return Invalid("target", "%s 的目标值 %s 无效：不能为负", "the target %[2]s for %[1]s is invalid: it cannot be negative", ind.NameZH, trimFloat(v))
	case ind.IsPercent() && v > 100:
		return Invalid("target", "%s 是百分比，目标值须在 0–100 之间，收到 %s", "%s is a percentage: its target must lie in 0–100, got %s", ind.NameZH, trimFloat(v))
	case ind.IsFlow() && v != math.Trunc(v):
		return Invalid("target", "%s 是计数，目标值须为整数，收到 %s", "%s is a count: its target must be a whole number, got %s", ind.NameZH, trimFloat(v))
	}
	return nil
}
