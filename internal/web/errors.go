package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/govkpi/govkpi/internal/kpi"
)

// statusOf maps error codes to HTTP statuses: the only place that does.
var statusOf = map[string]int{
	kpi.EINVALID:      http.StatusBadRequest,
	kpi.ENOTFOUND:     http.StatusNotFound,
	kpi.ECONFLICT:     http.StatusConflict,
	kpi.EFORBIDDEN:    http.StatusForbidden,
	kpi.EUNAUTHORIZED: http.StatusUnauthorized,
	kpi.ETOOMANY:      http.StatusTooManyRequests,
	kpi.EUNAVAILABLE:  http.StatusServiceUnavailable,
	kpi.EINTERNAL:     http.StatusInternalServerError,
}

// apiError is the JSON body of every API error.
type apiError struct {
	Error struct {
		Code      string `json:"code"`
		Message   string `json:"message"`
		Field     string `json:"field,omitempty"`
		RequestID string `json:"request_id"`
	} `json:"error"`
}

// handleError renders any error a handler returns: JSON under /api/, an
// HTML page elsewhere. Internal details go to the log, not to the user.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	if bodyExceeded(c) {
		// Whatever failed on the cut-off body, the cause is its size.
		err = echo.ErrStatusRequestEntityTooLarge
	}
	lang := langOf(c)
	status, code, msg, field := statusFor(err), kpi.ErrorCode(err), errorText(err, lang), ""
	var ke *kpi.Error
	var he *echo.HTTPError
	switch {
	case errors.As(err, &ke):
		field = ke.Field
	case errors.As(err, &he):
		code = strings.ToLower(strings.ReplaceAll(http.StatusText(he.Code), " ", "_"))
	}
	reqID := c.Response().Header().Get(echo.HeaderXRequestID)
	if status >= 500 {
		s.log.Error("request failed", "id", reqID, "uri", c.Request().RequestURI, "err", err)
	}
	if strings.HasPrefix(c.Path(), "/api/") || strings.HasPrefix(c.Request().URL.Path, "/api/") {
		var body apiError
		body.Error.Code, body.Error.Message, body.Error.Field, body.Error.RequestID = code, msg, field, reqID
		_ = c.JSON(status, body)
		return
	}
	data := s.basePage(c, tr(lang, "error.title"))
	data.Error = msg
	data.HTTPStatus = status
	data.RequestID = reqID
	if rerr := s.render(c, status, "error.html", data); rerr != nil {
		_ = c.String(status, msg)
	}
}

// statusFor is the HTTP status of an error.
func statusFor(err error) int {
	var ke *kpi.Error
	var he *echo.HTTPError
	switch {
	case errors.As(err, &ke):
		return statusOf[ke.Code]
	case errors.As(err, &he):
		return he.Code
	}
	return http.StatusInternalServerError
}

// errorText is the message a user sees for err.
func errorText(err error, lang string) string {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		if msg, ok := he.Message.(string); ok && strings.Contains(msg, "csrf") {
			return tr(lang, "error.csrf")
		}
		return httpMessage(he.Code, lang)
	}
	return kpi.ErrorMessage(err, lang)
}

func httpMessage(status int, lang string) string {
	limit := strconv.Itoa(maxBody >> 20)
	if status == http.StatusRequestEntityTooLarge {
		if lang == langEN {
			return "the request is larger than the " + limit + " MB limit: upload a smaller file"
		}
		return "请求内容超过 " + limit + " MB 的上限，请上传较小的文件"
	}
	zh := map[int]string{404: "页面不存在", 405: "不支持此请求方法", 503: "服务暂时不可用"}
	if lang != langEN {
		if m, ok := zh[status]; ok {
			return m
		}
		return "请求错误（" + strconv.Itoa(status) + "）"
	}
	return http.StatusText(status)
}

func itoa(n int) string { return strconv.Itoa(n) }
