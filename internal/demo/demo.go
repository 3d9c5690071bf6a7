// Package demo generates govkpi's demonstration data: one real province with
// all its cities and counties, deterministic synthetic quarterly values for
// every indicator over ten years, and targets for the last two. The numbers
// are plausible — stocks persist, durations fall, flows have seasons — but
// invented, and the UI labels them 演示数据.
package demo

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/govkpi/govkpi/internal/catalog"
	"github.com/govkpi/govkpi/internal/kpi"
	"github.com/govkpi/govkpi/internal/store"
)

// Defaults: Zhejiang, 2016–2025, targets for 2024 and 2025.
const (
	Province    = 330000
	FirstYear   = 2016
	LastYear    = 2025
	TargetsFrom = 2024
)

// MetaKey marks a database that holds demo data; its value is the province.
const MetaKey = "demo_province"

// Scale is how much of the country the demo covers.
type Scale string

const (
	ScaleProvince Scale = "province" // Zhejiang: 102 regions, about 262,000 values
	ScaleNational Scale = "national" // every province, city and county: about 8.3 million values
)

// Load writes the demo into st unless it is already there. It reports
// progress through logf and returns whether it loaded anything.
func Load(ctx context.Context, st *store.Store, cat catalog.Catalogue, regions []kpi.Region, scale Scale, logf func(format string, args ...any)) (bool, error) {
	if done, err := st.Meta(ctx, MetaKey); err != nil || done != "" {
		return false, err
	}
	provinces := []int{Province}
	if scale == ScaleNational {
		provinces = nil
		for _, r := range regions {
			if r.Level == kpi.LevelProvince {
				provinces = append(provinces, r.Code)
			}
		}
	}
	start := time.Now()
	total := 0
	// One province at a time, each in its own transaction: memory stays
	// bounded, and a load that stops half-way leaves whole provinces. The
	// next province is generated on another core while one loads: the
	// database writes on one, and generating is a tenth of the work.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the generator if a load fails
	next := make(chan *generator, 1)
	go func() {
		defer close(next)
		for _, code := range provinces {
			select {
			case next <- newGenerator(cat, regions, code):
			case <-ctx.Done():
				return
			}
		}
	}()
	for i := range provinces {
		g, ok := <-next
		if !ok {
			return false, ctx.Err()
		}
		values := g.values()
		// Targets are upserts, values are all-or-nothing: a load that
		// failed half-way can simply be run again.
		if err := st.SetTargets(ctx, "demo", g.targets()); err != nil {
			return false, err
		}
		if g.province == Province {
			if err := loadOrganisation(ctx, st, g); err != nil {
				return false, err
			}
		}
		if err := st.LoadValues(ctx, "demo", values, nil); err != nil {
			return false, err
		}
		total += len(values)
		logf("%s %2d/%d %s：%d 个地区，%d 条数据（累计 %d 条，%.0f 秒）", bar(i+1, len(provinces)),
			i+1, len(provinces), g.scope[0].Name, len(g.scope), len(values), total, time.Since(start).Seconds())
	}
	if err := loadDocuments(ctx, st); err != nil {
		return false, err
	}
	if err := st.Analyze(ctx); err != nil { // the table has changed shape: let the planner know
		return false, err
	}
	logf("演示数据已载入：%d 条，用时 %.1f 秒（%.0f 条/秒）", total, time.Since(start).Seconds(), float64(total)/time.Since(start).Seconds())
	return true, st.SetMeta(ctx, MetaKey, strconv.Itoa(Province))
}

// bar draws a progress bar of done out of n.
func bar(done, n int) string {
	const width = 20
	full := done * width / n
	return "[" + strings.Repeat("#", full) + strings.Repeat("-", width-full) + "]"
}

// cell addresses one generated value.
type cell struct {
	region    int
	indicator string
	year      int
	quarter   int
}

type generator struct {
	cat      catalog.Catalogue
	province int
	scope    []kpi.Region       // the province, its cities and counties
	leaves   map[int][]int      // parent → leaf codes beneath it
	data     map[cell]float64   // generated values
	byCode   map[int]kpi.Region // scope by code
	missing  map[int]bool       // leaves that have not reported the last quarter
	inds     map[string]kpi.Indicator
	hints    map[string]catalog.DemoHint
	order    []cell
}

