package kpi_test

import (
	"errors"
	"math"
	"strings"
	"testing"
	"unicode"

	"github.com/govkpi/govkpi/internal/kpi"
)

// f returns a pointer to x, for the *float64 fields of Raw, Point and friends.
func f(x float64) *float64 { return &x }

// near compares floats that went through divisions.
func near(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// ptrEq compares two optional values: both nil, or both set and near.
func ptrEq(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return near(*a, *b)
}

func fmtPtr(p *float64) string {
	if p == nil {
		return "nil"
	}
	return kpi.FormatNumber(*p, 6)
}

// Fixtures modelled on real catalogue entries (db/indicators.yaml).

// casesCount is a flow: quarters add up, regions add up.
func casesCount() kpi.Indicator {
	return kpi.Indicator{
		Code: "mediation_success", NameZH: "调解成功数", NameEN: "Disputes mediated", Category: "disputes",
		Kind: kpi.KindCount, Unit: "件", UnitEN: "disputes", Direction: kpi.Up, Decimals: 0, Min: 0, Max: 5000,
		Frequency: kpi.Quarterly, PeriodAgg: kpi.PeriodSum, RegionAgg: kpi.RegionSum,
		Aliases: []string{"调解成功"},
	}
}

// mediatorsStock is a level at period end that adds up across regions.
func mediatorsStock() kpi.Indicator {
	return kpi.Indicator{
		Code: "fulltime_mediators", NameZH: "专职人民调解员", NameEN: "Full-time people's mediators", Category: "disputes",
		Kind: kpi.KindStock, Unit: "名", UnitEN: "mediators", Direction: kpi.Up, Decimals: 0, Min: 0, Max: 2000,
		Frequency: kpi.Quarterly, PeriodAgg: kpi.PeriodLast, RegionAgg: kpi.RegionSum,
		Aliases: []string{"专职人民调解员"},
	}
}

// itemsList exists at every level; a parent's list is not its children's sum.
func itemsList() kpi.Indicator {
	return kpi.Indicator{
		Code: "construction_items", NameZH: "工程建设项目审批事项", NameEN: "Construction approval items", Category: "services",
		Kind: kpi.KindList, Unit: "项", UnitEN: "items", Direction: kpi.Down, Decimals: 0, Min: 0, Max: 300,
		Frequency: kpi.Quarterly, PeriodAgg: kpi.PeriodLast, RegionAgg: kpi.RegionNone,
		Aliases: []string{"审批事项"},
	}
}

// startupDays is a duration: averaged across regions, never summed.
func startupDays() kpi.Indicator {
	return kpi.Indicator{
		Code: "startup_days", NameZH: "企业开办时间", NameEN: "Days to start a business", Category: "services",
		Kind: kpi.KindDuration, Unit: "个工作日", UnitEN: "working days", Direction: kpi.Down, Decimals: 1, Min: 0, Max: 60,
		Frequency: kpi.Quarterly, PeriodAgg: kpi.PeriodLast, RegionAgg: kpi.RegionAvg,
		Aliases: []string{"企业开办时间"},
	}
}

// satisfactionRate is a percentage entered as a number: aggregates approximately.
func satisfactionRate() kpi.Indicator {
	return kpi.Indicator{
		Code: "public_satisfaction", NameZH: "群众满意度", NameEN: "Public satisfaction", Category: "rulemaking",
		Kind: kpi.KindRate, Unit: "%", UnitEN: "%", Direction: kpi.Up, Decimals: 1, Min: 0, Max: 100,
		Frequency: kpi.Quarterly, PeriodAgg: kpi.PeriodAvg, RegionAgg: kpi.RegionAvg,
		Aliases: []string{"满意度"},
	}
}

// diverted, newCases and diversionRate are a ratio and its two parts.
func diverted() kpi.Indicator {
	ind := casesCount()
	ind.Code, ind.NameZH, ind.NameEN, ind.Aliases = "prelit_diverted", "诉前分流案件数", "Cases diverted before filing", []string{"诉前分流案件"}
	return ind
}

func newCases() kpi.Indicator {
	ind := casesCount()
	ind.Code, ind.NameZH, ind.NameEN, ind.Direction, ind.Aliases = "civil_new_cases", "新收一审民事案件数", "New first-instance civil cases", kpi.Down, []string{"新收一审民事案件"}
	return ind
}

func diversionRate() kpi.Indicator {
	return kpi.Indicator{
		Code: "prelit_diversion_rate", NameZH: "诉前分流率", NameEN: "Pre-litigation diversion rate", Category: "disputes",
		Kind: kpi.KindRatio, Unit: "%", UnitEN: "%", Direction: kpi.Up, Decimals: 2, Min: 0, Max: 100,
		Frequency: kpi.Quarterly, PeriodAgg: kpi.PeriodSum, RegionAgg: kpi.RegionSum,
		Numerator: "prelit_diverted", Denominator: "civil_new_cases", Scale: 100,
		Aliases: []string{"诉前分流率"},
	}
}

// validCatalogue is a catalogue that passes ValidateCatalogue.
func validCatalogue() []kpi.Indicator {
	return []kpi.Indicator{casesCount(), mediatorsStock(), itemsList(), startupDays(), satisfactionRate(), diverted(), newCases(), diversionRate()}
}

// Regions: Hangzhou (a city with three counties below it) and one of its districts.
var (
	zhejiang   = kpi.Region{Code: 330000, Name: "浙江省", Level: kpi.LevelProvince, Leaves: 90}
	hangzhou   = kpi.Region{Code: 330100, Name: "杭州市", Level: kpi.LevelCity, Parent: 330000, Leaves: 3}
	shangcheng = kpi.Region{Code: 330102, Name: "上城区", Level: kpi.LevelCounty, Parent: 330100}
)

// hasCJK reports whether s contains Chinese characters.
func hasCJK(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// anyField, as the field wantInvalid expects, accepts an error on any field.
const anyField = "*"

// wantInvalid checks that err is an *kpi.Error with code EINVALID on field,
// with distinct, non-empty Chinese and English messages.
func wantInvalid(t *testing.T, err error, field string) {
	t.Helper()
	if err == nil {
		t.Fatalf("want an invalid-input error on field %q, got nil", field)
	}
	if got := kpi.ErrorCode(err); got != kpi.EINVALID {
		t.Errorf("ErrorCode = %q, want %q (err %v)", got, kpi.EINVALID, err)
	}
	var ke *kpi.Error
	if !errors.As(err, &ke) {
		t.Fatalf("err %T is not a *kpi.Error", err)
	}
	if field != anyField && ke.Field != field {
		t.Errorf("Field = %q, want %q (err %v)", ke.Field, field, err)
	}
	zh, en := kpi.ErrorMessage(err, "zh"), kpi.ErrorMessage(err, "en")
	if zh == "" || en == "" || zh == en {
		t.Errorf("messages must exist in both languages and differ: zh %q, en %q", zh, en)
	}
	if !hasCJK(zh) {
		t.Errorf("Chinese message %q has no Chinese", zh)
	}
	if !strings.ContainsAny(strings.ToLower(en), "abcdefghijklmnopqrstuvwxyz") {
		t.Errorf("English message %q has no English", en)
	}
}
