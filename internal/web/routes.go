package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/govkpi/govkpi/internal/kpi"
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
		middleware.BodyLimit("6M"), // uploads: the sheet reader's own limit is 5 MB
		middleware.ContextTimeout(30*time.Second),
	)

	e.GET("/healthz", s.healthz)
	assets := e.Group("/static", cacheFor(24*time.Hour))
	assets.GET("/*", echo.WrapHandler(http.StripPrefix("/static/", http.FileServer(http.FS(static.Files)))))

	// Everything below carries a CSRF token in its forms; API calls with
	// a bearer token are not cookie-authenticated and need none.
	app := e.Group("", middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup: "form:_csrf,header:X-CSRF-Token", CookieName: "govkpi_csrf", CookiePath: "/",
		CookieHTTPOnly: true, CookieSameSite: http.SameSiteStrictMode,
		Skipper: func(c echo.Context) bool { _, ok := bearer(c); return ok },
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

// requestLog writes one structured line per request.
func (s *Server) requestLog() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURI: true, LogMethod: true, LogLatency: true, LogRequestID: true, LogRoutePath: true,
		LogError: true, HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			attrs := []any{"id", v.RequestID, "method", v.Method, "route", v.RoutePath, "uri", v.URI,
				"status", v.Status, "ms", float64(v.Latency.Microseconds()) / 1000}
			if v.Error != nil {
				attrs = append(attrs, "err", v.Error.Error())
			}
			s.log.Info("request", attrs...)
			return nil
		},
	})
}
