package catalog_test

import (
	"reflect"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"github.com/govkpi/govkpi/db"
	"github.com/govkpi/govkpi/internal/catalog"
	"github.com/govkpi/govkpi/internal/kpi"
)

// load parses the shipped files once per test.
func load(t *testing.T) (catalog.Catalogue, []kpi.Region) {
	t.Helper()
	cat, regions, err := catalog.Load(db.Files)
	if err != nil {
		t.Fatalf("Load(db.Files): %v", err)
	}
	return cat, regions
}

func byCode(inds []kpi.Indicator) map[string]kpi.Indicator {
	m := make(map[string]kpi.Indicator, len(inds))
	for _, ind := range inds {
		m[ind.Code] = ind
	}
	return m
}

func TestShippedIndicators(t *testing.T) {
	cat, _ := load(t)
	if n := len(cat.Indicators); n < 60 {
		t.Fatalf("%d indicators, want at least 60", n)
	}
	if err := kpi.ValidateCatalogue(cat.Indicators); err != nil {
		t.Fatalf("shipped catalogue does not validate: %v", err)
	}
	perCategory := map[string]int{}
	headlines := map[string]int{}
	for i, ind := range cat.Indicators {
		perCategory[ind.Category]++
		if ind.Headline {
			headlines[ind.Category]++
		}
		if ind.Sort != i+1 {
			t.Errorf("%s: Sort %d, want %d (file order)", ind.Code, ind.Sort, i+1)
		}
	}
	for _, c := range kpi.Categories {
		if perCategory[c.Code] == 0 {
			t.Errorf("category %s has no indicators", c.Code)
		}
		// the cockpit shows 2–3 headline indicators per category
		if h := headlines[c.Code]; h < 2 || h > 3 {
			t.Errorf("category %s has %d headline indicators, want 2–3", c.Code, h)
		}
	}
	// every category in the file is known, so the per-category counts add up
	total := 0
	for _, n := range perCategory {
		total += n
	}
	if total != len(cat.Indicators) || len(perCategory) != len(kpi.Categories) {
		t.Errorf("categories %v do not cover all %d indicators", perCategory, len(cat.Indicators))
	}
}

func TestShippedRatios(t *testing.T) {
	cat, _ := load(t)
	c := kpi.NewCatalogue(cat.Indicators)
	m := byCode(cat.Indicators)
	ratios := 0
	for _, ind := range cat.Indicators {
		if !ind.IsRatio() {
			if ind.Numerator != "" || ind.Denominator != "" || ind.Scale != 0 {
				t.Errorf("%s is not a ratio but has parts or a scale", ind.Code)
			}
			continue
		}
		ratios++
		num, den, err := c.Parts(ind)
		if err != nil {
			t.Errorf("%s: parts: %v", ind.Code, err)
			continue
		}
		for _, part := range []kpi.Indicator{num, den} {
			if part.IsRatio() || part.RegionAgg != kpi.RegionSum {
				t.Errorf("%s: part %s must sum across regions", ind.Code, part.Code)
			}
			if part.Kind != kpi.KindCount && part.Kind != kpi.KindStock {
				t.Errorf("%s: part %s is a %s, want a count or a stock", ind.Code, part.Code, part.Kind)
			}
			// a quarterly ratio needs both parts every quarter
			if ind.Frequency == kpi.Quarterly && part.Frequency != kpi.Quarterly {
				t.Errorf("%s is quarterly but its part %s is %s", ind.Code, part.Code, part.Frequency)
			}
		}
		if ind.Scale <= 0 {
			t.Errorf("%s: scale %v", ind.Code, ind.Scale)
		}
		if ind.IsPercent() && ind.Scale != 100 {
			t.Errorf("%s is a percentage with scale %v, want 100", ind.Code, ind.Scale)
		}
		if _, ok := m[ind.Numerator]; !ok {
			t.Errorf("%s: numerator %s missing", ind.Code, ind.Numerator)
		}
	}
	if ratios == 0 {
		t.Fatal("no ratio indicators")
	}
}

