package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/govkpi/govkpi/internal/export"
	"github.com/govkpi/govkpi/internal/kpi"
	"github.com/govkpi/govkpi/internal/sheet"
	"github.com/govkpi/govkpi/internal/store"
)

// previewRow is one line of an upload preview: what is stored now, what
// the file would write, and what is wrong with it.
type previewRow struct {
	Ref       string
	Region    kpi.Region
	Period    kpi.Period
	Indicator kpi.Indicator
	Current   *float64
	New       *float64
	Text      string
	Error     string
	Warning   string
	version   int // of the stored value the preview saw
}

type uploadView struct {
	Kind       string // store.UploadDepartment or store.UploadBackfill
	Filename   string
	Department kpi.Department
	Period     kpi.Period
	Rows       []previewRow
	Errors     []string // problems of the file itself or of cells without a row
	UploadID   int64    // set when the file may be confirmed
	Changes    int
}

// attachment sends a download with an RFC 5987 file name, so that Chinese
// names survive every browser. Names are built from region and department
// names, which are data: export.FileName strips separators and the like,
// so that no name can say "../".
func attachment(c echo.Context, name, contentType string, body []byte) error {
	ext := name[strings.LastIndex(name, ".")+1:]
	name = export.FileName(ext, strings.TrimSuffix(name, "."+ext))
	c.Response().Header().Set(echo.HeaderContentDisposition,
		fmt.Sprintf(`attachment; filename="govkpi.%s"; filename*=UTF-8''%s`, ext, url.PathEscape(name)))
	return c.Blob(http.StatusOK, contentType, body)
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// entryTemplate is the department's grid as an .xlsx to fill in offline.
func (s *Server) entryTemplate(c echo.Context) error {
	v, err := s.loadEntry(c)
	if err != nil {
		return err
	}
	lang := langOf(c)
	t := sheet.Template{Lang: lang, RegionCode: v.Region.Code, RegionName: v.Region.Name, Department: v.Department.Name,
		Year: v.Period.Year, Quarter: v.Period.Quarter,
		Title: fmt.Sprintf("%s %s %s", v.Department.Name, v.Period.Label(lang), tr(lang, "upload.template"))}
	for _, cell := range v.Cells {
		ind := cell.Indicator
		row := sheet.TemplateRow{Code: ind.Code, Name: ind.Name(lang), Unit: ind.UnitIn(lang), Min: ind.Min, Max: ind.Max,
			Whole: ind.Kind == kpi.KindCount || ind.Decimals == 0, Previous: cell.Previous, LastYear: cell.LastYear}
		if cell.Value != nil {
			x := cell.Value.Value
			row.Current = &x
		}
		t.Rows = append(t.Rows, row)
	}
	var buf bytes.Buffer
	if err := sheet.WriteTemplate(&buf, t); err != nil {
		return err
	}
	name := fmt.Sprintf("%s_%s_%s.xlsx", v.Period.Label("zh"), v.Department.Name, "填报模板")
	return attachment(c, name, xlsxType, buf.Bytes())
}

// readUpload reads the posted file within the sheet limits. A file that
// cannot be read at all counts as a rejected upload.
func (s *Server) readUpload(c echo.Context) (string, sheet.Table, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return "", sheet.Table{}, kpi.Invalid("file", "请选择要上传的文件", "choose a file to upload")
	}
	f, err := fh.Open()
	if err != nil {
		return "", sheet.Table{}, kpi.Internal(err)
	}
	defer f.Close()
	// The name is shown and stored, never used as a path: keep its base
	// name only (a Windows browser may send C:\…\file.xlsx, an attacker
	// ../../x).
	name := sheet.DisplayName(fh.Filename)
	t, err := sheet.Read(name, f, sheet.DefaultLimits)
	if err != nil {
		s.metrics.uploads.WithLabelValues(uploadKind(c), "rejected").Inc()
	}
	return name, t, err
}

// uploadKind is the kind of upload a route receives, from its pattern.
func uploadKind(c echo.Context) string {
	switch {
	case strings.HasPrefix(c.Path(), "/backfill"):
		return store.UploadBackfill
	case strings.HasPrefix(c.Path(), "/targets"):
		return store.UploadTargets
	}
	return store.UploadDepartment
}

// uploadEntry checks a filled template and shows the preview. Nothing is
// written: the rows wait for confirmation, and only a file without errors
// can be confirmed.
func (s *Server) uploadEntry(c echo.Context) error {
	lang := langOf(c)
	d, err := s.entryDepartment(c)
	if err != nil {
		return err
	}
	if err := s.authorize(c, kpi.ActEnter, d.Region, nil); err != nil {
		return err
	}
	filename, table, err := s.readUpload(c)
	if err != nil {
		return err
	}
	region, year, quarter, entries, cellErrs := sheet.ParseTemplate(table)
	v := uploadView{Kind: store.UploadDepartment, Filename: filename, Department: d, Period: kpi.Period{Year: year, Quarter: quarter}}
	for _, e := range cellErrs {
		v.Errors = append(v.Errors, cellMessage(e, lang))
	}
	if region != 0 && region != d.Region {
		v.Errors = append(v.Errors, fmt.Sprintf("B2: %s", tr(lang, "upload.otherregion")))
	}
	if len(v.Errors) == 0 {
		if err := s.previewEntries(c, &v, entries); err != nil {
			return err
		}
	}
	payload := store.UploadPayload{Department: d.ID, Period: v.Period}
	for _, r := range v.Rows {
		if r.New != nil && r.Error == "" {
			// The version the preview saw: confirming after someone else
			// changed the cell is refused rather than overwriting them.
			payload.Entries = append(payload.Entries, store.Entry{Indicator: r.Indicator.Code, Value: *r.New, Version: r.version})
		}
	}
	return s.offerUpload(c, v, payload)
}

