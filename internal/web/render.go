package web

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/govkpi/govkpi/internal/demo"
	"github.com/govkpi/govkpi/internal/kpi"
)

//go:embed templates
var templateFS embed.FS

// parsePages parses each page together with the layout. A template error is
// a bug found at start-up, not at a user's request.
func parsePages() map[string]*template.Template {
	pages := map[string]*template.Template{}
	for _, name := range []string{"cockpit.html", "trend.html", "compare.html", "error.html", "login.html",
		"entry.html", "review.html", "completeness.html", "history.html", "upload.html", "targets.html", "scorecard.html",
		"documents.html", "document.html"} {
		pages[name] = template.Must(template.New("layout.html").Funcs(funcs).
			ParseFS(templateFS, "templates/layout.html", "templates/forms.html", "templates/"+name))
	}
	return pages
}

// funcs are the few template helpers that are not methods of page.
var funcs = template.FuncMap{
	// pair passes a page and a view part to a sub-template.
	"pair":     func(p page, v any) map[string]any { return map[string]any{"P": p, "V": v} },
	"quarters": func() []int { return []int{1, 2, 3, 4} },
	"levels":   func() []int { return []int{kpi.LevelProvince, kpi.LevelCity, kpi.LevelCounty} },
	// floatPtr passes a number to the formatters, which take *float64.
	"floatPtr": func(v float64) *float64 { return &v },
	// valuePtr turns a stored value into the *float64 the formatters take.
	"valuePtr": func(v *kpi.Value) *float64 {
		if v == nil {
			return nil
		}
		x := v.Value
		return &x
	},
}

// page is what every template gets: the common frame and one view's data.
type page struct {
	Lang       string
	Title      string
	Path       string
	Query      url.Values
	Demo       bool
	Error      string
	HTTPStatus int
	RequestID  string
	Screen     bool // the wall-display layout
	User       *kpi.User
	CSRF       string // the token every form posts back
	View       any
}

// basePage fills the frame. The demo flag is read per request: it is a
// property of the database, not of this process.
func (s *Server) basePage(c echo.Context, title string) page {
	p := page{Lang: langOf(c), Title: title, Path: c.Request().URL.Path, Query: c.QueryParams(), User: currentUser(c)}
	p.CSRF, _ = c.Get(middleware.DefaultCSRFConfig.ContextKey).(string)
	// WithoutCancel: an error page is rendered after a timeout too, and it
	// should still say whether this is demo data.
	if v, err := s.store.Meta(context.WithoutCancel(c.Request().Context()), demo.MetaKey); err == nil && v != "" {
		p.Demo = true
	}
	return p
}