// TestSeedReportFacts: the figures of the five seed reports have somewhere to go.
func TestSeedReportFacts(t *testing.T) {
	cat, _ := load(t)
	m := byCode(cat.Indicators)
	for _, code := range []string{
		"startup_days", "construction_items", "construction_days_gov", "construction_days_social",
		"approvals_cancelled", "online_items", "one_visit_items", "hotlines_merged",
		"local_regs_made", "gov_rules_made", "leg_contact_points", "fulltime_mediators",
		"mediation_committees", "mediation_success_rate", "legal_adviser_villages", "law_events",
		"case_files_reviewed", "prelit_diverted", "civil_new_cases", "prelit_diversion_rate",
		"prelit_resolved", "lawyer_mediators", "grid_judge_cases", "no_litigation_villages",
	} {
		if _, ok := m[code]; !ok {
			t.Errorf("indicator %s is missing", code)
		}
	}
	r := m["prelit_diversion_rate"]
	if r.Kind != kpi.KindRatio || r.Numerator != "prelit_diverted" || r.Denominator != "civil_new_cases" || r.Scale != 100 || r.Unit != "%" {
		t.Errorf("prelit_diversion_rate = kind %s, %s / %s × %v %s; want ratio prelit_diverted / civil_new_cases × 100 %%",
			r.Kind, r.Numerator, r.Denominator, r.Scale, r.Unit)
	}
	// the kinds DESIGN §3 names for the seed figures
	kinds := map[string]kpi.Kind{
		"startup_days":       kpi.KindDuration, // days: averaged, never summed
		"fulltime_mediators": kpi.KindStock,    // mediators on staff
		"construction_items": kpi.KindList,     // a list at every level
		"prelit_diverted":    kpi.KindCount,    // a flow
		"civil_new_cases":    kpi.KindCount,
	}
	for code, kind := range kinds {
		if got := m[code].Kind; got != kind {
			t.Errorf("%s is a %s, want %s", code, got, kind)
		}
	}
	if got := m["startup_days"].RegionAgg; got == kpi.RegionSum {
		t.Error("startup_days sums across regions")
	}
}

// TestShippedIndicatorData checks the promises the file's header makes.
func TestShippedIndicatorData(t *testing.T) {
	cat, _ := load(t)
	departments := map[string]bool{"court": true, "justice": true, "approval": true, "office": true, "market": true, "stats": true}
	for _, ind := range cat.Indicators {
		if !departments[ind.Department] {
			t.Errorf("%s: unknown department %q", ind.Code, ind.Department)
		}
		if ind.DefinitionZH == "" || ind.DefinitionEN == "" || ind.UnitEN == "" {
			t.Errorf("%s: definitions and English unit are required", ind.Code)
		}
		if ind.DefinitionZH != strings.TrimSpace(ind.DefinitionZH) {
			t.Errorf("%s: definition not trimmed", ind.Code)
		}
		switch ind.Kind {
		case kpi.KindCount, kpi.KindStock, kpi.KindList:
			if ind.Min < 0 {
				t.Errorf("%s: a %s with min %v allows negative numbers", ind.Code, ind.Kind, ind.Min)
			}
		}
		if ind.IsPercent() && ind.Max > 100 {
			t.Errorf("%s: a percentage with max %v", ind.Code, ind.Max)
		}
		if len(ind.Aliases) == 0 {
			t.Errorf("%s has no aliases for extraction", ind.Code)
		}
		for i, a := range ind.Aliases {
			if strings.TrimSpace(a) == "" {
				t.Errorf("%s: empty alias", ind.Code)
			}
			// longest first, so the extractor prefers the longest match
			if i > 0 && utf8.RuneCountInString(a) > utf8.RuneCountInString(ind.Aliases[i-1]) {
				t.Errorf("%s: alias %q is longer than the one before it, %q", ind.Code, a, ind.Aliases[i-1])
			}
		}
		// demo hints: present for every base indicator, absent for ratios
		h, has := cat.Demo[ind.Code]
		if ind.IsRatio() == has {
			t.Errorf("%s (%s): demo hint present = %v", ind.Code, ind.Kind, has)
		}
		if has && h.Base < 0 {
			t.Errorf("%s: negative demo base %v", ind.Code, h.Base)
		}
	}
	if len(cat.Demo) == 0 {
		t.Error("no demo hints parsed")
	}
}

