package store

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"github.com/govkpi/govkpi/internal/kpi"
)

// Documents (材料): uploaded reports, and the figures a person confirmed or
// rejected from them. Candidates are computed from the text when shown
// (internal/extract); only decisions are stored, keyed by the figure's byte
// offset in the text, which never changes once stored.

// Document statuses.
const (
	DocExtracted = "extracted" // figures waiting for a decision
	DocConfirmed = "confirmed" // someone confirmed figures from it
)

// Figure decisions.
const (
	FigureConfirmed = "confirmed"
	FigureRejected  = "rejected"
)

// Limits of what a document row holds.
const (
	MaxDocumentText  = 2 << 20
	maxDocumentTitle = 200
	maxAliasRunes    = 30
)

type documentRow struct {
	ID         int64 `gorm:"primaryKey"`
	RegionCode int
	Year       int
	Title      string
	Filename   string
	Body       string
	CreatedBy  string
	CreatedAt  time.Time
	Status     string
}

func (documentRow) TableName() string { return "documents" }

type figureRow struct {
	ID            int64 `gorm:"primaryKey"`
	DocumentID    int64
	StartPos      int
	EndPos        int
	QuoteStart    int
	QuoteEnd      int
	Decision      string
	IndicatorCode string
	Value         *float64
	Year          int
	Quarter       int
	ValueID       *int64
	Actor         string
	At            time.Time
}

func (figureRow) TableName() string { return "document_figures" }

type aliasRow struct {
	ID            int64 `gorm:"primaryKey"`
	IndicatorCode string
	Alias         string
	AddedBy       string
	AddedAt       time.Time
}

func (aliasRow) TableName() string { return "indicator_aliases" }

// Document is an uploaded report.
type Document struct {
	ID        int64
	Region    int
	Year      int
	Title     string
	Filename  string
	Text      string
	CreatedBy string
	CreatedAt time.Time
	Status    string
	Figures   []Figure // decisions taken, by position
}

// Figure is a decision on one figure of a document.
type Figure struct {
	Start, End           int // byte offsets of the figure in the text
	QuoteStart, QuoteEnd int
	Decision             string
	Indicator            string
	Value                *float64
	Period               kpi.Period
	ValueID              *int64
	Actor                string
	At                   time.Time
}

// FigureInput is what a person decided about one candidate.
type FigureInput struct {
	Start, End           int
	QuoteStart, QuoteEnd int
	Reject               bool
	Indicator            string
	Value                float64
	Period               kpi.Period
	Version              int // of the stored value the person saw (0: none)
}

func (r documentRow) domain() Document {
	return Document{ID: r.ID, Region: r.RegionCode, Year: r.Year, Title: r.Title, Filename: r.Filename, Text: r.Body,
		CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, Status: r.Status}
}

// AddDocument stores a report for a region and year. The text must already
// be decoded and within MaxDocumentText; the region must exist.
func (s *Store) AddDocument(ctx context.Context, actor string, d Document) (int64, error) {
	if strings.TrimSpace(d.Text) == "" {
		return 0, kpi.Invalid("text", "材料没有文字", "the document has no text")
	}
	if len(d.Text) > MaxDocumentText || !utf8.ValidString(d.Text) {
		return 0, kpi.Invalid("text", "材料文字超过 %d KB 或不是有效的 UTF-8", "the text is over %d KB or not valid UTF-8", MaxDocumentText>>10)
	}
	if err := (kpi.Period{Year: d.Year}).Validate(); err != nil {
		return 0, err
	}
	d.Title = strings.TrimSpace(d.Title)
	if d.Title == "" {
		return 0, kpi.Invalid("title", "请填写材料标题", "the document needs a title")
	}
	if utf8.RuneCountInString(d.Title) > maxDocumentTitle {
		d.Title = string([]rune(d.Title)[:maxDocumentTitle])
	}
	if utf8.RuneCountInString(d.Filename) > 255 {
		d.Filename = string([]rune(d.Filename)[:255])
	}
	row := documentRow{RegionCode: d.Region, Year: d.Year, Title: d.Title, Filename: d.Filename, Body: d.Text,
		CreatedBy: actor, CreatedAt: s.now(), Status: DocExtracted}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := s.checkRegion(tx, d.Region); err != nil {
			return err
		}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return s.audit(tx, actor, "document.add", fmt.Sprint(row.ID), fmt.Sprintf("%06d %d %s", d.Region, d.Year, d.Title))
	})
	return row.ID, err
}

