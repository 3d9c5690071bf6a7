package store

import (
	"context"
	"sort"

	"github.com/govkpi/govkpi/internal/kpi"
)

// regionTree is the regions table in memory: 3,224 rows nationwide, read
// on nearly every request (authorisation, breadcrumbs, the regions of a
// comparison) and changed only by SyncRegions, which bumps regionsTokenKey.
type regionTree struct {
	byCode   map[int]kpi.Region
	children map[int][]kpi.Region // by parent code, 0 for the provinces; in code order
	all      []kpi.Region         // in code order
}

func newRegionTree(rows []regionRow) *regionTree {
	t := &regionTree{byCode: make(map[int]kpi.Region, len(rows)), children: map[int][]kpi.Region{}}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Code < rows[j].Code })
	for _, row := range rows {
		r := row.domain()
		t.byCode[r.Code] = r
		t.children[r.Parent] = append(t.children[r.Parent], r)
		t.all = append(t.all, r)
	}
	return t
}

// tree returns the region tree, read again only after SyncRegions.
func (s *Store) tree(ctx context.Context) (*regionTree, error) {
	return cachedByToken(ctx, s, &s.regions, regionsTokenKey, func() (*regionTree, error) {
		var rows []regionRow
		if err := s.db.WithContext(ctx).Find(&rows).Error; err != nil {
			return nil, s.wrap(err)
		}
		return newRegionTree(rows), nil
	})
}

func unknownRegion(code int) error {
	return kpi.Invalid("region", "地区代码 %06d 不存在", "region %06d does not exist", code)
}

// Region returns one region by code.
func (s *Store) Region(ctx context.Context, code int) (kpi.Region, error) {
	t, err := s.tree(ctx)
	if err != nil {
		return kpi.Region{}, err
	}
	r, ok := t.byCode[code]
	if !ok {
		return kpi.Region{}, unknownRegion(code)
	}
	return r, nil
}

// Regions returns the regions with the given codes, in the order given;
// an unknown code is an error naming it.
func (s *Store) Regions(ctx context.Context, codes []int) ([]kpi.Region, error) {
	t, err := s.tree(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]kpi.Region, 0, len(codes))
	for _, c := range codes {
		r, ok := t.byCode[c]
		if !ok {
			return nil, unknownRegion(c)
		}
		out = append(out, r)
	}
	return out, nil
}

// Children returns the direct children of a region (the provinces for 0), by code.
func (s *Store) Children(ctx context.Context, parent int) ([]kpi.Region, error) {
	t, err := s.tree(ctx)
	if err != nil {
		return nil, err
	}
	return append([]kpi.Region(nil), t.children[parent]...), nil
}

// RegionsAtLevel returns all regions of a level, by code, optionally only
// within a region (itself, its children and grandchildren).
func (s *Store) RegionsAtLevel(ctx context.Context, level, within int) ([]kpi.Region, error) {
	t, err := s.tree(ctx)
	if err != nil {
		return nil, err
	}
	var out []kpi.Region
	for _, r := range t.all {
		if r.Level != level {
			continue
		}
		if within != 0 && r.Code != within && r.Parent != within && t.byCode[r.Parent].Parent != within {
			continue
		}
		out = append(out, r)
	}
	return out, nil
}

// Ancestors returns the path from the province down to the region itself,
// for breadcrumbs.
func (s *Store) Ancestors(ctx context.Context, code int) ([]kpi.Region, error) {
	t, err := s.tree(ctx)
	if err != nil {
		return nil, err
	}
	var path []kpi.Region
	for code != 0 && len(path) < 5 {
		r, ok := t.byCode[code]
		if !ok {
			return nil, unknownRegion(code)
		}
		path = append([]kpi.Region{r}, path...)
		code = r.Parent
	}
	return path, nil
}
