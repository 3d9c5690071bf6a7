package extract

import (
	"bufio"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/govkpi/govkpi/internal/kpi"
)

// Gold is one annotated figure of a report: what a careful reader would
// take from it for the dashboard.
type Gold struct {
	Quote     string
	Indicator string
	Value     float64
	Unit      string
	Line      int // in the .gold.tsv file, for messages
}

// ReadGold reads a .gold.tsv file: tab-separated quote, indicator, value,
// unit; blank lines, lines starting with # and a header line starting with
// "quote" are skipped.
func ReadGold(r io.Reader) ([]Gold, error) {
	var out []Gold
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		t := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(t) == "" || strings.HasPrefix(t, "#") || line == 1 && strings.HasPrefix(t, "quote\t") {
			continue
		}
		f := strings.Split(t, "\t")
		if len(f) != 4 {
			return nil, kpi.Invalid("gold", "第 %d 行应有 4 列（quote, indicator, value, unit），实有 %d 列", "line %d: want 4 columns (quote, indicator, value, unit), got %d", line, len(f))
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(f[2]), 64)
		if err != nil {
			return nil, kpi.Invalid("gold", "第 %d 行的数值 %q 不是数字", "line %d: value %q is not a number", line, f[2])
		}
		if strings.TrimSpace(f[0]) == "" {
			return nil, kpi.Invalid("gold", "第 %d 行没有引文", "line %d: empty quote", line)
		}
		out = append(out, Gold{Quote: f[0], Indicator: strings.TrimSpace(f[1]), Value: v, Unit: strings.TrimSpace(f[3]), Line: line})
	}
	return out, sc.Err()
}

// Score counts matches of candidates against gold figures.
type Score struct {
	Candidates int // candidates with an indicator
	Gold       int
	Correct    int // candidates whose value matches a gold figure whose quote they overlap
	RightCode  int // of the correct ones, those with the gold indicator too
	Missed     []Gold
	Wrong      []Candidate
	Relabel    []Relabel // correct figures offered under another indicator than the gold one
}

// Relabel is a correct figure whose indicator differs from the gold one.
type Relabel struct {
	Candidate Candidate
	Gold      Gold
}

// Add sums two scores.
func (s *Score) Add(o Score) {
	s.Candidates += o.Candidates
	s.Gold += o.Gold
	s.Correct += o.Correct
	s.RightCode += o.RightCode
	s.Missed = append(s.Missed, o.Missed...)
	s.Wrong = append(s.Wrong, o.Wrong...)
	s.Relabel = append(s.Relabel, o.Relabel...)
}

// Precision is correct ÷ candidates (1 when there are none).
func (s Score) Precision() float64 { return ratio(s.Correct, s.Candidates) }

// Recall is correct ÷ gold (1 when there is no gold).
func (s Score) Recall() float64 { return ratio(s.Correct, s.Gold) }

// F1 is the harmonic mean of precision and recall.
func (s Score) F1() float64 {
	p, r := s.Precision(), s.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// Evaluate scores the candidates of text against gold. Only candidates with
// an indicator count: those without are shown to the user as unassigned
// numbers, not offered as figures. A candidate is correct when its value
// equals a gold value and its quote overlaps where that gold quote stands
// in the text; each gold figure is matched once.
func Evaluate(text string, cands []Candidate, gold []Gold) Score {
	var s Score
	s.Gold = len(gold)
	type span struct{ a, b int }
	spans := make([][]span, len(gold))
	for i, g := range gold {
		for from := 0; ; {
			k := strings.Index(text[from:], g.Quote)
			if k < 0 {
				break
			}
			spans[i] = append(spans[i], span{from + k, from + k + len(g.Quote)})
			from += k + len(g.Quote)
		}
	}
	used := make([]bool, len(gold))
	for _, c := range cands {
		if c.Indicator == "" {
			continue
		}
		s.Candidates++
		hit := -1
		for i, g := range gold {
			if used[i] || !sameValue(c.Value, g.Value) {
				continue
			}
			for _, sp := range spans[i] {
				if c.QuoteStart < sp.b && sp.a < c.QuoteEnd {
					hit = i
					break
				}
			}
			if hit >= 0 {
				break
			}
		}
		if hit < 0 {
			s.Wrong = append(s.Wrong, c)
			continue
		}
		used[hit] = true
		s.Correct++
		if gold[hit].Indicator == c.Indicator {
			s.RightCode++
		} else {
			s.Relabel = append(s.Relabel, Relabel{c, gold[hit]})
		}
	}
	for i, g := range gold {
		if !used[i] {
			s.Missed = append(s.Missed, g)
		}
	}
	return s
}

func sameValue(a, b float64) bool {
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b))
}
