package web

import (
	"database/sql"
	"errors"
	"net"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/govkpi/govkpi/internal/kpi"
)

// metrics are the server's Prometheus series. They live in a registry the
// server is given (or makes), never in the package-global default one, so
// that two servers in one process (tests, several handlers) do not collide.
type metrics struct {
	registry      *prometheus.Registry
	requests      *prometheus.CounterVec
	duration      *prometheus.HistogramVec
	valuesWritten *prometheus.CounterVec
	uploads       *prometheus.CounterVec
	loginFailures *prometheus.CounterVec
}

// newMetrics registers govkpi's series in reg; a nil reg gets a fresh
// registry with the Go runtime and process collectors as well.
func newMetrics(reg *prometheus.Registry, pool func() sql.DBStats) *metrics {
	if reg == nil {
		reg = prometheus.NewRegistry()
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	m := &metrics{
		registry: reg,
		// The route label is the pattern (/compare, /export/compare.:format),
		// never the raw path: raw paths would let any client mint series.
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govkpi_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "govkpi_http_request_duration_seconds", Help: "HTTP request durations by route pattern, method and status.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route", "method", "status"}),
		valuesWritten: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govkpi_values_written_total", Help: "Figures and targets written, by kind (value, target) and path (form, upload).",
		}, []string{"kind", "via"}),
		uploads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govkpi_uploads_total", Help: "Uploaded sheets by kind (entry, backfill, targets) and outcome (previewed, rejected, confirmed).",
		}, []string{"kind", "outcome"}),
		loginFailures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "govkpi_login_failures_total", Help: "Refused logins by reason (password, throttled).",
		}, []string{"reason"}),
	}
	// Several servers may share one registry (instances of the handler in
	// one process): they then count into the same series.
	m.requests = register(reg, m.requests)
	m.duration = register(reg, m.duration)
	m.valuesWritten = register(reg, m.valuesWritten)
	m.uploads = register(reg, m.uploads)
	m.loginFailures = register(reg, m.loginFailures)
	register(reg, prometheus.Collector(poolCollector{pool}))
	return m
}

// register adds c to reg, or returns the equal collector already there.
func register[C prometheus.Collector](reg *prometheus.Registry, c C) C {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
		panic(err) // a programming error: two different series of one name
	}
	return c
}

// observe records one finished request.
func (m *metrics) observe(route, method string, status int, seconds float64) {
	if route == "" {
		route = "unmatched"
	}
	code := strconv.Itoa(status)
	m.requests.WithLabelValues(route, method, code).Inc()
	m.duration.WithLabelValues(route, method, code).Observe(seconds)
}

// poolCollector reads the database pool's statistics at scrape time, as
// the standard library reports them.
type poolCollector struct{ stats func() sql.DBStats }

var (
	poolMaxOpen   = prometheus.NewDesc("govkpi_db_max_open_connections", "Maximum open connections of the database pool.", nil, nil)
	poolOpen      = prometheus.NewDesc("govkpi_db_open_connections", "Open connections, in use and idle.", nil, nil)
	poolInUse     = prometheus.NewDesc("govkpi_db_in_use_connections", "Connections in use.", nil, nil)
	poolIdle      = prometheus.NewDesc("govkpi_db_idle_connections", "Idle connections.", nil, nil)
	poolWaits     = prometheus.NewDesc("govkpi_db_wait_count_total", "Requests that waited for a connection.", nil, nil)
	poolWaitTime  = prometheus.NewDesc("govkpi_db_wait_duration_seconds_total", "Time spent waiting for a connection.", nil, nil)
	poolIdleClose = prometheus.NewDesc("govkpi_db_max_idle_time_closed_total", "Connections closed for being idle too long.", nil, nil)
)

func (poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolMaxOpen, poolOpen, poolInUse, poolIdle, poolWaits, poolWaitTime, poolIdleClose} {
		ch <- d
	}
}

func (p poolCollector) Collect(ch chan<- prometheus.Metric) {
	st := p.stats()
	ch <- prometheus.MustNewConstMetric(poolMaxOpen, prometheus.GaugeValue, float64(st.MaxOpenConnections))
	ch <- prometheus.MustNewConstMetric(poolOpen, prometheus.GaugeValue, float64(st.OpenConnections))
	ch <- prometheus.MustNewConstMetric(poolInUse, prometheus.GaugeValue, float64(st.InUse))
	ch <- prometheus.MustNewConstMetric(poolIdle, prometheus.GaugeValue, float64(st.Idle))
	ch <- prometheus.MustNewConstMetric(poolWaits, prometheus.CounterValue, float64(st.WaitCount))
	ch <- prometheus.MustNewConstMetric(poolWaitTime, prometheus.CounterValue, st.WaitDuration.Seconds())
	ch <- prometheus.MustNewConstMetric(poolIdleClose, prometheus.CounterValue, float64(st.MaxIdleTimeClosed))
}

// metricsPage serves /metrics. Who may read it: a scraper on the same
// machine (a loopback peer that did not come through a proxy), or a
// logged-in administrator (session or API token). Anyone else is refused:
// route names, error rates and login failures tell an attacker too much.
func (s *Server) metricsPage(c echo.Context) error {
	if !directLoopback(c.Request()) {
		u, err := s.lookupUser(c)
		if err != nil {
			return err
		}
		if err := kpi.Authorize(&u, kpi.ActAdmin, kpi.Resource{}); err != nil {
			return err
		}
	}
	promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{ErrorLog: nil}).ServeHTTP(c.Response(), c.Request())
	return nil
}

// directLoopback reports whether the TCP peer is this machine and no proxy
// header says the request came from further away. It reads RemoteAddr, not
// RealIP: forwarding headers are set by the client and prove nothing, and a
// reverse proxy on the same host must not make /metrics public.
func directLoopback(r *http.Request) bool {
	for _, h := range []string{echo.HeaderXForwardedFor, echo.HeaderXRealIP, "Forwarded"} {
		if r.Header.Get(h) != "" {
			return false
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