func newGenerator(cat catalog.Catalogue, all []kpi.Region, province int) *generator {
	g := &generator{
		cat: cat, province: province, leaves: map[int][]int{}, data: map[cell]float64{},
		byCode: map[int]kpi.Region{}, missing: map[int]bool{}, inds: map[string]kpi.Indicator{}, hints: cat.Demo,
	}
	inScope := map[int]bool{province: true}
	for _, r := range all { // all is sorted by code, parents before children
		if inScope[r.Parent] || r.Code == province {
			inScope[r.Code] = true
			g.scope = append(g.scope, r)
			g.byCode[r.Code] = r
		}
	}
	for _, p := range catalog.LeafPairs(all) {
		if inScope[p[0]] {
			g.leaves[p[0]] = append(g.leaves[p[0]], p[1])
		}
	}
	for _, ind := range cat.Indicators {
		g.inds[ind.Code] = ind
	}
	// Two counties are late with the last quarter, so a partial year shows.
	var leaves []kpi.Region
	for _, r := range g.scope {
		if r.IsLeaf() {
			leaves = append(leaves, r)
		}
	}
	sort.Slice(leaves, func(i, j int) bool { return unit("late", leaves[i].Code) < unit("late", leaves[j].Code) })
	for _, r := range leaves[:min(2, len(leaves))] {
		g.missing[r.Code] = true
	}
	g.generate()
	return g
}

// unit maps its arguments (strings and ints) to a deterministic number in
// [0, 1): FNV-1a over their bytes, without fmt, since a national demo calls
// it tens of millions of times.
func unit(parts ...any) float64 {
	h := uint64(14695981039346656037)
	mix := func(b byte) {
		h ^= uint64(b)
		h *= 1099511628211
	}
	for _, part := range parts {
		switch v := part.(type) {
		case string:
			for i := 0; i < len(v); i++ {
				mix(v[i])
			}
		case int:
			for i := 0; i < 8; i++ {
				mix(byte(v >> (8 * i)))
			}
		default:
			panic(fmt.Sprintf("demo.unit: unsupported %T", part))
		}
		mix(0xff) // keeps ("ab", "c") apart from ("a", "bc")
	}
	return float64(h>>11) / float64(1<<53)
}

func (g *generator) generate() {
	for _, ind := range g.cat.Indicators {
		if ind.IsRatio() {
			continue
		}
		for _, r := range g.scope {
			if ind.Kind == kpi.KindList || r.IsLeaf() {
				g.series(ind, r)
			}
		}
	}
	g.capNumerators()
	g.reportedParents()
}

// series generates one region's values of one indicator over all years.
func (g *generator) series(ind kpi.Indicator, r kpi.Region) {
	h, ok := g.hints[ind.Code]
	if !ok || h.Base == 0 {
		h = fallback(ind)
	}
	size := 0.5 + 1.5*unit("size", r.Code)
	growth := 1 + h.Trend + (unit("tilt", r.Code, ind.Code)-0.5)*0.04
	for y := FirstYear; y <= LastYear; y++ {
		quarters := []int{1, 2, 3, 4}
		if ind.Frequency == kpi.Annual {
			quarters = []int{0}
		}
		for _, q := range quarters {
			if y == LastYear && q == 4 && g.missing[r.Code] {
				continue
			}
			t := float64(y-FirstYear) + float64(max(q, 1)-1)/4
			level := h.Base * math.Pow(growth, t)
			v := g.shape(ind, r, level, size, y, q)
			v = math.Min(math.Max(kpi.Round(v, ind.Decimals), ind.Min), ind.Max)
			g.put(cell{r.Code, ind.Code, y, q}, v)
		}
	}
}