func (s *Server) render(c echo.Context, status int, name string, p page) error {
	t, ok := s.pages[name]
	if !ok {
		return fmt.Errorf("no page template %s", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		return kpi.Internal(err)
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// T translates a fixed text.
func (p page) T(key string) string { return tr(p.Lang, key) }

// Mark is a Chinese punctuation mark of a template's own text, as English
// writes it on English pages: "：" → ": ", "（" → " (", and so on.
func (p page) Mark(zh string) string {
	if p.Lang != "en" {
		return zh
	}
	if en, ok := englishMarks[zh]; ok {
		return en
	}
	return zh
}

var englishMarks = map[string]string{"：": ": ", "（": " (", "）": ")", "，": ", ", "；": "; ", "、": ", "}

// Plain writes a number as digits, never in exponent form (5000000, not
// 5e+06), for attributes that scripts show to people.
func (p page) Plain(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// Paren is s in brackets, as the page's language writes them: "（件）", " (cases)".
func (p page) Paren(s string) string { return p.Mark("（") + s + p.Mark("）") }

// Tf translates a text with %s placeholders.
func (p page) Tf(key string, args ...any) string { return fmt.Sprintf(tr(p.Lang, key), args...) }

// LevelName names a level of the division: 省, 市, 县（区）.
func (p page) LevelName(level int) string { return kpi.LevelName(level, p.Lang) }

// CanViewNation reports whether the user may rank every region of a level
// in the whole country (the policy's Resource.Nation).
func (p page) CanViewNation() bool {
	return kpi.Authorize(p.User, kpi.ActView, kpi.Resource{Nation: true}) == nil
}

// Val formats a value with its unit.
func (p page) Val(ind kpi.Indicator, v *float64) string { return kpi.FormatValue(ind, v, p.Lang) }

// Delta formats a year-on-year change.
func (p page) Delta(d *kpi.Delta) string { return kpi.FormatDelta(d, p.Lang) }

// DeltaClass colours a change by whether it is an improvement.
func (p page) DeltaClass(d *kpi.Delta) string {
	switch {
	case d == nil || d.Improved == nil || kpi.Round(d.Value, 1) == 0:
		return ""
	case *d.Improved:
		return "up-good"
	default:
		return "up-bad"
	}
}

// State names a department's report state.
func (p page) State(st kpi.ReportState) string { return st.Label(p.Lang) }

// ValueStatus names a value's workflow status.
func (p page) ValueStatus(st kpi.Status) string {
	return tr(p.Lang, "status."+string(st))
}

// DeptType names a department type.
func (p page) DeptType(code string) string { return kpi.DepartmentTypeName(code, p.Lang) }

// ScoreText formats a 0–100 score.
func (p page) ScoreText(v *float64) string {
	if v == nil {
		return "—"
	}
	return kpi.FormatNumber(*v, 1)
}

// Pct formats a progress ratio.
func (p page) Pct(r *float64) string { return kpi.FormatPercent(r) }

// Status names a traffic-light status.
func (p page) Status(st kpi.ProgressStatus) string { return st.Label(p.Lang) }

// Ind names an indicator.
func (p page) Ind(ind kpi.Indicator) string { return ind.Name(p.Lang) }

// Unit is an indicator's unit.
func (p page) Unit(ind kpi.Indicator) string { return ind.UnitIn(p.Lang) }

// Def is an indicator's definition.
func (p page) Def(ind kpi.Indicator) string {
	if p.Lang == langEN {
		return ind.DefinitionEN
	}
	return ind.DefinitionZH
}

// Cat names a category.
func (p page) Cat(code string) string {
	c, _ := kpi.CategoryByCode(code)
	return c.Name(p.Lang)
}

// Period names a period.
func (p page) Period(pd kpi.Period) string { return pd.Label(p.Lang) }

// Link builds a URL to path with the given key/value pairs, keeping the
// language and the approved-only switch.
func (p page) Link(path string, kv ...any) string {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Add(fmt.Sprint(kv[i]), fmt.Sprint(kv[i+1]))
	}
	if p.ApprovedOnly() {
		q.Set("approved", "1")
	}
	return withLang(p.Lang, path, q)
}

// ApprovedOnly reports whether the page shows approved values only.
func (p page) ApprovedOnly() bool { a := p.Query.Get("approved"); return a == "1" || a == "true" }

// ApprovedToggle is this page with the approved-only switch flipped.
func (p page) ApprovedToggle() string {
	q := url.Values{}
	for k, v := range p.Query {
		q[k] = append([]string(nil), v...)
	}
	if p.ApprovedOnly() {
		q.Del("approved")
	} else {
		q.Set("approved", "1")
	}
	return p.Path + "?" + q.Encode()
}

// LangLink is this page in the other language.
func (p page) LangLink() string {
	q := url.Values{}
	for k, v := range p.Query {
		q[k] = append([]string(nil), v...)
	}
	if p.Lang == langEN {
		q.Del("lang")
	} else {
		q.Set("lang", langEN)
	}
	if len(q) == 0 {
		return p.Path
	}
	return p.Path + "?" + q.Encode()
}

// IsEN reports whether the page is in English.
func (p page) IsEN() bool { return p.Lang == langEN }

// Can reports whether the user's role may perform act at all, for menus.
func (p page) Can(act kpi.Action) bool { return kpi.Authorize(p.User, act, kpi.Resource{}) == nil }

// Reachable reports whether the user may open the i-th region of a
// breadcrumb: those above a scoped user's own region are not theirs.
func (p page) Reachable(path []kpi.Region, i int) bool {
	if p.User == nil || p.User.Region == 0 || p.User.Role == kpi.RoleAdmin {
		return true
	}
	for j := 0; j <= i && j < len(path); j++ {
		if path[j].Code == p.User.Region {
			return true
		}
	}
	return false
}

// RoleLabel names the user's role.
func (p page) RoleLabel() string {
	if p.User == nil {
		return ""
	}
	return p.User.Role.Label(p.Lang)
}

// jsonAttr serialises a chart option for a data attribute. encoding/json
// escapes <, > and & and the template escapes the attribute, so a name can
// never close the attribute or a script; app.js reads it with JSON.parse,
// so go-echarts' __f__ function markers stay plain strings.
func jsonAttr(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", kpi.Internal(err)
	}
	return string(b), nil
}
