package web

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

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
		middleware.BodyLimit("2M"),
		middleware.ContextTimeout(30*time.Second),
	)

	e.GET("/healthz", s.healthz)

	assets := e.Group("/static", cacheFor(24*time.Hour))
	assets.GET("/*", echo.WrapHandler(http.StripPrefix("/static/", http.FileServer(http.FS(static.Files)))))

	pages := e.Group("")
	pages.GET("/", s.cockpitPage)
	pages.GET("/trend", s.trendPage)
	pages.GET("/compare", s.comparePage)

	api := e.Group("/api/v1")
	api.GET("/indicators", s.apiIndicators)
	api.GET("/regions", s.apiRegions)
	api.GET("/series", s.apiSeries)
	api.GET("/comparison", s.apiComparison)
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