func TestShippedRegions(t *testing.T) {
	_, regions := load(t)
	if err := kpi.ValidateRegions(regions); err != nil {
		t.Fatalf("ValidateRegions: %v", err)
	}
	levels := map[int]int{}
	idx := map[int]kpi.Region{}
	children := map[int][]int{}
	for _, r := range regions {
		levels[r.Level]++
		idx[r.Code] = r
		if r.Parent != 0 {
			children[r.Parent] = append(children[r.Parent], r.Code)
		}
	}
	if levels[kpi.LevelProvince] != 31 {
		t.Errorf("%d provinces, want 31", levels[kpi.LevelProvince])
	}
	if levels[kpi.LevelCity] <= 300 {
		t.Errorf("%d cities, want more than 300", levels[kpi.LevelCity])
	}
	if levels[kpi.LevelCounty] <= 2800 {
		t.Errorf("%d counties, want more than 2800", levels[kpi.LevelCounty])
	}
	if !sort.SliceIsSorted(regions, func(a, b int) bool { return regions[a].Code < regions[b].Code }) {
		t.Error("regions.csv is not sorted by code")
	}

	// Leaves by brute force: count childless descendants.
	var leaves func(code int) int
	leaves = func(code int) int {
		kids := children[code]
		if len(kids) == 0 {
			return 0
		}
		n := 0
		for _, k := range kids {
			if len(children[k]) == 0 {
				n++
			} else {
				n += leaves(k)
			}
		}
		return n
	}
	for _, r := range regions {
		if want := leaves(r.Code); r.Leaves != want {
			t.Errorf("%s %s: Leaves %d, want %d", r.CodeString(), r.Name, r.Leaves, want)
		}
		if r.Level == kpi.LevelCounty && !r.IsLeaf() {
			t.Errorf("county %s has children", r.CodeString())
		}
		// GB/T 2260: a child shares its parent's prefix
		switch r.Level {
		case kpi.LevelCity:
			if r.Code/10000 != r.Parent/10000 {
				t.Errorf("city %06d under %06d", r.Code, r.Parent)
			}
		case kpi.LevelCounty:
			if r.Code/100 != r.Parent/100 {
				t.Errorf("county %06d under %06d", r.Code, r.Parent)
			}
			// development zones (fifth digit 7) are not divisions
			if r.Code/10%10 == 7 {
				t.Errorf("county %06d %s is an NBS development-zone code", r.Code, r.Name)
			}
		}
	}

	zj := idx[330000]
	if zj.Name != "浙江省" || len(children[330000]) != 11 {
		t.Errorf("Zhejiang %q has %d cities, want 11", zj.Name, len(children[330000]))
	}
	counties := 0
	for _, city := range children[330000] {
		for _, c := range children[city] {
			if len(children[c]) == 0 {
				counties++
			}
		}
	}
	if zj.Leaves != counties || zj.Leaves != 90 {
		t.Errorf("Zhejiang Leaves %d, county-level leaves %d, want both 90", zj.Leaves, counties)
	}
	if hz := idx[330100]; hz.Leaves != len(children[330100]) || hz.Leaves == 0 {
		t.Errorf("Hangzhou Leaves %d, children %d", hz.Leaves, len(children[330100]))
	}
	// cities without counties are leaves themselves and count for their province
	dg := idx[441900]
	if dg.Name != "东莞市" || dg.Level != kpi.LevelCity || !dg.IsLeaf() {
		t.Errorf("441900 = %+v, want the leaf city 东莞市", dg)
	}
	gdCounties := 0
	for _, city := range children[440000] {
		gdCounties += len(children[city])
	}
	// Guangdong's leaves = its counties + 东莞 + 中山
	if gd := idx[440000]; gd.Leaves != gdCounties+2 {
		t.Errorf("Guangdong Leaves %d, want %d counties + 2 leaf cities", gd.Leaves, gdCounties)
	}
}