// shape gives a level the character of its kind.
func (g *generator) shape(ind kpi.Indicator, r kpi.Region, level, size float64, y, q int) float64 {
	noise := func(width float64, keys ...any) float64 {
		return 1 + width*(unit(append([]any{"noise", r.Code, ind.Code}, keys...)...)-0.5)
	}
	switch ind.Kind {
	case kpi.KindCount:
		season := map[int]float64{0: 1, 1: 0.85, 2: 1.0, 3: 1.0, 4: 1.15}[q]
		return level * size * season * noise(0.2, y, q)
	case kpi.KindStock:
		return level * size * noise(0.06, y) // persists within a year
	case kpi.KindList:
		byLevel := map[int]float64{kpi.LevelProvince: 1.8, kpi.LevelCity: 1.3, kpi.LevelCounty: 1}[r.Level]
		return level * byLevel * noise(0.1, y)
	case kpi.KindDuration:
		return level * (0.8 + 0.4*unit("dur", r.Code, ind.Code)) * noise(0.08, y, q)
	default: // rates
		return level * (0.97 + 0.06*unit("rate", r.Code, ind.Code)) * noise(0.02, y, q)
	}
}

func (g *generator) put(c cell, v float64) {
	if _, seen := g.data[c]; !seen {
		g.order = append(g.order, c)
	}
	g.data[c] = v
}

// capNumerators keeps every ratio's numerator at or below its denominator
// where the ratio is a share (unit %), as real figures are.
func (g *generator) capNumerators() {
	for _, ind := range g.cat.Indicators {
		if !ind.IsRatio() || ind.Unit != "%" {
			continue
		}
		for _, c := range g.order {
			if c.indicator != ind.Numerator {
				continue
			}
			den, ok := g.data[cell{c.region, ind.Denominator, c.year, c.quarter}]
			if ok && g.data[c] > den {
				g.data[c] = math.Floor(den * (0.9 + 0.09*unit("cap", c.region, ind.Code, c.year, c.quarter)))
			}
		}
	}
}

// reportedParents gives each city its own annual figure for the headline
// flows (and those behind headline ratios) in the last three years — as a city's own report would — equal to
// the sum of its counties except in one city, whose figure is off by a few
// percent so that the difference flag has something to show.
func (g *generator) reportedParents() {
	odd := 0
	for _, r := range g.scope {
		if r.Level == kpi.LevelCity && !r.IsLeaf() && (odd == 0 || unit("odd", r.Code) < unit("odd", odd)) {
			odd = r.Code
		}
	}
	// The headline flows, and the flows behind headline ratios.
	reported := map[string]bool{}
	for _, ind := range g.cat.Indicators {
		if ind.Headline {
			reported[ind.Code], reported[ind.Numerator], reported[ind.Denominator] = true, true, true
		}
	}
	for _, ind := range g.cat.Indicators {
		if !reported[ind.Code] || ind.Kind != kpi.KindCount || ind.Frequency != kpi.Quarterly {
			continue
		}
		for _, r := range g.scope {
			if r.Level != kpi.LevelCity || r.IsLeaf() {
				continue
			}
			for y := LastYear - 2; y <= LastYear; y++ {
				v, ok := g.expected(ind, r, y)
				if !ok {
					continue
				}
				if r.Code == odd {
					v *= 1.04
				}
				g.put(cell{r.Code, ind.Code, y, 0}, math.Round(v))
			}
		}
	}
}

// expected is what govkpi will show as the year's value of a region,
// computed with the domain's own aggregation rules.
func (g *generator) expected(ind kpi.Indicator, r kpi.Region, y int) (float64, bool) {
	if ind.IsRatio() {
		num, ok1 := g.expected(g.inds[ind.Numerator], r, y)
		den, ok2 := g.expected(g.inds[ind.Denominator], r, y)
		if !ok1 || !ok2 {
			return 0, false
		}
		return kpi.RatioOf(num, den, ind.Scale)
	}
	if r.IsLeaf() || ind.RegionAgg == kpi.RegionNone {
		return g.yearOf(ind, r.Code, y)
	}
	var vals []float64
	for _, leaf := range g.leaves[r.Code] {
		if v, ok := g.yearOf(ind, leaf, y); ok {
			vals = append(vals, v)
		}
	}
	return kpi.AggregateRegion(ind.RegionAgg, vals)
}

func (g *generator) yearOf(ind kpi.Indicator, region, y int) (float64, bool) {
	qs := map[int]float64{}
	for q := 0; q <= 4; q++ {
		if v, ok := g.data[cell{region, ind.Code, y, q}]; ok {
			qs[q] = v
		}
	}
	return kpi.AggregatePeriod(ind.PeriodAgg, qs)
}

