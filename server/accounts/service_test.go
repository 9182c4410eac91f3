package accounts

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestSignInAuthenticateSignOut(t *testing.T) {
	t.Parallel()
	s, clk := newTestService(t)
	ctx := context.Background()
	mustCreate(t, s, "alice", false)
	var revoked []string
	s.OnRevoke(func(u, se string) { revoked = append(revoked, u+"/"+se) })

	res := mustSignIn(t, s, "alice")
	// Email works as the login too, case-insensitively.
	if _, err := s.SignIn(ctx, "ALICE@example.org", "alice-password", "192.0.2.1", ""); err != nil {
		t.Fatalf("sign in by email: %v", err)
	}
	u, se, err := s.Authenticate(ctx, res.Token)
	if err != nil || u.ID != "alice" || se.ID != res.Session.ID {
		t.Fatalf("Authenticate = %+v %+v %v", u, se, err)
	}
	list, err := s.Sessions(ctx, "alice")
	if err != nil || len(list) != 2 {
		t.Fatalf("Sessions = %d, %v; want 2", len(list), err)
	}
	// The store keeps only the token's hash.
	var n int
	if err := s.store.(*SQLStore).db.QueryRow(`SELECT COUNT(*) FROM sessions WHERE token_hash = ?`, []byte(res.Token)).Scan(&n); err != nil || n != 0 {
		t.Fatalf("token stored in clear (n=%d, %v)", n, err)
	}
	if err := s.SignOut(ctx, res.Token); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Authenticate(ctx, res.Token); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("after sign-out: %v", err)
	}
	if len(revoked) != 1 || revoked[0] != "alice/"+res.Session.ID {
		t.Fatalf("revoked = %v", revoked)
	}
	_ = clk
}

func TestSessionExpirySlides(t *testing.T) {
	t.Parallel()
	s, clk := newTestService(t)
	ctx := context.Background()
	mustCreate(t, s, "bob", false)
	res := mustSignIn(t, s, "bob")
	ttl := s.cfg.SessionTTL
	clk.Advance(ttl - time.Hour)
	if _, _, err := s.Authenticate(ctx, res.Token); err != nil {
		t.Fatalf("before expiry: %v", err)
	}
	// Use extended it by another TTL.
	clk.Advance(ttl - time.Hour)
	if _, _, err := s.Authenticate(ctx, res.Token); err != nil {
		t.Fatalf("after sliding: %v", err)
	}
	clk.Advance(ttl + time.Second)
	if _, _, err := s.Authenticate(ctx, res.Token); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("after expiry: %v", err)
	}
}

func TestDisableAndPasswordResetEndSessions(t *testing.T) {
	t.Parallel()
	s, _ := newTestService(t)
	ctx := context.Background()
	mustCreate(t, s, "carol", false)
	a := mustSignIn(t, s, "carol")
	if err := s.SetEnabled(ctx, "carol", false); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Authenticate(ctx, a.Token); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("disabled user's token: %v", err)
	}
	if _, err := s.SignIn(ctx, "carol", "carol-password", "192.0.2.9", ""); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("disabled sign-in: %v", err)
	}
	if err := s.SetEnabled(ctx, "carol", true); err != nil {
		t.Fatal(err)
	}
	b := mustSignIn(t, s, "carol")
	if err := s.SetPassword(ctx, "carol", "new-password-1"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Authenticate(ctx, b.Token); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("token after password reset: %v", err)
	}
	if _, err := s.SignIn(ctx, "carol", "new-password-1", "192.0.2.9", ""); err != nil {
		t.Fatalf("new password: %v", err)
	}
}

func TestCreateUserValidation(t *testing.T) {
	t.Parallel()
	s, _ := newTestService(t)
	ctx := context.Background()
	mustCreate(t, s, "dave", false)
	tests := []struct {
		name string
		n    NewUser
		want error
	}{
		{"duplicate id", NewUser{ID: "dave", Password: "password1"}, ErrExists},
		{"duplicate email", NewUser{ID: "dave2", Email: "dave@example.org", Password: "password1"}, ErrExists},
		{"space in id", NewUser{ID: "da ve", Password: "password1"}, ErrInvalidUser},
		{"long id", NewUser{ID: string(make([]byte, 65)), Password: "password1"}, ErrInvalidUser},
		{"bad email", NewUser{ID: "erin", Email: "erin at example", Password: "password1"}, ErrInvalidUser},
		{"control in name", NewUser{ID: "erin", DisplayName: "E\x00", Password: "password1"}, ErrInvalidUser},
		{"short password", NewUser{ID: "erin", Password: "short"}, ErrWeakPassword},
	}
	for _, tc := range tests {
		if _, err := s.CreateUser(ctx, tc.n); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestInitOrgOnce(t *testing.T) {
	t.Parallel()
	s, _ := newTestService(t)
	ctx := context.Background()
	u, err := s.InitOrg(ctx, "Example Corp", NewUser{ID: "root", Password: "root-password"})
	if err != nil || !u.Admin {
		t.Fatalf("InitOrg = %+v, %v", u, err)
	}
	if name, _ := s.store.OrgName(ctx); name != "Example Corp" {
		t.Fatalf("org name %q", name)
	}
	if _, err := s.InitOrg(ctx, "Again", NewUser{ID: "root2", Password: "root-password"}); !errors.Is(err, ErrOrgExists) {
		t.Fatalf("second InitOrg: %v", err)
	}
}

func TestSignInThrottledPerAccountAndAddress(t *testing.T) {
	t.Parallel()
	s, clk := newTestService(t)
	ctx := context.Background()
	mustCreate(t, s, "frank", false)
	burst := s.throttle.cfg.AccountBurst
	for i := range burst {
		if _, err := s.SignIn(ctx, "frank", "wrong-password", "198.51.100.1", ""); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	// The right password from a fresh address is refused while the account
	// bucket is empty.
	_, err := s.SignIn(ctx, "frank", "frank-password", "198.51.100.2", "")
	var te *ThrottledError
	if !errors.As(err, &te) || te.RetryAfter <= 0 {
		t.Fatalf("after %d failures: %v, want ThrottledError", burst, err)
	}
	clk.Advance(s.throttle.cfg.AccountEvery)
	if _, err := s.SignIn(ctx, "frank", "frank-password", "198.51.100.2", ""); err != nil {
		t.Fatalf("after refill: %v", err)
	}

	// Per address: spraying many accounts from one address runs out too.
	addrBurst := s.throttle.cfg.AddressBurst
	for i := range addrBurst {
		_, err := s.SignIn(ctx, "nobody"+string(rune('a'+i)), "x", "203.0.113.7", "")
		if !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("spray %d: %v", i, err)
		}
	}
	if _, err := s.SignIn(ctx, "frank", "frank-password", "203.0.113.7", ""); !errors.As(err, &te) {
		t.Fatalf("address over budget: %v, want ThrottledError", err)
	}
}

func TestOpenSessionWithoutPassword(t *testing.T) {
	t.Parallel()
	s, _ := newTestService(t)
	ctx := context.Background()
	mustCreate(t, s, "local", false)
	res, err := s.OpenSession(ctx, "local", "127.0.0.1", "parley")
	if err != nil {
		t.Fatal(err)
	}
	if u, _, err := s.Authenticate(ctx, res.Token); err != nil || u.ID != "local" {
		t.Fatalf("Authenticate = %+v, %v", u, err)
	}
	if _, err := s.OpenSession(ctx, "nobody", "", ""); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown user: %v", err)
	}
	if err := s.SetEnabled(ctx, "local", false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.OpenSession(ctx, "local", "", ""); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("disabled user: %v", err)
	}
}
