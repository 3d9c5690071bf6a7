package store

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand"
	"slices"
	"testing"

	"github.com/govkpi/govkpi/internal/kpi"
)

const (
	prov   = 990000
	cityA  = 990100
	a1     = 990101
	a2     = 990102
	cityB  = 990200
	b1     = 990201
	cityC  = 990300 // a city without counties: a leaf
	year   = 2024
	stated = "stated"
)

type v struct {
	region    int
	indicator string
	year, q   int
	value     float64
	status    kpi.Status
}

// handFixture holds values whose aggregates are worked out by hand in
// TestAggregateHandComputed.
func handFixture() []v {
	ok := kpi.StatusApproved
	return []v{
		// cases: a flow. A1 full year 10+20+30+40 = 100; A2 only Q1,Q2 = 10 (partial);
		// B1 1 each = 4; C (a leaf city) 7 each = 28. City A also reports its own year: 115.
		{a1, "cases", year, 1, 10, ok}, {a1, "cases", year, 2, 20, ok}, {a1, "cases", year, 3, 30, ok}, {a1, "cases", year, 4, 40, ok},
		{a2, "cases", year, 1, 5, ok}, {a2, "cases", year, 2, 5, ok},
		{b1, "cases", year, 1, 1, ok}, {b1, "cases", year, 2, 1, ok}, {b1, "cases", year, 3, 1, ok}, {b1, "cases", year, 4, 1, ok},
		{cityC, "cases", year, 1, 7, ok}, {cityC, "cases", year, 2, 7, ok}, {cityC, "cases", year, 3, 7, ok}, {cityC, "cases", year, 4, 7, ok},
		{cityA, "cases", year, 0, 115, ok},
		// Drafts never count; submitted values count unless approved-only.
		{b1, "cases", year + 1, 1, 999, kpi.StatusDraft},
		{b1, "cases", year + 1, 2, 7, kpi.StatusSubmitted},
		// mediators: a stock. A1 Q1 10, Q2 12 → last 12; A2 Q4 5; B1 3,3,3,4 → 4. C has none.
		{a1, "mediators", year, 1, 10, ok}, {a1, "mediators", year, 2, 12, ok},
		{a2, "mediators", year, 4, 5, ok},
		{b1, "mediators", year, 1, 3, ok}, {b1, "mediators", year, 2, 3, ok}, {b1, "mediators", year, 3, 3, ok}, {b1, "mediators", year, 4, 4, ok},
		// days: a duration, averaged over leaves. A1 Q1 6 then Q4 4 → 4; A2 Q4 2; B1 Q4 5.
		{a1, "days", year, 1, 6, ok}, {a1, "days", year, 4, 4, ok}, {a2, "days", year, 4, 2, ok}, {b1, "days", year, 4, 5, ok},
		// peak: MAX over quarters. A1 3, 9, 4 → 9.
		{a1, "peak", year, 1, 3, ok}, {a1, "peak", year, 2, 9, ok}, {a1, "peak", year, 3, 4, ok},
		// success: a rate entered as a number, averaged. A1 90, 96 → 93; A2 80 → 80.
		{a1, "success", year, 1, 90, ok}, {a1, "success", year, 2, 96, ok}, {a2, "success", year, 3, 80, ok},
		// items: a list at every level, never summed. Province 300, A 200, A1 100.
		{prov, "items", year, 4, 300, ok}, {cityA, "items", year, 4, 200, ok}, {a1, "items", year, 4, 100, ok},
		// divrate = diverted / newcases. A1 90/100, A2 10/1000; B1 diverted 5 without newcases
		// (excluded: a ratio needs both). City A states a rate of 12% in its own report.
		{a1, "diverted", year, 1, 90, ok}, {a1, "newcases", year, 1, 100, ok},
		{a2, "diverted", year, 2, 10, ok}, {a2, "newcases", year, 2, 1000, ok},
		{b1, "diverted", year, 1, 5, ok},
		{cityA, "divrate", year, 0, 12, ok},
		// B1's diverted cases in four quarters against new cases in one are
		// no rate: the pair is left out until the quarters match.
		{b1, "diverted", year, 2, 5, ok}, {b1, "diverted", year, 3, 5, ok}, {b1, "diverted", year, 4, 5, ok},
		{b1, "newcases", year, 1, 5, ok},
		// regs: an annual count at quarter 0.
		{a1, "regs", year, 0, 3, ok}, {a2, "regs", year, 0, 2, ok},
	}
}

