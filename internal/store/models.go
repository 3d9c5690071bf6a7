package store

import (
	"strings"
	"time"

	"github.com/govkpi/govkpi/internal/kpi"
)

// Rows as stored. They never leave this package: methods return kpi types.

type regionRow struct {
	Code       int `gorm:"primaryKey;autoIncrement:false"`
	Name       string
	Level      int
	ParentCode *int
	Leaves     int
}

func (regionRow) TableName() string { return "regions" }

func (r regionRow) domain() kpi.Region {
	reg := kpi.Region{Code: r.Code, Name: r.Name, Level: r.Level, Leaves: r.Leaves}
	if r.ParentCode != nil {
		reg.Parent = *r.ParentCode
	}
	return reg
}

type indicatorRow struct {
	ID              int64 `gorm:"primaryKey"`
	Code            string
	NameZH          string `gorm:"column:name_zh"`
	NameEN          string `gorm:"column:name_en"`
	Category        string
	Kind            string
	Unit            string
	UnitEN          string `gorm:"column:unit_en"`
	Direction       string
	Decimals        int
	MinValue        float64
	MaxValue        float64
	Frequency       string
	PeriodAgg       string
	RegionAgg       string
	NumeratorCode   string
	DenominatorCode string
	Scale           float64
	Department      string
	Headline        int
	DefinitionZH    string `gorm:"column:definition_zh"`
	DefinitionEN    string `gorm:"column:definition_en"`
	Aliases         string
	SortOrder       int
}

func (indicatorRow) TableName() string { return "indicators" }

func (r indicatorRow) domain() kpi.Indicator {
	var aliases []string
	if r.Aliases != "" {
		aliases = strings.Split(r.Aliases, "|")
	}
	return kpi.Indicator{
		ID: r.ID, Code: r.Code, NameZH: r.NameZH, NameEN: r.NameEN, Category: r.Category,
		Kind: kpi.Kind(r.Kind), Unit: r.Unit, UnitEN: r.UnitEN, Direction: kpi.Direction(r.Direction),
		Decimals: r.Decimals, Min: r.MinValue, Max: r.MaxValue, Frequency: kpi.Frequency(r.Frequency),
		PeriodAgg: kpi.PeriodAgg(r.PeriodAgg), RegionAgg: kpi.RegionAgg(r.RegionAgg),
		Numerator: r.NumeratorCode, Denominator: r.DenominatorCode, Scale: r.Scale,
		Department: r.Department, Headline: r.Headline == 1,
		DefinitionZH: r.DefinitionZH, DefinitionEN: r.DefinitionEN, Aliases: aliases, Sort: r.SortOrder,
	}
}

func indicatorRowOf(ind kpi.Indicator) indicatorRow {
	headline := 0
	if ind.Headline {
		headline = 1
	}
	return indicatorRow{
		Code: ind.Code, NameZH: ind.NameZH, NameEN: ind.NameEN, Category: ind.Category,
		Kind: string(ind.Kind), Unit: ind.Unit, UnitEN: ind.UnitEN, Direction: string(ind.Direction),
		Decimals: ind.Decimals, MinValue: ind.Min, MaxValue: ind.Max, Frequency: string(ind.Frequency),
		PeriodAgg: string(ind.PeriodAgg), RegionAgg: string(ind.RegionAgg),
		NumeratorCode: ind.Numerator, DenominatorCode: ind.Denominator, Scale: ind.Scale,
		Department: ind.Department, Headline: headline,
		DefinitionZH: ind.DefinitionZH, DefinitionEN: ind.DefinitionEN,
		Aliases: strings.Join(ind.Aliases, "|"), SortOrder: ind.Sort,
	}
}

type valueRow struct {
	ID            int64 `gorm:"primaryKey"`
	RegionCode    int
	IndicatorID   int64
	Year          int
	Quarter       int
	Value         float64
	Status        string
	Version       int
	Source        string
	SourceRef     string
	UpdatedBy     string
	UpdatedAt     time.Time
	Comment       string
	ReviewComment string
	SubmittedAt   *time.Time
}

func (valueRow) TableName() string { return "kpi_values" }

type historyRow struct {
	ID          int64 `gorm:"primaryKey"`
	ValueID     int64
	RegionCode  int
	IndicatorID int64
	Year        int
	Quarter     int
	OldValue    *float64
	NewValue    *float64
	OldStatus   string
	NewStatus   string
	Version     int
	Actor       string
	Source      string
	SourceRef   string
	Reason      string
	At          time.Time
}

func (historyRow) TableName() string { return "value_history" }

type targetRow struct {
	ID          int64 `gorm:"primaryKey"`
	RegionCode  int
	IndicatorID int64
	Year        int
	Value       float64
	UpdatedBy   string
	UpdatedAt   time.Time
}

func (targetRow) TableName() string { return "targets" }

type metaRow struct {
	Name  string `gorm:"primaryKey"`
	Value string
}

func (metaRow) TableName() string { return "meta" }
