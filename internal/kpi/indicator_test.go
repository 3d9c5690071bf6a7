package kpi_test

import (
	"strings"
	"testing"

	"github.com/govkpi/govkpi/internal/kpi"
)

func TestIndicatorValidateFixtures(t *testing.T) {
	for _, ind := range validCatalogue() {
		if err := ind.Validate(); err != nil {
			t.Errorf("%s: %v", ind.Code, err)
		}
	}
}

func TestIndicatorValidate(t *testing.T) {
	with := func(base kpi.Indicator, change func(*kpi.Indicator)) kpi.Indicator {
		change(&base)
		return base
	}
	tests := []struct {
		name  string
		ind   kpi.Indicator
		field string // "" for valid, anyField for an error on some field
	}{
		// codes
		{"40-character code", with(casesCount(), func(i *kpi.Indicator) { i.Code = "a" + strings.Repeat("b", 39) }), ""},
		{"two-character code", with(casesCount(), func(i *kpi.Indicator) { i.Code = "ab" }), ""},
		{"digits and underscores", with(casesCount(), func(i *kpi.Indicator) { i.Code = "lawsuit_rate_per10k" }), ""},
		{"41-character code", with(casesCount(), func(i *kpi.Indicator) { i.Code = "a" + strings.Repeat("b", 40) }), "code"},
		{"one-character code", with(casesCount(), func(i *kpi.Indicator) { i.Code = "a" }), "code"},
		{"empty code", with(casesCount(), func(i *kpi.Indicator) { i.Code = "" }), "code"},
		{"upper case", with(casesCount(), func(i *kpi.Indicator) { i.Code = "Startup_days" }), "code"},
		{"leading digit", with(casesCount(), func(i *kpi.Indicator) { i.Code = "1st_cases" }), "code"},
		{"leading underscore", with(casesCount(), func(i *kpi.Indicator) { i.Code = "_cases" }), "code"},
		{"dash", with(casesCount(), func(i *kpi.Indicator) { i.Code = "startup-days" }), "code"},
		{"space", with(casesCount(), func(i *kpi.Indicator) { i.Code = "startup days" }), "code"},
		{"Chinese", with(casesCount(), func(i *kpi.Indicator) { i.Code = "调解" }), "code"},
		// the other fields
		{"no Chinese name", with(casesCount(), func(i *kpi.Indicator) { i.NameZH = "" }), "mediation_success.name"},
		{"blank English name", with(casesCount(), func(i *kpi.Indicator) { i.NameEN = "  " }), "mediation_success.name"},
		{"unknown category", with(casesCount(), func(i *kpi.Indicator) { i.Category = "economy" }), "mediation_success.category"},
		{"no unit", with(casesCount(), func(i *kpi.Indicator) { i.Unit = "" }), "mediation_success.unit"},
		{"decimals -1", with(casesCount(), func(i *kpi.Indicator) { i.Decimals = -1 }), "mediation_success.decimals"},
		{"decimals 5", with(casesCount(), func(i *kpi.Indicator) { i.Decimals = 5 }), "mediation_success.decimals"},
		{"decimals 4", with(startupDays(), func(i *kpi.Indicator) { i.Decimals = 4 }), ""},
		{"min above max", with(casesCount(), func(i *kpi.Indicator) { i.Min, i.Max = 10, 5 }), "mediation_success.min"},
		{"min equals max", with(casesCount(), func(i *kpi.Indicator) { i.Min, i.Max = 5, 5 }), ""},
		{"bad direction", with(casesCount(), func(i *kpi.Indicator) { i.Direction = "sideways" }), "mediation_success.direction"},
		{"no direction", with(casesCount(), func(i *kpi.Indicator) { i.Direction = "" }), "mediation_success.direction"},
		{"monthly", with(casesCount(), func(i *kpi.Indicator) { i.Frequency = "monthly" }), "mediation_success.frequency"},
		{"unknown kind", with(casesCount(), func(i *kpi.Indicator) { i.Kind = "flow" }), "mediation_success.kind"},

		// forbidden aggregations (DESIGN §3)
		{"count: period last", with(casesCount(), func(i *kpi.Indicator) { i.PeriodAgg = kpi.PeriodLast }), "mediation_success.period_agg"},
		{"count: period avg", with(casesCount(), func(i *kpi.Indicator) { i.PeriodAgg = kpi.PeriodAvg }), "mediation_success.period_agg"},
		{"count: region avg", with(casesCount(), func(i *kpi.Indicator) { i.RegionAgg = kpi.RegionAvg }), "mediation_success.region_agg"},
		{"count: region none", with(casesCount(), func(i *kpi.Indicator) { i.RegionAgg = kpi.RegionNone }), "mediation_success.region_agg"},
		{"stock: period sum double-counts", with(mediatorsStock(), func(i *kpi.Indicator) { i.PeriodAgg = kpi.PeriodSum }), "fulltime_mediators.period_agg"},
		{"stock: period avg", with(mediatorsStock(), func(i *kpi.Indicator) { i.PeriodAgg = kpi.PeriodAvg }), "fulltime_mediators.period_agg"},
		{"stock: region avg", with(mediatorsStock(), func(i *kpi.Indicator) { i.RegionAgg = kpi.RegionAvg }), "fulltime_mediators.region_agg"},
		{"list: region sum", with(itemsList(), func(i *kpi.Indicator) { i.RegionAgg = kpi.RegionSum }), "construction_items.region_agg"},
		{"list: period sum", with(itemsList(), func(i *kpi.Indicator) { i.PeriodAgg = kpi.PeriodSum }), "construction_items.period_agg"},
		{"list: period max", with(itemsList(), func(i *kpi.Indicator) { i.PeriodAgg = kpi.PeriodMax }), "construction_items.period_agg"},
		{"duration: region sum", with(startupDays(), func(i *kpi.Indicator) { i.RegionAgg = kpi.RegionSum }), "startup_days.region_agg"},
		{"duration: period sum", with(startupDays(), func(i *kpi.Indicator) { i.PeriodAgg = kpi.PeriodSum }), "startup_days.period_agg"},
		{"rate: region sum", with(satisfactionRate(), func(i *kpi.Indicator) { i.RegionAgg = kpi.RegionSum }), "public_satisfaction.region_agg"},
		{"rate: period sum", with(satisfactionRate(), func(i *kpi.Indicator) { i.PeriodAgg = kpi.PeriodSum }), "public_satisfaction.period_agg"},
		{"rate: period max", with(satisfactionRate(), func(i *kpi.Indicator) { i.PeriodAgg = kpi.PeriodMax }), "public_satisfaction.period_agg"},
		{"ratio: period avg", with(diversionRate(), func(i *kpi.Indicator) { i.PeriodAgg = kpi.PeriodAvg }), "prelit_diversion_rate.period_agg"},
		{"ratio: region avg (averaging percentages)", with(diversionRate(), func(i *kpi.Indicator) { i.RegionAgg = kpi.RegionAvg }), "prelit_diversion_rate.region_agg"},
		{"ratio: region none", with(diversionRate(), func(i *kpi.Indicator) { i.RegionAgg = kpi.RegionNone }), "prelit_diversion_rate.region_agg"},
		{"empty period_agg", with(casesCount(), func(i *kpi.Indicator) { i.PeriodAgg = "" }), "mediation_success.period_agg"},
		{"empty region_agg", with(casesCount(), func(i *kpi.Indicator) { i.RegionAgg = "" }), "mediation_success.region_agg"},

		// permitted variants
		{"stock: period max", with(mediatorsStock(), func(i *kpi.Indicator) { i.PeriodAgg = kpi.PeriodMax }), ""},
		{"stock: period min", with(mediatorsStock(), func(i *kpi.Indicator) { i.PeriodAgg = kpi.PeriodMin }), ""},
		{"stock: region none", with(mediatorsStock(), func(i *kpi.Indicator) { i.RegionAgg = kpi.RegionNone }), ""},
		{"duration: period avg", with(startupDays(), func(i *kpi.Indicator) { i.PeriodAgg = kpi.PeriodAvg }), ""},
		{"duration: period min", with(startupDays(), func(i *kpi.Indicator) { i.PeriodAgg = kpi.PeriodMin }), ""},
		{"duration: region none", with(startupDays(), func(i *kpi.Indicator) { i.RegionAgg = kpi.RegionNone }), ""},
		{"rate: period last", with(satisfactionRate(), func(i *kpi.Indicator) { i.PeriodAgg = kpi.PeriodLast }), ""},
		{"rate: region none", with(satisfactionRate(), func(i *kpi.Indicator) { i.RegionAgg = kpi.RegionNone }), ""},
		{"annual frequency", with(casesCount(), func(i *kpi.Indicator) { i.Frequency = kpi.Annual }), ""},

		// ratios need numerator, denominator and scale; others have none
		{"ratio without parts", with(diversionRate(), func(i *kpi.Indicator) { i.Numerator, i.Denominator = "", "" }), "prelit_diversion_rate.numerator"},
		{"ratio without numerator", with(diversionRate(), func(i *kpi.Indicator) { i.Numerator = "" }), anyField},
		{"ratio without denominator", with(diversionRate(), func(i *kpi.Indicator) { i.Denominator = "" }), anyField},
		{"ratio with zero scale", with(diversionRate(), func(i *kpi.Indicator) { i.Scale = 0 }), anyField},
		{"ratio with negative scale", with(diversionRate(), func(i *kpi.Indicator) { i.Scale = -100 }), anyField},
		{"count with a numerator", with(casesCount(), func(i *kpi.Indicator) { i.Numerator = "x" }), "mediation_success.numerator"},
		{"count with a denominator", with(casesCount(), func(i *kpi.Indicator) { i.Denominator = "x" }), "mediation_success.numerator"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.ind.Validate()
			if tc.field == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			wantInvalid(t, err, tc.field)
		})
	}
}

