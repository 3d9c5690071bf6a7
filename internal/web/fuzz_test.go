package web

import (
	"errors"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/govkpi/govkpi/internal/kpi"
)

// FuzzQueryParams feeds the query-string parsers any raw query: they never
// panic, and they either return values in range or an invalid-input
// *kpi.Error that names the parameter (the 400 a user sees).
func FuzzQueryParams(f *testing.F) {
	for _, seed := range []string{"region=330102&region=330100,330200", "year=2025&quarter=4", "year=-1&quarter=99",
		"region=1'%20OR%201=1", "year=%ff", "region=" + strings.Repeat("1,", 30), "quarter=%EF%BC%93", "year=99999999999999999999"} {
		f.Add(seed)
	}
	e := echo.New()
	f.Fuzz(func(t *testing.T, raw string) {
		req := httptest.NewRequest("GET", "/", nil)
		req.URL.RawQuery = raw
		c := e.NewContext(req, httptest.NewRecorder())
		invalid := func(name string, err error) {
			var ke *kpi.Error
			if !errors.As(err, &ke) || ke.Code != kpi.EINVALID || ke.Field != name || ke.Message == "" || ke.MessageEN == "" {
				t.Fatalf("%s from %q: %#v, want an invalid-input error naming %s", name, raw, err, name)
			}
		}
		if codes, err := regionParams(c, "region"); err != nil {
			invalid("region", err)
		} else {
			if len(codes) > 20 {
				t.Fatalf("%d regions from %q", len(codes), raw)
			}
			for _, code := range codes {
				if code < 100000 || code > 999999 {
					t.Fatalf("region %d from %q", code, raw)
				}
			}
		}
		if y, err := yearParam(c, "year", 2025); err != nil {
			invalid("year", err)
		} else if (kpi.Period{Year: y}).Validate() != nil {
			t.Fatalf("year %d from %q", y, raw)
		}
		if q, err := quarterParam(c); err != nil {
			invalid("quarter", err)
		} else if q < 0 || q > 4 {
			t.Fatalf("quarter %d from %q", q, raw)
		}
	})
}

// FuzzSafeNext: the page after login is always on this site.
func FuzzSafeNext(f *testing.F) {
	for _, seed := range []string{"/compare?year=2024", "//evil.example", "/\\evil", "https://evil", "/%2F%2Fevil", "\t//evil", "/\t/evil"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		u, err := url.Parse(got)
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.Contains(got, "\\") || (err == nil && u.Host != "") {
			t.Fatalf("safeNext(%q) = %q leaves the site", next, got)
		}
		// Browsers drop tabs and newlines from URLs: "/\t/evil" is "//evil".
		if cleaned := strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, got); strings.HasPrefix(cleaned, "//") || strings.HasPrefix(cleaned, "/\\") {
			t.Fatalf("safeNext(%q) = %q becomes %q in a browser", next, got, cleaned)
		}
	})
}

// FuzzRedactURI: a password in a logged URI never survives, whatever else
// the query holds.
func FuzzRedactURI(f *testing.F) {
	f.Add("/login", "name=a&x=1", "hunter22")
	f.Add("/login", "a=%zz", "s3cr3t!!")
	f.Add("/x", "Password=1;b=2", "p;a&ss=word")
	f.Fuzz(func(t *testing.T, path, query, secret string) {
		if len(secret) < 6 || strings.Contains(path+query, secret) || strings.Contains("REDACTED", secret) {
			t.Skip()
		}
		if strings.ContainsAny(path, "?#") {
			t.Skip()
		}
		uri := path + "?" + query + "&password=" + url.QueryEscape(secret)
		got := redactURI(uri)
		if strings.Contains(got, secret) || strings.Contains(got, url.QueryEscape(secret)) {
			t.Fatalf("redactURI(%q) = %q keeps the password", uri, got)
		}
	})
}
