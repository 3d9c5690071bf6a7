package web

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/govkpi/govkpi/internal/kpi"
	"github.com/govkpi/govkpi/internal/store"
	"github.com/govkpi/govkpi/static"
)

// routes is the one place that lists every route and its middleware.
func (s *Server) routes(e *echo.Echo) {
	e.Pre(middleware.RemoveTrailingSlash())
	e.Use(
		middleware.RequestID(),
		s.requestLog(),
		middleware.Recover(),
		securityHeaders,
		bodyLimit(maxBody), // uploads: the sheet reader's own limit is 5 MB
		middleware.ContextTimeout(30*time.Second),
		validUTF8,
		tokenMemo,
	)

	e.GET("/healthz", s.healthz)
	s.rule(e.GET("/metrics", s.metricsPage), kpi.ActAdmin) // or a direct loopback scraper: see metricsPage
	assets := e.Group("/static", cacheFor(24*time.Hour))
	assets.GET("/*", echo.WrapHandler(http.StripPrefix("/static/", http.FileServer(http.FS(static.Files)))))

	// Everything below carries a CSRF token in its forms; API calls with
	// a bearer token are not cookie-authenticated and need none.
	app := e.Group("", middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup: "form:_csrf,header:X-CSRF-Token", CookieName: "govkpi_csrf", CookiePath: "/",
		CookieHTTPOnly: true, CookieSameSite: http.SameSiteStrictMode,
		Skipper: func(c echo.Context) bool { _, ok := bearer(c); return ok },
		// A missing token is as much a forgery as a wrong one: 403 for both
		// (echo answers 400 for the first), with the page's CSRF message.
		ErrorHandler: func(err error, c echo.Context) error {
			return echo.NewHTTPError(http.StatusForbidden, "csrf: "+err.Error()).SetInternal(err)
		},
	}))
	app.GET("/login", s.loginPage)
	app.POST("/login", s.login)

	user := app.Group("", s.authenticate)
	user.POST("/logout", s.logout)

	view := user.Group("", allow(kpi.ActView))
	s.rule(view.GET("/", s.cockpitPage), kpi.ActView)
	s.rule(view.GET("/trend", s.trendPage), kpi.ActView)
	s.rule(view.GET("/compare", s.comparePage), kpi.ActView)
	s.rule(view.GET("/history", s.historyPage), kpi.ActView)
	s.rule(view.GET("/scorecard", s.scorecardPage), kpi.ActView)
	s.rule(view.GET("/screen", s.screenPage), kpi.ActView)
	s.rule(view.GET("/export/compare.:format", s.exportComparison), kpi.ActView)
	s.rule(view.GET("/export/scorecard.:format", s.exportScorecard), kpi.ActView)
	s.rule(view.GET("/export/multi.:format", s.exportMulti), kpi.ActView)

	// Documents: everyone reads the documents of their scope; uploading and
	// confirming figures are entry rights (checked again per figure);
	// teaching the extractor a phrase is for administrators.
	s.rule(view.GET("/documents", s.documentsPage), kpi.ActView)
	s.rule(view.GET("/documents/:id", s.documentPage), kpi.ActView)
	docs := user.Group("/documents", allow(kpi.ActEnter))
	s.rule(docs.POST("", s.addDocument), kpi.ActEnter)
	s.rule(docs.POST("/:id/confirm", s.confirmFigures), kpi.ActEnter)
	docsAdmin := user.Group("/documents", allow(kpi.ActAdmin))
	s.rule(docsAdmin.POST("/:id/alias", s.addAlias), kpi.ActAdmin)

	entry := user.Group("/entry", allow(kpi.ActEnter))
	s.rule(entry.GET("", s.entryPage), kpi.ActEnter)
	s.rule(entry.POST("", s.saveEntry), kpi.ActEnter)
	s.rule(entry.GET("/template", s.entryTemplate), kpi.ActEnter)
	s.rule(entry.POST("/upload", s.uploadEntry), kpi.ActEnter)
	s.rule(entry.POST("/upload/confirm", s.confirmUpload), kpi.ActEnter)

	admin := user.Group("/backfill", allow(kpi.ActAdmin))
	s.rule(admin.GET("", s.backfillPage), kpi.ActAdmin)
	s.rule(admin.GET("/template", s.backfillTemplate), kpi.ActAdmin)
	s.rule(admin.POST("", s.uploadBackfill), kpi.ActAdmin)
	s.rule(admin.POST("/confirm", s.confirmUpload), kpi.ActAdmin)

	review := user.Group("", allow(kpi.ActReview))
	s.rule(review.GET("/review", s.reviewPage), kpi.ActReview)
	s.rule(review.POST("/review", s.review), kpi.ActReview)
	s.rule(review.GET("/completeness", s.completenessPage), kpi.ActReview)

	targets := user.Group("/targets", allow(kpi.ActSetTargets))
	s.rule(targets.GET("", s.targetsPage), kpi.ActSetTargets)
	s.rule(targets.POST("", s.saveTargets), kpi.ActSetTargets)
	s.rule(targets.GET("/template", s.targetsTemplate), kpi.ActSetTargets)
	s.rule(targets.POST("/upload", s.uploadTargets), kpi.ActSetTargets)
	s.rule(targets.POST("/confirm", s.confirmUpload), kpi.ActSetTargets)

	api := user.Group("/api/v1", allow(kpi.ActView))
	s.rule(api.GET("/indicators", s.apiIndicators), kpi.ActView)
	s.rule(api.GET("/regions", s.apiRegions), kpi.ActView)
	s.rule(api.GET("/series", s.apiSeries), kpi.ActView)
	s.rule(api.GET("/comparison", s.apiComparison), kpi.ActView)
	s.rule(api.GET("/targets", s.apiTargets), kpi.ActView)
	s.rule(api.GET("/scorecard", s.apiScorecard), kpi.ActView)
	s.rule(api.GET("/summary", s.apiSummary), kpi.ActView)
	s.rule(api.GET("/openapi.json", s.apiOpenAPI), kpi.ActView)

	// Each group with middleware registers a catch-all of its own, and the
	// last one registered (the reviewers') would answer an unknown path
	// with its 403. One catch-all for the site: an unknown path is a 404.
	e.RouteNotFound("/*", func(echo.Context) error { return echo.ErrNotFound })
}

