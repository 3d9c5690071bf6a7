package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/govkpi/govkpi/internal/kpi"
)

// An upload is checked and shown as a preview first; only its confirmation
// writes. Between the two the parsed rows wait in the uploads table, so any
// instance behind a load balancer can take the confirmation.

// Upload kinds.
const (
	UploadDepartment = "department" // one department's template
	UploadBackfill   = "backfill"   // an administrator's multi-region sheet
	UploadTargets    = "targets"    // a reviewer's targets sheet
)

// UploadPayload is what a confirmation writes: a department's entries for
// a period, or backfilled values.
type UploadPayload struct {
	Department int64            `json:"department,omitempty"`
	Period     kpi.Period       `json:"period"`
	Entries    []Entry          `json:"entries,omitempty"`
	Values     []kpi.ValueInput `json:"values,omitempty"`
	Targets    []Target         `json:"targets,omitempty"`
}

type uploadRow struct {
	ID        int64 `gorm:"primaryKey"`
	UserID    int64
	Filename  string
	Kind      string
	Payload   string
	Status    string
	CreatedAt time.Time
}

func (uploadRow) TableName() string { return "uploads" }

// SaveUpload keeps a checked upload until it is confirmed.
func (s *Store) SaveUpload(ctx context.Context, userID int64, filename, kind string, p UploadPayload) (int64, error) {
	b, err := json.Marshal(p)
	if err != nil {
		return 0, kpi.Internal(err)
	}
	row := uploadRow{UserID: userID, Filename: filename, Kind: kind, Payload: string(b), Status: "pending", CreatedAt: s.now()}
	err = s.tx(ctx, func(tx *gorm.DB) error { return tx.Create(&row).Error })
	return row.ID, err
}

// pendingUploadAge is how long a preview can wait for its confirmation.
const pendingUploadAge = 24 * time.Hour

// ConfirmUpload writes a pending upload of userID in one transaction —
// every value or none — and marks it committed, so it cannot be applied
// twice. It returns how many values it wrote.
func (s *Store) ConfirmUpload(ctx context.Context, cat kpi.Catalogue, actor string, userID, id int64) (int, error) {
	n := 0
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var row uploadRow
		res := s.lockedUpload(tx, &row, id)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 || row.UserID != userID {
			return kpi.Errorf(kpi.ENOTFOUND, "上传记录 %d 不存在", "upload %d not found", id)
		}
		if row.Status != "pending" || s.now().Sub(row.CreatedAt) > pendingUploadAge {
			return kpi.Errorf(kpi.ECONFLICT, "该上传已处理或已过期，请重新上传", "this upload was already handled or has expired: upload it again")
		}
		var p UploadPayload
		if err := json.Unmarshal([]byte(row.Payload), &p); err != nil {
			return kpi.Internal(err)
		}
		switch row.Kind {
		case UploadDepartment:
			var d departmentRow
			if err := tx.Where("id = ?", p.Department).Take(&d).Error; err != nil {
				return err
			}
			if err := s.saveEntries(tx, cat, actor, d.domain(), p.Period, p.Entries, kpi.SourceImport, false); err != nil {
				return err
			}
			n = len(p.Entries)
		case UploadBackfill:
			for i, in := range p.Values {
				if _, err := s.putValue(tx, cat, actor, in); err != nil {
					return atRow(err, i, len(p.Values))
				}
			}
			n = len(p.Values)
		case UploadTargets:
			if err := s.setTargets(tx, cat, actor, p.Targets); err != nil {
				return err
			}
			n = len(p.Targets)
		}
		if err := tx.Model(&uploadRow{}).Where("id = ?", id).Update("status", "committed").Error; err != nil {
			return err
		}
		return s.audit(tx, actor, "upload."+row.Kind, row.Filename, fmt.Sprintf("upload %d: %d values", id, n))
	})
	return n, err
}

func (s *Store) lockedUpload(tx *gorm.DB, into *uploadRow, id int64) *gorm.DB {
	q := tx.Where("id = ?", id)
	if s.engine != SQLite {
		q = q.Clauses(lockForUpdate)
	}
	return q.Limit(1).Find(into)
}