func putFixture(t testing.TB, s *Store, vals []v) {
	t.Helper()
	ins := make([]kpi.ValueInput, len(vals))
	for i, x := range vals {
		ins[i] = kpi.ValueInput{Region: x.region, Indicator: x.indicator, Period: kpi.Period{Year: x.year, Quarter: x.q},
			Value: x.value, Status: x.status, Source: kpi.SourceAPI}
	}
	if _, err := s.PutValues(context.Background(), "test", ins); err != nil {
		t.Fatal(err)
	}
}

// pointsOf aggregates one indicator and judges each result with kpi.BuildPoint.
func pointsOf(t testing.TB, s *Store, cat kpi.Catalogue, code string, regions []int, from, to int, byQuarter bool, quarter int, approvedOnly bool) map[int]map[kpi.Period]kpi.Point {
	t.Helper()
	ctx := context.Background()
	ind, err := cat.Get(code)
	if err != nil {
		t.Fatal(err)
	}
	q := AggregateQuery{Indicator: ind, Regions: regions, From: from, To: to, ByQuarter: byQuarter, Quarter: quarter, ApprovedOnly: approvedOnly}
	if ind.IsRatio() {
		q.Num, q.Den, _ = cat.Parts(ind)
	}
	rs, err := s.Regions(ctx, regions)
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[int]kpi.Region{}
	for _, r := range rs {
		byCode[r.Code] = r
	}
	raws, err := s.Aggregate(ctx, q)
	if err != nil {
		t.Fatalf("Aggregate %s: %v", code, err)
	}
	out := map[int]map[kpi.Period]kpi.Point{}
	for _, raw := range raws {
		if out[raw.Region] == nil {
			out[raw.Region] = map[kpi.Period]kpi.Point{}
		}
		out[raw.Region][raw.Period] = kpi.BuildPoint(ind, byCode[raw.Region], raw, kpi.DefaultTolerance)
	}
	return out
}

func f(x float64) *float64 { return &x }

func fmtPtr(p *float64) string {
	if p == nil {
		return "nil"
	}
	return fmt.Sprintf("%.6f", *p)
}

func near(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return math.Abs(*a-*b) < 1e-6
}

