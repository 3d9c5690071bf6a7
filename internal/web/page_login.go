package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/govkpi/govkpi/internal/kpi"
)

type loginView struct {
	Name  string
	Next  string
	Error string
}

// safeNext keeps a post-login redirect on this site. Control characters
// are refused too: browsers drop tabs and newlines from a URL, so "/\t/evil"
// would become "//evil", another site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") ||
		strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return "/"
	}
	return next
}

func (s *Server) loginPage(c echo.Context) error {
	p := s.basePage(c, tr(langOf(c), "login.title"))
	p.View = loginView{Next: safeNext(c.QueryParam("next"))}
	return s.render(c, http.StatusOK, "login.html", p)
}

// login checks the password, then starts a new session: a fresh id at every
// login, so an id planted beforehand is worthless.
func (s *Server) login(c echo.Context) error {
	ctx := c.Request().Context()
	name := strings.TrimSpace(c.FormValue("name"))
	next := safeNext(c.FormValue("next"))
	u, err := s.store.Authenticate(ctx, name, c.FormValue("password"), c.RealIP())
	if err != nil {
		reason := "password"
		if kpi.ErrorCode(err) == kpi.ETOOMANY {
			reason = "throttled"
		}
		s.metrics.loginFailures.WithLabelValues(reason).Inc()
		p := s.basePage(c, tr(langOf(c), "login.title"))
		p.View = loginView{Name: name, Next: next, Error: errorText(err, p.Lang)}
		status := http.StatusUnauthorized
		if code := statusFor(err); code != http.StatusInternalServerError {
			status = code
		}
		return s.render(c, status, "login.html", p)
	}
	token, err := s.store.CreateSession(ctx, u.ID, c.RealIP())
	if err != nil {
		return err
	}
	setSessionCookie(c, token, int(s.sessions.Absolute.Seconds()))
	s.log.Info("login", "user", u.Name, "ip", c.RealIP())
	return c.Redirect(http.StatusSeeOther, next)
}

// logout ends the session on the server, not just in the browser.
func (s *Server) logout(c echo.Context) error {
	if cookie, err := c.Cookie(sessionCookie); err == nil {
		if err := s.store.DeleteSession(c.Request().Context(), cookie.Value); err != nil {
			return err
		}
	}
	setSessionCookie(c, "", -1)
	return c.Redirect(http.StatusSeeOther, withLang(langOf(c), "/login", url.Values{}))
}
