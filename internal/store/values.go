package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/govkpi/govkpi/internal/kpi"
)

// PutValues writes values in one transaction: each is validated against its
// indicator, checked against the version its writer saw, upserted with its
// version bumped, and recorded in the history. One bad value writes nothing.
func (s *Store) PutValues(ctx context.Context, actor string, ins []kpi.ValueInput) ([]kpi.Value, error) {
	cat, err := s.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]kpi.Value, 0, len(ins))
	err = s.tx(ctx, func(tx *gorm.DB) error {
		for i, in := range ins {
			v, err := s.putValue(tx, cat, actor, in)
			if err != nil {
				return atRow(err, i, len(ins))
			}
			out = append(out, v)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// atRow prefixes the message of a batch error with the 1-based row.
func atRow(err error, i, n int) error {
	ke, ok := err.(*kpi.Error)
	if !ok || n == 1 {
		return err
	}
	cp := *ke
	cp.Message = fmt.Sprintf("第%d条：%s", i+1, ke.Message)
	cp.MessageEN = fmt.Sprintf("item %d: %s", i+1, ke.MessageEN)
	return &cp
}

func (s *Store) putValue(tx *gorm.DB, cat kpi.Catalogue, actor string, in kpi.ValueInput) (kpi.Value, error) {
	ind, err := cat.Get(in.Indicator)
	if err != nil {
		return kpi.Value{}, err
	}
	if err := in.Period.Validate(); err != nil {
		return kpi.Value{}, err
	}
	if ind.IsRatio() {
		// A stated rate may be stored (e.g. taken from a report); the ratio
		// shown from numerator and denominator takes precedence.
		if math.IsNaN(in.Value) || in.Value < 0 || in.Value > ind.Max {
			return kpi.Value{}, kpi.CheckValue(ind, in.Value)
		}
	} else if err := kpi.CheckValue(ind, in.Value); err != nil {
		return kpi.Value{}, err
	}
	if err := s.checkRegion(tx, in.Region); err != nil {
		return kpi.Value{}, err
	}
	status := in.Status
	if status == "" {
		status = kpi.StatusDraft
	}
	var cur valueRow
	q := tx.Where("region_code = ? AND indicator_id = ? AND year = ? AND quarter = ?",
		in.Region, ind.ID, in.Period.Year, in.Period.Quarter)
	if s.engine != SQLite { // SQLite's BEGIN IMMEDIATE already holds the write lock
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	found := q.Limit(1).Find(&cur)
	if found.Error != nil {
		return kpi.Value{}, found.Error
	}
	now := s.now()
	h := historyRow{
		RegionCode: in.Region, IndicatorID: ind.ID, Year: in.Period.Year, Quarter: in.Period.Quarter,
		NewValue: &in.Value, NewStatus: string(status), Actor: actor,
		Source: string(in.Source), SourceRef: in.SourceRef, Reason: in.Reason, At: now,
	}
	if found.RowsAffected == 0 {
		if in.Version != 0 {
			return kpi.Value{}, kpi.Errorf(kpi.ECONFLICT, "%s 的这项数据已被他人删除，请刷新后重新填写",
				"this %s value was deleted by someone else; reload and enter it again", ind.NameZH)
		}
		cur = valueRow{RegionCode: in.Region, IndicatorID: ind.ID, Year: in.Period.Year, Quarter: in.Period.Quarter}
	} else {
		if in.Version != cur.Version {
			e := kpi.Errorf(kpi.ECONFLICT, "%s 已被 %s 修改为 %s（第%d版），请核对后再保存",
				"%s was changed by %s to %s (version %d); check it before saving again",
				ind.NameZH, cur.UpdatedBy, kpi.FormatValue(ind, &cur.Value, "zh"), cur.Version)
			e.Field = ind.Code
			return kpi.Value{}, e
		}
		old := cur.Value
		h.OldValue, h.OldStatus = &old, cur.Status
		if cur.Version == 1 { // perhaps loaded, without a history yet
			if err := recordCreation(tx, []int64{cur.ID}); err != nil {
				return kpi.Value{}, err
			}
		}
	}
	cur.Value, cur.Status, cur.Version = in.Value, string(status), cur.Version+1
	cur.Source, cur.SourceRef, cur.UpdatedBy, cur.UpdatedAt = string(in.Source), in.SourceRef, actor, now
	cur.Comment = in.Comment
	if err := tx.Save(&cur).Error; err != nil {
		return kpi.Value{}, err
	}
	h.ValueID, h.Version = cur.ID, cur.Version
	if err := tx.Create(&h).Error; err != nil {
		return kpi.Value{}, err
	}
	if err := noteChange(tx, ind.ID, in.Region, in.Period.Year); err != nil {
		return kpi.Value{}, err
	}
	return cur.domain(ind.Code), nil
}

func (s *Store) checkRegion(tx *gorm.DB, code int) error {
	var n int64
	if err := tx.Model(&regionRow{}).Where("code = ?", code).Count(&n).Error; err != nil {
		return err
	}
	if n == 0 {
		return unknownRegion(code)
	}
	return nil
}

func (r valueRow) domain(indicator string) kpi.Value {
	return kpi.Value{
		ID: r.ID, Region: r.RegionCode, Indicator: indicator,
		Period: kpi.Period{Year: r.Year, Quarter: r.Quarter}, Value: r.Value,
		Status: kpi.Status(r.Status), Version: r.Version, Source: kpi.Source(r.Source),
		SourceRef: r.SourceRef, UpdatedBy: r.UpdatedBy, UpdatedAt: r.UpdatedAt,
		Comment: r.Comment, ReviewComment: r.ReviewComment, SubmittedAt: r.SubmittedAt,
	}
}

// bulkBatch is the rows per multi-row INSERT: 500 × 10 bound columns stays
// under every engine's limit on parameters.
const bulkBatch = 500

// LoadValues inserts many new values at once — the demo, a history
// backfill — in one transaction, and records the load in the audit log.
// Unlike PutValues it only creates: a value that already exists fails the
// whole load, so nothing is overwritten without a version check. It
// writes no history row per value: a loaded value at version 1 is its own
// record of who loaded it, when and from where, and the first change
// copies that record into the history before it changes the value
// (recordCreation). Call Analyze when a series of loads is done.
func (s *Store) LoadValues(ctx context.Context, actor string, ins []kpi.ValueInput, progress func(done int)) error {
	if len(ins) == 0 {
		return nil
	}
	now := s.now()
	return s.wrap(s.loadConn(ctx, func(db *gorm.DB) error {
		return s.txOn(ctx, db, func(tx *gorm.DB) error {
			cat, err := s.indicatorsIn(tx) // in the load's transaction: the ids it writes stay valid
			if err != nil {
				return err
			}
			ids := make(map[string]int64, len(cat))
			for _, ind := range cat {
				ids[ind.Code] = ind.ID
			}
			if err := checkRegions(tx, ins); err != nil {
				return err
			}
			rollups, err := s.planLoad(tx, ids, ins)
			if err != nil {
				return err
			}
			defer rollups.wait()
			bulk := s.newBulkInsert(tx, ids, actor, now)
			defer bulk.close()
			for start := 0; start < len(ins); start += bulkBatch {
				batch := ins[start:min(start+bulkBatch, len(ins))]
				if err := bulk.insert(ctx, batch); err != nil {
					return atRow(err, start, len(ins))
				}
				if progress != nil {
					progress(start + len(batch))
				}
			}
			if err := rollups.write(tx); err != nil {
				return err
			}
			return s.audit(tx, actor, "values.load", fmt.Sprintf("%d", len(ins)), loadSummary(ins))
		})
	}))
}

// loadConn runs fn on the pool, or on SQLite on one connection set up for
// a bulk load and restored after: a 256 MB page cache instead of 2 MB, so
// that index inserts do not read from disk, and no foreign-key lookups per
// row, since checkRegions and the indicator ids have checked every
// reference once and the load holds SQLite's only write lock until it
// commits, so none can go away in between.
func (s *Store) loadConn(ctx context.Context, fn func(db *gorm.DB) error) error {
	if s.engine != SQLite {
		return fn(s.db)
	}
	return s.db.WithContext(ctx).Connection(func(conn *gorm.DB) error {
		// PRAGMA foreign_keys is ignored inside a transaction: it is set
		// before txOn begins one.
		for _, pragma := range []string{`PRAGMA cache_size = -262144`, `PRAGMA foreign_keys = OFF`} {
			if err := conn.Exec(pragma).Error; err != nil {
				return err
			}
		}
		defer restoreLoadConn(conn)
		return fn(conn)
	})
}

// restoreLoadConn gives the load's connection back its defaults before it
// returns to the pool. A connection that would still skip foreign keys
// (the pragma is ignored while a transaction is open, as after a failed
// COMMIT) is closed instead.
func restoreLoadConn(conn *gorm.DB) {
	restore := conn.WithContext(context.Background())
	restore.Exec(`PRAGMA cache_size = -2000`)
	restore.Exec(`PRAGMA foreign_keys = ON`)
	var fk int
	if err := restore.Raw(`PRAGMA foreign_keys`).Scan(&fk).Error; err == nil && fk == 1 {
		return
	}
	if c, ok := conn.Statement.ConnPool.(*sql.Conn); ok {
		c.Raw(func(any) error { return driver.ErrBadConn }) // database/sql discards it
	}
}

// checkRegions fails, naming the first row, when a region among ins does
// not exist.
func checkRegions(tx *gorm.DB, ins []kpi.ValueInput) error {
	codes := map[int]bool{}
	for _, in := range ins {
		codes[in.Region] = false
	}
	want := slices.Sorted(maps.Keys(codes))
	for start := 0; start < len(want); start += 1000 {
		var found []int
		if err := tx.Raw(`SELECT code FROM regions WHERE code IN ?`, want[start:min(start+1000, len(want))]).
			Scan(&found).Error; err != nil {
			return err
		}
		for _, c := range found {
			codes[c] = true
		}
	}
	for i, in := range ins {
		if !codes[in.Region] {
			return atRow(unknownRegion(in.Region), i, len(ins))
		}
	}
	return nil
}

// loadSummary says what a load covered, for the audit log: its regions,
// indicators and years.
func loadSummary(ins []kpi.ValueInput) string {
	regions, inds := map[int]bool{}, map[string]bool{}
	from, to := 1<<30, -1
	for _, in := range ins {
		regions[in.Region], inds[in.Indicator] = true, true
		from, to = min(from, in.Period.Year), max(to, in.Period.Year)
	}
	return fmt.Sprintf("%d regions, %d indicators, %d–%d", len(regions), len(inds), from, to)
}

// recordCreation writes down, before tx changes the values ids, the
// creation of those among them that were bulk-loaded and never changed
// since: their history then starts where the value did.
func recordCreation(tx *gorm.DB, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	return tx.Exec(`INSERT INTO value_history (value_id, region_code, indicator_id, year, quarter, old_value,
		new_value, old_status, new_status, version, actor, source, source_ref, reason, at)
		SELECT id, region_code, indicator_id, year, quarter, NULL, value, '', status, version, updated_by,
		source, source_ref, ?, updated_at FROM kpi_values
		WHERE id IN ? AND version = 1 AND NOT EXISTS (SELECT 1 FROM value_history h WHERE h.value_id = kpi_values.id)`,
		loadReason, ids).Error
}

// loadReason is the reason the history gives for a loaded value's creation.
const loadReason = "bulk load"

// bulkInsert writes batches of new values through statements prepared once
// per batch size on the transaction's own connection: gorm would re-parse
// and re-expand thousands of placeholders for every batch, which costs more
// than the insert itself.
type bulkInsert struct {
	s       *Store
	tx      *gorm.DB
	ids     map[string]int64
	actor   string
	now     time.Time
	stmts   map[string]*sql.Stmt // by SQL text
	inserts map[int]string       // the INSERT of a batch, by its size
	args    []any
}

func (s *Store) newBulkInsert(tx *gorm.DB, ids map[string]int64, actor string, now time.Time) *bulkInsert {
	return &bulkInsert{s: s, tx: tx, ids: ids, actor: actor, now: now, stmts: map[string]*sql.Stmt{}, inserts: map[int]string{}}
}

func (b *bulkInsert) close() {
	for _, st := range b.stmts {
		st.Close()
	}
}

// exec runs query, prepared once, with args.
func (b *bulkInsert) exec(ctx context.Context, query string, args []any) error {
	st, ok := b.stmts[query]
	if !ok {
		var err error
		if st, err = b.tx.Statement.ConnPool.PrepareContext(ctx, query); err != nil {
			return err
		}
		b.stmts[query] = st
	}
	_, err := st.ExecContext(ctx, args...)
	return err
}

func (b *bulkInsert) insert(ctx context.Context, batch []kpi.ValueInput) error {
	// Where the engine numbers its parameters, the batch's actor and time
	// are bound once, as parameters 1 and 2, not once per row: a bound
	// time is formatted as text each time it is bound.
	shared := b.s.engine != MySQL
	b.args = b.args[:0]
	if shared {
		b.args = append(b.args, b.actor, b.now)
	}
	for i, in := range batch {
		id, ok := b.ids[in.Indicator]
		if !ok {
			return atRow(kpi.Invalid("indicator", "指标 %q 不存在", "indicator %q does not exist", in.Indicator), i, 2)
		}
		status := in.Status
		if status == "" {
			status = kpi.StatusDraft
		}
		b.args = append(b.args, in.Region, id, in.Period.Year, in.Period.Quarter, in.Value, string(status),
			string(in.Source), in.SourceRef)
		if !shared {
			b.args = append(b.args, b.actor, b.now)
		}
	}
	insert, ok := b.inserts[len(batch)]
	if !ok { // every batch but the last has the same size: built once
		insert = `INSERT INTO kpi_values (region_code, indicator_id, year, quarter, value, status, version,
			source, source_ref, updated_by, updated_at) VALUES ` + b.s.valueRowsSQL(len(batch))
		b.inserts[len(batch)] = insert
	}
	return b.exec(ctx, insert, b.args)
}

// valueRowsSQL is the VALUES of a bulk insert of n rows: eight parameters
// per row, then the actor and time shared as parameters 1 and 2 (?1 on
// SQLite, $1 on PostgreSQL); MySQL, whose parameters have no numbers, has
// ten per row.
func (s *Store) valueRowsSQL(n int) string {
	if s.engine == MySQL {
		return strings.TrimSuffix(strings.Repeat("(?,?,?,?,?,?,1,?,?,?,?),", n), ",")
	}
	mark := "?"
	if s.engine == Postgres {
		mark = "$"
	}
	var sb strings.Builder
	arg := 2
	for i := 0; i < n; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteByte('(')
		for col := 0; col < 8; col++ {
			arg++
			sb.WriteString(mark + strconv.Itoa(arg) + ",")
			if col == 5 {
				sb.WriteString("1,") // version
			}
		}
		sb.WriteString(mark + "1," + mark + "2)")
	}
	return sb.String()
}

// History returns the changes of one cell, newest first.
func (s *Store) History(ctx context.Context, region int, ind kpi.Indicator, p kpi.Period) ([]kpi.HistoryEntry, error) {
	var rows []historyRow
	db := s.db.WithContext(ctx)
	const cell = "region_code = ? AND indicator_id = ? AND year = ? AND quarter = ?"
	if err := db.Where(cell, region, ind.ID, p.Year, p.Quarter).Order("id DESC").Find(&rows).Error; err != nil {
		return nil, s.wrap(err)
	}
	if len(rows) == 0 {
		// A loaded value that never changed: its creation is the value
		// itself, as recordCreation would write it down.
		var v valueRow
		found := db.Where(cell, region, ind.ID, p.Year, p.Quarter).Limit(1).Find(&v)
		if found.Error != nil {
			return nil, s.wrap(found.Error)
		}
		if found.RowsAffected == 1 && v.Version == 1 { // a first edit may have committed since
			value := v.Value
			rows = append(rows, historyRow{ValueID: v.ID, RegionCode: v.RegionCode, IndicatorID: v.IndicatorID,
				Year: v.Year, Quarter: v.Quarter, NewValue: &value, NewStatus: v.Status, Version: v.Version,
				Actor: v.UpdatedBy, Source: v.Source, SourceRef: v.SourceRef, Reason: loadReason, At: v.UpdatedAt})
		}
	}
	out := make([]kpi.HistoryEntry, len(rows))
	for i, r := range rows {
		out[i] = kpi.HistoryEntry{
			ValueID: r.ValueID, Region: r.RegionCode, Indicator: ind.Code,
			Period: kpi.Period{Year: r.Year, Quarter: r.Quarter}, OldValue: r.OldValue, NewValue: r.NewValue,
			OldStatus: kpi.Status(r.OldStatus), NewStatus: kpi.Status(r.NewStatus), Version: r.Version,
			Actor: r.Actor, Source: kpi.Source(r.Source), SourceRef: r.SourceRef, Reason: r.Reason, At: r.At,
		}
	}
	return out, nil
}

// CountValues counts stored values, for the demo's report and for tests.
func (s *Store) CountValues(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&valueRow{}).Count(&n).Error
	return n, s.wrap(err)
}

// Years returns the first and last year that have visible values (0, 0 if
// none).
func (s *Store) Years(ctx context.Context) (first, last int, err error) {
	db := s.db.WithContext(ctx)
	vis := statusStrings(kpi.Visible(false))
	if first, _, err = yearEnd(db, false, vis, 0); err != nil {
		return 0, 0, s.wrap(err)
	}
	if last, _, err = yearEnd(db, true, vis, 0); err != nil {
		return 0, 0, s.wrap(err)
	}
	return first, last, nil
}

// LastYearUpTo returns the last year, up to and including year, that has
// visible values; ok is false if none has.
func (s *Store) LastYearUpTo(ctx context.Context, year int) (last int, ok bool, err error) {
	last, ok, err = yearEnd(s.db.WithContext(ctx), true, statusStrings(kpi.Visible(false)), year)
	return last, ok, s.wrap(err)
}

// yearEnd is the first (or the last) year with a value in one of statuses
// (any status if none), no later than upTo if it is not 0; ok is false
// when there is none. Each indicator's end is a walk along
// kpi_values_by_year from one end of its range that stops at the first
// value in a wanted status, so drafts cost a few steps and the table is
// never scanned.
func yearEnd(db *gorm.DB, last bool, statuses []string, upTo int) (year int, ok bool, err error) {
	order, filter, args := "ASC", "", []any{}
	if last {
		order = "DESC"
	}
	if len(statuses) > 0 {
		filter, args = " AND v.status IN ?", append(args, statuses)
	}
	if upTo != 0 {
		filter, args = filter+" AND v.year <= ?", append(args, upTo)
	}
	var ends []sql.NullInt64 // one per indicator, NULL for one without values
	err = db.Raw(`SELECT (SELECT v.year FROM kpi_values v WHERE v.indicator_id = i.id`+filter+`
		ORDER BY v.year `+order+` LIMIT 1) AS y FROM indicators i`, args...).Scan(&ends).Error
	for _, e := range ends {
		y := int(e.Int64)
		if e.Valid && (!ok || last && y > year || !last && y < year) {
			year, ok = y, true
		}
	}
	return year, ok, err
}

func statusStrings(ss []kpi.Status) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return out
}

// Meta reads a fact about this database; "" when unset.
func (s *Store) Meta(ctx context.Context, name string) (string, error) {
	var row metaRow
	res := s.db.WithContext(ctx).Where("name = ?", name).Limit(1).Find(&row)
	return row.Value, s.wrap(res.Error)
}

// SetMeta records a fact about this database.
func (s *Store) SetMeta(ctx context.Context, name, value string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		return tx.Clauses(clause.OnConflict{
			Columns: []clause.Column{{Name: "name"}}, DoUpdates: clause.AssignmentColumns([]string{"value"}),
		}).Create(&metaRow{Name: name, Value: value}).Error
	})
}