func TestAggregateHandComputed(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store) {
		cat := seedReference(t, s)
		putFixture(t, s, handFixture())
		all := []int{prov, cityA, cityB, cityC, a1, a2, b1}
		Y := kpi.Period{Year: year}
		tests := []struct {
			name      string
			indicator string
			region    int
			period    kpi.Period
			value     *float64
			origin    kpi.Origin
			reported  *float64
			computed  *float64
			partial   bool
			differs   bool
		}{
			{"flow: county, full year", "cases", a1, Y, f(100), kpi.OriginReported, f(100), nil, false, false},
			{"flow: county, two quarters is partial", "cases", a2, Y, f(10), kpi.OriginReported, f(10), nil, true, false},
			{"flow: city reports 115, counties sum to 110", "cases", cityA, Y, f(115), kpi.OriginReported, f(115), f(110), false, true},
			{"flow: leaf city", "cases", cityC, Y, f(28), kpi.OriginReported, f(28), nil, false, false},
			{"flow: province sums all leaves", "cases", prov, Y, f(142), kpi.OriginComputed, nil, f(142), true, false},
			{"flow: a single quarter", "cases", prov, kpi.Period{Year: year, Quarter: 3}, f(38), kpi.OriginComputed, nil, f(38), true, false},
			{"stock: last quarter with a value", "mediators", a1, Y, f(12), kpi.OriginReported, f(12), nil, true, false},
			{"stock: city sums counties' year-end", "mediators", cityA, Y, f(17), kpi.OriginComputed, nil, f(17), true, false},
			{"stock: province, city C missing", "mediators", prov, Y, f(21), kpi.OriginComputed, nil, f(21), true, false},
			{"duration: averaged over leaves, not over cities", "days", prov, Y, f(11.0 / 3), kpi.OriginComputed, nil, f(11.0 / 3), true, false},
			{"duration: city average", "days", cityA, Y, f(3), kpi.OriginComputed, nil, f(3), true, false},
			{"max over quarters", "peak", a1, Y, f(9), kpi.OriginReported, f(9), nil, true, false},
			{"rate: averaged quarters", "success", a1, Y, f(93), kpi.OriginReported, f(93), nil, true, false},
			{"rate: averaged leaves", "success", cityA, Y, f(86.5), kpi.OriginComputed, nil, f(86.5), true, false},
			{"list: province's own, never summed", "items", prov, Y, f(300), kpi.OriginReported, f(300), nil, true, false},
			{"list: city's own", "items", cityA, Y, f(200), kpi.OriginReported, f(200), nil, true, false},
			{"ratio: county", "divrate", a1, Y, f(90), kpi.OriginReported, f(90), nil, true, false},
			{"ratio: city, sum then divide (100/1100), stated 12%", "divrate", cityA, Y, f(12), kpi.OriginReported, f(12), f(100.0 / 1100 * 100), false, true},
			{"ratio: B1's quarters do not match: missing", "divrate", cityB, Y, nil, "", nil, nil, false, false},
			{"ratio: a single quarter pairs", "divrate", b1, kpi.Period{Year: year, Quarter: 1}, f(100), kpi.OriginReported, f(100), nil, false, false},
			{"ratio: province excludes B1", "divrate", prov, Y, f(100.0 / 1100 * 100), kpi.OriginComputed, nil, f(100.0 / 1100 * 100), true, false},
			{"annual count: complete year", "regs", cityA, Y, f(5), kpi.OriginComputed, nil, f(5), false, false},
			{"missing is missing", "days", cityC, Y, nil, "", nil, nil, false, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				byQ := !tt.period.IsYear()
				pts := pointsOf(t, s, cat, tt.indicator, all, year, year, byQ, tt.period.Quarter, false)
				pt := pts[tt.region][tt.period]
				if !near(pt.Value, tt.value) || pt.Origin != tt.origin || !near(pt.Reported, tt.reported) ||
					!near(pt.Computed, tt.computed) || pt.Partial != tt.partial || pt.Differs != tt.differs {
					t.Errorf("got value=%s origin=%q reported=%s computed=%s partial=%v differs=%v\n"+
						"want value=%s origin=%q reported=%s computed=%s partial=%v differs=%v",
						fmtPtr(pt.Value), pt.Origin, fmtPtr(pt.Reported), fmtPtr(pt.Computed), pt.Partial, pt.Differs,
						fmtPtr(tt.value), tt.origin, fmtPtr(tt.reported), fmtPtr(tt.computed), tt.partial, tt.differs)
				}
			})
		}
		t.Run("drafts never count, submitted only without approved-only", func(t *testing.T) {
			p := kpi.Period{Year: year + 1}
			if got := pointsOf(t, s, cat, "cases", []int{b1}, year+1, year+1, false, 0, false)[b1][p].Value; !near(got, f(7)) {
				t.Errorf("B1 %d = %s, want 7 (the draft 999 must not count)", year+1, fmtPtr(got))
			}
			if got := pointsOf(t, s, cat, "cases", []int{b1}, year+1, year+1, false, 0, true)[b1][p].Value; got != nil {
				t.Errorf("approved-only B1 %d = %s, want missing", year+1, fmtPtr(got))
			}
		})
		t.Run("coverage counts leaves", func(t *testing.T) {
			pt := pointsOf(t, s, cat, "mediators", []int{prov}, year, year, false, 0, false)[prov][Y]
			if pt.LeavesReporting != 3 || pt.LeavesTotal != 4 {
				t.Errorf("leaves %d/%d, want 3/4", pt.LeavesReporting, pt.LeavesTotal)
			}
		})
	})
}

// TestAggregateMatchesDomainRules fills the fixture with random values —
// random gaps, annual overrides, draft noise — and checks every SQL
// aggregate against kpi.AggregatePeriod / AggregateRegion computed in Go.
func TestAggregateMatchesDomainRules(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store) {
		cat := seedReference(t, s)
		rng := rand.New(rand.NewSource(7))
		leaves := []int{a1, a2, b1, cityC}
		parents := map[int][]int{prov: {a1, a2, b1, cityC}, cityA: {a1, a2}, cityB: {b1}}
		data := map[int]map[string]map[int]map[int]float64{} // region → ind → year → quarter → value
		var vals []v
		for _, r := range leaves {
			data[r] = map[string]map[int]map[int]float64{}
			for _, ind := range cat {
				if ind.IsRatio() || ind.RegionAgg == kpi.RegionNone {
					continue
				}
				data[r][ind.Code] = map[int]map[int]float64{}
				for y := 2020; y <= 2022; y++ {
					data[r][ind.Code][y] = map[int]float64{}
					qs := []int{1, 2, 3, 4}
					if ind.Frequency == kpi.Annual || rng.Intn(6) == 0 {
						qs = []int{0}
					}
					for _, q := range qs {
						if rng.Intn(4) == 0 {
							continue // a gap
						}
						x := float64(rng.Intn(1000)) / 4
						if ind.Kind == kpi.KindCount || ind.Decimals == 0 {
							x = float64(rng.Intn(1000))
						}
						x = math.Min(x, ind.Max)
						data[r][ind.Code][y][q] = x
						vals = append(vals, v{r, ind.Code, y, q, x, kpi.StatusApproved})
					}
					vals = append(vals, v{r, ind.Code, y + 10, 1, 1, kpi.StatusDraft}) // noise that must not count
				}
			}
		}
		putFixture(t, s, vals)
		for _, ind := range cat {
			if ind.RegionAgg == kpi.RegionNone {
				continue
			}
			regions := []int{prov, cityA, cityB, a1, a2, b1, cityC}
			pts := pointsOf(t, s, cat, ind.Code, regions, 2020, 2022, false, 0, false)
			for y := 2020; y <= 2022; y++ {
				for parent, kids := range parents {
					want := expectedParent(cat, ind, data, kids, y)
					got := pts[parent][kpi.Period{Year: y}].Computed
					if !near(got, want) {
						t.Errorf("%s %d %d: SQL %s, domain rules %s", ind.Code, parent, y, fmtPtr(got), fmtPtr(want))
					}
				}
			}
		}
	})
}

