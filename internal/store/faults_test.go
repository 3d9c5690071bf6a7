package store

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/govkpi/govkpi/internal/kpi"
)

// A full disk is simulated at the SQLite level: PRAGMA max_page_count makes
// SQLite answer SQLITE_FULL exactly as when the file system is full. The
// write is refused with a clear message, nothing of it is kept, and the
// database stays sound.
func TestDiskFullWritesNothing(t *testing.T) {
	ctx := context.Background()
	s := mustOpenDB(t)
	seedReference(t, s)
	sqlDB, _ := s.db.DB()
	sqlDB.SetMaxOpenConns(1) // the pragma is per connection: keep to one
	var pages int
	if err := s.db.Raw(`PRAGMA page_count`).Scan(&pages).Error; err != nil {
		t.Fatal(err)
	}
	if err := s.db.Exec(fmt.Sprintf(`PRAGMA max_page_count = %d`, pages+2)).Error; err != nil {
		t.Fatal(err)
	}
	var ins []kpi.ValueInput
	for y := 2000; y <= 2100; y++ {
		for q := 1; q <= 4; q++ {
			ins = append(ins, kpi.ValueInput{Region: 990101, Indicator: "cases", Period: kpi.Period{Year: y, Quarter: q}, Value: float64(y*10 + q),
				Reason: strings.Repeat("填满磁盘", 40), SourceRef: strings.Repeat("磁盘", 40)})
		}
	}
	_, err := s.PutValues(ctx, "editor", ins)
	if kpi.ErrorCode(err) != kpi.EUNAVAILABLE || !strings.Contains(kpi.ErrorMessage(err, "zh"), "磁盘已满") ||
		!strings.Contains(kpi.ErrorMessage(err, "en"), "disk is full") {
		t.Fatalf("write to a full disk: %v (%s)", err, kpi.ErrorMessage(err, "zh"))
	}
	if err := s.LoadValues(ctx, "demo", ins, nil); kpi.ErrorCode(err) != kpi.EUNAVAILABLE {
		t.Errorf("bulk load to a full disk: %v", err)
	}
	if n, _ := s.CountValues(ctx); n != 0 {
		t.Errorf("%d values kept from writes that failed", n)
	}
	var check string
	if err := s.db.Raw(`PRAGMA integrity_check`).Scan(&check).Error; err != nil || check != "ok" {
		t.Errorf("integrity_check after a full disk: %q %v", check, err)
	}
	// Space freed: the same write goes through.
	if err := s.db.Exec(`PRAGMA max_page_count = 1073741823`).Error; err != nil {
		t.Fatal(err)
	}
	if _, err := s.PutValues(ctx, "editor", ins); err != nil {
		t.Fatalf("after space is freed: %v", err)
	}
	if err := s.CheckHistory(ctx); err != nil {
		t.Error(err)
	}
}
