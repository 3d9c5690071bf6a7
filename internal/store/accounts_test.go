package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/govkpi/govkpi/internal/kpi"
)

func seedAccounts(t testing.TB, s *Store) kpi.Department {
	t.Helper()
	s.SetBcryptCost(4)
	d, err := s.EnsureDepartment(context.Background(), a1, "justice", "")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestUsersAndLogin(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedReference(t, s)
		d := seedAccounts(t, s)
		if d.Name != "甲一县司法局" {
			t.Errorf("department name %q", d.Name)
		}
		ed, err := s.CreateUser(ctx, "t", NewUser{Name: "ed", Role: kpi.RoleEditor, Department: d.ID, Password: "password1"})
		if err != nil {
			t.Fatal(err)
		}
		if ed.Department == nil || ed.Department.Region != a1 || ed.Region != a1 {
			t.Errorf("editor = %+v", ed)
		}
		for _, bad := range []NewUser{
			{Name: "x", Role: kpi.RoleViewer, Password: "password1"},                     // name too short
			{Name: "vic", Role: "boss", Password: "password1"},                           // no such role
			{Name: "vic", Role: kpi.RoleViewer, Password: "short"},                       // password too short
			{Name: "vic", Role: kpi.RoleEditor, Password: "password1"},                   // editor without department
			{Name: "vic", Role: kpi.RoleViewer, Department: d.ID, Password: "password1"}, // viewer with department
			{Name: "vic", Role: kpi.RoleViewer, Region: 123456, Password: "password1"},   // no such region
		} {
			if _, err := s.CreateUser(ctx, "t", bad); kpi.ErrorCode(err) != kpi.EINVALID {
				t.Errorf("CreateUser(%+v) = %v, want invalid", bad, err)
			}
		}
		if _, err := s.CreateUser(ctx, "t", NewUser{Name: "ed", Role: kpi.RoleViewer, Password: "password1"}); kpi.ErrorCode(err) != kpi.ECONFLICT {
			t.Errorf("duplicate name: %v", err)
		}
		if _, err := s.Authenticate(ctx, "ed", "password1", "10.0.0.1"); err != nil {
			t.Fatalf("right password: %v", err)
		}
		if _, err := s.Authenticate(ctx, "ed", "wrong", "10.0.0.1"); kpi.ErrorCode(err) != kpi.EUNAUTHORIZED {
			t.Errorf("wrong password: %v", err)
		}
		if _, err := s.Authenticate(ctx, "nobody", "password1", "10.0.0.1"); kpi.ErrorCode(err) != kpi.EUNAUTHORIZED ||
			kpi.ErrorMessage(err, "zh") != "用户名或密码错误" {
			t.Errorf("unknown user: %v (must not reveal that the account does not exist)", err)
		}
	})
}

func TestLoginThrottle(t *testing.T) {
	s := mustOpenDB(t)
	ctx := context.Background()
	seedReference(t, s)
	seedAccounts(t, s)
	if _, err := s.CreateUser(ctx, "t", NewUser{Name: "vic", Role: kpi.RoleViewer, Password: "password1"}); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < maxAccountFailures; i++ {
		s.Authenticate(ctx, "vic", "nope", "10.0.0.2")
	}
	// Now even the right password is refused, for a while.
	if _, err := s.Authenticate(ctx, "vic", "password1", "10.0.0.3"); kpi.ErrorCode(err) != kpi.ETOOMANY {
		t.Fatalf("after %d failures: %v, want too many", maxAccountFailures, err)
	}
	later := time.Now().Add(throttleWindow + time.Minute)
	s.SetClock(func() time.Time { return later })
	if _, err := s.Authenticate(ctx, "vic", "password1", "10.0.0.3"); err != nil {
		t.Fatalf("after the window: %v", err)
	}
	// Per address: many accounts from one address.
	for i := 0; i < maxIPFailures; i++ {
		s.Authenticate(ctx, "guess"+strings.Repeat("x", i), "nope", "10.9.9.9")
	}
	if _, err := s.Authenticate(ctx, "vic", "password1", "10.9.9.9"); kpi.ErrorCode(err) != kpi.ETOOMANY {
		t.Errorf("address throttle: %v", err)
	}
}

func TestSessionsExpireAndEnd(t *testing.T) {
	forEachEngine(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		seedReference(t, s)
		seedAccounts(t, s)
		u, err := s.CreateUser(ctx, "t", NewUser{Name: "vic", Role: kpi.RoleViewer, Password: "password1"})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now().UTC()
		clock := start
		s.SetClock(func() time.Time { return clock })
		lim := SessionLimits{Idle: time.Hour, Absolute: 3 * time.Hour}
		token, err := s.CreateSession(ctx, u.ID, "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		if got, err := s.SessionUser(ctx, token, lim); err != nil || got.Name != "vic" {
			t.Fatalf("fresh session: %+v %v", got, err)
		}
		// Active every 50 minutes: the idle limit never hits, the absolute one does.
		for clock = start.Add(50 * time.Minute); clock.Before(start.Add(3 * time.Hour)); clock = clock.Add(50 * time.Minute) {
			if _, err := s.SessionUser(ctx, token, lim); err != nil {
				t.Fatalf("active session at +%v: %v", clock.Sub(start), err)
			}
		}
		clock = start.Add(3*time.Hour + time.Minute)
		if _, err := s.SessionUser(ctx, token, lim); kpi.ErrorCode(err) != kpi.EUNAUTHORIZED {
			t.Errorf("past the absolute limit: %v", err)
		}
		// Idle.
		clock = start
		token2, _ := s.CreateSession(ctx, u.ID, "10.0.0.1")
		clock = start.Add(61 * time.Minute)
		if _, err := s.SessionUser(ctx, token2, lim); kpi.ErrorCode(err) != kpi.EUNAUTHORIZED {
			t.Errorf("idle session: %v", err)
		}
		// Logout ends it on the server.
		token3, _ := s.CreateSession(ctx, u.ID, "10.0.0.1")
		if err := s.DeleteSession(ctx, token3); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SessionUser(ctx, token3, lim); kpi.ErrorCode(err) != kpi.EUNAUTHORIZED {
			t.Errorf("after logout: %v", err)
		}
		// A disabled account's live session ends with it.
		clock = start
		token4, _ := s.CreateSession(ctx, u.ID, "10.0.0.1")
		if err := s.db.Exec(`UPDATE users SET disabled = 1 WHERE id = ?`, u.ID).Error; err != nil {
			t.Fatal(err)
		}
		if _, err := s.SessionUser(ctx, token4, lim); kpi.ErrorCode(err) != kpi.EUNAUTHORIZED {
			t.Errorf("session of a disabled account: %v", err)
		}
		if err := s.db.Exec(`UPDATE users SET disabled = 0 WHERE id = ?`, u.ID).Error; err != nil {
			t.Fatal(err)
		}
		// API tokens.
		apiToken, err := s.CreateAPIToken(ctx, u.ID, "script")
		if err != nil {
			t.Fatal(err)
		}
		if got, err := s.TokenUser(ctx, apiToken); err != nil || got.ID != u.ID {
			t.Errorf("token user: %+v %v", got, err)
		}
		if _, err := s.TokenUser(ctx, apiToken+"x"); kpi.ErrorCode(err) != kpi.EUNAUTHORIZED {
			t.Errorf("bad token: %v", err)
		}
	})
}
