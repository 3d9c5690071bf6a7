package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/govkpi/govkpi/db"
	"github.com/govkpi/govkpi/internal/catalog"
	"github.com/govkpi/govkpi/internal/extract"
)

// extractEval is `govkpi extract-eval [-v] GOLD_DIR`: it runs the extractor
// over every NAME.txt in the directory that has a NAME.gold.tsv beside it
// and prints precision, recall and F1 per file and in all. It needs no
// database: the aliases come from the embedded indicator catalogue.
func extractEval(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("govkpi extract-eval", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	verbose := fs.Bool("v", false, "list missed gold figures and wrong candidates")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, "Usage: govkpi extract-eval [-v] GOLD_DIR   (NAME.txt with NAME.gold.tsv beside it)")
			return 0
		}
		fmt.Fprintf(stderr, "govkpi extract-eval: 参数错误 / bad flag: %v\n", err)
		return exitUsage
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "govkpi extract-eval: 需要一个目录 / one directory required: govkpi extract-eval GOLD_DIR")
		return exitUsage
	}
	dir := fs.Arg(0)
	cat, _, err := catalog.Load(db.Files)
	if err != nil {
		fmt.Fprintf(stderr, "govkpi extract-eval: %v\n", err)
		return exitFail
	}
	ex := extract.New(cat.Indicators)
	golds, _ := filepath.Glob(filepath.Join(dir, "*.gold.tsv"))
	sort.Strings(golds)
	if len(golds) == 0 {
		fmt.Fprintf(stderr, "govkpi extract-eval: %s 中没有 .gold.tsv 文件 / no .gold.tsv files in %s\n", dir, dir)
		return exitUsage
	}
	var total extract.Score
	fmt.Fprintf(stdout, "%-28s %5s %5s %5s %9s %6s %6s\n", "file", "cand", "gold", "ok", "precision", "recall", "F1")
	for _, gp := range golds {
		tp := strings.TrimSuffix(gp, ".gold.tsv") + ".txt"
		data, err := os.ReadFile(tp)
		if err != nil {
			fmt.Fprintf(stderr, "govkpi extract-eval: %v\n", err)
			return exitFail
		}
		text, err := extract.DecodeText(filepath.Base(tp), data, extract.DefaultLimits)
		if err != nil {
			fmt.Fprintf(stderr, "govkpi extract-eval: %s: %v\n", tp, err)
			return exitFail
		}
		gb, err := os.ReadFile(gp)
		if err != nil {
			fmt.Fprintf(stderr, "govkpi extract-eval: %v\n", err)
			return exitFail
		}
		gold, err := extract.ReadGold(bytes.NewReader(gb))
		if err != nil {
			fmt.Fprintf(stderr, "govkpi extract-eval: %s: %v\n", gp, err)
			return exitFail
		}
		s := extract.Evaluate(text, ex.Extract(text), gold)
		fmt.Fprintf(stdout, "%-28s %5d %5d %5d %9.3f %6.3f %6.3f\n", filepath.Base(tp), s.Candidates, s.Gold, s.Correct, s.Precision(), s.Recall(), s.F1())
		if *verbose {
			for _, g := range s.Missed {
				fmt.Fprintf(stdout, "    missed  %s %v %s  «%s»\n", g.Indicator, g.Value, g.Unit, g.Quote)
			}
			for _, c := range s.Wrong {
				fmt.Fprintf(stdout, "    wrong   %s %v %s  «%s»\n", c.Indicator, c.Value, c.Unit, c.Quote)
			}
			for _, r := range s.Relabel {
				fmt.Fprintf(stdout, "    relabel %s, gold %s: %v %s  «%s»\n", r.Candidate.Indicator, r.Gold.Indicator, r.Candidate.Value, r.Candidate.Unit, r.Gold.Quote)
			}
		}
		total.Add(s)
	}
	fmt.Fprintf(stdout, "%-28s %5d %5d %5d %9.3f %6.3f %6.3f\n", "total", total.Candidates, total.Gold, total.Correct, total.Precision(), total.Recall(), total.F1())
	fmt.Fprintf(stdout, "indicator right on %d of %d correct figures\n", total.RightCode, total.Correct)
	return 0
}