func TestShippedLeafPairs(t *testing.T) {
	_, regions := load(t)
	idx := map[int]kpi.Region{}
	for _, r := range regions {
		idx[r.Code] = r
	}
	pairs := catalog.LeafPairs(regions)
	perAncestor := map[int]int{}
	seen := map[[2]int]bool{}
	for _, p := range pairs {
		anc, leaf := idx[p[0]], idx[p[1]]
		if !leaf.IsLeaf() {
			t.Fatalf("pair %v: %06d is not a leaf", p, p[1])
		}
		if seen[p] {
			t.Fatalf("pair %v twice", p)
		}
		seen[p] = true
		// the ancestor really is above the leaf
		up := leaf.Parent
		for up != 0 && up != anc.Code {
			up = idx[up].Parent
		}
		if up != anc.Code {
			t.Fatalf("pair %v: %06d is not an ancestor of %06d", p, p[0], p[1])
		}
		perAncestor[anc.Code]++
	}
	want := 0
	for _, r := range regions {
		if perAncestor[r.Code] != r.Leaves {
			t.Errorf("%06d: %d pairs, Leaves %d", r.Code, perAncestor[r.Code], r.Leaves)
		}
		if r.IsLeaf() {
			want += r.Level - 1 // a county has a city and a province above it; a leaf city only a province
		}
	}
	if len(pairs) != want {
		t.Errorf("%d pairs, want %d", len(pairs), want)
	}
}

const tinyCSV = `code,name,level,parent
330000,浙江省,1,
330100,杭州市,2,330000
330102,上城区,3,330100
330105,拱墅区,3,330100
330200,宁波市,2,330000
440000,广东省,1,
441900,东莞市,2,440000
`

func TestParseRegions(t *testing.T) {
	rs, err := catalog.ParseRegions(strings.NewReader(tinyCSV))
	if err != nil {
		t.Fatal(err)
	}
	want := []kpi.Region{
		{Code: 330000, Name: "浙江省", Level: 1, Parent: 0, Leaves: 3}, // 上城区, 拱墅区 and the childless 宁波市
		{Code: 330100, Name: "杭州市", Level: 2, Parent: 330000, Leaves: 2},
		{Code: 330102, Name: "上城区", Level: 3, Parent: 330100},
		{Code: 330105, Name: "拱墅区", Level: 3, Parent: 330100},
		{Code: 330200, Name: "宁波市", Level: 2, Parent: 330000},
		{Code: 440000, Name: "广东省", Level: 1, Leaves: 1},
		{Code: 441900, Name: "东莞市", Level: 2, Parent: 440000},
	}
	if !reflect.DeepEqual(rs, want) {
		t.Errorf("ParseRegions =\n%+v\nwant\n%+v", rs, want)
	}
	pairs := catalog.LeafPairs(rs)
	sort.Slice(pairs, func(a, b int) bool {
		if pairs[a][0] != pairs[b][0] {
			return pairs[a][0] < pairs[b][0]
		}
		return pairs[a][1] < pairs[b][1]
	})
	wantPairs := [][2]int{
		{330000, 330102}, {330000, 330105}, {330000, 330200},
		{330100, 330102}, {330100, 330105},
		{440000, 441900},
	}
	if !reflect.DeepEqual(pairs, wantPairs) {
		t.Errorf("LeafPairs = %v, want %v", pairs, wantPairs)
	}
}

