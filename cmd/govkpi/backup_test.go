package main

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var totalLine = regexp.MustCompile(`total\s+(\d+) rows\s+sha256 ([0-9a-f]+)`)

func TestBackupCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "live.db")
	var out, errb syncBuffer
	if code := run(context.Background(), []string{"user", "add", "--db", db, "--name", "ops", "--role", "admin"},
		strings.NewReader("a long enough password\n"), &out, &errb); code != 0 {
		t.Fatalf("user add: %d %s", code, errb.String())
	}
	snap := filepath.Join(dir, "snap.db")
	steps := []struct {
		args []string
		code int
		want string // in stdout on success, in stderr otherwise
	}{
		{[]string{"backup", "--db", db, snap}, 0, "integrity_check ok"},
		{[]string{"backup", "--db", db, snap}, exitFail, "--force"},
		{[]string{"backup", snap, "--force", "--db", db}, 0, "users                   1"},
		{[]string{"backup", "--db", db}, exitUsage, "FILE"},
		{[]string{"backup", "--db", db, snap, "extra"}, exitUsage, "extra"},
		{[]string{"restore", snap, "--db", filepath.Join(dir, "restored.db")}, 0, "restored"},
		{[]string{"restore", snap, "--db", filepath.Join(dir, "restored.db")}, exitFail, "已存在"},
		{[]string{"restore", db + ".nope", "--db", filepath.Join(dir, "other.db")}, exitUsage, "nope"},
		{[]string{"restore", snap, "--db", filepath.Join(dir, "restored.db"), "--force"}, 0, "restored"},
		{[]string{"export-all", "--db", db, filepath.Join(dir, "dump.gz")}, 0, "total"},
		{[]string{"export-all", "--db", db, filepath.Join(dir, "dump.gz")}, exitFail, "--force"},
		{[]string{"import-all", "--db", filepath.Join(dir, "moved.db"), filepath.Join(dir, "dump.gz")}, 0, "checksums verified"},
		{[]string{"import-all", "--db", filepath.Join(dir, "moved.db"), filepath.Join(dir, "dump.gz")}, exitFail, "不是空的"},
		{[]string{"import-all", "--force", "--db", filepath.Join(dir, "x.db"), filepath.Join(dir, "dump.gz")}, exitUsage, "force"},
		{[]string{"export-all", "--db", filepath.Join(dir, "moved.db"), filepath.Join(dir, "again.gz")}, 0, "total"},
	}
	var totals []string
	for _, s := range steps {
		code, stdout, stderr := runCmd(t, s.args...)
		text := stdout
		if s.code != 0 {
			text = stderr
		}
		if code != s.code || !strings.Contains(text, s.want) {
			t.Errorf("%v: exit %d (want %d)\nstdout: %s\nstderr: %s\nwant %q", s.args, code, s.code, stdout, stderr, s.want)
		}
		if m := totalLine.FindStringSubmatch(stdout); code == 0 && m != nil {
			totals = append(totals, m[0])
		}
	}
	// export, import, export of the imported copy: one and the same total.
	if len(totals) != 3 || totals[0] != totals[1] || totals[1] != totals[2] {
		t.Errorf("checksum totals differ along the way: %q", totals)
	}
}
