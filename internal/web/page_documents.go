package web

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/govkpi/govkpi/internal/extract"
	"github.com/govkpi/govkpi/internal/kpi"
	"github.com/govkpi/govkpi/internal/store"
)

// Documents 材料: upload a report (.txt in UTF-8 or GBK, .docx, or pasted
// text) for a region and year; see its text with every figure the extractor
// found highlighted and a table of candidates; correct, reject and confirm
// them. Confirmed figures are written like entered values (see
// store.ConfirmFigures) and keep the document and quote as their source.

type documentsView struct {
	Docs    []documentLine
	Form    filterForm
	CanAdd  bool
	Regions []regionOption
}

type documentLine struct {
	store.DocumentSummary
	RegionName string
}

// documentsPage lists the documents of the user's scope and offers the upload form.
func (s *Server) documentsPage(c echo.Context) error {
	ctx := c.Request().Context()
	root, err := s.defaultRegion(c)
	if err != nil {
		return err
	}
	u := currentUser(c)
	within := 0
	if u != nil && u.Role != kpi.RoleAdmin && u.Region != 0 {
		within = u.Region
	}
	if u != nil && u.Role == kpi.RoleEditor && u.Department != nil {
		within = u.Department.Region
	}
	docs, err := s.store.Documents(ctx, within)
	if err != nil {
		return err
	}
	p := s.basePage(c, "")
	p.Title = p.T("docs.title")
	v := documentsView{CanAdd: p.Can(kpi.ActEnter)}
	names := map[int]string{}
	for _, d := range docs {
		if _, ok := names[d.Region]; !ok {
			if r, err := s.store.Region(ctx, d.Region); err == nil {
				names[d.Region] = r.Name
			}
		}
		v.Docs = append(v.Docs, documentLine{DocumentSummary: d, RegionName: names[d.Region]})
	}
	if v.CanAdd {
		if u.Role == kpi.RoleEditor && u.Department != nil {
			r, err := s.store.Region(ctx, u.Department.Region)
			if err != nil {
				return err
			}
			v.Regions = []regionOption{{Code: r.CodeString(), Label: r.Name, Picked: true}}
		} else {
			if v.Regions, err = s.regionOptions(ctx, root, nil); err != nil {
				return err
			}
			v.Regions = append([]regionOption{{Code: "auto", Label: p.T("docs.autoregion"), Picked: true}}, v.Regions...)
		}
		year := kpi.LatestQuarter(s.store.Now()).Year
		v.Form.Year = year
		for y := year; y >= year-9; y-- {
			v.Form.Years = append(v.Form.Years, y)
		}
	}
	p.View = v
	return s.render(c, http.StatusOK, "documents.html", p)
}

// pastedName stands for pasted text in messages.
const pastedName = "粘贴的文字"

// addDocument stores an uploaded or pasted report and opens it. A file
// that is not text, a paste over the limit, text without figures, a region
// or year that does not exist: each is refused with its own message and
// nothing is stored.
func (s *Server) addDocument(c echo.Context) error {
	ctx := c.Request().Context()
	lang := langOf(c)
	text, filename, err := readDocument(c)
	if err != nil {
		return err
	}
	year, err := intParam(c, "year", 0)
	if err != nil {
		return err
	}
	if err := (kpi.Period{Year: year}).Validate(); err != nil {
		return err
	}
	var region kpi.Region
	if raw := strings.TrimSpace(c.FormValue("region")); raw == "" || raw == "auto" {
		root, err := s.defaultRegion(c)
		if err != nil {
			return err
		}
		cands, err := s.regionsInText(c, text, root)
		if err != nil {
			return err
		}
		if len(cands) == 0 {
			return kpi.Invalid("region", "未能从文字中识别出地区，请选择材料所属地区", "no region name was found in the text: choose the region")
		}
		region = cands[0]
	} else if region, err = s.regionParam(c, "region"); err != nil {
		return err
	}
	if err := s.authorize(c, kpi.ActEnter, region.Code, nil); err != nil {
		return err
	}
	cat, err := s.store.Indicators(ctx)
	if err != nil {
		return err
	}
	if len(extract.New(cat).Extract(text)) == 0 {
		return kpi.Invalid("text", "%s中没有找到任何数字，未保存", "no figures were found in %s: nothing was stored", quoteName(filename, lang))
	}
	title := strings.TrimSpace(c.FormValue("title"))
	if title == "" {
		title = firstLine(text, filename)
	}
	u := currentUser(c)
	id, err := s.store.AddDocument(ctx, u.Name, store.Document{Region: region.Code, Year: year, Title: title, Filename: filename, Text: text})
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, withLang(lang, fmt.Sprintf("/documents/%d", id), url.Values{}))
}