// TestAggregationErrorMessages: the message names the kind and the refused
// aggregation in both languages.
func TestAggregationErrorMessages(t *testing.T) {
	ind := startupDays()
	ind.RegionAgg = kpi.RegionSum
	err := ind.Validate()
	en, zh := kpi.ErrorMessage(err, "en"), kpi.ErrorMessage(err, "zh")
	for _, part := range []string{"startup_days", "duration", `"sum"`, "regions"} {
		if !strings.Contains(en, part) {
			t.Errorf("en %q should contain %q", en, part)
		}
	}
	for _, part := range []string{"startup_days", "duration", `"sum"`, "跨地区"} {
		if !strings.Contains(zh, part) {
			t.Errorf("zh %q should contain %q", zh, part)
		}
	}
}

func TestRatioErrorFieldNames(t *testing.T) {
	noDen := append(validCatalogue()[:7:7], func() kpi.Indicator { r := diversionRate(); r.Denominator = "no_such"; return r }())
	wantInvalid(t, kpi.ValidateCatalogue(noDen), "prelit_diversion_rate.denominator")
	r := diversionRate()
	r.Numerator = ""
	wantInvalid(t, r.Validate(), "prelit_diversion_rate.numerator")
	r = diversionRate()
	r.Scale = 0
	wantInvalid(t, r.Validate(), "prelit_diversion_rate.scale")
}

