package store

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/govkpi/govkpi/internal/kpi"
)

// The entry workflow: a department saves drafts and submits its quarter; a
// reviewer approves or returns it; approved values are locked until a
// reviewer reopens them; a period locks by itself some days after its
// deadline. Every status change appends a history row like a value change.

// Cell is a department's value of one indicator for a period. Annual
// indicators are entered with the fourth quarter and stored as quarter 0.
type Cell struct {
	Indicator kpi.Indicator
	Period    kpi.Period
	Value     *kpi.Value // nil when nothing was entered
	Previous  *float64   // the previous quarter (or year), any status
	LastYear  *float64   // the same period a year earlier
}

// cellPeriod is where ind's figure for the grid period p is stored; ok is
// false when ind is not entered in p (an annual indicator before Q4).
func cellPeriod(ind kpi.Indicator, p kpi.Period) (kpi.Period, bool) {
	if ind.Frequency == kpi.Annual {
		return kpi.Period{Year: p.Year}, p.Quarter == 4 || p.Quarter == 0
	}
	return p, p.Quarter != 0
}

func previousPeriod(p kpi.Period) kpi.Period {
	switch p.Quarter {
	case 0:
		return kpi.Period{Year: p.Year - 1}
	case 1:
		return kpi.Period{Year: p.Year - 1, Quarter: 4}
	}
	return kpi.Period{Year: p.Year, Quarter: p.Quarter - 1}
}

// DepartmentIndicators lists the indicators a department enters in a
// period: those of its type, without ratios (they are computed).
func DepartmentIndicators(cat kpi.Catalogue, d kpi.Department, p kpi.Period) []kpi.Indicator {
	var out []kpi.Indicator
	for _, ind := range cat {
		if _, ok := cellPeriod(ind, p); ok && d.Owns(ind) && !ind.IsRatio() {
			out = append(out, ind)
		}
	}
	return out
}

// Grid returns the department's cells for a period with the figures beside
// them: the previous period and the same period last year.
func (s *Store) Grid(ctx context.Context, cat kpi.Catalogue, d kpi.Department, p kpi.Period) ([]Cell, error) {
	inds := DepartmentIndicators(cat, d, p)
	if len(inds) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(inds))
	for i, ind := range inds {
		ids[i] = ind.ID
	}
	var rows []valueRow
	err := s.db.WithContext(ctx).
		Where("region_code = ? AND indicator_id IN ? AND year BETWEEN ? AND ?", d.Region, ids, p.Year-1, p.Year).
		Find(&rows).Error
	if err != nil {
		return nil, s.wrap(err)
	}
	type key struct {
		id int64
		p  kpi.Period
	}
	byKey := map[key]valueRow{}
	for _, r := range rows {
		byKey[key{r.IndicatorID, kpi.Period{Year: r.Year, Quarter: r.Quarter}}] = r
	}
	value := func(id int64, p kpi.Period) *float64 {
		if r, ok := byKey[key{id, p}]; ok {
			v := r.Value
			return &v
		}
		return nil
	}
	cells := make([]Cell, len(inds))
	for i, ind := range inds {
		cp, _ := cellPeriod(ind, p)
		c := Cell{Indicator: ind, Period: cp, Previous: value(ind.ID, previousPeriod(cp)), LastYear: value(ind.ID, cp.Prev())}
		if r, ok := byKey[key{ind.ID, cp}]; ok {
			v := r.domain(ind.Code)
			c.Value = &v
		}
		cells[i] = c
	}
	return cells, nil
}

// Reopened reports whether a reviewer reopened the department's period.
func (s *Store) Reopened(ctx context.Context, d kpi.Department, p kpi.Period) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Table("reopens").
		Where("department_id = ? AND year = ? AND quarter = ?", d.ID, p.Year, p.Quarter).Count(&n).Error
	return n > 0, s.wrap(err)
}

// Entry is one cell a department writes: the value and its note, with the
// version the writer saw.
type Entry struct {
	Indicator string
	Value     float64
	Version   int
	Comment   string
}

// SaveEntries writes a department's entries for a period in one
// transaction, as drafts; with submit, it then submits every draft or
// returned value of the department's period. Approved values are locked:
// changing one is refused until a reviewer reopens the period. Nothing is
// written when anything is refused.
func (s *Store) SaveEntries(ctx context.Context, cat kpi.Catalogue, actor string, d kpi.Department, p kpi.Period, entries []Entry, source kpi.Source, submit bool) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		return s.saveEntries(tx, cat, actor, d, p, entries, source, submit)
	})
}