func quoteName(name, lang string) string {
	if name == pastedName && lang == langEN {
		return "the pasted text"
	}
	return "“" + name + "”"
}

// readDocument reads the posted file, or else the pasted text.
func readDocument(c echo.Context) (text, filename string, err error) {
	fh, ferr := c.FormFile("file")
	if ferr == nil && fh.Filename != "" {
		f, err := fh.Open()
		if err != nil {
			return "", "", kpi.Internal(err)
		}
		defer f.Close()
		data, err := io.ReadAll(io.LimitReader(f, 8<<20))
		if err != nil {
			return "", "", kpi.Internal(err)
		}
		text, err := extract.Read(fh.Filename, data, extract.DefaultLimits)
		return text, fh.Filename, err
	}
	pasted := c.FormValue("text")
	if strings.TrimSpace(pasted) == "" {
		return "", "", kpi.Invalid("text", "请选择 .txt 或 .docx 文件，或粘贴材料文字", "choose a .txt or .docx file, or paste the text")
	}
	text, err = extract.DecodeText(pastedName, []byte(pasted), extract.DefaultLimits)
	return text, pastedName, err
}

// firstLine is a title for a document that was given none.
func firstLine(text, filename string) string {
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			if utf8.RuneCountInString(l) > 60 {
				l = string([]rune(l)[:60]) + "…"
			}
			return l
		}
	}
	return filename
}

// regionsInText finds the regions whose full names appear in the text, most
// mentioned first; regions inside root (the user's scope) come before
// others of the same name. Names of two characters (城区, 郊区) are too
// ambiguous to count.
func (s *Server) regionsInText(c echo.Context, text string, root kpi.Region) ([]kpi.Region, error) {
	ctx := c.Request().Context()
	type hit struct {
		r      kpi.Region
		n      int
		inRoot bool
	}
	var hits []hit
	inRoot := map[int]bool{}
	for level := 1; level <= 3; level++ {
		rs, err := s.store.RegionsAtLevel(ctx, level, root.Code)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			inRoot[r.Code] = true
		}
	}
	for level := 1; level <= 3; level++ {
		rs, err := s.store.RegionsAtLevel(ctx, level, 0)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			if utf8.RuneCountInString(r.Name) < 3 {
				continue
			}
			if n := strings.Count(text, r.Name); n > 0 {
				hits = append(hits, hit{r, n, inRoot[r.Code]})
			}
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].n != hits[j].n {
			return hits[i].n > hits[j].n
		}
		if hits[i].inRoot != hits[j].inRoot {
			return hits[i].inRoot
		}
		return hits[i].r.Level > hits[j].r.Level
	})
	out := make([]kpi.Region, len(hits))
	for i, h := range hits {
		out[i] = h.r
	}
	return out, nil
}

// documentView is one document: its text cut into plain and highlighted
// pieces, and a row per candidate.
type documentView struct {
	Doc        store.Document
	Region     kpi.Region
	Pieces     []textPiece
	Rows       []candidateRow
	Categories []categoryGroup
	Suggested  []kpi.Region // regions named in the text
	CanEnter   bool
	CanAlias   bool
	Error      string
	Confirmed  int
	Years      []int
}

// textPiece is a run of the document text; Mark pieces are figures.
// Templates escape Text like any other string: the document is never HTML.
type textPiece struct {
	Text  string
	Mark  bool
	ID    string
	Class string
	Title string
}

type candidateRow struct {
	N         int
	C         extract.Candidate
	Figure    string // the figure as written
	Indicator kpi.Indicator
	HasInd    bool
	Value     string
	Year      int
	Quarter   int
	Note      string
	Decision  string // "", confirmed, rejected
	Decided   *store.Figure
	Current   *kpi.Value // what is stored now for the suggested cell
	Check     bool       // confirmed by default
	Editable  bool       // the user may enter this figure
}

// AnchorID is the element id of a figure in the text: its byte offset,
// which is also what a value's source_ref keeps.
func (r candidateRow) AnchorID() string { return "c-" + strconv.Itoa(r.C.Start) }