func TestValidateCatalogue(t *testing.T) {
	replace := func(code string, change func(*kpi.Indicator)) []kpi.Indicator {
		inds := validCatalogue()
		for i := range inds {
			if inds[i].Code == code {
				change(&inds[i])
			}
		}
		return inds
	}
	plus := func(extra ...kpi.Indicator) []kpi.Indicator { return append(validCatalogue(), extra...) }
	ratioOver := func(num, den string) kpi.Indicator {
		r := diversionRate()
		r.Code, r.Aliases, r.Numerator, r.Denominator = "test_ratio", nil, num, den
		return r
	}
	stockNone := mediatorsStock()
	stockNone.Code, stockNone.Aliases, stockNone.RegionAgg = "legal_list_stock", nil, kpi.RegionNone

	tests := []struct {
		name    string
		inds    []kpi.Indicator
		field   string // "" for valid, anyField for an error on some field
		enParts []string
	}{
		{"valid", validCatalogue(), "", nil},
		{"empty", nil, "", nil},
		{"ratio over a stock and a count", plus(ratioOver("fulltime_mediators", "civil_new_cases")), "", nil},
		{"an invalid indicator", replace("startup_days", func(i *kpi.Indicator) { i.RegionAgg = kpi.RegionSum }), "startup_days.region_agg", nil},
		{"duplicate code", plus(casesCount()), "code", []string{"duplicate", "mediation_success"}},
		{"alias shared by two indicators", replace("fulltime_mediators", func(i *kpi.Indicator) { i.Aliases = append(i.Aliases, "调解成功") }),
			"fulltime_mediators.aliases", []string{"调解成功", "mediation_success", "fulltime_mediators"}},
		{"unknown numerator", replace("prelit_diversion_rate", func(i *kpi.Indicator) { i.Numerator = "no_such" }),
			"prelit_diversion_rate.numerator", []string{"no_such"}},
		{"unknown denominator (field: see TestRatioErrorFieldNames)", replace("prelit_diversion_rate", func(i *kpi.Indicator) { i.Denominator = "no_such" }), anyField, []string{"no_such"}},
		{"part is a duration (averages)", plus(ratioOver("startup_days", "civil_new_cases")), "test_ratio.numerator", []string{"startup_days"}},
		{"denominator is a list (does not roll up)", plus(ratioOver("prelit_diverted", "construction_items")), anyField, []string{"construction_items"}},
		{"part is a rate", plus(ratioOver("public_satisfaction", "civil_new_cases")), "test_ratio.numerator", []string{"public_satisfaction"}},
		{"part is a ratio", plus(ratioOver("prelit_diversion_rate", "civil_new_cases")), "test_ratio.numerator", []string{"prelit_diversion_rate"}},
		{"part is a stock that does not roll up", plus(stockNone, ratioOver("legal_list_stock", "civil_new_cases")), "test_ratio.numerator", []string{"legal_list_stock"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := kpi.ValidateCatalogue(tc.inds)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			wantInvalid(t, err, tc.field)
			en := kpi.ErrorMessage(err, "en")
			for _, part := range tc.enParts {
				if !strings.Contains(en, part) {
					t.Errorf("en message %q should contain %q", en, part)
				}
			}
		})
	}
}

