package store

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzParseURL: whatever --db says, ParseURL does not panic, and the label
// it shows in messages and logs never holds the password, in any of the
// three spellings of a server address.
func FuzzParseURL(f *testing.F) {
	for _, seed := range [][2]string{{"root", "secret"}, {"app", "p@ss:w@rd"}, {"u", "x%2Fy"}, {"", ""}, {"ü", "密码密码"}} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, user, pass string) {
		if strings.ContainsAny(user, ":@/()") || strings.ContainsAny(pass, "/()") || len(pass) < 4 ||
			strings.TrimSpace(user) != user || strings.TrimSpace(pass) != pass {
			t.Skip() // not a DSN the driver would read as user and password
		}
		for _, u := range []string{user, url.PathEscape(user), url.QueryEscape(user), url.User(user).String()} {
			if strings.Contains(u, pass) || strings.Contains(u, url.PathEscape(pass)) || strings.Contains(u, url.QueryEscape(pass)) {
				t.Skip() // the user name shows the same letters
			}
		}
		userinfo := url.UserPassword(user, pass)
		dsns := []string{
			user + ":" + pass + "@tcp(127.0.0.1:3306)/test",
			(&url.URL{Scheme: "postgres", User: userinfo, Host: "127.0.0.1:5432", Path: "/test"}).String(),
			(&url.URL{Scheme: "mysql", User: userinfo, Host: "127.0.0.1", Path: "/test"}).String(),
		}
		// The driver's own DSN: the label is exact, so that no part of a
		// password (after an "@" in it, say) can show.
		if cfg, err := ParseURL(dsns[0]); err != nil || cfg.Label != user+":xxxxx@tcp(127.0.0.1:3306)/test" {
			t.Fatalf("ParseURL(%q) = %q, %v", dsns[0], cfg.Label, err)
		}
		for _, dsn := range dsns[1:] {
			cfg, err := ParseURL(dsn)
			if err != nil {
				continue
			}
			shown := strings.ReplaceAll(cfg.Label, "xxxxx", "\x00")
			for _, p := range []string{pass, url.PathEscape(pass), url.QueryEscape(pass)} {
				if strings.Contains(shown, p) && !strings.Contains("127.0.0.1:3306/test5432postgresmysqltcp()@", p) {
					t.Fatalf("ParseURL(%q).Label = %q shows the password", dsn, cfg.Label)
				}
			}
		}
	})
}
