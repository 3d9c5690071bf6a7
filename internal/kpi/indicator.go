package kpi

import (
	"regexp"
	"strings"
)

// Kind says what an indicator measures, which fixes how it may aggregate
// (DESIGN §3).
type Kind string

const (
	KindCount    Kind = "count"    // a flow over the period: cases handled this quarter
	KindStock    Kind = "stock"    // a level at period end, additive across regions: mediators on staff
	KindList     Kind = "list"     // a level that exists at every level: items on a licensing list
	KindDuration Kind = "duration" // days or hours per procedure
	KindRate     Kind = "rate"     // a percentage entered as a number; aggregates only approximately
	KindRatio    Kind = "ratio"    // numerator ÷ denominator, computed after aggregating both
)

// Direction says whether higher or lower is better.
type Direction string

const (
	Up      Direction = "up"
	Down    Direction = "down"
	Neutral Direction = "neutral"
)

// Frequency is how often a figure is reported.
type Frequency string

const (
	Quarterly Frequency = "quarterly"
	Annual    Frequency = "annual"
)

// PeriodAgg turns quarters into a year.
type PeriodAgg string

const (
	PeriodSum  PeriodAgg = "sum"
	PeriodLast PeriodAgg = "last" // the latest quarter that has a value
	PeriodAvg  PeriodAgg = "avg"
	PeriodMax  PeriodAgg = "max"
	PeriodMin  PeriodAgg = "min"
)

// RegionAgg turns children into their parent.
type RegionAgg string

const (
	RegionSum  RegionAgg = "sum"
	RegionAvg  RegionAgg = "avg"
	RegionNone RegionAgg = "none" // no rollup: a parent only has what it reports itself
)

// Categories are the five areas of the indicator system, in display order.
var Categories = []Category{
	{"reconsideration", "行政复议", "Administrative reconsideration"},
	{"litigation", "行政应诉", "Administrative litigation"},
	{"rulemaking", "制度建设与执法监督", "Rule-making and enforcement"},
	{"services", "政务服务与营商环境", "Services and business environment"},
	{"disputes", "矛盾纠纷化解", "Dispute resolution"},
}

// Category is one area of the indicator system.
type Category struct {
	Code, NameZH, NameEN string
}

// Name returns the category name in lang.
func (c Category) Name(lang string) string {
	if lang == "en" {
		return c.NameEN
	}
	return c.NameZH
}

// CategoryByCode finds a category; ok is false for unknown codes.
func CategoryByCode(code string) (Category, bool) {
	for _, c := range Categories {
		if c.Code == code {
			return c, true
		}
	}
	return Category{}, false
}

// Indicator is one entry of the catalogue (db/indicators.yaml).
type Indicator struct {
	ID           int64 // assigned by the store
	Code         string
	NameZH       string
	NameEN       string
	Category     string
	Kind         Kind
	Unit         string
	UnitEN       string
	Direction    Direction
	Decimals     int
	Min, Max     float64
	Frequency    Frequency
	PeriodAgg    PeriodAgg
	RegionAgg    RegionAgg
	Numerator    string // ratio only: code of the numerator indicator
	Denominator  string // ratio only
	Scale        float64
	Department   string
	Headline     bool
	DefinitionZH string
	DefinitionEN string
	Aliases      []string
	Sort         int
}

// Name returns the indicator's name in lang.
func (ind Indicator) Name(lang string) string {
	if lang == "en" {
		return ind.NameEN
	}
	return ind.NameZH
}

// UnitIn returns the unit in lang.
func (ind Indicator) UnitIn(lang string) string {
	if lang == "en" && ind.UnitEN != "" {
		return ind.UnitEN
	}
	return ind.Unit
}

// IsRatio reports whether the indicator is computed from a numerator and a denominator.
func (ind Indicator) IsRatio() bool { return ind.Kind == KindRatio }

// IsPercent reports whether values are percentages, whose changes are
// expressed in percentage points rather than percent.
func (ind Indicator) IsPercent() bool { return ind.Unit == "%" }

// IsFlow reports whether quarters add up to a year (so a quarter's target is
// a quarter of the year's).
func (ind Indicator) IsFlow() bool { return ind.Kind == KindCount }

