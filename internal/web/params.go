package web

import (
	"context"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/govkpi/govkpi/internal/demo"
	"github.com/govkpi/govkpi/internal/kpi"
)

// Query parameters are parsed here, once, into domain values; a bad one is a
// *kpi.Error naming the parameter, which the error handler turns into a 400.
// They are read with FormValue, so a form that posts them works like a URL.

func intParam(c echo.Context, name string, def int) (int, error) {
	raw := strings.TrimSpace(c.FormValue(name))
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		return 0, kpi.Invalid(name, "参数 %s 的值 %q 不是整数", "parameter %s: %q is not a whole number", name, raw)
	}
	return n, nil
}

// regionParams parses every value of a region parameter as a six-digit code.
func regionParams(c echo.Context, name string) ([]int, error) {
	var codes []int
	seen := map[int]bool{}
	form, err := c.FormParams()
	if err != nil {
		return nil, kpi.Invalid(name, "请求参数无法解析", "the request's parameters cannot be read")
	}
	for _, raw := range form[name] {
		for _, part := range strings.Split(raw, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			n, err := strconv.Atoi(part)
			if err != nil || n < 100000 || n > 999999 {
				return nil, kpi.Invalid(name, "参数 %s 的值 %q 不是六位地区代码", "parameter %s: %q is not a six-digit region code", name, part)
			}
			if !seen[n] {
				seen[n] = true
				codes = append(codes, n)
			}
		}
	}
	if len(codes) > 20 {
		return nil, kpi.Invalid(name, "一次最多比较20个地区", "at most 20 regions at a time")
	}
	return codes, nil
}

// indicatorParam resolves ?indicator=, defaulting to the first headline.
func indicatorParam(c echo.Context, cat kpi.Catalogue) (kpi.Indicator, error) {
	code := strings.TrimSpace(c.FormValue("indicator"))
	if code == "" {
		if hs := cat.Headlines(); len(hs) > 0 {
			return hs[0], nil
		}
		if len(cat) == 0 {
			return kpi.Indicator{}, kpi.Errorf(kpi.ENOTFOUND, "指标目录为空，请先运行 govkpi migrate", "the indicator catalogue is empty: run govkpi migrate")
		}
		return cat[0], nil
	}
	return cat.Get(code)
}

// defaultRegion is the user's own scope, or the demo province, or else the
// first province.
func (s *Server) defaultRegion(c echo.Context) (kpi.Region, error) {
	ctx := c.Request().Context()
	if u := currentUser(c); u != nil && u.Region != 0 {
		return s.store.Region(ctx, u.Region)
	}
	if v, err := s.store.Meta(ctx, demo.MetaKey); err == nil && v != "" {
		if code, err := strconv.Atoi(v); err == nil {
			return s.store.Region(ctx, code)
		}
	}
	provinces, err := s.store.Children(ctx, 0)
	if err != nil {
		return kpi.Region{}, err
	}
	if len(provinces) == 0 {
		return kpi.Region{}, kpi.Errorf(kpi.ENOTFOUND, "尚未载入行政区划，请先运行 govkpi migrate", "no regions loaded: run govkpi migrate")
	}
	return provinces[0], nil
}

// regionParam resolves a single ?name= region, defaulting to defaultRegion.
func (s *Server) regionParam(c echo.Context, name string) (kpi.Region, error) {
	codes, err := regionParams(c, name)
	if err != nil {
		return kpi.Region{}, err
	}
	ctx := c.Request().Context()
	if len(codes) == 0 {
		return s.defaultRegion(c)
	}
	r, err := s.store.Region(ctx, codes[0])
	if e, ok := err.(*kpi.Error); ok && e.Code == kpi.EINVALID {
		e.Field = name // name the parameter, not the store's notion of it
	}
	return r, err
}

// latestYear is the newest year with data, so pages open on real numbers.
func (s *Server) latestYear(ctx context.Context) (first, last int, err error) {
	first, last, err = s.store.Years(ctx)
	if err != nil {
		return 0, 0, err
	}
	if last == 0 {
		return kpi.MinYear, kpi.MinYear, nil
	}
	return first, last, nil
}

// defaultYear is the year pages open on when none is asked for: the newest
// year with data that has ended. A year under way holds a few quarters at
// best, and one early submission would otherwise turn every cockpit and
// ranking to a year of partial figures set against last year's whole ones.
// Before any year with data has ended (a first year of use), it is the
// newest year with data. first is the oldest year with data.
func (s *Server) defaultYear(ctx context.Context) (first, year int, err error) {
	first, last, err := s.latestYear(ctx)
	if err != nil {
		return 0, 0, err
	}
	ended := s.store.Now().Year() - 1
	if last <= ended {
		return first, last, nil
	}
	year, ok, err := s.store.LastYearUpTo(ctx, ended)
	if err != nil || !ok {
		return first, last, err
	}
	return first, year, nil
}

func yearParam(c echo.Context, name string, def int) (int, error) {
	y, err := intParam(c, name, def)
	if err != nil {
		return 0, err
	}
	if err := (kpi.Period{Year: y}).Validate(); err != nil {
		err.(*kpi.Error).Field = name
		return 0, err
	}
	return y, nil
}

func quarterParam(c echo.Context) (int, error) {
	q, err := intParam(c, "quarter", 0)
	if err != nil {
		return 0, err
	}
	if q < 0 || q > 4 {
		return 0, kpi.Invalid("quarter", "季度 %d 无效，应为 1–4，或 0 表示全年", "quarter %d is invalid: use 1–4, or 0 for the whole year", q)
	}
	return q, nil
}

func approvedOnlyParam(c echo.Context) bool {
	v := c.QueryParam("approved")
	return v == "1" || v == "true"
}
