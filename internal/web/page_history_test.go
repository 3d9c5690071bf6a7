package web

import "testing"

// TestHistoryReasons: the reasons the store records for workflow steps
// read in the page's language; a reason a person typed stays as typed.
func TestHistoryReasons(t *testing.T) {
	for _, tc := range []struct{ lang, in, want string }{
		{"zh", "approve", "审核通过"},
		{"zh", "return: 数据有误", "退回：数据有误"},
		{"en", "return: 数据有误", "returned: 数据有误"},
		{"zh", "reopen: 补报材料", "重新打开：补报材料"},
		{"zh", "bulk load", "批量载入"},
		{"en", "bulk load", "bulk load"},
		{"zh", "backfill 2016年.xlsx", "补录：2016年.xlsx"},
		{"zh", "submit", "报送"},
		{"zh", "submitted late by phone", "submitted late by phone"}, // typed, not a key
		{"zh", "较上季度增长较多：新设调解室", "较上季度增长较多：新设调解室"},
		{"zh", "", ""},
	} {
		if got := (page{Lang: tc.lang}).Reason(tc.in); got != tc.want {
			t.Errorf("%s %q → %q, want %q", tc.lang, tc.in, got, tc.want)
		}
	}
}