// Stored returns the stored values (any status) of the given regions and
// indicators in years from..to, keyed by region, indicator code and period.
func (s *Store) Stored(ctx context.Context, cat kpi.Catalogue, regions []int, codes []string, from, to int) (map[int]map[string]map[kpi.Period]kpi.Value, error) {
	ids := make([]int64, 0, len(codes))
	byID := map[int64]string{}
	for _, code := range codes {
		ind, err := cat.Get(code)
		if err != nil {
			return nil, err
		}
		ids = append(ids, ind.ID)
		byID[ind.ID] = code
	}
	var rows []valueRow
	err := s.db.WithContext(ctx).Where("region_code IN ? AND indicator_id IN ? AND year BETWEEN ? AND ?", regions, ids, from, to).
		Find(&rows).Error
	if err != nil {
		return nil, s.wrap(err)
	}
	out := map[int]map[string]map[kpi.Period]kpi.Value{}
	for _, r := range rows {
		code := byID[r.IndicatorID]
		if out[r.RegionCode] == nil {
			out[r.RegionCode] = map[string]map[kpi.Period]kpi.Value{}
		}
		if out[r.RegionCode][code] == nil {
			out[r.RegionCode][code] = map[kpi.Period]kpi.Value{}
		}
		out[r.RegionCode][code][kpi.Period{Year: r.Year, Quarter: r.Quarter}] = r.domain(code)
	}
	return out, nil
}
