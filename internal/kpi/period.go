package kpi

import "fmt"

// Years outside this window are refused as typing mistakes.
const (
	MinYear = 2000
	MaxYear = 2100
)

// Period is a year, or one quarter of it. Quarter 0 means the whole year:
// for a stored value, an annual-only figure; for a query, the year aggregate.
type Period struct {
	Year    int
	Quarter int
}

// IsYear reports whether the period is a whole year.
func (p Period) IsYear() bool { return p.Quarter == 0 }

// Prev is the same period one year earlier, for year-on-year comparison.
func (p Period) Prev() Period { return Period{p.Year - 1, p.Quarter} }

// Label names the period: "2024年", "2024年第3季度"; in English "2024", "2024 Q3".
func (p Period) Label(lang string) string {
	switch {
	case lang == "en" && p.IsYear():
		return fmt.Sprintf("%d", p.Year)
	case lang == "en":
		return fmt.Sprintf("%d Q%d", p.Year, p.Quarter)
	case p.IsYear():
		return fmt.Sprintf("%d年", p.Year)
	default:
		return fmt.Sprintf("%d年第%d季度", p.Year, p.Quarter)
	}
}

// ShortLabel is the axis label: "2024", "2024Q3".
func (p Period) ShortLabel() string {
	if p.IsYear() {
		return fmt.Sprintf("%d", p.Year)
	}
	return fmt.Sprintf("%dQ%d", p.Year, p.Quarter)
}

// Validate checks the year window and the quarter.
func (p Period) Validate() error {
	if p.Year < MinYear || p.Year > MaxYear {
		return Invalid("year", "年份 %d 超出范围（%d–%d）", "year %d is out of range (%d–%d)", p.Year, MinYear, MaxYear)
	}
	if p.Quarter < 0 || p.Quarter > 4 {
		return Invalid("quarter", "季度 %d 无效，应为 1–4（0 表示全年）", "quarter %d is invalid: use 1–4 (0 for the whole year)", p.Quarter)
	}
	return nil
}

// Span is a run of periods for a trend: years From..To, by year or by quarter.
type Span struct {
	From, To  int
	ByQuarter bool
}

// Validate checks both ends and their order.
func (s Span) Validate() error {
	if err := (Period{Year: s.From}).Validate(); err != nil {
		e := err.(*Error)
		e.Field = "from"
		return e
	}
	if err := (Period{Year: s.To}).Validate(); err != nil {
		e := err.(*Error)
		e.Field = "to"
		return e
	}
	if s.From > s.To {
		return Invalid("from", "起始年份 %d 晚于结束年份 %d", "from year %d is after to year %d", s.From, s.To)
	}
	if s.To-s.From > 50 {
		return Invalid("to", "时间跨度不能超过50年", "the span cannot exceed 50 years")
	}
	return nil
}

// Periods lists the span's periods in order.
func (s Span) Periods() []Period {
	var ps []Period
	for y := s.From; y <= s.To; y++ {
		if !s.ByQuarter {
			ps = append(ps, Period{Year: y})
			continue
		}
		for q := 1; q <= 4; q++ {
			ps = append(ps, Period{y, q})
		}
	}
	return ps
}
