package kpi_test

import (
	"strings"
	"testing"

	"github.com/govkpi/govkpi/internal/kpi"
)

func TestRegionBasics(t *testing.T) {
	if got := zhejiang.CodeString(); got != "330000" {
		t.Errorf("CodeString = %q", got)
	}
	if got := (kpi.Region{Code: 1234}).CodeString(); got != "001234" {
		t.Errorf("CodeString pads to six digits: %q", got)
	}
	if zhejiang.IsLeaf() || hangzhou.IsLeaf() || !shangcheng.IsLeaf() {
		t.Error("IsLeaf: a region is a leaf exactly when Leaves == 0")
	}
	tests := []struct {
		level  int
		zh, en string
	}{
		{kpi.LevelProvince, "省", "province"},
		{kpi.LevelCity, "市", "city"},
		{kpi.LevelCounty, "县（区）", "county"},
		{9, "", ""},
	}
	for _, tc := range tests {
		if got := kpi.LevelName(tc.level, "zh"); got != tc.zh {
			t.Errorf("LevelName(%d, zh) = %q, want %q", tc.level, got, tc.zh)
		}
		if got := kpi.LevelName(tc.level, "en"); got != tc.en {
			t.Errorf("LevelName(%d, en) = %q, want %q", tc.level, got, tc.en)
		}
	}
}

func TestValidateRegions(t *testing.T) {
	prov := func(code int, name string) kpi.Region {
		return kpi.Region{Code: code, Name: name, Level: kpi.LevelProvince}
	}
	city := func(code int, name string, parent int) kpi.Region {
		return kpi.Region{Code: code, Name: name, Level: kpi.LevelCity, Parent: parent}
	}
	county := func(code int, name string, parent int) kpi.Region {
		return kpi.Region{Code: code, Name: name, Level: kpi.LevelCounty, Parent: parent}
	}
	base := []kpi.Region{
		prov(330000, "浙江省"), city(330100, "杭州市", 330000), county(330102, "上城区", 330100),
		prov(440000, "广东省"), city(441900, "东莞市", 440000), // a city with no counties
	}
	with := func(extra ...kpi.Region) []kpi.Region { return append(append([]kpi.Region(nil), base...), extra...) }

	tests := []struct {
		name    string
		rs      []kpi.Region
		field   string // "" for valid
		enParts []string
	}{
		{"valid tree", base, "", nil},
		{"empty list", nil, "", nil},
		{"child before its parent", []kpi.Region{county(330102, "上城区", 330100), city(330100, "杭州市", 330000), prov(330000, "浙江省")}, "", nil},
		{"five-digit code", with(county(33010, "x", 330100)), "code", []string{"row 7", "33010"}},
		{"seven-digit code", with(county(3301020, "x", 330100)), "code", []string{"row 7"}},
		{"zero code", with(kpi.Region{Name: "x", Level: 1}), "code", nil},
		{"empty name", with(county(330105, "", 330100)), "name", []string{"row 7"}},
		{"level 0", with(kpi.Region{Code: 330105, Name: "x", Level: 0, Parent: 330100}), "level", []string{"level 0"}},
		{"level 4", with(kpi.Region{Code: 330105, Name: "x", Level: 4, Parent: 330100}), "level", []string{"level 4"}},
		{"duplicate code", with(county(330102, "上城区", 330100)), "code", []string{"row 7", "duplicate", "330102"}},
		{"duplicate row number", []kpi.Region{prov(330000, "浙江省"), prov(330000, "浙江省")}, "code", []string{"row 3"}},
		{"missing parent", with(county(330205, "江北区", 330200)), "parent", []string{"row 7", "330200", "江北区"}},
		{"county under a province", with(county(330105, "x", 330000)), "parent", []string{"330000"}},
		{"city under a city", with(city(330200, "宁波市", 330100)), "parent", []string{"330100"}},
		{"county under a county", with(county(330105, "x", 330102)), "parent", nil},
		{"city without a parent", with(city(330200, "宁波市", 0)), "parent", []string{"000000"}},
		{"province with a parent", with(kpi.Region{Code: 350000, Name: "福建省", Level: 1, Parent: 330000}), "parent", []string{"row 7"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := kpi.ValidateRegions(tc.rs)
			if tc.field == "" {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			wantInvalid(t, err, tc.field)
			en := kpi.ErrorMessage(err, "en")
			for _, part := range tc.enParts {
				if !strings.Contains(en, part) {
					t.Errorf("en message %q should contain %q", en, part)
				}
			}
		})
	}
}