func TestParseRegionsMalformed(t *testing.T) {
	tests := []struct {
		name    string
		csv     string
		field   string
		enParts []string
	}{
		{"empty input", "", "regions.csv", []string{"empty"}},
		{"wrong header", "code,name,level,parent_code\n330000,浙江省,1,\n", "regions.csv", []string{"header"}},
		{"header in another order", "code,level,name,parent\n330000,1,浙江省,\n", "regions.csv", []string{"header"}},
		{"header only three columns", "code,name,level\n330000,浙江省,1\n", "regions.csv", []string{"header"}},
		{"non-numeric code", "code,name,level,parent\n33000x,浙江省,1,\n", "regions.csv", []string{"line 2", "33000x"}},
		{"non-numeric code on line 3", "code,name,level,parent\n330000,浙江省,1,\n33O100,杭州市,2,330000\n", "regions.csv", []string{"line 3"}},
		{"non-numeric level", "code,name,level,parent\n330000,浙江省,one,\n", "regions.csv", []string{"line 2", "one"}},
		{"non-numeric parent", "code,name,level,parent\n330000,浙江省,1,\n330100,杭州市,2,zj\n", "regions.csv", []string{"line 3"}},
		{"too few fields", "code,name,level,parent\n330000,浙江省,1\n", "regions.csv", []string{"line 2"}},
		{"too many fields", "code,name,level,parent\n330000,浙江省,1,,x\n", "regions.csv", []string{"line 2"}},
		{"missing parent", "code,name,level,parent\n330000,浙江省,1,\n330102,上城区,3,330100\n", "parent", []string{"330100"}},
		{"city without parent", "code,name,level,parent\n330100,杭州市,2,\n", "parent", nil},
		{"duplicate code", "code,name,level,parent\n330000,浙江省,1,\n330000,浙江,1,\n", "code", []string{"duplicate"}},
		{"five-digit code", "code,name,level,parent\n33000,浙江省,1,\n", "code", []string{"33000"}},
		{"level 4", "code,name,level,parent\n330000,浙江省,4,\n", "level", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rs, err := catalog.ParseRegions(strings.NewReader(tc.csv))
			if err == nil {
				t.Fatalf("accepted: %+v", rs)
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

// wantInvalid checks the error is an invalid-input error on field with
// messages in both languages.
func wantInvalid(t *testing.T, err error, field string) {
	t.Helper()
	if got := kpi.ErrorCode(err); got != kpi.EINVALID {
		t.Fatalf("ErrorCode(%v) = %q, want %q", err, got, kpi.EINVALID)
	}
	if ke, ok := err.(*kpi.Error); !ok || ke.Field != field {
		t.Errorf("error %v: field %q, want %q", err, fieldOf(err), field)
	}
	zh, en := kpi.ErrorMessage(err, "zh"), kpi.ErrorMessage(err, "en")
	if zh == "" || en == "" || zh == en {
		t.Errorf("want distinct messages in both languages: zh %q en %q", zh, en)
	}
}

func fieldOf(err error) string {
	if ke, ok := err.(*kpi.Error); ok {
		return ke.Field
	}
	return "<not a *kpi.Error>"
}

const goodYAML = `
- code: prelit_diverted
  name_zh: 诉前分流案件数
  name_en: Cases diverted before filing
  category: disputes
  kind: count
  unit: 件
  unit_en: cases
  direction: up
  decimals: 0
  min: 0
  max: 50000
  frequency: quarterly
  period_agg: sum
  region_agg: sum
  numerator: ""
  denominator: ""
  scale: 0
  department: court
  headline: false
  definition_zh: "  诉前分流的案件数。  "
  definition_en: |
    Cases diverted before filing.
  aliases: [诉前分流案件, 诉前分流]
  demo: {base: 220, trend: 0.09}
- code: civil_new_cases
  name_zh: 新收一审民事案件数
  name_en: New first-instance civil cases
  category: disputes
  kind: count
  unit: 件
  unit_en: cases
  direction: down
  decimals: 0
  min: 0
  max: 50000
  frequency: quarterly
  period_agg: sum
  region_agg: sum
  department: court
  definition_zh: 新收一审民事案件。
  definition_en: New civil cases.
  aliases: [新收一审民事案件]
  demo: {base: 500, trend: 0.02}
- code: prelit_diversion_rate
  name_zh: 诉前分流率
  name_en: Pre-litigation diversion rate
  category: disputes
  kind: ratio
  unit: "%"
  unit_en: "%"
  direction: up
  decimals: 2
  min: 0
  max: 100
  frequency: quarterly
  period_agg: sum
  region_agg: sum
  numerator: prelit_diverted
  denominator: civil_new_cases
  scale: 100
  department: court
  headline: true
  definition_zh: 诉前分流案件数 ÷ 新收一审民事案件数 × 100。
  definition_en: Diverted ÷ new civil cases × 100.
  aliases: [诉前分流率]
`

func TestParseIndicators(t *testing.T) {
	cat, err := catalog.ParseIndicators(strings.NewReader(goodYAML))
	if err != nil {
		t.Fatal(err)
	}
	want := []kpi.Indicator{
		{
			Code: "prelit_diverted", NameZH: "诉前分流案件数", NameEN: "Cases diverted before filing", Category: "disputes",
			Kind: kpi.KindCount, Unit: "件", UnitEN: "cases", Direction: kpi.Up, Decimals: 0, Min: 0, Max: 50000,
			Frequency: kpi.Quarterly, PeriodAgg: kpi.PeriodSum, RegionAgg: kpi.RegionSum, Department: "court",
			DefinitionZH: "诉前分流的案件数。", DefinitionEN: "Cases diverted before filing.", // trimmed
			Aliases: []string{"诉前分流案件", "诉前分流"}, Sort: 1,
		},
		{
			Code: "civil_new_cases", NameZH: "新收一审民事案件数", NameEN: "New first-instance civil cases", Category: "disputes",
			Kind: kpi.KindCount, Unit: "件", UnitEN: "cases", Direction: kpi.Down, Decimals: 0, Min: 0, Max: 50000,
			Frequency: kpi.Quarterly, PeriodAgg: kpi.PeriodSum, RegionAgg: kpi.RegionSum, Department: "court",
			DefinitionZH: "新收一审民事案件。", DefinitionEN: "New civil cases.",
			Aliases: []string{"新收一审民事案件"}, Sort: 2,
		},
		{
			Code: "prelit_diversion_rate", NameZH: "诉前分流率", NameEN: "Pre-litigation diversion rate", Category: "disputes",
			Kind: kpi.KindRatio, Unit: "%", UnitEN: "%", Direction: kpi.Up, Decimals: 2, Min: 0, Max: 100,
			Frequency: kpi.Quarterly, PeriodAgg: kpi.PeriodSum, RegionAgg: kpi.RegionSum,
			Numerator: "prelit_diverted", Denominator: "civil_new_cases", Scale: 100, Department: "court", Headline: true,
			DefinitionZH: "诉前分流案件数 ÷ 新收一审民事案件数 × 100。", DefinitionEN: "Diverted ÷ new civil cases × 100.",
			Aliases: []string{"诉前分流率"}, Sort: 3,
		},
	}
	if !reflect.DeepEqual(cat.Indicators, want) {
		t.Errorf("ParseIndicators =\n%+v\nwant\n%+v", cat.Indicators, want)
	}
	wantDemo := map[string]catalog.DemoHint{
		"prelit_diverted": {Base: 220, Trend: 0.09},
		"civil_new_cases": {Base: 500, Trend: 0.02},
	}
	if !reflect.DeepEqual(cat.Demo, wantDemo) {
		t.Errorf("Demo = %+v, want %+v", cat.Demo, wantDemo)
	}
}

func TestParseIndicatorsMalformed(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		field   string
		enParts []string
	}{
		{"unknown key (typo) is rejected", strings.Replace(goodYAML, "  headline: true", "  headlin: true", 1),
			"indicators.yaml", []string{"headlin"}},
		{"unknown key in demo is rejected", strings.Replace(goodYAML, "{base: 220, trend: 0.09}", "{base: 220, trnd: 0.09}", 1),
			"indicators.yaml", []string{"trnd"}},
		{"a mapping instead of a list", "code: x\nname_zh: y\n", "indicators.yaml", []string{"malformed"}},
		{"broken YAML", "- code: [unclosed\n", "indicators.yaml", []string{"malformed"}},
		{"a word where a number goes", strings.Replace(goodYAML, "  max: 100\n", "  max: hundred\n", 1), "indicators.yaml", []string{"hundred"}},
		{"empty file", "", "indicators.yaml", nil},
		// civil_new_cases turned into a duration keeps period_agg sum and region_agg sum
		{"a duration summed over quarters and regions",
			strings.Replace(goodYAML, "kind: count\n  unit: 件\n  unit_en: cases\n  direction: down", "kind: duration\n  unit: 天\n  unit_en: days\n  direction: down", 1),
			"civil_new_cases.period_agg", []string{"duration"}},
		{"a duration averaged over quarters but summed across regions",
			strings.Replace(strings.Replace(goodYAML, "kind: count\n  unit: 件\n  unit_en: cases\n  direction: down", "kind: duration\n  unit: 天\n  unit_en: days\n  direction: down", 1),
				"  period_agg: sum\n  region_agg: sum\n  department: court\n  definition_zh: 新收", "  period_agg: avg\n  region_agg: sum\n  department: court\n  definition_zh: 新收", 1),
			"civil_new_cases.region_agg", []string{"duration", "regions"}},
		{"a count with period_agg last",
			strings.Replace(goodYAML, "  period_agg: sum\n  region_agg: sum\n  department: court\n  definition_zh: 新收", "  period_agg: last\n  region_agg: sum\n  department: court\n  definition_zh: 新收", 1),
			"civil_new_cases.period_agg", []string{"count", "last"}},
		{"ratio over an unknown indicator", strings.Replace(goodYAML, "denominator: civil_new_cases", "denominator: civil_cases", 1),
			anyField, []string{"civil_cases"}},
		{"duplicate code", strings.Replace(goodYAML, "- code: civil_new_cases", "- code: prelit_diverted", 1), "code", []string{"duplicate"}},
		{"bad code", strings.Replace(goodYAML, "- code: civil_new_cases", "- code: Civil-New", 1), "code", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cat, err := catalog.ParseIndicators(strings.NewReader(tc.yaml))
			if err == nil {
				t.Fatalf("accepted %d indicators", len(cat.Indicators))
			}
			if tc.field == anyField {
				if kpi.ErrorCode(err) != kpi.EINVALID {
					t.Fatalf("ErrorCode(%v) = %q", err, kpi.ErrorCode(err))
				}
			} else {
				wantInvalid(t, err, tc.field)
			}
			en := kpi.ErrorMessage(err, "en")
			for _, part := range tc.enParts {
				if !strings.Contains(en, part) {
					t.Errorf("en message %q should contain %q", en, part)
				}
			}
			if cat.Indicators != nil {
				t.Errorf("a rejected file still returned %d indicators", len(cat.Indicators))
			}
		})
	}
}

const anyField = "*"

func TestLoad(t *testing.T) {
	shipped, _ := load(t)
	ib, _ := db.Files.ReadFile("indicators.yaml")
	good := fstest.MapFS{
		"indicators.yaml": {Data: ib},
		"regions.csv":     {Data: []byte(tinyCSV)},
	}
	cat, regions, err := catalog.Load(good)
	if err != nil || len(cat.Indicators) != len(shipped.Indicators) || len(regions) != 7 {
		t.Fatalf("Load(good) = %d indicators, %d regions, %v", len(cat.Indicators), len(regions), err)
	}
	tests := []struct {
		name string
		fs   fstest.MapFS
	}{
		{"no indicators.yaml", fstest.MapFS{"regions.csv": {Data: []byte(tinyCSV)}}},
		{"no regions.csv", fstest.MapFS{"indicators.yaml": {Data: ib}}},
		{"bad indicators", fstest.MapFS{"indicators.yaml": {Data: []byte("- code: 1\n  bogus: x\n")}, "regions.csv": {Data: []byte(tinyCSV)}}},
		{"bad regions", fstest.MapFS{"indicators.yaml": {Data: ib}, "regions.csv": {Data: []byte("code;name;level;parent\n")}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, err := catalog.Load(tc.fs); err == nil {
				t.Error("Load accepted it")
			}
		})
	}
}