func (s *Store) saveEntries(tx *gorm.DB, cat kpi.Catalogue, actor string, d kpi.Department, p kpi.Period, entries []Entry, source kpi.Source, submit bool) error {
	{
		for i, e := range entries {
			ind, err := cat.Get(e.Indicator)
			if err != nil {
				return atRow(err, i, len(entries))
			}
			cp, ok := cellPeriod(ind, p)
			if !d.Owns(ind) || !ok || ind.IsRatio() {
				return atRow(kpi.Invalid(ind.Code, "%s 不由本部门在此期间填报", "%s is not entered by this department in this period", ind.NameZH), i, len(entries))
			}
			var cur valueRow
			res := s.lockedFind(tx, &cur, d.Region, ind.ID, cp)
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected > 0 && kpi.Status(cur.Status) == kpi.StatusApproved {
				return atRow(kpi.Errorf(kpi.ECONFLICT, "%s 已审核锁定，需审核人重新打开后才能修改", "%s is approved and locked: a reviewer must reopen it first", ind.NameZH), i, len(entries))
			}
			if res.RowsAffected > 0 && cur.Value == e.Value && cur.Comment == e.Comment && cur.Version == e.Version {
				continue // unchanged: no new version, no history
			}
			in := kpi.ValueInput{Region: d.Region, Indicator: ind.Code, Period: cp, Value: e.Value, Version: e.Version,
				Status: kpi.StatusDraft, Source: source, Comment: e.Comment}
			if _, err := s.putValue(tx, cat, actor, in); err != nil {
				return atRow(err, i, len(entries))
			}
		}
		if !submit {
			return nil
		}
		return s.transition(tx, cat, actor, d, p, []kpi.Status{kpi.StatusDraft, kpi.StatusReturned}, kpi.StatusSubmitted, nil, "", "submit")
	}
}

// lockForUpdate is SELECT … FOR UPDATE, for the engines that have it.
var lockForUpdate = clause.Locking{Strength: "UPDATE"}

