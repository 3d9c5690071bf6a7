package store

import (
	"context"
	"testing"

	"github.com/govkpi/govkpi/internal/kpi"
)

// An upload with one bad figure writes nothing, on every engine; a good one
// is written once.
func TestConfirmUploadIsAtomic(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		cat := seedReference(t, s)
		u, err := s.CreateUser(ctx, "t", NewUser{Name: "adm", Role: kpi.RoleAdmin, Password: "password1"})
		if err != nil {
			t.Fatal(err)
		}
		p := kpi.Period{Year: 2024, Quarter: 1}
		bad := UploadPayload{Values: []kpi.ValueInput{
			{Region: a1, Indicator: "cases", Period: p, Value: 5, Status: kpi.StatusApproved},
			{Region: a2, Indicator: "cases", Period: p, Value: -3, Status: kpi.StatusApproved}, // out of range
		}}
		id, err := s.SaveUpload(ctx, u.ID, "bad.csv", UploadBackfill, bad)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ConfirmUpload(ctx, cat, "adm", u.ID, id); kpi.ErrorCode(err) != kpi.EINVALID {
			t.Fatalf("bad upload: %v", err)
		}
		if n, _ := s.CountValues(ctx); n != 0 {
			t.Fatalf("a failed upload wrote %d values", n)
		}
		good := UploadPayload{Values: bad.Values[:1]}
		id, _ = s.SaveUpload(ctx, u.ID, "good.csv", UploadBackfill, good)
		if n, err := s.ConfirmUpload(ctx, cat, "adm", u.ID, id); err != nil || n != 1 {
			t.Fatalf("good upload: %d %v", n, err)
		}
		if _, err := s.ConfirmUpload(ctx, cat, "adm", u.ID, id); kpi.ErrorCode(err) != kpi.ECONFLICT {
			t.Errorf("confirming twice: %v", err)
		}
		if n, _ := s.CountValues(ctx); n != 1 {
			t.Errorf("%d values after the good upload, want 1", n)
		}
	})
}
