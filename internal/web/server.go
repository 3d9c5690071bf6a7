// Package web is govkpi's HTTP layer: echo routes, page handlers, the JSON
// API and chart options. It calls the store for data and the kpi package
// for judgement, and never builds SQL or business rules of its own.
package web

import (
	"html/template"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/govkpi/govkpi/internal/kpi"
	"github.com/govkpi/govkpi/internal/store"
)

// Server holds what the handlers share. It keeps no per-user or cached
// state, so any number of instances can serve one database.
type Server struct {
	store      *store.Store
	log        *slog.Logger
	pages      map[string]*template.Template
	tolerance  float64
	thresholds kpi.Thresholds
	sessions   store.SessionLimits
	deadlines  kpi.Deadlines
	// actions records the policy action of every route, so a test can
	// prove that no route is left without one.
	actions map[string]kpi.Action
	metrics *metrics
}

// Options are the settings of the dashboard; zero values take the defaults.
type Options struct {
	Deadlines  kpi.Deadlines
	Sessions   store.SessionLimits
	Thresholds kpi.Thresholds
	// Registry receives the server's Prometheus series; nil makes a
	// registry of the server's own (with Go runtime and process metrics).
	Registry *prometheus.Registry
}

// New returns the dashboard's HTTP handler.
func New(st *store.Store, logger *slog.Logger, opts ...Options) http.Handler {
	s := &Server{
		store:      st,
		log:        logger,
		pages:      parsePages(),
		tolerance:  kpi.DefaultTolerance,
		thresholds: kpi.DefaultThresholds,
		sessions:   store.DefaultSessionLimits,
		deadlines:  kpi.DefaultDeadlines,
		actions:    map[string]kpi.Action{},
	}
	var reg *prometheus.Registry
	for _, o := range opts {
		if o.Registry != nil {
			reg = o.Registry
		}
		if o.Deadlines != (kpi.Deadlines{}) {
			s.deadlines = o.Deadlines
		}
		if o.Sessions != (store.SessionLimits{}) {
			s.sessions = o.Sessions
		}
		if o.Thresholds != (kpi.Thresholds{}) {
			s.thresholds = o.Thresholds
		}
	}
	s.metrics = newMetrics(reg, st.Stats)
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.JSONSerializer = jsonSerializer{}
	s.routes(e)
	return e
}