func yearValue(ind kpi.Indicator, data map[int]map[string]map[int]map[int]float64, r int, code string, y int) (float64, bool) {
	return kpi.AggregatePeriod(ind.PeriodAgg, data[r][code][y])
}

// quartersOf counts the quarters reported, 4 for a whole-year figure.
func quartersOf(qs map[int]float64) int {
	if _, ok := qs[0]; ok {
		return 4
	}
	return len(qs)
}

func expectedParent(cat kpi.Catalogue, ind kpi.Indicator, data map[int]map[string]map[int]map[int]float64, kids []int, y int) *float64 {
	if ind.IsRatio() {
		num, den, _ := cat.Parts(ind)
		var ns, ds []float64
		for _, k := range kids {
			n, _ := yearValue(num, data, k, num.Code, y)
			d, _ := yearValue(den, data, k, den.Code, y)
			if kpi.Paired(num, den, quartersOf(data[k][num.Code][y]), quartersOf(data[k][den.Code][y])) {
				ns, ds = append(ns, n), append(ds, d)
			}
		}
		if len(ns) == 0 {
			return nil
		}
		n, _ := kpi.AggregateRegion(kpi.RegionSum, ns)
		d, _ := kpi.AggregateRegion(kpi.RegionSum, ds)
		if r, ok := kpi.RatioOf(n, d, ind.Scale); ok {
			return &r
		}
		return nil
	}
	var xs []float64
	for _, k := range kids {
		if x, ok := yearValue(ind, data, k, ind.Code, y); ok {
			xs = append(xs, x)
		}
	}
	if r, ok := kpi.AggregateRegion(ind.RegionAgg, xs); ok {
		return &r
	}
	return nil
}

// sortRaw's packed keys give region, year, quarter order, and keys that do
// not fit them (a year or region no valid input has, which the database
// does not forbid) still come out in that order.
func TestSortRaw(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	raw := func(region, year, quarter int) kpi.Raw {
		return kpi.Raw{Region: region, Period: kpi.Period{Year: year, Quarter: quarter}}
	}
	key := func(r kpi.Raw) [3]int { return [3]int{r.Region, r.Period.Year, r.Period.Quarter} }
	for _, tc := range []struct {
		name string
		odd  []kpi.Raw
	}{
		{"in range", nil},
		{"a year before 0", []kpi.Raw{raw(330101, -1, 0)}},
		{"a region code of seven digits", []kpi.Raw{raw(1048576, 2020, 1)}},
		{"a year past 4095", []kpi.Raw{raw(330101, 5000, 2)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := append([]kpi.Raw(nil), tc.odd...)
			for range 500 {
				in = append(in, raw(330100+rng.Intn(50), 2016+rng.Intn(10), rng.Intn(5)))
			}
			rng.Shuffle(len(in), func(i, j int) { in[i], in[j] = in[j], in[i] })
			want := append([]kpi.Raw(nil), in...)
			slices.SortFunc(want, func(a, b kpi.Raw) int {
				ka, kb := key(a), key(b)
				return cmp.Or(cmp.Compare(ka[0], kb[0]), cmp.Compare(ka[1], kb[1]), cmp.Compare(ka[2], kb[2]))
			})
			got := sortRaw(append([]kpi.Raw(nil), in...))
			if len(got) != len(want) {
				t.Fatalf("%d raws in, %d out", len(want), len(got))
			}
			for i := range got {
				if key(got[i]) != key(want[i]) {
					t.Fatalf("at %d: %v, want %v", i, key(got[i]), key(want[i]))
				}
			}
		})
	}
}