// lockedFind reads one cell, locking its row on engines that can.
func (s *Store) lockedFind(tx *gorm.DB, into *valueRow, region int, indicatorID int64, p kpi.Period) *gorm.DB {
	q := tx.Where("region_code = ? AND indicator_id = ? AND year = ? AND quarter = ?", region, indicatorID, p.Year, p.Quarter)
	if s.engine != SQLite {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	return q.Limit(1).Find(into)
}

// departmentCells selects the rows of a department's period.
func (s *Store) departmentCells(tx *gorm.DB, cat kpi.Catalogue, d kpi.Department, p kpi.Period) ([]valueRow, error) {
	var cond *gorm.DB
	for _, ind := range DepartmentIndicators(cat, d, p) {
		cp, _ := cellPeriod(ind, p)
		c := tx.Where("indicator_id = ? AND year = ? AND quarter = ?", ind.ID, cp.Year, cp.Quarter)
		if cond == nil {
			cond = c
		} else {
			cond = cond.Or(c)
		}
	}
	if cond == nil {
		return nil, nil
	}
	var rows []valueRow
	q := tx.Where("region_code = ?", d.Region).Where(cond)
	if s.engine != SQLite {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	err := q.Order("indicator_id").Find(&rows).Error
	return rows, err
}

// transition moves the department's values of a period whose status is in
// from to status to, with a history row each. comments, keyed by value id,
// and general become the reviewer's comment.
func (s *Store) transition(tx *gorm.DB, cat kpi.Catalogue, actor string, d kpi.Department, p kpi.Period,
	from []kpi.Status, to kpi.Status, comments map[int64]string, general, reason string) error {
	rows, err := s.departmentCells(tx, cat, d, p)
	if err != nil {
		return err
	}
	return s.move(tx, cat, actor, d, p, false, rows, from, to, comments, general, reason, nil)
}

// yearIndicators lists the department's indicators whose figures for the
// whole year are reviewed on their own (kpi.ReviewedAsYear).
func yearIndicators(cat kpi.Catalogue, d kpi.Department) []kpi.Indicator {
	var out []kpi.Indicator
	for _, ind := range cat {
		if d.Owns(ind) && kpi.ReviewedAsYear(ind, kpi.Period{}) {
			out = append(out, ind)
		}
	}
	return out
}

// idsOf lists the indicators' ids.
func idsOf(inds []kpi.Indicator) []int64 {
	ids := make([]int64, len(inds))
	for i, ind := range inds {
		ids[i] = ind.ID
	}
	return ids
}

// yearCells selects the department's whole-year figures of year that no
// quarter's grid holds (kpi.ReviewedAsYear), locking them on engines that can.
func (s *Store) yearCells(tx *gorm.DB, cat kpi.Catalogue, d kpi.Department, year int) ([]valueRow, error) {
	ids := idsOf(yearIndicators(cat, d))
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []valueRow
	q := tx.Where("region_code = ? AND year = ? AND quarter = 0 AND indicator_id IN ?", d.Region, year, ids)
	if s.engine != SQLite {
		q = q.Clauses(lockForUpdate)
	}
	err := q.Order("indicator_id").Find(&rows).Error
	return rows, err
}

// move is transition on rows already selected: the quarter p's cells, or
// with year the whole-year figures of p.Year. With seen (value id → the
// version on the reviewer's page) every row to move must be one the
// reviewer saw, at that version, and every row they saw must still be
// waiting: otherwise nothing moves and the reviewer is asked to reload.
func (s *Store) move(tx *gorm.DB, cat kpi.Catalogue, actor string, d kpi.Department, p kpi.Period, year bool, rows []valueRow,
	from []kpi.Status, to kpi.Status, comments map[int64]string, general, reason string, seen map[int64]int) error {
	label, labelEN := p.Label("zh"), p.Label("en")
	if year {
		label, labelEN = fmt.Sprintf("%d年全年数据", p.Year), fmt.Sprintf("the whole-year figures of %d", p.Year)
	}
	if seen != nil {
		waiting := 0
		for _, r := range rows {
			if !containsStatus(from, kpi.Status(r.Status)) {
				continue
			}
			if v, ok := seen[r.ID]; !ok || v != r.Version {
				name := fmt.Sprint(r.IndicatorID)
				if ind, ok := cat.ByID(r.IndicatorID); ok {
					name = ind.NameZH
				}
				return kpi.Errorf(kpi.ECONFLICT, "%[1]s 在您打开页面后已有变动（现为第%[2]d版），请刷新后再审核",
					"%[1]s changed after you opened the page (now version %[2]d): reload and review again", name, r.Version)
			}
			waiting++
		}
		if waiting != len(seen) {
			return kpi.Errorf(kpi.ECONFLICT, "%[1]s 的%[2]s在您打开页面后已有变动，请刷新后再审核",
				"%[1]s: %[3]s changed after you opened the page; reload and review again", d.Name, label, labelEN)
		}
	}
	var first []int64 // rows at their first version: loaded ones have no history yet
	for _, r := range rows {
		if containsStatus(from, kpi.Status(r.Status)) && r.Version == 1 {
			first = append(first, r.ID)
		}
	}
	if err := recordCreation(tx, first); err != nil {
		return err
	}
	now := s.now()
	moved := 0
	for _, r := range rows {
		if !containsStatus(from, kpi.Status(r.Status)) {
			continue
		}
		old := r.Status
		r.Status, r.Version, r.UpdatedBy, r.UpdatedAt = string(to), r.Version+1, actor, now
		switch to {
		case kpi.StatusSubmitted:
			r.SubmittedAt, r.ReviewComment = &now, ""
		case kpi.StatusReturned:
			r.ReviewComment = general
			if c, ok := comments[r.ID]; ok && c != "" {
				r.ReviewComment = c
			}
		case kpi.StatusApproved:
			r.ReviewComment = ""
		}
		if err := tx.Save(&r).Error; err != nil {
			return err
		}
		v := r.Value
		h := historyRow{ValueID: r.ID, RegionCode: r.RegionCode, IndicatorID: r.IndicatorID, Year: r.Year, Quarter: r.Quarter,
			OldValue: &v, NewValue: &v, OldStatus: old, NewStatus: string(to), Version: r.Version, Actor: actor,
			Source: r.Source, SourceRef: r.SourceRef, Reason: joinReason(reason, r.ReviewComment), At: now}
		if err := tx.Create(&h).Error; err != nil {
			return err
		}
		if err := noteChange(tx, r.IndicatorID, r.RegionCode, r.Year); err != nil {
			return err
		}
		moved++
	}
	if moved == 0 {
		return kpi.Errorf(kpi.ECONFLICT, "%[1]s 在%[2]s没有可%[3]s的数据", "%[1]s has nothing to %[5]s in %[4]s",
			d.Name, label, actionZH[reason], labelEN, reason)
	}
	return nil
}

var actionZH = map[string]string{"submit": "报送", "approve": "审核通过", "return": "退回", "reopen": "重新打开"}

func joinReason(action, comment string) string {
	if comment == "" {
		return action
	}
	return action + ": " + comment
}

func containsStatus(ss []kpi.Status, s kpi.Status) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// Decision is a reviewer's verdict on a department's period.
type Decision string

const (
	Approve Decision = "approve"
	Return  Decision = "return"
	Reopen  Decision = "reopen" // approved → returned, and the period opens again
)

// Review applies a reviewer's decision to every submitted (or, to reopen,
// approved) value of the department's quarter.
func (s *Store) Review(ctx context.Context, cat kpi.Catalogue, actor string, d kpi.Department, p kpi.Period, dec Decision, comments map[int64]string, general string) error {
	return s.Decide(ctx, cat, actor, d, p, Verdict{Decision: dec, Comments: comments, General: general})
}

// Verdict is a reviewer's decision on one part of a department's period:
// the quarter's cells, or the whole-year figures of its year.
type Verdict struct {
	Decision Decision
	// Year decides the department's whole-year figures of the period's year
	// that no quarter's grid holds (kpi.ReviewedAsYear) — typically figures
	// confirmed from an annual report — instead of the quarter's cells.
	Year     bool
	Comments map[int64]string // on single figures, by value id
	General  string           // on the whole
	// Seen is the version of each figure the reviewer's page showed, by
	// value id; nil skips the check. Whole-year figures need it: they are
	// decided only as the reviewer saw them, never along with anything else.
	Seen map[int64]int
}

// Decide applies a reviewer's verdict: approve or return what was
// submitted, or reopen what was approved (and submitted), each figure with
// a history row, all or nothing.
func (s *Store) Decide(ctx context.Context, cat kpi.Catalogue, actor string, d kpi.Department, p kpi.Period, v Verdict) error {
	var from []kpi.Status
	var to kpi.Status
	switch v.Decision {
	case Approve:
		from, to = []kpi.Status{kpi.StatusSubmitted}, kpi.StatusApproved
	case Return:
		from, to = []kpi.Status{kpi.StatusSubmitted}, kpi.StatusReturned
	case Reopen:
		from, to = []kpi.Status{kpi.StatusApproved, kpi.StatusSubmitted}, kpi.StatusReturned
	default:
		return kpi.Invalid("decision", "未知的审核操作 %q", "unknown decision %q", v.Decision)
	}
	if (v.Decision == Return || v.Decision == Reopen) && v.General == "" && len(v.Comments) == 0 {
		return kpi.Invalid("comment", "退回或重新打开须说明原因", "returning or reopening needs a reason")
	}
	if v.Year && v.Seen == nil {
		return kpi.Invalid("figures", "审核全年数据须说明所审的是哪些数据（页面所示的版本）", "deciding whole-year figures needs the figures and versions the page showed")
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		var rows []valueRow
		var err error
		if v.Year {
			rows, err = s.yearCells(tx, cat, d, p.Year)
		} else {
			rows, err = s.departmentCells(tx, cat, d, p)
		}
		if err != nil {
			return err
		}
		if err := s.move(tx, cat, actor, d, p, v.Year, rows, from, to, v.Comments, v.General, string(v.Decision), v.Seen); err != nil {
			return err
		}
		if v.Decision != Reopen {
			return nil
		}
		target := d.Name + " " + p.Label("zh")
		if v.Year {
			p = kpi.Period{Year: p.Year}
			target = fmt.Sprintf("%s %d年全年数据", d.Name, p.Year)
		}
		if err := tx.Table("reopens").Create(map[string]any{"department_id": d.ID, "year": p.Year, "quarter": p.Quarter,
			"actor": actor, "reason": v.General, "at": s.now()}).Error; err != nil {
			return err
		}
		return s.audit(tx, actor, "period.reopen", target, v.General)
	})
}

// YearFigure is one of a department's whole-year figures that no quarter's
// grid holds (kpi.ReviewedAsYear), with what a reviewer weighs it against.
type YearFigure struct {
	Indicator kpi.Indicator
	Value     kpi.Value
	Quarters  *float64 // the year computed from its quarters (submitted or approved); nil when none
	QuarterN  int      // how many quarters Quarters stands on
	LastYear  *float64 // last year's figure, from its whole-year figure or its quarters
	Quote     *Quote   // where it was read, when it was confirmed from a document
}

// Quote is the place in a document a figure was confirmed from.
type Quote struct {
	Document int64
	Title    string
	Start    int // the figure's byte offset: the anchor c-Start on the document page
	Text     string
}

// YearFigures lists the department's whole-year figures of year that no
// quarter's grid holds, in catalogue order, whatever their status.
func (s *Store) YearFigures(ctx context.Context, cat kpi.Catalogue, d kpi.Department, year int) ([]YearFigure, error) {
	inds := yearIndicators(cat, d)
	ids := idsOf(inds)
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []valueRow
	err := s.db.WithContext(ctx).
		Where("region_code = ? AND indicator_id IN ? AND year BETWEEN ? AND ?", d.Region, ids, year-1, year).
		Find(&rows).Error
	if err != nil {
		return nil, s.wrap(err)
	}
	type key struct {
		id   int64
		year int
	}
	visible := kpi.Visible(false)
	quarters := map[key]map[int]float64{}
	current := map[int64]valueRow{}
	for _, r := range rows {
		if r.Year == year && r.Quarter == 0 {
			current[r.IndicatorID] = r
		}
		if r.Year == year && r.Quarter == 0 || !containsStatus(visible, kpi.Status(r.Status)) {
			continue // this year's figure is what is compared; drafts are the department's own
		}
		k := key{r.IndicatorID, r.Year}
		if quarters[k] == nil {
			quarters[k] = map[int]float64{}
		}
		quarters[k][r.Quarter] = r.Value
	}
	var out []YearFigure
	for _, ind := range inds {
		r, ok := current[ind.ID]
		if !ok {
			continue
		}
		f := YearFigure{Indicator: ind, Value: r.domain(ind.Code)}
		if qs := quarters[key{ind.ID, year}]; len(qs) > 0 {
			if v, ok := kpi.AggregatePeriod(ind.PeriodAgg, qs); ok {
				f.Quarters, f.QuarterN = &v, len(qs)
			}
		}
		if v, ok := kpi.AggregatePeriod(ind.PeriodAgg, quarters[key{ind.ID, year - 1}]); ok {
			f.LastYear = &v
		}
		out = append(out, f)
	}
	if err := s.quotes(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// quotes fills in the quote of each figure confirmed from a document: the
// decision row gives the quote's place, the document its text.
func (s *Store) quotes(ctx context.Context, figs []YearFigure) error {
	byDoc := map[int64][]int{} // document → indexes into figs
	for i, f := range figs {
		if id, _, ok := ParseDocumentRef(f.Value.SourceRef); ok && f.Value.Source == kpi.SourceDocument {
			byDoc[id] = append(byDoc[id], i)
		}
	}
	for id, idx := range byDoc {
		var doc documentRow
		res := s.db.WithContext(ctx).Select("id, title, body").Where("id = ?", id).Limit(1).Find(&doc)
		if res.Error != nil {
			return s.wrap(res.Error)
		}
		if res.RowsAffected == 0 {
			continue
		}
		var decided []figureRow
		if err := s.db.WithContext(ctx).Where("document_id = ? AND decision = ?", id, FigureConfirmed).Find(&decided).Error; err != nil {
			return s.wrap(err)
		}
		for _, i := range idx {
			_, start, _ := ParseDocumentRef(figs[i].Value.SourceRef)
			q := &Quote{Document: id, Title: doc.Title, Start: start}
			for _, f := range decided {
				if f.StartPos == start && f.QuoteStart >= 0 && f.QuoteStart <= f.QuoteEnd && f.QuoteEnd <= len(doc.Body) {
					q.Text = doc.Body[f.QuoteStart:f.QuoteEnd]
				}
			}
			figs[i].Quote = q
		}
	}
	return nil
}

// PendingYears counts, by year, the whole-year figures in the subtree of
// within (0: everywhere) that wait for a reviewer (kpi.ReviewedAsYear), so
// that the review page can point to years other than the one it shows.
func (s *Store) PendingYears(ctx context.Context, cat kpi.Catalogue, within int) (map[int]int, error) {
	var rows []valueRow
	q := s.db.WithContext(ctx).Select("indicator_id, year").Where("quarter = 0 AND status = ?", kpi.StatusSubmitted)
	if within != 0 {
		q = q.Where("region_code IN (?)", s.subtree(within))
	}
	if err := q.Find(&rows).Error; err != nil {
		return nil, s.wrap(err)
	}
	out := map[int]int{}
	for _, r := range rows {
		if ind, ok := cat.ByID(r.IndicatorID); ok && kpi.ReviewedAsYear(ind, kpi.Period{Year: r.Year}) {
			out[r.Year]++
		}
	}
	return out, nil
}

// DepartmentReport is where one department's period stands.
type DepartmentReport struct {
	Department  kpi.Department
	Expected    bool // the department has something to enter in the period
	Cells       int  // how many figures it enters in the period; Values of them are stored
	State       kpi.ReportState
	SubmittedAt *time.Time // the latest submission
	Values      int
	// The department's whole-year figures of the period's year that no
	// quarter's grid holds (kpi.ReviewedAsYear): how many wait for a
	// reviewer, and how many were approved. They do not change State, which
	// is the quarter's.
	YearPending, YearApproved int
}

// Completeness reports every department in the subtree of within. One
// query reads the statuses of the whole subtree's period; the departments
// are sorted out in Go.
func (s *Store) Completeness(ctx context.Context, cat kpi.Catalogue, within int, p kpi.Period) ([]DepartmentReport, error) {
	depts, err := s.Departments(ctx, within)
	if err != nil {
		return nil, err
	}
	// Quarter 0 holds the annual indicators' cells (entered with Q4) and the
	// whole-year figures reviewed on their own, which every quarter reports.
	// Read raw: a province's quarter is tens of thousands of cells, and
	// scanning each into a full valueRow cost most of the page.
	sql := `SELECT region_code, indicator_id, quarter, status, submitted_at FROM kpi_values
		WHERE year = ? AND quarter IN ?`
	args := []any{p.Year, []int{p.Quarter, 0}}
	if within != 0 {
		sql += ` AND region_code IN (SELECT code FROM regions WHERE code = ? OR parent_code = ?
			OR parent_code IN (SELECT code FROM regions WHERE parent_code = ?))`
		args = append(args, within, within, within)
	}
	type cellKey struct {
		region  int
		id      int64
		quarter int
	}
	type cell struct {
		Status      string
		SubmittedAt *time.Time
	}
	byCell := map[cellKey]cell{}
	rows, err := s.db.WithContext(ctx).Raw(sql, args...).Rows()
	if err != nil {
		return nil, s.wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var region, id, quarter int64 // not int: database/sql converts into int through strings
		var c cell
		if err := rows.Scan(&region, &id, &quarter, &c.Status, &c.SubmittedAt); err != nil {
			return nil, s.wrap(err)
		}
		byCell[cellKey{int(region), id, int(quarter)}] = c
	}
	if err := rows.Err(); err != nil {
		return nil, s.wrap(err)
	}
	// What a department enters depends only on its type.
	type owned struct{ quarter, year []kpi.Indicator }
	byType := map[string]owned{}
	out := make([]DepartmentReport, 0, len(depts))
	for _, d := range depts {
		o, ok := byType[d.Type]
		if !ok {
			o = owned{DepartmentIndicators(cat, d, p), yearIndicators(cat, d)}
			byType[d.Type] = o
		}
		inds := o.quarter
		rep := DepartmentReport{Department: d, Expected: len(inds) > 0, Cells: len(inds), State: kpi.StateNotStarted}
		var statuses []kpi.Status
		for _, ind := range inds {
			cp, _ := cellPeriod(ind, p)
			r, ok := byCell[cellKey{d.Region, ind.ID, cp.Quarter}]
			if !ok {
				continue
			}
			statuses = append(statuses, kpi.Status(r.Status))
			if r.SubmittedAt != nil && (rep.SubmittedAt == nil || r.SubmittedAt.After(*rep.SubmittedAt)) {
				rep.SubmittedAt = r.SubmittedAt
			}
		}
		if rep.Expected {
			rep.State, rep.Values = kpi.StateOf(statuses), len(statuses)
		}
		for _, ind := range o.year {
			switch r, ok := byCell[cellKey{d.Region, ind.ID, 0}]; {
			case ok && kpi.Status(r.Status) == kpi.StatusSubmitted:
				rep.YearPending++
			case ok && kpi.Status(r.Status) == kpi.StatusApproved:
				rep.YearApproved++
			}
		}
		out = append(out, rep)
	}
	return out, nil
}