// previewEntries compares each entry with the department's grid.
func (s *Server) previewEntries(c echo.Context, v *uploadView, entries []sheet.Entry) error {
	ctx := c.Request().Context()
	lang := langOf(c)
	if v.Period.Quarter < 1 || v.Period.Quarter > 4 {
		v.Errors = append(v.Errors, "F2: "+tr(lang, "upload.quarter"))
		return nil
	}
	locked, err := s.periodLocked(ctx, v.Department, v.Period)
	if err != nil {
		return err
	}
	if locked {
		v.Errors = append(v.Errors, tr(lang, "entry.locked"))
		return nil
	}
	cat, err := s.store.Indicators(ctx)
	if err != nil {
		return err
	}
	cells, err := s.store.Grid(ctx, cat, v.Department, v.Period)
	if err != nil {
		return err
	}
	byCode := map[string]store.Cell{}
	for _, cell := range cells {
		byCode[cell.Indicator.Code] = cell
	}
	region, err := s.store.Region(ctx, v.Department.Region)
	if err != nil {
		return err
	}
	values := map[string]float64{}
	for _, e := range entries {
		cell, ok := byCode[e.Code]
		row := previewRow{Ref: e.Ref, Region: region, Period: v.Period, Text: e.Text, Indicator: cell.Indicator}
		switch {
		case !ok:
			row.Indicator = kpi.Indicator{Code: e.Code, NameZH: e.Code, NameEN: e.Code}
			row.Error = tr(lang, "upload.notyours")
		case cell.Value != nil && cell.Value.Status == kpi.StatusApproved:
			row.Error = tr(lang, "upload.approved")
		default:
			if cell.Value != nil {
				x := cell.Value.Value
				row.Current, row.version = &x, cell.Value.Version
			}
			check := kpi.CheckCell(cell.Indicator, e.Text, cell.LastYear, "", false, lang)
			row.Warning = check.Warning
			if check.Error != nil {
				row.Error = kpi.ErrorMessage(check.Error, lang)
			} else if !check.Empty {
				x := check.Value
				row.New, values[e.Code] = &x, x
				if row.Current == nil || *row.Current != x {
					v.Changes++
				}
			}
			row.Period = cell.Period
		}
		v.Rows = append(v.Rows, row)
	}
	for code, err := range kpi.CheckShares(cat, values) {
		for i := range v.Rows {
			if v.Rows[i].Indicator.Code == code {
				v.Rows[i].Error = kpi.ErrorMessage(err, lang)
			}
		}
	}
	for _, r := range v.Rows {
		if r.Error != "" {
			v.Errors = append(v.Errors, r.Ref+": "+r.Error)
		}
	}
	return nil
}

func cellMessage(e sheet.CellError, lang string) string {
	msg := e.Message
	if lang == langEN {
		msg = e.MessageEN
	}
	if e.Ref == "" {
		return msg
	}
	return e.Ref + ": " + msg
}

// confirmUpload writes a previewed upload: all of it in one transaction, or
// nothing.
func (s *Server) confirmUpload(c echo.Context) error {
	id, err := strconv.ParseInt(c.FormValue("upload"), 10, 64)
	if err != nil {
		return kpi.Invalid("upload", "缺少上传编号", "upload id missing")
	}
	ctx := c.Request().Context()
	cat, err := s.store.Indicators(ctx)
	if err != nil {
		return err
	}
	u := currentUser(c)
	n, err := s.store.ConfirmUpload(ctx, cat, u.Name, u.ID, id)
	if err != nil {
		return err
	}
	kind := uploadKind(c)
	s.metrics.uploads.WithLabelValues(kind, "confirmed").Inc()
	if kind == store.UploadTargets {
		s.metrics.valuesWritten.WithLabelValues("target", "upload").Add(float64(n))
	} else {
		s.metrics.valuesWritten.WithLabelValues("value", "upload").Add(float64(n))
	}
	back := c.FormValue("back")
	q := url.Values{"saved": {"upload"}, "count": {strconv.Itoa(n)}}
	if back == "/targets" {
		q.Set("parent", c.FormValue("parent"))
	} else if back != "/backfill" {
		back = "/entry"
		q.Set("year", c.FormValue("year"))
		q.Set("quarter", c.FormValue("quarter"))
		if dep := c.FormValue("department"); dep != "" {
			q.Set("department", dep)
		}
	}
	return c.Redirect(http.StatusSeeOther, withLang(langOf(c), back, q))
}

// offerUpload shows a preview. A file without errors that changes
// something is kept until it is confirmed, and the preview offers to.
func (s *Server) offerUpload(c echo.Context, v uploadView, payload store.UploadPayload) error {
	if len(v.Errors) == 0 && v.Changes > 0 {
		var err error
		if v.UploadID, err = s.store.SaveUpload(c.Request().Context(), currentUser(c).ID, v.Filename, v.Kind, payload); err != nil {
			return err
		}
	}
	p := s.basePage(c, tr(langOf(c), "upload.title"))
	p.View = v
	status, outcome := http.StatusOK, "previewed"
	if len(v.Errors) > 0 {
		status, outcome = http.StatusUnprocessableEntity, "rejected"
	}
	s.metrics.uploads.WithLabelValues(v.Kind, outcome).Inc()
	return s.render(c, status, "upload.html", p)
}