// Document returns a stored report with its decisions.
func (s *Store) Document(ctx context.Context, id int64) (Document, error) {
	var row documentRow
	res := s.db.WithContext(ctx).Where("id = ?", id).Limit(1).Find(&row)
	if res.Error != nil {
		return Document{}, s.wrap(res.Error)
	}
	if res.RowsAffected == 0 {
		return Document{}, kpi.Errorf(kpi.ENOTFOUND, "材料 %d 不存在", "document %d does not exist", id)
	}
	d := row.domain()
	var figs []figureRow
	if err := s.db.WithContext(ctx).Where("document_id = ?", id).Order("start_pos, id").Find(&figs).Error; err != nil {
		return Document{}, s.wrap(err)
	}
	for _, f := range figs {
		d.Figures = append(d.Figures, Figure{Start: f.StartPos, End: f.EndPos, QuoteStart: f.QuoteStart, QuoteEnd: f.QuoteEnd,
			Decision: f.Decision, Indicator: f.IndicatorCode, Value: f.Value, Period: kpi.Period{Year: f.Year, Quarter: f.Quarter},
			ValueID: f.ValueID, Actor: f.Actor, At: f.At})
	}
	return d, nil
}

// DocumentSummary is a line of the document list.
type DocumentSummary struct {
	ID        int64
	Region    int
	Year      int
	Title     string
	Filename  string
	CreatedBy string
	CreatedAt time.Time
	Status    string
	Confirmed int
}

// Documents lists the reports of regions in the subtree of within (0: all),
// newest first.
func (s *Store) Documents(ctx context.Context, within int) ([]DocumentSummary, error) {
	q := s.db.WithContext(ctx).Model(&documentRow{}).
		Select("id, region_code, year, title, filename, created_by, created_at, status")
	if within != 0 {
		q = q.Where("region_code IN (?)", s.subtree(within))
	}
	var rows []documentRow
	if err := q.Order("created_at DESC, id DESC").Limit(500).Find(&rows).Error; err != nil {
		return nil, s.wrap(err)
	}
	out := make([]DocumentSummary, len(rows))
	ids := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = DocumentSummary{ID: r.ID, Region: r.RegionCode, Year: r.Year, Title: r.Title, Filename: r.Filename,
			CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, Status: r.Status}
		ids[i] = r.ID
	}
	if len(ids) == 0 {
		return out, nil
	}
	var counts []struct {
		DocumentID int64
		N          int
	}
	if err := s.db.WithContext(ctx).Model(&figureRow{}).Select("document_id, COUNT(*) AS n").
		Where("document_id IN ? AND decision = ?", ids, FigureConfirmed).Group("document_id").Scan(&counts).Error; err != nil {
		return nil, s.wrap(err)
	}
	for _, c := range counts {
		for i := range out {
			if out[i].ID == c.DocumentID {
				out[i].Confirmed = c.N
			}
		}
	}
	return out, nil
}

// subtree selects the codes of a region, its children and grandchildren
// (the levels are province > city > county).
func (s *Store) subtree(code int) *gorm.DB {
	return s.db.Raw(`SELECT code FROM regions WHERE code = ? OR parent_code = ? OR parent_code IN (SELECT code FROM regions WHERE parent_code = ?)`, code, code, code)
}

// DocumentRef is what a value keeps as its source_ref when it came from a
// document: the document and the byte offset of the figure, which is also
// the anchor of the figure on the document page.
func DocumentRef(docID int64, start int) string { return fmt.Sprintf("document:%d#c-%d", docID, start) }

// ParseDocumentRef reads a DocumentRef back; ok is false for anything else.
func ParseDocumentRef(ref string) (docID int64, start int, ok bool) {
	n, err := fmt.Sscanf(ref, "document:%d#c-%d", &docID, &start)
	return docID, start, err == nil && n == 2 && ref == DocumentRef(docID, start)
}