func (s *Server) loadDocument(c echo.Context) (page, documentView, error) {
	ctx := c.Request().Context()
	var v documentView
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return page{}, v, kpi.Errorf(kpi.ENOTFOUND, "材料 %s 不存在", "document %s does not exist", c.Param("id"))
	}
	doc, err := s.store.Document(ctx, id)
	if err != nil {
		return page{}, v, err
	}
	if err := s.authorize(c, kpi.ActView, doc.Region, nil); err != nil {
		return page{}, v, err
	}
	region, err := s.store.Region(ctx, doc.Region)
	if err != nil {
		return page{}, v, err
	}
	cat, err := s.store.Indicators(ctx)
	if err != nil {
		return page{}, v, err
	}
	p := s.basePage(c, doc.Title)
	v = documentView{Doc: doc, Region: region, CanEnter: s.authorize(c, kpi.ActEnter, doc.Region, nil) == nil,
		CanAlias: p.Can(kpi.ActAdmin)}
	for y := doc.Year + 1; y >= doc.Year-5; y-- {
		v.Years = append(v.Years, y)
	}
	for _, k := range kpi.Categories {
		g := categoryGroup{Name: k.Name(p.Lang)}
		for _, i := range cat {
			if i.Category == k.Code {
				g.Indicators = append(g.Indicators, i)
			}
		}
		v.Categories = append(v.Categories, g)
	}
	decided := map[int]*store.Figure{}
	for i := range doc.Figures {
		f := &doc.Figures[i]
		decided[f.Start] = f
		if f.Decision == store.FigureConfirmed {
			v.Confirmed++
		}
	}
	cands := extract.New(cat).Extract(doc.Text)
	// Decisions whose figure the extractor no longer finds (its rules or
	// aliases changed) still show, from what was stored.
	seen := map[int]bool{}
	for _, cd := range cands {
		seen[cd.Start] = true
	}
	for _, f := range doc.Figures {
		if !seen[f.Start] && f.End <= len(doc.Text) && f.QuoteEnd <= len(doc.Text) {
			cd := extract.Candidate{Indicator: f.Indicator, Start: f.Start, End: f.End, QuoteStart: f.QuoteStart, QuoteEnd: f.QuoteEnd,
				Quote: doc.Text[f.QuoteStart:f.QuoteEnd]}
			if f.Value != nil {
				cd.Value = *f.Value
			}
			cands = append(cands, cd)
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].Start < cands[j].Start })
	stored, err := s.storedFor(c, cat, doc, cands)
	if err != nil {
		return page{}, v, err
	}
	for n, cd := range cands {
		row := candidateRow{N: n, C: cd, Figure: doc.Text[cd.Start:cd.End], Year: doc.Year, Quarter: cd.Quarter,
			Value: strconv.FormatFloat(cd.Value, 'f', -1, 64), Note: candidateNote(cd, p.Lang)}
		if ind, err := cat.Get(cd.Indicator); err == nil {
			row.Indicator, row.HasInd = ind, true
			if ind.Frequency == kpi.Annual {
				row.Quarter = 0
			}
			row.Current = stored[cellKey(ind.Code, kpi.Period{Year: row.Year, Quarter: row.Quarter})]
			row.Editable = s.authorize(c, kpi.ActEnter, doc.Region, &ind) == nil
		} else {
			row.Editable = v.CanEnter
		}
		if f := decided[cd.Start]; f != nil {
			row.Decision, row.Decided = f.Decision, f
			if f.Value != nil {
				row.Value = strconv.FormatFloat(*f.Value, 'f', -1, 64)
			}
			if ind, err := cat.Get(f.Indicator); err == nil {
				row.Indicator, row.HasInd = ind, true
			}
			row.Year, row.Quarter = f.Period.Year, f.Period.Quarter
		}
		row.Check = row.HasInd && row.Decision == "" && cd.Confidence >= 0.5
		v.Rows = append(v.Rows, row)
	}
	v.Pieces = highlight(doc.Text, v.Rows, p.Lang)
	root, err := s.defaultRegion(c)
	if err != nil {
		return page{}, v, err
	}
	if sug, err := s.regionsInText(c, doc.Text, root); err == nil {
		named := map[string]bool{}
		for _, r := range sug {
			if !named[r.Name] && len(v.Suggested) < 3 { // 龙华区 is in Haikou and in Shenzhen
				named[r.Name] = true
				v.Suggested = append(v.Suggested, r)
			}
		}
	}
	p.Title = doc.Title
	return p, v, nil
}