// Approximate reports whether aggregates of this indicator are approximations
// (rates entered as numbers and then averaged, DESIGN §3).
func (ind Indicator) Approximate() bool { return ind.Kind == KindRate }

var codePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)

// Validate checks one indicator on its own; ValidateCatalogue checks references.
func (ind Indicator) Validate() error {
	field := func(f string) string { return ind.Code + "." + f }
	if !codePattern.MatchString(ind.Code) {
		return Invalid("code", "指标代码 %q 须为小写字母开头的 ASCII（字母、数字、下划线，至多40位）", "indicator code %q must be lowercase ASCII letters, digits or underscores, at most 40", ind.Code)
	}
	if strings.TrimSpace(ind.NameZH) == "" || strings.TrimSpace(ind.NameEN) == "" {
		return Invalid(field("name"), "指标 %s 缺少中文或英文名称", "indicator %s needs a Chinese and an English name", ind.Code)
	}
	if _, ok := CategoryByCode(ind.Category); !ok {
		return Invalid(field("category"), "指标 %s 的领域 %q 未定义", "indicator %s: unknown category %q", ind.Code, ind.Category)
	}
	if ind.Unit == "" {
		return Invalid(field("unit"), "指标 %s 缺少计量单位", "indicator %s needs a unit", ind.Code)
	}
	if ind.Decimals < 0 || ind.Decimals > 4 {
		return Invalid(field("decimals"), "指标 %s 的小数位数须在 0–4 之间", "indicator %s: decimals must be 0–4", ind.Code)
	}
	if ind.Min > ind.Max {
		return Invalid(field("min"), "指标 %s 的下限大于上限", "indicator %s: min is above max", ind.Code)
	}
	switch ind.Direction {
	case Up, Down, Neutral:
	default:
		return Invalid(field("direction"), "指标 %s 的方向 %q 无效", "indicator %s: invalid direction %q", ind.Code, ind.Direction)
	}
	switch ind.Frequency {
	case Quarterly, Annual:
	default:
		return Invalid(field("frequency"), "指标 %s 的报送频率 %q 无效", "indicator %s: invalid frequency %q", ind.Code, ind.Frequency)
	}
	if err := ind.validateAggregation(); err != nil {
		return err
	}
	if ind.IsRatio() != (ind.Numerator != "" || ind.Denominator != "") {
		return Invalid(field("numerator"), "指标 %s：只有比率类指标有分子分母，且比率类指标必须有", "indicator %s: ratio indicators, and only they, have a numerator and denominator", ind.Code)
	}
	if ind.IsRatio() {
		for _, part := range []struct{ field, value string }{{"numerator", ind.Numerator}, {"denominator", ind.Denominator}} {
			if part.value == "" {
				return Invalid(field(part.field), "比率指标 %s 须有分子、分母和正的倍数", "ratio indicator %s needs a numerator, a denominator and a positive scale", ind.Code)
			}
		}
		if ind.Scale <= 0 {
			return Invalid(field("scale"), "比率指标 %s 须有分子、分母和正的倍数", "ratio indicator %s needs a numerator, a denominator and a positive scale", ind.Code)
		}
	}
	return nil
}

// allowedAgg lists, per kind, the aggregations DESIGN §3 permits. Anything
// else — summing durations, averaging published percentages — is a catalogue bug.
var allowedAgg = map[Kind]struct {
	period []PeriodAgg
	region []RegionAgg
}{
	KindCount:    {[]PeriodAgg{PeriodSum}, []RegionAgg{RegionSum}},
	KindStock:    {[]PeriodAgg{PeriodLast, PeriodMax, PeriodMin}, []RegionAgg{RegionSum, RegionNone}},
	KindList:     {[]PeriodAgg{PeriodLast}, []RegionAgg{RegionNone}},
	KindDuration: {[]PeriodAgg{PeriodLast, PeriodAvg, PeriodMin, PeriodMax}, []RegionAgg{RegionAvg, RegionNone}},
	KindRate:     {[]PeriodAgg{PeriodAvg, PeriodLast}, []RegionAgg{RegionAvg, RegionNone}},
	KindRatio:    {[]PeriodAgg{PeriodSum}, []RegionAgg{RegionSum}},
}

