package kpi

import (
	"errors"
	"fmt"
)

// Error codes. The web layer maps each to one HTTP status; business code
// only ever picks a code.
const (
	EINVALID      = "invalid"      // bad input: names the field and why
	ENOTFOUND     = "not_found"    // an indicator, region or value that does not exist
	ECONFLICT     = "conflict"     // a stale version or a duplicate
	EFORBIDDEN    = "forbidden"    // the caller may not do this
	EUNAUTHORIZED = "unauthorized" // the caller is not logged in
	ETOOMANY      = "too_many"     // too many attempts: wait and try again
	EUNAVAILABLE  = "unavailable"  // the database is busy or unreachable
	EINTERNAL     = "internal"     // a bug; the message is not shown to users
)

// Error is the one error type of govkpi. Message is user-facing Chinese,
// MessageEN its English; Field names the input at fault, if any.
type Error struct {
	Code      string
	Message   string
	MessageEN string
	Field     string
	Err       error // the underlying cause, never shown to users
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.MessageEN, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.MessageEN)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an *Error whose Chinese and English messages share args.
func Errorf(code, zh, en string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(zh, args...), MessageEN: fmt.Sprintf(en, args...)}
}

// Invalid reports bad input in field.
func Invalid(field, zh, en string, args ...any) *Error {
	e := Errorf(EINVALID, zh, en, args...)
	e.Field = field
	return e
}

// Internal wraps an unexpected error; its detail goes to the log only.
func Internal(err error) *Error {
	return &Error{Code: EINTERNAL, Message: "内部错误", MessageEN: "internal error", Err: err}
}

// ErrorCode returns the code of err, EINTERNAL for foreign errors and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the user-facing message of err in lang ("en" or Chinese).
func ErrorMessage(err error, lang string) string {
	var e *Error
	if err == nil || !errors.As(err, &e) || e.Code == EINTERNAL {
		if lang == "en" {
			return "internal error"
		}
		return "内部错误"
	}
	if lang == "en" {
		return e.MessageEN
	}
	return e.Message
}
