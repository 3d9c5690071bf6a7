// Package catalog reads the reference data that ships in db/: the indicator
// catalogue (indicators.yaml) and the GB/T 2260 division list (regions.csv).
// It turns files into domain values and validates them; it knows nothing of
// the database.
package catalog

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"io/fs"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/govkpi/govkpi/internal/kpi"
)

// DemoHint tells the demo generator what a plausible value looks like for
// one county: Base in 2016 (per quarter for flows), Trend the relative
// change per year.
type DemoHint struct {
	Base  float64 `yaml:"base"`
	Trend float64 `yaml:"trend"`
}

// entry is one indicator as written in indicators.yaml.
type entry struct {
	Code         string    `yaml:"code"`
	NameZH       string    `yaml:"name_zh"`
	NameEN       string    `yaml:"name_en"`
	Category     string    `yaml:"category"`
	Kind         string    `yaml:"kind"`
	Unit         string    `yaml:"unit"`
	UnitEN       string    `yaml:"unit_en"`
	Direction    string    `yaml:"direction"`
	Decimals     int       `yaml:"decimals"`
	Min          float64   `yaml:"min"`
	Max          float64   `yaml:"max"`
	Frequency    string    `yaml:"frequency"`
	PeriodAgg    string    `yaml:"period_agg"`
	RegionAgg    string    `yaml:"region_agg"`
	Numerator    string    `yaml:"numerator"`
	Denominator  string    `yaml:"denominator"`
	Scale        float64   `yaml:"scale"`
	Department   string    `yaml:"department"`
	Headline     bool      `yaml:"headline"`
	DefinitionZH string    `yaml:"definition_zh"`
	DefinitionEN string    `yaml:"definition_en"`
	Aliases      []string  `yaml:"aliases"`
	Demo         *DemoHint `yaml:"demo"`
}

// Catalogue is the parsed indicator file.
type Catalogue struct {
	Indicators []kpi.Indicator
	Demo       map[string]DemoHint // by indicator code
}

// ParseIndicators reads and validates an indicator catalogue. Unknown keys
// are errors, so a typo in a reviewed file cannot pass silently.
func ParseIndicators(r io.Reader) (Catalogue, error) {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	var entries []entry
	if err := dec.Decode(&entries); err != nil {
		return Catalogue{}, kpi.Invalid("indicators.yaml", "指标目录格式错误：%v", "indicator catalogue is malformed: %v", err)
	}
	c := Catalogue{Demo: map[string]DemoHint{}}
	for i, e := range entries {
		c.Indicators = append(c.Indicators, kpi.Indicator{
			Code: e.Code, NameZH: e.NameZH, NameEN: e.NameEN, Category: e.Category,
			Kind: kpi.Kind(e.Kind), Unit: e.Unit, UnitEN: e.UnitEN, Direction: kpi.Direction(e.Direction),
			Decimals: e.Decimals, Min: e.Min, Max: e.Max, Frequency: kpi.Frequency(e.Frequency),
			PeriodAgg: kpi.PeriodAgg(e.PeriodAgg), RegionAgg: kpi.RegionAgg(e.RegionAgg),
			Numerator: e.Numerator, Denominator: e.Denominator, Scale: e.Scale,
			Department: e.Department, Headline: e.Headline,
			DefinitionZH: strings.TrimSpace(e.DefinitionZH), DefinitionEN: strings.TrimSpace(e.DefinitionEN),
			Aliases: e.Aliases, Sort: i + 1,
		})
		if e.Demo != nil {
			c.Demo[e.Code] = *e.Demo
		}
	}
	if err := kpi.ValidateCatalogue(c.Indicators); err != nil {
		return Catalogue{}, err
	}
	return c, nil
}

// ParseRegions reads and validates a division list with the header
// code,name,level,parent. Leaves are counted here, once, for the whole list.
func ParseRegions(r io.Reader) ([]kpi.Region, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, kpi.Invalid("regions.csv", "地区表为空或无法读取：%v", "region list is empty or unreadable: %v", err)
	}
	if strings.Join(header, ",") != "code,name,level,parent" {
		return nil, kpi.Invalid("regions.csv", "地区表表头应为 code,name,level,parent", "region list header must be code,name,level,parent")
	}
	var rs []kpi.Region
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, kpi.Invalid("regions.csv", "地区表第%d行格式错误：%v", "region list line %d is malformed: %v", line, err)
		}
		reg, err := parseRegion(rec)
		if err != nil {
			return nil, kpi.Invalid("regions.csv", "地区表第%d行：%v", "region list line %d: %v", line, err)
		}
		rs = append(rs, reg)
	}
	if err := kpi.ValidateRegions(rs); err != nil {
		return nil, err
	}
	countLeaves(rs)
	return rs, nil
}

func parseRegion(rec []string) (kpi.Region, error) {
	code, err := strconv.Atoi(rec[0])
	if err != nil {
		return kpi.Region{}, err
	}
	level, err := strconv.Atoi(rec[2])
	if err != nil {
		return kpi.Region{}, err
	}
	var parent int
	if rec[3] != "" {
		if parent, err = strconv.Atoi(rec[3]); err != nil {
			return kpi.Region{}, err
		}
	}
	return kpi.Region{Code: code, Name: rec[1], Level: level, Parent: parent}, nil
}

// countLeaves sets Leaves on every region: the number of childless regions
// below it. Regions are validated, so parents sit exactly one level up.
func countLeaves(rs []kpi.Region) {
	idx := make(map[int]int, len(rs))
	hasChild := map[int]bool{}
	for i, r := range rs {
		idx[r.Code] = i
		hasChild[r.Parent] = true
	}
	for _, r := range rs {
		if hasChild[r.Code] {
			continue
		}
		for p := r.Parent; p != 0; p = rs[idx[p]].Parent {
			rs[idx[p]].Leaves++
		}
	}
}

// LeafPairs lists every (ancestor, leaf) pair of the hierarchy.
func LeafPairs(rs []kpi.Region) [][2]int {
	idx := make(map[int]int, len(rs))
	for i, r := range rs {
		idx[r.Code] = i
	}
	var pairs [][2]int
	for _, r := range rs {
		if r.Leaves > 0 {
			continue
		}
		for p := r.Parent; p != 0; p = rs[idx[p]].Parent {
			pairs = append(pairs, [2]int{p, r.Code})
		}
	}
	return pairs
}

// Load reads both files from fsys (normally db.Files).
func Load(fsys fs.FS) (Catalogue, []kpi.Region, error) {
	ib, err := fs.ReadFile(fsys, "indicators.yaml")
	if err != nil {
		return Catalogue{}, nil, err
	}
	cat, err := ParseIndicators(bytes.NewReader(ib))
	if err != nil {
		return Catalogue{}, nil, err
	}
	rb, err := fs.ReadFile(fsys, "regions.csv")
	if err != nil {
		return Catalogue{}, nil, err
	}
	regions, err := ParseRegions(bytes.NewReader(rb))
	return cat, regions, err
}
