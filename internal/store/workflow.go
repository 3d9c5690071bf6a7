package store

import (
	"context"
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
		return kpi.Errorf(kpi.ECONFLICT, "%s 在%s没有可%s的数据", "%s has nothing to %s for %s",
			d.Name, p.Label("zh"), actionZH[reason])
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
// approved) value of the department's period.
func (s *Store) Review(ctx context.Context, cat kpi.Catalogue, actor string, d kpi.Department, p kpi.Period, dec Decision, comments map[int64]string, general string) error {
	if (dec == Return || dec == Reopen) && general == "" && len(comments) == 0 {
		return kpi.Invalid("comment", "退回或重新打开须说明原因", "returning or reopening needs a reason")
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		switch dec {
		case Approve:
			return s.transition(tx, cat, actor, d, p, []kpi.Status{kpi.StatusSubmitted}, kpi.StatusApproved, nil, "", "approve")
		case Return:
			return s.transition(tx, cat, actor, d, p, []kpi.Status{kpi.StatusSubmitted}, kpi.StatusReturned, comments, general, "return")
		case Reopen:
			if err := s.transition(tx, cat, actor, d, p, []kpi.Status{kpi.StatusApproved, kpi.StatusSubmitted}, kpi.StatusReturned, comments, general, "reopen"); err != nil {
				return err
			}
			if err := tx.Table("reopens").Create(map[string]any{"department_id": d.ID, "year": p.Year, "quarter": p.Quarter,
				"actor": actor, "reason": general, "at": s.now()}).Error; err != nil {
				return err
			}
			return s.audit(tx, actor, "period.reopen", d.Name+" "+p.Label("zh"), general)
		}
		return kpi.Invalid("decision", "未知的审核操作 %q", "unknown decision %q", dec)
	})
}

// DepartmentReport is where one department's period stands.
type DepartmentReport struct {
	Department  kpi.Department
	Expected    bool // the department has something to enter in the period
	State       kpi.ReportState
	SubmittedAt *time.Time // the latest submission
	Values      int
}

// Completeness reports every department in the subtree of within. One
// query reads the statuses of the whole subtree's period; the departments
// are sorted out in Go.
func (s *Store) Completeness(ctx context.Context, cat kpi.Catalogue, within int, p kpi.Period) ([]DepartmentReport, error) {
	depts, err := s.Departments(ctx, within)
	if err != nil {
		return nil, err
	}
	quarters := []int{p.Quarter}
	if p.Quarter == 4 {
		quarters = append(quarters, 0) // annual indicators are entered with Q4
	}
	var rows []valueRow
	q := s.db.WithContext(ctx).Select("region_code, indicator_id, quarter, status, submitted_at").
		Where("year = ? AND quarter IN ?", p.Year, quarters)
	if within != 0 {
		q = q.Where(`region_code IN (SELECT code FROM regions WHERE code = ? OR parent_code = ?
			OR parent_code IN (SELECT code FROM regions WHERE parent_code = ?))`, within, within, within)
	}
	if err := q.Find(&rows).Error; err != nil {
		return nil, s.wrap(err)
	}
	type cellKey struct {
		region  int
		id      int64
		quarter int
	}
	byCell := make(map[cellKey]valueRow, len(rows))
	for _, r := range rows {
		byCell[cellKey{r.RegionCode, r.IndicatorID, r.Quarter}] = r
	}
	out := make([]DepartmentReport, 0, len(depts))
	for _, d := range depts {
		inds := DepartmentIndicators(cat, d, p)
		rep := DepartmentReport{Department: d, Expected: len(inds) > 0, State: kpi.StateNotStarted}
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
		out = append(out, rep)
	}
	return out, nil
}