func (ind Indicator) validateAggregation() error {
	allowed, ok := allowedAgg[ind.Kind]
	if !ok {
		return Invalid(ind.Code+".kind", "指标 %s 的类型 %q 无效", "indicator %s: invalid kind %q", ind.Code, ind.Kind)
	}
	if !contains(allowed.period, ind.PeriodAgg) {
		return Invalid(ind.Code+".period_agg", "指标 %s（%s）不能按 %q 跨期汇总", "indicator %s (%s) cannot aggregate over periods by %q", ind.Code, ind.Kind, ind.PeriodAgg)
	}
	if !contains(allowed.region, ind.RegionAgg) {
		return Invalid(ind.Code+".region_agg", "指标 %s（%s）不能按 %q 跨地区汇总", "indicator %s (%s) cannot aggregate over regions by %q", ind.Code, ind.Kind, ind.RegionAgg)
	}
	return nil
}

func contains[T comparable](xs []T, x T) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// ValidateCatalogue checks every indicator, unique codes and aliases, and
// that each ratio's numerator and denominator exist and add up across
// periods and regions (otherwise "sum first, divide last" is meaningless).
func ValidateCatalogue(inds []Indicator) error {
	byCode := make(map[string]Indicator, len(inds))
	aliasOwner := map[string]string{}
	for _, ind := range inds {
		if err := ind.Validate(); err != nil {
			return err
		}
		if _, dup := byCode[ind.Code]; dup {
			return Invalid("code", "指标代码 %s 重复", "duplicate indicator code %s", ind.Code)
		}
		byCode[ind.Code] = ind
		for _, a := range ind.Aliases {
			if other, dup := aliasOwner[a]; dup {
				return Invalid(ind.Code+".aliases", "别名“%s”同时属于 %s 和 %s", "alias %q belongs to both %s and %s", a, other, ind.Code)
			}
			aliasOwner[a] = ind.Code
		}
	}
	for _, ind := range inds {
		if !ind.IsRatio() {
			continue
		}
		for _, ref := range []struct{ field, code string }{{"numerator", ind.Numerator}, {"denominator", ind.Denominator}} {
			part, ok := byCode[ref.code]
			if !ok {
				return Invalid(ind.Code+"."+ref.field, "比率指标 %s 引用的指标 %s 不存在", "ratio %s refers to unknown indicator %s", ind.Code, ref.code)
			}
			if part.IsRatio() || part.RegionAgg != RegionSum {
				return Invalid(ind.Code+"."+ref.field, "比率指标 %s 的分子分母 %s 须为可跨地区相加的计数或存量", "ratio %s: component %s must be a count or stock that sums across regions", ind.Code, ref.code)
			}
		}
	}
	return nil
}

// Catalogue is the set of indicators, in display order.
type Catalogue []Indicator

// NewCatalogue wraps inds.
func NewCatalogue(inds []Indicator) Catalogue { return Catalogue(inds) }

// Get finds an indicator by code; an unknown code is an invalid-input error.
func (c Catalogue) Get(code string) (Indicator, error) {
	for _, ind := range c {
		if ind.Code == code {
			return ind, nil
		}
	}
	return Indicator{}, Invalid("indicator", "指标 %q 不存在", "indicator %q does not exist", code)
}

// ByID finds an indicator by its database id; ok is false when none has it.
func (c Catalogue) ByID(id int64) (Indicator, bool) {
	for _, ind := range c {
		if ind.ID == id {
			return ind, true
		}
	}
	return Indicator{}, false
}

// Parts returns a ratio's numerator and denominator indicators.
func (c Catalogue) Parts(ind Indicator) (num, den Indicator, err error) {
	if num, err = c.Get(ind.Numerator); err != nil {
		return
	}
	den, err = c.Get(ind.Denominator)
	return
}

// Headlines returns the cockpit's indicators, in display order.
func (c Catalogue) Headlines() []Indicator {
	var out []Indicator
	for _, ind := range c {
		if ind.Headline {
			out = append(out, ind)
		}
	}
	return out
}