func TestCatalogueLookups(t *testing.T) {
	inds := validCatalogue()
	inds[0].Headline, inds[7].Headline = true, true // mediation_success, prelit_diversion_rate
	c := kpi.NewCatalogue(inds)

	got, err := c.Get("startup_days")
	if err != nil || got.Code != "startup_days" || got.Kind != kpi.KindDuration {
		t.Errorf("Get(startup_days) = %s, %v", got.Code, err)
	}
	_, err = c.Get("no_such")
	wantInvalid(t, err, "indicator")
	if en := kpi.ErrorMessage(err, "en"); !strings.Contains(en, "no_such") {
		t.Errorf("en message %q should name the code", en)
	}

	num, den, err := c.Parts(diversionRate())
	if err != nil || num.Code != "prelit_diverted" || den.Code != "civil_new_cases" {
		t.Errorf("Parts = %s, %s, %v", num.Code, den.Code, err)
	}
	r := diversionRate()
	r.Denominator = "no_such"
	if _, _, err := c.Parts(r); kpi.ErrorCode(err) != kpi.EINVALID {
		t.Errorf("Parts with an unknown denominator: %v", err)
	}

	var heads []string
	for _, h := range c.Headlines() {
		heads = append(heads, h.Code)
	}
	if strings.Join(heads, ",") != "mediation_success,prelit_diversion_rate" {
		t.Errorf("Headlines = %v, want them in display order", heads)
	}
	if len(kpi.NewCatalogue(validCatalogue()).Headlines()) != 0 {
		t.Error("no headlines expected")
	}
}

func TestIndicatorHelpers(t *testing.T) {
	tests := []struct {
		ind                        kpi.Indicator
		ratio, percent, flow, appr bool
	}{
		{casesCount(), false, false, true, false},
		{mediatorsStock(), false, false, false, false},
		{itemsList(), false, false, false, false},
		{startupDays(), false, false, false, false},
		{satisfactionRate(), false, true, false, true},
		{diversionRate(), true, true, false, false},
	}
	for _, tc := range tests {
		ind := tc.ind
		if ind.IsRatio() != tc.ratio || ind.IsPercent() != tc.percent || ind.IsFlow() != tc.flow || ind.Approximate() != tc.appr {
			t.Errorf("%s: IsRatio %v IsPercent %v IsFlow %v Approximate %v; want %v %v %v %v",
				ind.Code, ind.IsRatio(), ind.IsPercent(), ind.IsFlow(), ind.Approximate(), tc.ratio, tc.percent, tc.flow, tc.appr)
		}
	}
	d := startupDays()
	if d.Name("zh") != "企业开办时间" || d.Name("en") != "Days to start a business" || d.Name("") != "企业开办时间" {
		t.Errorf("Name: %q %q", d.Name("zh"), d.Name("en"))
	}
	if d.UnitIn("zh") != "个工作日" || d.UnitIn("en") != "working days" {
		t.Errorf("UnitIn: %q %q", d.UnitIn("zh"), d.UnitIn("en"))
	}
	d.UnitEN = ""
	if d.UnitIn("en") != "个工作日" {
		t.Errorf("UnitIn(en) without an English unit = %q, want the Chinese one", d.UnitIn("en"))
	}
}

func TestCategories(t *testing.T) {
	want := []string{"reconsideration", "litigation", "rulemaking", "services", "disputes"}
	if len(kpi.Categories) != len(want) {
		t.Fatalf("%d categories, want 5", len(kpi.Categories))
	}
	for i, code := range want {
		c := kpi.Categories[i]
		if c.Code != code || c.NameZH == "" || c.NameEN == "" || !hasCJK(c.Name("zh")) || c.Name("en") != c.NameEN {
			t.Errorf("category %d = %+v, want code %s with both names", i, c, code)
		}
		if got, ok := kpi.CategoryByCode(code); !ok || got != c {
			t.Errorf("CategoryByCode(%s) = %+v, %v", code, got, ok)
		}
	}
	if c, _ := kpi.CategoryByCode("disputes"); c.NameZH != "矛盾纠纷化解" {
		t.Errorf("disputes = %q", c.NameZH)
	}
	if _, ok := kpi.CategoryByCode("economy"); ok {
		t.Error("unknown category found")
	}
}
