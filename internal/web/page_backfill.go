package web

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/govkpi/govkpi/internal/kpi"
	"github.com/govkpi/govkpi/internal/sheet"
	"github.com/govkpi/govkpi/internal/store"
)

// An administrator backfills history from a sheet with one row per region
// and period and one column per indicator code. Backfilled values are
// approved at once: they are history, not a department's submission.

func (s *Server) backfillPage(c echo.Context) error {
	p := s.basePage(c, tr(langOf(c), "backfill.title"))
	root, err := s.defaultRegion(c)
	if err != nil {
		return err
	}
	p.View = uploadView{Kind: store.UploadBackfill, Department: kpi.Department{Region: root.Code}}
	return s.render(c, http.StatusOK, "upload.html", p)
}

// backfillTemplate lists the children of ?region= (default: the default
// region's) and every indicator that is entered, for one period.
func (s *Server) backfillTemplate(c echo.Context) error {
	root, err := s.regionParam(c, "region")
	if err != nil {
		return err
	}
	p, err := s.entryPeriod(c)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("%s_%s_历史数据补录.xlsx", p.Label("zh"), root.Name)
	return s.regionSheet(c, root, p, name, func(ind kpi.Indicator) bool { return !ind.IsRatio() })
}

// regionSheet sends a sheet in the backfill layout: root and its children
// as rows, the indicators that keep as columns.
func (s *Server) regionSheet(c echo.Context, root kpi.Region, p kpi.Period, name string, keep func(kpi.Indicator) bool) error {
	ctx := c.Request().Context()
	cat, err := s.store.Indicators(ctx)
	if err != nil {
		return err
	}
	children, err := s.store.Children(ctx, root.Code)
	if err != nil {
		return err
	}
	regions := []sheet.RegionName{{Code: root.Code, Name: root.Name}}
	for _, r := range children {
		regions = append(regions, sheet.RegionName{Code: r.Code, Name: r.Name})
	}
	var codes []string
	for _, ind := range cat {
		if keep(ind) {
			codes = append(codes, ind.Code)
		}
	}
	var buf bytes.Buffer
	if err := sheet.WriteBackfillTemplate(&buf, codes, regions, p.Year, p.Quarter); err != nil {
		return err
	}
	return attachment(c, name, xlsxType, buf.Bytes())
}

// uploadBackfill checks a backfill sheet and shows the preview.
func (s *Server) uploadBackfill(c echo.Context) error {
	ctx := c.Request().Context()
	lang := langOf(c)
	entries, v, cat, err := s.readRegionSheet(c, store.UploadBackfill)
	if err != nil {
		return err
	}
	regionSet, codeSet := map[int]bool{}, map[string]bool{}
	minYear, maxYear := kpi.MaxYear, kpi.MinYear
	for _, e := range entries {
		regionSet[e.Region], codeSet[e.Code] = true, true
		minYear, maxYear = min(minYear, e.Year), max(maxYear, e.Year)
	}
	regions, err := s.knownRegions(c, regionSet)
	if err != nil {
		return err
	}
	var codes []string
	for code := range codeSet {
		if _, err := cat.Get(code); err == nil {
			codes = append(codes, code)
		}
	}
	stored, err := s.store.Stored(ctx, cat, keys(regions), codes, minYear, maxYear)
	if err != nil {
		return err
	}
	var payload store.UploadPayload
	for _, e := range entries {
		row := previewRow{Ref: e.Ref, Text: e.Text, Period: kpi.Period{Year: e.Year, Quarter: e.Quarter}}
		ind, indErr := cat.Get(e.Code)
		reg, regOK := regions[e.Region]
		row.Indicator, row.Region = ind, reg
		switch {
		case indErr != nil:
			row.Indicator, row.Error = kpi.Indicator{Code: e.Code, NameZH: e.Code, NameEN: e.Code}, kpi.ErrorMessage(indErr, lang)
		case ind.IsRatio():
			row.Error = tr(lang, "backfill.ratio")
		case !regOK:
			row.Error = fmt.Sprintf(tr(lang, "backfill.region"), e.Region)
		case ind.Frequency == kpi.Annual && e.Quarter != 0:
			row.Error = tr(lang, "backfill.annual")
		default:
			if err := row.Period.Validate(); err != nil {
				row.Error = kpi.ErrorMessage(err, lang)
				break
			}
			cur, had := stored[e.Region][e.Code][row.Period]
			if had {
				x := cur.Value
				row.Current, row.version = &x, cur.Version
			}
			check := kpi.CheckCell(ind, e.Text, nil, "", false, lang)
			if check.Error != nil {
				row.Error = kpi.ErrorMessage(check.Error, lang)
			} else if !check.Empty {
				x := check.Value
				row.New = &x
				if !had || cur.Value != x {
					v.Changes++
					payload.Values = append(payload.Values, kpi.ValueInput{Region: e.Region, Indicator: e.Code, Period: row.Period,
						Value: x, Status: kpi.StatusApproved, Version: row.version, Source: kpi.SourceImport, Reason: "backfill " + v.Filename})
				}
			}
		}
		if row.Error != "" {
			v.Errors = append(v.Errors, row.Ref+": "+row.Error)
		}
		v.Rows = append(v.Rows, row)
	}
	return s.offerUpload(c, v, payload)
}

// readRegionSheet reads an uploaded sheet in the backfill layout (regions
// and periods as rows, indicator codes as columns) and starts its preview
// with the sheet's own errors.
func (s *Server) readRegionSheet(c echo.Context, kind string) ([]sheet.BackfillEntry, uploadView, kpi.Catalogue, error) {
	filename, table, err := s.readUpload(c)
	if err != nil {
		return nil, uploadView{}, nil, err
	}
	entries, cellErrs := sheet.ParseBackfill(table)
	v := uploadView{Kind: kind, Filename: filename}
	for _, e := range cellErrs {
		v.Errors = append(v.Errors, cellMessage(e, langOf(c)))
	}
	cat, err := s.store.Indicators(c.Request().Context())
	return entries, v, cat, err
}

// knownRegions looks up the codes that exist; unknown ones are left out
// and reported per row by the caller.
func (s *Server) knownRegions(c echo.Context, codes map[int]bool) (map[int]kpi.Region, error) {
	out := map[int]kpi.Region{}
	for code := range codes {
		if r, err := s.store.Region(c.Request().Context(), code); err == nil {
			out[code] = r
		} else if kpi.ErrorCode(err) != kpi.EINVALID {
			return nil, err
		}
	}
	return out, nil
}

func keys(m map[int]kpi.Region) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
