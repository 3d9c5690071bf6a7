package kpi_test

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/govkpi/govkpi/internal/kpi"
)

func TestErrorCode(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"invalid", kpi.Invalid("year", "年份错误", "bad year"), kpi.EINVALID},
		{"conflict", kpi.Errorf(kpi.ECONFLICT, "冲突", "conflict"), kpi.ECONFLICT},
		{"not found", kpi.Errorf(kpi.ENOTFOUND, "不存在", "not found"), kpi.ENOTFOUND},
		{"wrapped keeps its code", fmt.Errorf("saving: %w", kpi.Errorf(kpi.EFORBIDDEN, "禁止", "forbidden")), kpi.EFORBIDDEN},
		{"internal", kpi.Internal(io.EOF), kpi.EINTERNAL},
		{"foreign errors are internal", errors.New("boom"), kpi.EINTERNAL},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := kpi.ErrorCode(tc.err); got != tc.want {
				t.Errorf("ErrorCode = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestErrorMessage(t *testing.T) {
	inv := kpi.Invalid("quarter", "季度 %d 无效", "quarter %d is invalid", 5)
	tests := []struct {
		name   string
		err    error
		zh, en string
	}{
		{"args go into both languages", inv, "季度 5 无效", "quarter 5 is invalid"},
		{"wrapped", fmt.Errorf("ctx: %w", inv), "季度 5 无效", "quarter 5 is invalid"},
		{"internal detail is never shown", kpi.Internal(errors.New("pq: password authentication failed")), "内部错误", "internal error"},
		{"an internal code hides its own message", kpi.Errorf(kpi.EINTERNAL, "数据库密码错误", "database password wrong"), "内部错误", "internal error"},
		{"foreign error is never shown", errors.New("secret detail"), "内部错误", "internal error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := kpi.ErrorMessage(tc.err, "zh"); got != tc.zh {
				t.Errorf("zh = %q, want %q", got, tc.zh)
			}
			if got := kpi.ErrorMessage(tc.err, ""); got != tc.zh {
				t.Errorf("default language = %q, want Chinese %q", got, tc.zh)
			}
			if got := kpi.ErrorMessage(tc.err, "en"); got != tc.en {
				t.Errorf("en = %q, want %q", got, tc.en)
			}
		})
	}
	if inv.Field != "quarter" || inv.Code != kpi.EINVALID {
		t.Errorf("Invalid: field %q code %q", inv.Field, inv.Code)
	}
}

func TestErrorStringAndUnwrap(t *testing.T) {
	e := kpi.Invalid("year", "年份错误", "bad year")
	if got := e.Error(); got != "invalid: bad year" {
		t.Errorf("Error() = %q", got)
	}
	cause := errors.New("disk full")
	in := kpi.Internal(cause)
	if !errors.Is(in, cause) {
		t.Error("Internal does not unwrap to its cause")
	}
	if got := in.Error(); !strings.Contains(got, "internal") || !strings.Contains(got, "disk full") {
		t.Errorf("Internal.Error() = %q, should carry the cause for the log", got)
	}
}