// rule records the policy action a route is registered under.
func (s *Server) rule(r *echo.Route, act kpi.Action) {
	s.actions[r.Method+" "+r.Path] = act
}

// securityHeaders forbids inline scripts and framing; every script comes
// from /static.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "+
			"img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		return next(c)
	}
}

func cacheFor(d time.Duration) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Response().Header().Set("Cache-Control", "public, max-age="+itoa(int(d.Seconds())))
			return next(c)
		}
	}
}

// requestLog writes one structured line per request — request id, user,
// route pattern, status, duration — and counts it for /metrics.
func (s *Server) requestLog() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURI: true, LogMethod: true, LogLatency: true, LogRequestID: true, LogRoutePath: true,
		LogError: true, HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			user := ""
			if u := currentUser(c); u != nil {
				user = u.Name
			}
			attrs := []any{"id", v.RequestID, "user", user, "method", v.Method, "route", v.RoutePath, "uri", redactURI(v.URI),
				"status", v.Status, "ms", float64(v.Latency.Microseconds()) / 1000}
			if v.Error != nil {
				attrs = append(attrs, "err", v.Error.Error())
			}
			s.log.Info("request", attrs...)
			s.metrics.observe(v.RoutePath, v.Method, v.Status, v.Latency.Seconds())
			return nil
		},
	})
}

// secretParams are query parameters whose values never reach the log: the
// login form reads its fields with FormValue, so a client may put a
// password in the URL.
var secretParams = []string{"password", "_csrf", "token"}

// redactURI hides the values of secretParams in a request URI.
func redactURI(uri string) string {
	path, query, ok := strings.Cut(uri, "?")
	if !ok {
		return uri
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return path + "?[unparsable query]"
	}
	changed := false
	for _, name := range secretParams {
		for k := range q {
			if strings.EqualFold(k, name) {
				q[k], changed = []string{"REDACTED"}, true
			}
		}
	}
	if !changed {
		return uri
	}
	return path + "?" + q.Encode()
}

// maxBody bounds a request body: the largest upload (5 MB) and its form.
const maxBody = 6 << 20

const bodyKey = "govkpi.body"

// bodyLimit refuses a body over limit with 413. A declared Content-Length
// is refused at once; a chunked body is cut off when it passes the limit
// and the request remembers it, because form parsing swallows read errors
// (FormValue returns ""), so whatever the handler or the CSRF check then
// says, handleError answers 413.
func bodyLimit(limit int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			if req.ContentLength > limit {
				// Nothing after this may read the body: not the error
				// page's language lookup, not anything else.
				req.Body = http.NoBody
				return echo.ErrStatusRequestEntityTooLarge
			}
			if req.Body != nil && req.Body != http.NoBody {
				lr := &limitedBody{ReadCloser: req.Body, left: limit}
				req.Body = lr
				c.Set(bodyKey, lr)
			}
			return next(c)
		}
	}
}

// limitedBody fails reads past its limit and records that it did.
type limitedBody struct {
	io.ReadCloser
	left     int64
	exceeded bool
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, echo.ErrStatusRequestEntityTooLarge
	}
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.ReadCloser.Read(p)
	b.left -= int64(n)
	if b.left < 0 {
		b.exceeded = true
		return n, echo.ErrStatusRequestEntityTooLarge
	}
	return n, err
}

// bodyExceeded reports whether the request's body passed the limit.
func bodyExceeded(c echo.Context) bool {
	b, ok := c.Get(bodyKey).(*limitedBody)
	return ok && b.exceeded
}

// validUTF8 refuses parameters that are not UTF-8 text, naming the field,
// before any handler sees them: such bytes would be stored as they are and
// break every page, export and API response that shows them. (Uploaded
// files are not form fields; the sheet reader decodes GBK itself.)
func validUTF8(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		params := c.QueryParams()
		if c.Request().Method == http.MethodPost {
			form, err := c.FormParams()
			if err != nil {
				if bodyExceeded(c) {
					return echo.ErrStatusRequestEntityTooLarge
				}
				return kpi.Invalid("form", "请求内容无法解析", "the request's form cannot be read")
			}
			params = form // FormParams includes the query
		}
		for k, vs := range params {
			if !utf8.ValidString(k) {
				return kpi.Invalid("form", "请求参数名不是有效的 UTF-8 文本", "a parameter name is not valid UTF-8 text")
			}
			for _, v := range vs {
				if !utf8.ValidString(v) {
					return kpi.Invalid(k, "参数 %s 的值不是有效的 UTF-8 文本", "parameter %s is not valid UTF-8 text", k)
				}
			}
		}
		return next(c)
	}
}

// tokenMemo lets a request check the catalogue's and the regions' change
// tokens once, however often its handler asks for them (store.WithTokenMemo).
func tokenMemo(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		c.SetRequest(r.WithContext(store.WithTokenMemo(r.Context())))
		return next(c)
	}
}