// ConfirmFigures records decisions on a document's figures in one
// transaction. Each confirmed figure is written like an entered value —
// validated against its indicator, checked against the version the person
// saw, refused when approved and locked, recorded in the history — as a
// draft with source "document", the figure's place as source_ref and the
// quote as the reason; with submit, as submitted for review instead.
// Nothing is written when anything is refused. The caller has checked that
// the user may enter each figure.
func (s *Store) ConfirmFigures(ctx context.Context, actor string, docID int64, ins []FigureInput, submit bool) error {
	if len(ins) == 0 {
		return kpi.Invalid("figures", "没有选择任何数字", "no figures were chosen")
	}
	cat, err := s.Indicators(ctx)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		var doc documentRow
		res := tx.Where("id = ?", docID).Limit(1).Find(&doc)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return kpi.Errorf(kpi.ENOTFOUND, "材料 %d 不存在", "document %d does not exist", docID)
		}
		var decided []figureRow
		if err := tx.Where("document_id = ?", docID).Find(&decided).Error; err != nil {
			return err
		}
		taken := map[int]bool{}
		for _, f := range decided {
			taken[f.StartPos] = true
		}
		confirmed := 0
		for i, in := range ins {
			if in.Start < 0 || in.End > len(doc.Body) || in.Start >= in.End || in.QuoteStart < 0 || in.QuoteStart > in.Start ||
				in.QuoteEnd < in.End || in.QuoteEnd > len(doc.Body) {
				return atRow(kpi.Invalid("figure", "数字的位置不在材料文字之内", "the figure's position is outside the document"), i, len(ins))
			}
			if taken[in.Start] {
				return atRow(kpi.Errorf(kpi.ECONFLICT, "“%s”已被处理过，请刷新页面", "“%s” was already decided; reload the page", doc.Body[in.Start:in.End]), i, len(ins))
			}
			taken[in.Start] = true
			quote := doc.Body[in.QuoteStart:in.QuoteEnd]
			row := figureRow{DocumentID: docID, StartPos: in.Start, EndPos: in.End, QuoteStart: in.QuoteStart, QuoteEnd: in.QuoteEnd,
				IndicatorCode: in.Indicator, Year: in.Period.Year, Quarter: in.Period.Quarter, Actor: actor, At: s.now()}
			if in.Reject {
				row.Decision = FigureRejected
			} else {
				ind, err := cat.Get(in.Indicator)
				if err != nil {
					return atRow(err, i, len(ins))
				}
				p := in.Period
				if ind.Frequency == kpi.Annual {
					p.Quarter = 0 // annual indicators are stored with quarter 0
				}
				var cur valueRow
				found := s.lockedFind(tx, &cur, doc.RegionCode, ind.ID, p)
				if found.Error != nil {
					return found.Error
				}
				if found.RowsAffected > 0 && kpi.Status(cur.Status) == kpi.StatusApproved {
					return atRow(kpi.Errorf(kpi.ECONFLICT, "%s 已审核锁定，需审核人重新打开后才能修改", "%s is approved and locked: a reviewer must reopen it first", ind.NameZH), i, len(ins))
				}
				status := kpi.StatusDraft
				if submit {
					status = kpi.StatusSubmitted
				}
				v, err := s.putValue(tx, cat, actor, kpi.ValueInput{Region: doc.RegionCode, Indicator: ind.Code, Period: p,
					Value: in.Value, Version: in.Version, Status: status, Source: kpi.SourceDocument,
					SourceRef: DocumentRef(docID, in.Start), Reason: quoteReason(doc.Title, quote)})
				if err != nil {
					return atRow(err, i, len(ins))
				}
				if submit {
					if err := tx.Model(&valueRow{}).Where("id = ?", v.ID).Update("submitted_at", s.now()).Error; err != nil {
						return err
					}
				}
				val := in.Value
				row.Decision, row.Value, row.ValueID, row.Year, row.Quarter = FigureConfirmed, &val, &v.ID, p.Year, p.Quarter
				confirmed++
			}
			if err := tx.Create(&row).Error; err != nil {
				return err
			}
		}
		if confirmed > 0 && doc.Status != DocConfirmed {
			if err := tx.Model(&documentRow{}).Where("id = ?", docID).Update("status", DocConfirmed).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// quoteReason is the history's reason for a value taken from a document:
// the document's title and the quote, cut to fit the column.
func quoteReason(title, quote string) string {
	r := fmt.Sprintf("摘自材料《%s》：“%s”", title, quote)
	if utf8.RuneCountInString(r) > 900 {
		r = string([]rune(r)[:899]) + "…"
	}
	return r
}

// AddAlias teaches the extractor a phrase for an indicator ("remember this
// phrase"); administrators only, checked by the caller. A phrase that is
// already an alias of any indicator is refused.
func (s *Store) AddAlias(ctx context.Context, actor, code, alias string) error {
	alias = strings.TrimSpace(alias)
	n := utf8.RuneCountInString(alias)
	if n < 2 || n > maxAliasRunes {
		return kpi.Invalid("alias", "短语应为 2–%d 个字", "the phrase must be 2–%d characters", maxAliasRunes)
	}
	if strings.ContainsAny(alias, "|\n\t") || strings.ContainsFunc(alias, func(r rune) bool { return r >= '0' && r <= '9' }) {
		return kpi.Invalid("alias", "短语不能含数字、竖线或换行", "the phrase cannot contain digits, | or line breaks")
	}
	cat, err := s.Indicators(ctx)
	if err != nil {
		return err
	}
	if _, err := cat.Get(code); err != nil {
		return err
	}
	for _, ind := range cat {
		for _, a := range append(ind.Aliases, ind.NameZH) {
			if a == alias {
				return kpi.Errorf(kpi.ECONFLICT, "“%s”已是指标“%s”的别名", "“%s” is already a phrase of “%s”", alias, ind.NameZH)
			}
		}
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(&aliasRow{IndicatorCode: code, Alias: alias, AddedBy: actor, AddedAt: s.now()}).Error; err != nil {
			return err
		}
		if err := s.bumpCatalogue(tx); err != nil {
			return err
		}
		return s.audit(tx, actor, "indicator.alias", code, alias)
	})
}

// addedAliases are the phrases administrators added, by indicator code.
func (s *Store) addedAliases(tx *gorm.DB) (map[string][]string, error) {
	var rows []aliasRow
	if err := tx.Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := map[string][]string{}
	for _, r := range rows {
		out[r.IndicatorCode] = append(out[r.IndicatorCode], r.Alias)
	}
	return out, nil
}
