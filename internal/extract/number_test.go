package extract_test

import (
	"testing"

	"github.com/govkpi/govkpi/internal/extract"
)

func TestParseNumber(t *testing.T) {
	for _, tc := range []struct {
		in        string
		value     float64
		unit      string
		qualifier string
		chinese   bool
	}{
		{"497名", 497, "名", "", false},
		{"2800余场次", 2800, "场次", "余", false},
		{"320余万份", 3200000, "份", "余", false},
		{"1.2万余件", 12000, "件", "余", false},
		{"4.8万件", 48000, "件", "", false},
		{"1.36万项", 13600, "项", "", false}, // exactly, without the binary error of 1.36 × 1e4
		{"98.47%", 98.47, "%", "", false},
		{"98.5％", 98.5, "%", "", false},
		{"百分之九十八点五", 98.5, "%", "", true},
		{"１２３件", 123, "件", "", false},
		{"1,234件", 1234, "件", "", false},
		{"约500名", 500, "名", "约", false},
		{"近300人", 300, "人", "近", false},
		{"超1000件", 1000, "件", "超", false},
		{"80%以上", 80, "%", "以上", false},
		{"35个工作日内", 35, "个工作日", "内", false},
		{"55工作日", 55, "个工作日", "", false},
		{"两千", 2000, "", "", true},
		{"两次", 2, "次", "", true},
		{"十余个", 10, "个", "余", true},
		{"十二名", 12, "名", "", true},
		{"二十件", 20, "件", "", true},
		{"一百零五件", 105, "件", "", true},
		{"六百四十二件", 642, "件", "", true},
		{"九千九百九十九项", 9999, "项", "", true},
		{"三十余场次", 30, "场次", "余", true},
		{"两千余人次", 2000, "人次", "余", true},
		{"三万件", 30000, "件", "", true},
		{"4.3个百分点", 4.3, "个百分点", "", false},
		{"100多个", 100, "个", "多", false},
		{"1200余户次", 1200, "户次", "余", false},
		{"360卷", 360, "卷", "", false},
		{"1部", 1, "部", "", false},
		{"12部门", 12, "", "", false},
	} {
		m, ok := extract.ParseNumber(tc.in)
		if !ok || m.Value != tc.value || m.Unit != tc.unit || m.Qualifier != tc.qualifier || m.Chinese != tc.chinese {
			t.Errorf("ParseNumber(%q) = %+v, %v; want value %v unit %q qualifier %q chinese %v", tc.in, m, ok, tc.value, tc.unit, tc.qualifier, tc.chinese)
		}
	}
	for _, in := range []string{"", "万人", "百", "千万", "abc", "件"} {
		if m, ok := extract.ParseNumber(in); ok {
			t.Errorf("ParseNumber(%q) = %+v; want no number", in, m)
		}
	}
}

// FuzzParseNumber: any input, no panic, a bounded mention inside the input,
// and a finite value.
func FuzzParseNumber(f *testing.F) {
	for _, s := range []string{"320余万份", "九千九百九十九项", "百分之九十八点五", "1,234.5件", "十余个", "两千余人次", "1.2万余件",
		"一二三", "十百千", "99999999999999999999999亿", "0.000000000000001%", "约", "第一名", "3至5天", "1+10+N"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, ok := extract.ParseNumber(s)
		if !ok {
			return
		}
		n := len([]rune(s))
		if m.Start < 0 || m.End > n || m.Start > m.NumStart || m.NumStart >= m.NumEnd || m.NumEnd > m.End {
			t.Fatalf("ParseNumber(%q): spans out of order: %+v", s, m)
		}
		if m.Value != m.Value || m.Value < 0 || m.Value > 1e40 {
			t.Fatalf("ParseNumber(%q): value %v", s, m.Value)
		}
	})
}