// values lists everything generated as approved values from the demo.
func (g *generator) values() []kpi.ValueInput {
	out := make([]kpi.ValueInput, 0, len(g.order))
	for _, c := range g.order {
		out = append(out, kpi.ValueInput{
			Region: c.region, Indicator: c.indicator, Period: kpi.Period{Year: c.year, Quarter: c.quarter},
			Value: g.data[c], Status: kpi.StatusApproved, Source: kpi.SourceDemo,
		})
	}
	return out
}

// targets sets, for every region and directional indicator, a goal a little
// above or below what the region achieves, so that 达标, 接近 and 落后 all occur.
func (g *generator) targets() []store.Target {
	var out []store.Target
	for _, ind := range g.cat.Indicators {
		if ind.Direction == kpi.Neutral {
			continue
		}
		for _, r := range g.scope {
			for y := TargetsFrom; y <= LastYear; y++ {
				v, ok := g.expected(ind, r, y)
				if !ok {
					continue
				}
				stretch := 1 + 0.12*(unit("target", r.Code, ind.Code, y)-0.4)
				if ind.Direction == kpi.Down {
					v /= stretch
				} else {
					v *= stretch
				}
				v = kpi.Round(v, ind.Decimals)
				if ind.IsPercent() {
					v = math.Min(v, 100)
				}
				out = append(out, store.Target{Region: r.Code, Indicator: ind.Code, Year: y, Value: v})
			}
		}
	}
	return out
}

// fallback is a generic hint for an indicator the catalogue gives none.
func fallback(ind kpi.Indicator) catalog.DemoHint {
	switch ind.Kind {
	case kpi.KindCount:
		return catalog.DemoHint{Base: 50, Trend: 0.04}
	case kpi.KindList:
		return catalog.DemoHint{Base: 200, Trend: -0.05}
	case kpi.KindDuration:
		return catalog.DemoHint{Base: 10, Trend: -0.08}
	case kpi.KindRate:
		return catalog.DemoHint{Base: 90, Trend: 0.005}
	default:
		return catalog.DemoHint{Base: 20, Trend: 0.03}
	}
}

// Account is a demo login, printed by `govkpi demo` so a new user can try
// every role. The passwords are public: demo databases only.
type Account struct {
	Name, Password, DisplayName string
	Role                        kpi.Role
	Region                      int    // scope
	Department                  string // editors: the department type in Region
}

// Accounts are the demo's logins, one per role.
var Accounts = []Account{
	{"admin", "demo-admin", "演示管理员", kpi.RoleAdmin, 0, ""},
	{"reviewer", "demo-reviewer", "杭州市依法治市办", kpi.RoleReviewer, 330100, ""},
	{"editor", "demo-editor", "上城区司法局", kpi.RoleEditor, 330102, "justice"},
	{"viewer", "demo-viewer", "浙江省领导", kpi.RoleViewer, Province, ""},
}

// loadOrganisation creates a department of every type that enters figures
// in every region of the demo, and the demo accounts.
func loadOrganisation(ctx context.Context, st *store.Store, g *generator) error {
	types := map[string]bool{}
	for _, ind := range g.cat.Indicators {
		if !ind.IsRatio() {
			types[ind.Department] = true
		}
	}
	depts := map[string]int64{}
	for _, r := range g.scope {
		for _, t := range kpi.DepartmentTypes {
			if !types[t.Code] {
				continue
			}
			d, err := st.EnsureDepartment(ctx, r.Code, t.Code, r.Name+t.NameZH)
			if err != nil {
				return err
			}
			depts[fmt.Sprint(r.Code, t.Code)] = d.ID
		}
	}
	for _, a := range Accounts {
		nu := store.NewUser{Name: a.Name, DisplayName: a.DisplayName, Role: a.Role, Region: a.Region, Password: a.Password}
		if a.Department != "" {
			nu.Department, nu.Region = depts[fmt.Sprint(a.Region, a.Department)], 0
		}
		if _, err := st.CreateUser(ctx, "demo", nu); err != nil && kpi.ErrorCode(err) != kpi.ECONFLICT {
			return err
		}
	}
	return nil
}
