package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestExtractEval(t *testing.T) {
	code, out, errOut := runCmd(t, "extract-eval", "../../internal/extract/testdata/gold")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	total := regexp.MustCompile(`(?m)^total\s+(\d+)\s+(\d+)\s+(\d+)\s+([0-9.]+)\s+([0-9.]+)\s+([0-9.]+)$`).FindStringSubmatch(out)
	if total == nil || total[2] != "49" {
		t.Fatalf("no total line over 49 gold figures:\n%s", out)
	}
	// A directory of one's own: a wrong value and a missed figure.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "r.txt"), []byte("配备专职人民调解员497名，建立调委会194个。"), 0o644)
	os.WriteFile(filepath.Join(dir, "r.gold.tsv"), []byte("quote\tindicator\tvalue\tunit\n配备专职人民调解员497名\tfulltime_mediators\t497\t名\n建立调委会194个\tmediation_committees\t195\t个\n"), 0o644)
	code, out, _ = runCmd(t, "extract-eval", "-v", dir)
	if code != 0 || !strings.Contains(out, "total                            2     2     1     0.500  0.500  0.500") ||
		!strings.Contains(out, "missed  mediation_committees 195") || !strings.Contains(out, "wrong   mediation_committees 194") {
		t.Errorf("own directory:\n%s", out)
	}
	if code, _, errOut := runCmd(t, "extract-eval", t.TempDir()); code != exitUsage || !strings.Contains(errOut, "gold.tsv") {
		t.Errorf("empty directory: %d %s", code, errOut)
	}
	if code, _, _ := runCmd(t, "extract-eval"); code != exitUsage {
		t.Errorf("no directory: %d", code)
	}
	os.WriteFile(filepath.Join(dir, "r.gold.tsv"), []byte("only\ttwo\n"), 0o644)
	if code, _, errOut := runCmd(t, "extract-eval", dir); code != exitFail || !strings.Contains(errOut, "4 columns") {
		t.Errorf("bad gold: %d %s", code, errOut)
	}
}
