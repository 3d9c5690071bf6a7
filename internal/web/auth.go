package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/govkpi/govkpi/internal/kpi"
)

const (
	sessionCookie = "govkpi_session"
	userKey       = "govkpi.user"
)

// currentUser is the logged-in user of the request, or nil.
func currentUser(c echo.Context) *kpi.User {
	u, _ := c.Get(userKey).(*kpi.User)
	return u
}

// bearer returns the API token of an Authorization: Bearer header.
func bearer(c echo.Context) (string, bool) {
	return strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
}

// authenticate finds the user from the session cookie or an API token and
// refuses anonymous requests: pages redirect to the login page, the API
// answers 401.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		u, err := s.lookupUser(c)
		if err != nil {
			if kpi.ErrorCode(err) == kpi.EUNAUTHORIZED && !isAPI(c) && c.Request().Method == http.MethodGet {
				return c.Redirect(http.StatusSeeOther, withLang(langOf(c), "/login", url.Values{"next": {c.Request().URL.RequestURI()}}))
			}
			return err
		}
		c.Set(userKey, &u)
		return next(c)
	}
}

// lookupUser finds the user of an API token or of the session cookie.
func (s *Server) lookupUser(c echo.Context) (kpi.User, error) {
	ctx := c.Request().Context()
	if token, ok := bearer(c); ok {
		return s.store.TokenUser(ctx, token)
	}
	token := ""
	if cookie, _ := c.Cookie(sessionCookie); cookie != nil {
		token = cookie.Value
	}
	return s.store.SessionUser(ctx, token, s.sessions)
}

func isAPI(c echo.Context) bool { return strings.HasPrefix(c.Request().URL.Path, "/api/") }

// allow lets through users whose role may perform act somewhere; the
// handler then asks again about the particular region and indicator. Both
// questions go to kpi.Authorize, the one policy.
func allow(act kpi.Action) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := kpi.Authorize(currentUser(c), act, kpi.Resource{}); err != nil {
				return err
			}
			return next(c)
		}
	}
}

// authorize asks the policy about act on a region (and an indicator).
func (s *Server) authorize(c echo.Context, act kpi.Action, region int, ind *kpi.Indicator) error {
	res := kpi.Resource{Indicator: ind}
	if region != 0 {
		path, err := s.store.Ancestors(c.Request().Context(), region)
		if err != nil {
			return err
		}
		for _, r := range path {
			res.Path = append(res.Path, r.Code)
		}
	}
	return kpi.Authorize(currentUser(c), act, res)
}

// authorizeRegions checks act on each region.
func (s *Server) authorizeRegions(c echo.Context, act kpi.Action, regions []kpi.Region) error {
	for _, r := range regions {
		if err := s.authorize(c, act, r.Code, nil); err != nil {
			return err
		}
	}
	return nil
}

// setSessionCookie sends the session secret: HttpOnly, SameSite=Lax, and
// Secure when the request came over TLS (directly or through a proxy).
func setSessionCookie(c echo.Context, value string, maxAge int) {
	c.SetCookie(&http.Cookie{
		Name: sessionCookie, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: c.Scheme() == "https",
	})
}
