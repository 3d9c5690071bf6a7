package store

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/govkpi/govkpi/internal/kpi"
)

// awkwardFloats are values whose text forms trip up a careless round trip:
// no short decimal, the extremes of the range, a negative zero's cousin.
var awkwardFloats = []float64{0.1 + 0.2, 1.0 / 3, 2.0 / 3 * 1e5, 999999.9999999999, 5e-324, 123456.789, 0, 1e-7}

// seedEverything fills every table of the dump with rows, including
// awkward floats, times with nanoseconds, Chinese text with quotes and
// newlines, NULLs, and a value changed twice (three history rows).
func seedEverything(t *testing.T, s *Store) {
	t.Helper()
	ctx := context.Background()
	clock := time.Date(2026, 3, 31, 23, 59, 59, 123456789, time.UTC)
	s.SetClock(func() time.Time { clock = clock.Add(1500 * time.Nanosecond); return clock })
	s.SetBcryptCost(4)
	seedReference(t, s)
	var ins []kpi.ValueInput
	for i, f := range awkwardFloats {
		ins = append(ins, kpi.ValueInput{Region: 990101, Indicator: "days", Period: kpi.Period{Year: 2020 + i, Quarter: 1}, Value: f,
			Source: kpi.SourceForm, Reason: "初次填报 \"引号\"\n换行", Comment: "备注：含逗号,与'单引号'"})
	}
	ins = append(ins, kpi.ValueInput{Region: 990102, Indicator: "cases", Period: kpi.Period{Year: 2025, Quarter: 2}, Value: 42})
	if _, err := s.PutValues(ctx, "甲一县司法局", ins); err != nil {
		t.Fatal(err)
	}
	for v := 1; v <= 2; v++ {
		if _, err := s.PutValues(ctx, "editor", []kpi.ValueInput{{Region: 990102, Indicator: "cases", Period: kpi.Period{Year: 2025, Quarter: 2},
			Value: float64(42 + v), Version: v, Status: kpi.StatusSubmitted}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetTargets(ctx, "admin", []Target{{Region: 990100, Indicator: "days", Year: 2025, Value: 1.0 / 7}}); err != nil {
		t.Fatal(err)
	}
	dept, err := s.EnsureDepartment(ctx, 990101, "justice", "甲一县司法局")
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.CreateUser(ctx, "admin", NewUser{Name: "ed1", DisplayName: "填报员", Role: kpi.RoleEditor, Department: dept.ID, Password: "correct horse"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, "admin", NewUser{Name: "boss", DisplayName: "领导", Role: kpi.RoleViewer, Password: "correct horse"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateSession(ctx, u.ID, "127.0.0.1"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateAPIToken(ctx, u.ID, "脚本"); err != nil {
		t.Fatal(err)
	}
	s.Authenticate(ctx, "ed1", "wrong password", "10.0.0.9") // a login failure row
	if _, err := s.SaveUpload(ctx, u.ID, "报表 2025.xlsx", "entry", UploadPayload{Department: dept.ID, Period: kpi.Period{Year: 2025, Quarter: 1}}); err != nil {
		t.Fatal(err)
	}
	// Reopening is the review workflow's; the row is all the dump cares about.
	if err := s.db.Exec(`INSERT INTO reopens (department_id, year, quarter, actor, reason, at) VALUES (?, 2025, 1, 'reviewer', '补报', ?)`,
		dept.ID, s.Now()).Error; err != nil {
		t.Fatal(err)
	}
	text := "全市共有专职人民调解员125名，\"调解\"成功率98%。"
	doc, err := s.AddDocument(ctx, "ed1", Document{Region: 990101, Year: 2024, Title: "报告 <2024>", Filename: "r.txt", Text: text})
	if err != nil {
		t.Fatal(err)
	}
	at := strings.Index(text, "125")
	if err := s.ConfirmFigures(ctx, "ed1", doc, []FigureInput{{Start: at, End: at + 3, QuoteStart: 0, QuoteEnd: len(text),
		Indicator: "mediators", Value: 125, Period: kpi.Period{Year: 2024, Quarter: 4}}}, false); err != nil {
		t.Fatal(err)
	}
	if err := s.AddAlias(ctx, "admin", "mediators", "专职人民调解员"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetMeta(ctx, "zz_note", "第二行\n"); err != nil {
		t.Fatal(err)
	}
	if err := s.SetMeta(ctx, "AA_upper", "x"); err != nil { // sorts differently under a case-insensitive collation
		t.Fatal(err)
	}
}

func exportTo(t *testing.T, s *Store) ([]byte, DumpSummary) {
	t.Helper()
	var buf bytes.Buffer
	sum, err := s.Export(context.Background(), &buf)
	if err != nil {
		t.Fatalf("export from %s: %v", s.engine, err)
	}
	return buf.Bytes(), sum
}

func importInto(t *testing.T, s *Store, dump []byte) DumpSummary {
	t.Helper()
	sum, err := s.Import(context.Background(), bytes.NewReader(dump))
	if err != nil {
		t.Fatalf("import into %s: %v", s.engine, err)
	}
	return sum
}

func sameSums(t *testing.T, what string, a, b DumpSummary) {
	t.Helper()
	for i := range a.Tables {
		if a.Tables[i] != b.Tables[i] && (a.Tables[i].Rows != b.Tables[i].Rows || a.Tables[i].SHA256 != b.Tables[i].SHA256) {
			t.Errorf("%s: table %s: %d rows %s vs %d rows %s", what, a.Tables[i].Name,
				a.Tables[i].Rows, a.Tables[i].SHA256[:12], b.Tables[i].Rows, b.Tables[i].SHA256[:12])
		}
	}
	if a.SHA256 != b.SHA256 {
		t.Errorf("%s: overall checksum %s vs %s", what, a.SHA256[:12], b.SHA256[:12])
	}
}

// TestDumpRoundTrip moves a database SQLite → each engine → SQLite: the
// checksums agree at every step, every table is non-empty, and values,
// history and timestamps come back exactly.
func TestDumpRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := mustOpenDB(t)
	seedEverything(t, src)
	dump, sum := exportTo(t, src)
	for _, tb := range sum.Tables {
		if tb.Rows == 0 {
			t.Errorf("the fixture leaves table %s empty: the round trip would not test it", tb.Name)
		}
	}
	forEachEngine(t, func(t *testing.T, mid *Store) {
		got := importInto(t, mid, dump)
		sameSums(t, "import's own check", sum, got)
		again, err := mid.Checksums(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sameSums(t, "recomputed on "+mid.engine, sum, again)

		// And back into a fresh SQLite file.
		back := mustOpenDB(t)
		dump2, sum2 := exportTo(t, mid)
		sameSums(t, "export from "+mid.engine, sum, sum2)
		importInto(t, back, dump2)
		final, err := back.Checksums(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sameSums(t, "back in SQLite", sum, final)

		// Spot checks through the store's own API.
		for _, s := range []*Store{mid, back} {
			cat, err := s.Indicators(ctx)
			if err != nil {
				t.Fatal(err)
			}
			days, _ := cat.Get("days")
			stored, err := s.Stored(ctx, cat, []int{990101}, []string{"days"}, 2000, 2100)
			if err != nil {
				t.Fatal(err)
			}
			for i, f := range awkwardFloats {
				v := stored[990101]["days"][kpi.Period{Year: 2020 + i, Quarter: 1}]
				if v.Value != f || math.Signbit(v.Value) != math.Signbit(f) {
					t.Errorf("%s: value %d is %v, want exactly %v", s.engine, i, v.Value, f)
				}
				if v.UpdatedAt.Nanosecond()%1000 != 0 && s.engine != SQLite {
					t.Errorf("%s: a time finer than the engine keeps: %v", s.engine, v.UpdatedAt)
				}
			}
			cases, _ := cat.Get("cases")
			h, err := s.History(ctx, 990102, cases, kpi.Period{Year: 2025, Quarter: 2})
			if err != nil {
				t.Fatal(err)
			}
			if len(h) != 3 || *h[0].NewValue != 44 || *h[2].NewValue != 42 || h[2].OldValue != nil {
				t.Errorf("%s: history %+v", s.engine, h)
			}
			if _, err := s.Authenticate(ctx, "ed1", "correct horse", "127.0.0.1"); err != nil {
				t.Errorf("%s: the password hash did not survive: %v", s.engine, err)
			}
			// The sequences moved on: a new value takes a fresh id.
			vals, err := s.PutValues(ctx, "t", []kpi.ValueInput{{Region: 990201, Indicator: "days", Period: kpi.Period{Year: 2025, Quarter: 1}, Value: 3}})
			if err != nil {
				t.Fatalf("%s: write after import: %v", s.engine, err)
			}
			if vals[0].ID <= int64(len(awkwardFloats)+1) {
				t.Errorf("%s: new value took id %d, already used by the source", s.engine, vals[0].ID)
			}
			_ = days
		}
	})
	// Times come back to the nanosecond SQLite → SQLite.
	direct := mustOpenDB(t)
	importInto(t, direct, dump)
	var a, b []valueRow
	src.db.Order("id").Find(&a)
	direct.db.Order("id").Find(&b)
	if len(a) != len(b) || len(a) == 0 {
		t.Fatalf("%d values, then %d", len(a), len(b))
	}
	for i := range a {
		if !a[i].UpdatedAt.Equal(b[i].UpdatedAt) || a[i].UpdatedAt.Nanosecond()%1000 == 0 {
			t.Errorf("value %d: updated_at %v came back as %v", a[i].ID, a[i].UpdatedAt, b[i].UpdatedAt)
		}
	}
}

func TestImportRefusals(t *testing.T) {
	ctx := context.Background()
	src := mustOpenDB(t)
	seedEverything(t, src)
	dump, _ := exportTo(t, src)

	// Into a database that has data of its own: refused, nothing changed.
	if _, err := src.Import(ctx, bytes.NewReader(dump)); kpi.ErrorCode(err) != kpi.ECONFLICT || !strings.Contains(kpi.ErrorMessage(err, "zh"), "不是空的") {
		t.Errorf("import into a non-empty database: %v", err)
	}
	// Into one that only has what migrate loads: accepted (replaced).
	ref := mustOpenDB(t)
	seedReference(t, ref)
	importInto(t, ref, dump)

	// A truncated dump writes nothing.
	for _, cut := range []int{len(dump) / 2, len(dump) - 30} {
		empty := mustOpenDB(t)
		if _, err := empty.Import(ctx, bytes.NewReader(dump[:cut])); err == nil {
			t.Errorf("a dump cut at %d of %d bytes was imported", cut, len(dump))
		}
		if n, _ := empty.CountValues(ctx); n != 0 {
			t.Errorf("a failed import left %d values", n)
		}
	}
	// A dump whose rows were changed after it was written fails its checksum.
	plain := gunzip(t, dump)
	tampered := bytes.Replace(plain, []byte(`"甲一县司法局"`), []byte(`"乙一县司法局"`), 1)
	if bytes.Equal(tampered, plain) {
		t.Fatal("tamper target not found")
	}
	empty := mustOpenDB(t)
	if _, err := empty.Import(ctx, bytes.NewReader(tampered)); kpi.ErrorCode(err) != kpi.EINVALID || !strings.Contains(kpi.ErrorMessage(err, "zh"), "校验和不符") {
		t.Errorf("tampered dump: %v", err)
	}
	if n, _ := empty.CountValues(ctx); n != 0 {
		t.Errorf("a failed import left %d values", n)
	}
	if _, err := empty.Import(ctx, strings.NewReader("hello\n")); kpi.ErrorCode(err) != kpi.EINVALID {
		t.Errorf("not a dump: %v", err)
	}
}

// Every table the migrations create is in the dump (or deliberately not).
func TestDumpListsEveryTable(t *testing.T) {
	s := mustOpenDB(t)
	var names []string
	s.db.Raw(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).Scan(&names)
	listed := map[string]bool{"schema_migrations": true}
	for _, tb := range dumpTables {
		listed[tb.name] = true
	}
	for _, n := range names {
		if !listed[n] {
			t.Errorf("table %s is not in dumpTables: export-all would leave it behind", n)
		}
	}
	s.db.Exec(`CREATE TABLE stray (id INTEGER)`)
	if _, err := s.Export(context.Background(), &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "stray") {
		t.Errorf("export with an unknown table: %v", err)
	}
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	r, err := newDumpReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := out.ReadFrom(r.r); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestBackupOfALiveDatabase(t *testing.T) {
	ctx := context.Background()
	s := mustOpenDB(t)
	seedReference(t, s)
	// A writer keeps saving while the backup runs.
	stop := make(chan struct{})
	done := make(chan int)
	go func() {
		n := 0
		for {
			select {
			case <-stop:
				done <- n
				return
			default:
			}
			p := kpi.Period{Year: 2000 + n/4, Quarter: n%4 + 1}
			if _, err := s.PutValues(ctx, "w", []kpi.ValueInput{{Region: 990101, Indicator: "cases", Period: p, Value: float64(n)}}); err != nil {
				t.Error(err)
			}
			n++
		}
	}()
	time.Sleep(200 * time.Millisecond)
	path := filepath.Join(t.TempDir(), "snap.db")
	snap, err := s.Backup(ctx, path, false)
	close(stop)
	written := <-done
	if err != nil {
		t.Fatal(err)
	}
	if snap.Counts["kpi_values"] == 0 || snap.Counts["kpi_values"] != snap.Counts["value_history"] || snap.Schema == 0 {
		t.Errorf("snapshot %+v (writer wrote %d)", snap, written)
	}
	if _, err := s.Backup(ctx, path, false); kpi.ErrorCode(err) != kpi.ECONFLICT {
		t.Errorf("backup over an existing file without force: %v", err)
	}
	if snap, err = s.Backup(ctx, path, true); err != nil {
		t.Fatalf("backup --force: %v", err)
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*tmp*"))
	if len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}

	// Restore it elsewhere, then over an existing file only with force.
	target := filepath.Join(t.TempDir(), "restored.db")
	if _, err := Restore(ctx, path, target, false); err != nil {
		t.Fatal(err)
	}
	if _, err := Restore(ctx, path, target, false); kpi.ErrorCode(err) != kpi.ECONFLICT {
		t.Errorf("restore over an existing database without force: %v", err)
	}
	notDB := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(notDB, []byte("hello"), 0o644)
	if _, err := Restore(ctx, notDB, target, true); kpi.ErrorCode(err) != kpi.EINVALID {
		t.Errorf("restore from a file that is not a database: %v", err)
	}
	if _, err := s.Backup(ctx, s.label, true); kpi.ErrorCode(err) != kpi.EINVALID {
		t.Errorf("backup onto the database itself: %v", err)
	}
	if _, err := Restore(ctx, target, target, true); kpi.ErrorCode(err) != kpi.EINVALID {
		t.Errorf("restore of a database onto itself: %v", err)
	}
	if _, err := Restore(ctx, s.label, target, true); kpi.ErrorCode(err) != kpi.EINVALID || !strings.Contains(err.Error(), "-wal") {
		t.Errorf("restore from a database in use (with a WAL): %v", err)
	}
	r := mustOpen(t, mustParse(t, target))
	if n, _ := r.CountValues(ctx); n != snap.Counts["kpi_values"] {
		t.Errorf("restored %d values, the snapshot had %d", n, snap.Counts["kpi_values"])
	}
	if err := r.CheckHistory(ctx); err != nil {
		t.Error(err)
	}
}

func mustParse(t *testing.T, s string) Config {
	cfg, err := ParseURL(s)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func TestRowEncodingRoundTrip(t *testing.T) {
	kinds := []colKind{kindInt, kindFloat, kindText, kindTime, kindText, kindFloat, kindText}
	at := time.Date(2026, 11, 25, 8, 0, 0, 987654321, time.UTC)
	rows := [][]any{
		{int64(-42), 0.1 + 0.2, `引号" 反斜杠\ 结尾\`, at, nil, 5e-324, "\n\t\u2028<>&"},
		{nil, nil, "", at, `\"`, math.Copysign(0, -1), `","`},
		{int64(math.MaxInt64), math.MaxFloat64, "[1,2]", at, "null", 1e21, `\\`},
	}
	for _, row := range rows {
		line := bytes.TrimSpace(encodeRow(nil, row, false))
		got, err := decodeRow(line, kinds)
		if err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		for i := range row {
			a, b := row[i], got[i]
			if ta, ok := a.(time.Time); ok {
				if !ta.Equal(b.(time.Time)) {
					t.Errorf("column %d: %v came back as %v", i, a, b)
				}
				continue
			}
			if a != b {
				t.Errorf("%s column %d: %#v came back as %#v", line, i, a, b)
			}
		}
	}
	for _, bad := range []string{`[]`, `[1,2]`, `[1,2.5,"a","2026-01-01T00:00:00Z",null,1,"x",9]`, `[1,2.5,"a","2026-01-01T00:00:00Z",null,1,"x`,
		`[1,2.5,"a","2026-01-01T00:00:00Z",null,1,]`, `["1",2.5,"a","2026-01-01T00:00:00Z",null,1,"x"]`, `[1,2.5,"a","yesterday",null,1,"x"]`} {
		if _, err := decodeRow([]byte(bad), kinds); err == nil {
			t.Errorf("%s was accepted", bad)
		}
	}
}