func cellKey(code string, p kpi.Period) string {
	return fmt.Sprintf("%s|%d|%d", code, p.Year, p.Quarter)
}

// storedFor reads the values now stored in the cells the candidates suggest,
// so the table shows them and the confirmation carries their version.
func (s *Server) storedFor(c echo.Context, cat kpi.Catalogue, doc store.Document, cands []extract.Candidate) (map[string]*kpi.Value, error) {
	var codes []string
	seen := map[string]bool{}
	for _, cd := range cands {
		if _, err := cat.Get(cd.Indicator); err == nil && !seen[cd.Indicator] {
			seen[cd.Indicator] = true
			codes = append(codes, cd.Indicator)
		}
	}
	out := map[string]*kpi.Value{}
	if len(codes) == 0 {
		return out, nil
	}
	m, err := s.store.Stored(c.Request().Context(), cat, []int{doc.Region}, codes, doc.Year-5, doc.Year+1)
	if err != nil {
		return nil, err
	}
	for code, byPeriod := range m[doc.Region] {
		for p, val := range byPeriod {
			val := val
			out[cellKey(code, p)] = &val
		}
	}
	return out, nil
}

// candidateNote says in words what the text says beyond the number.
func candidateNote(cd extract.Candidate, lang string) string {
	var parts []string
	en := lang == langEN
	if cd.Previous != nil {
		if en {
			parts = append(parts, "previously "+strconv.FormatFloat(*cd.Previous, 'f', -1, 64))
		} else {
			parts = append(parts, "原为"+strconv.FormatFloat(*cd.Previous, 'f', -1, 64))
		}
	}
	if cd.Change != "" {
		parts = append(parts, cd.Change)
	}
	if cd.Qualifier == "内" || cd.Qualifier == "以内" {
		if en {
			parts = append(parts, "an upper bound (以内)")
		} else {
			parts = append(parts, "上限（以内）")
		}
	} else if cd.Qualifier != "" {
		if en {
			parts = append(parts, "approximate ("+cd.Qualifier+")")
		} else {
			parts = append(parts, "约数（"+cd.Qualifier+"）")
		}
	}
	if cd.Indicator == "" {
		parts = append(parts, tr(lang, "docs.unassigned"))
	}
	parts = append(parts, cd.Notes...)
	if en {
		return strings.Join(parts, "; ")
	}
	return strings.Join(parts, "；")
}

// highlight cuts the text into plain pieces and one mark per figure.
func highlight(text string, rows []candidateRow, lang string) []textPiece {
	var out []textPiece
	at := 0
	for _, r := range rows {
		if r.C.Start < at || r.C.End > len(text) {
			continue
		}
		if r.C.Start > at {
			out = append(out, textPiece{Text: text[at:r.C.Start]})
		}
		class := "fig"
		switch {
		case r.Decision == store.FigureConfirmed:
			class += " confirmed"
		case r.Decision == store.FigureRejected:
			class += " rejected"
		case !r.HasInd:
			class += " unassigned"
		}
		title := tr(lang, "docs.unassigned")
		if r.HasInd {
			title = r.Indicator.Name(lang)
		}
		out = append(out, textPiece{Text: text[r.C.Start:r.C.End], Mark: true, ID: r.AnchorID(), Class: class, Title: title})
		at = r.C.End
	}
	if at < len(text) {
		out = append(out, textPiece{Text: text[at:]})
	}
	return out
}

// documentPage shows one document.
func (s *Server) documentPage(c echo.Context) error {
	p, v, err := s.loadDocument(c)
	if err != nil {
		return err
	}
	p.View = v
	return s.render(c, http.StatusOK, "document.html", p)
}

