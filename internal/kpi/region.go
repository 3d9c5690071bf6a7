package kpi

import (
	"strconv"
	"strings"
)

// Region levels, as in GB/T 2260.
const (
	LevelProvince = 1
	LevelCity     = 2
	LevelCounty   = 3
)

// Region is an administrative division. Code is its six-digit GB/T 2260 code.
type Region struct {
	Code   int
	Name   string
	Level  int
	Parent int // 0 for a province
	// Leaves is how many leaf regions (regions without children) lie under
	// this one; 0 for a leaf. Computed values aggregate over those leaves.
	Leaves int
}

// CodeString is the zero-padded six-digit code.
func (r Region) CodeString() string {
	s := strconv.Itoa(r.Code) // not fmt: a nationwide ranking formats thousands
	if len(s) < 6 {
		s = strings.Repeat("0", 6-len(s)) + s
	}
	return s
}

// IsLeaf reports whether the region has no children.
func (r Region) IsLeaf() bool { return r.Leaves == 0 }

// LevelName names a level in the given language, plural for headings ("各市").
func LevelName(level int, lang string) string {
	zh := map[int]string{LevelProvince: "省", LevelCity: "市", LevelCounty: "县（区）"}
	en := map[int]string{LevelProvince: "province", LevelCity: "city", LevelCounty: "county"}
	if lang == "en" {
		return en[level]
	}
	return zh[level]
}

// ValidateRegions checks a division list: unique six-digit codes, levels 1–3,
// and every parent present one level up.
func ValidateRegions(rs []Region) error {
	byCode := make(map[int]Region, len(rs))
	for i, r := range rs {
		row := i + 2 // 1-based, after the header line
		if r.Code < 100000 || r.Code > 999999 {
			return Invalid("code", "第%d行：地区代码 %d 不是六位数字", "row %d: region code %d is not six digits", row, r.Code)
		}
		if r.Name == "" {
			return Invalid("name", "第%d行：地区名称为空", "row %d: empty region name", row)
		}
		if r.Level < LevelProvince || r.Level > LevelCounty {
			return Invalid("level", "第%d行：层级 %d 不在 1–3 之间", "row %d: level %d is not 1–3", row, r.Level)
		}
		if _, dup := byCode[r.Code]; dup {
			return Invalid("code", "第%d行：地区代码 %06d 重复", "row %d: duplicate region code %06d", row, r.Code)
		}
		byCode[r.Code] = r
	}
	for i, r := range rs {
		if r.Level == LevelProvince {
			if r.Parent != 0 {
				return Invalid("parent", "第%d行：省级地区不应有上级", "row %d: a province has no parent", i+2)
			}
			continue
		}
		p, ok := byCode[r.Parent]
		if !ok || p.Level != r.Level-1 {
			return Invalid("parent", "第%d行：%s 的上级 %06d 不存在或层级不符", "row %[1]d: parent %06[3]d of %[2]s is missing or at the wrong level", i+2, r.Name, r.Parent)
		}
	}
	return nil
}