// confirmFigures records the decisions of the candidate table. Every
// confirmed figure is checked against the policy (editors: their
// department's indicators in their region) and written in one transaction;
// on any refusal nothing is written and the page says why.
func (s *Server) confirmFigures(c echo.Context) error {
	p, v, err := s.loadDocument(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	cat, err := s.store.Indicators(ctx)
	if err != nil {
		return err
	}
	var ins []store.FigureInput
	fail := func(err error) error {
		if kpi.ErrorCode(err) == kpi.EINTERNAL || kpi.ErrorCode(err) == kpi.EUNAVAILABLE {
			return err
		}
		v.Error = kpi.ErrorMessage(err, p.Lang)
		p.View = v
		status := statusOf[kpi.ErrorCode(err)]
		if status == 0 {
			status = http.StatusBadRequest
		}
		return s.render(c, status, "document.html", p)
	}
	for _, row := range v.Rows {
		if row.Decision != "" {
			continue
		}
		k := strconv.Itoa(row.C.Start)
		reject := c.FormValue("reject."+k) != ""
		take := c.FormValue("take."+k) != ""
		if !reject && !take {
			continue
		}
		in := store.FigureInput{Start: row.C.Start, End: row.C.End, QuoteStart: row.C.QuoteStart, QuoteEnd: row.C.QuoteEnd, Reject: reject}
		label := fmt.Sprintf("“%s”", row.Figure)
		code := strings.TrimSpace(c.FormValue("ind." + k))
		if reject {
			in.Indicator = code
			in.Period = kpi.Period{Year: v.Doc.Year}
			if err := s.authorize(c, kpi.ActEnter, v.Doc.Region, nil); err != nil {
				return err
			}
			ins = append(ins, in)
			continue
		}
		ind, err := cat.Get(code)
		if err != nil {
			return fail(kpi.Invalid("indicator", "%s：请选择指标", "%s: choose an indicator", label))
		}
		if err := s.authorize(c, kpi.ActEnter, v.Doc.Region, &ind); err != nil {
			return fail(err)
		}
		val, err := kpi.ParseNumber(c.FormValue("val." + k))
		if err != nil {
			return fail(kpi.Invalid("value", "%s：%s", "%s: %s", label, kpi.ErrorMessage(err, "zh")))
		}
		year, err := strconv.Atoi(strings.TrimSpace(c.FormValue("year." + k)))
		if err != nil {
			return fail(kpi.Invalid("year", "%s：年份无效", "%s: the year is not valid", label))
		}
		quarter, err := strconv.Atoi(strings.TrimSpace(c.FormValue("q." + k)))
		if err != nil {
			return fail(kpi.Invalid("quarter", "%s：季度无效", "%s: the quarter is not valid", label))
		}
		in.Indicator, in.Value, in.Period = ind.Code, val, kpi.Period{Year: year, Quarter: quarter}
		if err := in.Period.Validate(); err != nil {
			return fail(err)
		}
		// The version the page showed, for the cell the page showed; a
		// figure moved to another cell saw nothing there.
		if c.FormValue("cell."+k) == cellKey(ind.Code, in.Period) {
			in.Version, _ = strconv.Atoi(c.FormValue("ver." + k))
		}
		ins = append(ins, in)
	}
	if len(ins) == 0 {
		return fail(kpi.Invalid("figures", "没有勾选要确认或驳回的数字", "no figure was ticked to confirm or reject"))
	}
	submit := c.FormValue("submit") != ""
	if err := s.store.ConfirmFigures(ctx, currentUser(c).Name, v.Doc.ID, ins, submit); err != nil {
		return fail(err)
	}
	q := url.Values{"confirmed": {strconv.Itoa(len(ins))}}
	return c.Redirect(http.StatusSeeOther, withLang(p.Lang, fmt.Sprintf("/documents/%d", v.Doc.ID), q))
}

// addAlias remembers a phrase for an indicator (administrators).
func (s *Server) addAlias(c echo.Context) error {
	p, v, err := s.loadDocument(c)
	if err != nil {
		return err
	}
	err = s.store.AddAlias(c.Request().Context(), currentUser(c).Name, strings.TrimSpace(c.FormValue("indicator")), c.FormValue("phrase"))
	if err != nil {
		if kpi.ErrorCode(err) == kpi.EINTERNAL || kpi.ErrorCode(err) == kpi.EUNAVAILABLE {
			return err
		}
		v.Error = kpi.ErrorMessage(err, p.Lang)
		p.View = v
		return s.render(c, statusOf[kpi.ErrorCode(err)], "document.html", p)
	}
	return c.Redirect(http.StatusSeeOther, withLang(p.Lang, fmt.Sprintf("/documents/%d", v.Doc.ID), url.Values{"alias": {"1"}}))
}

// DocLink is the place in its document a value came from, or "".
func (p page) DocLink(ref string) string {
	id, start, ok := store.ParseDocumentRef(ref)
	if !ok {
		return ""
	}
	return withLang(p.Lang, fmt.Sprintf("/documents/%d", id), url.Values{}) + "#c-" + strconv.Itoa(start)
}
