package accounts

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

func withMaxSessions(n int) serviceOption { return func(c *Config) { c.MaxSessionsPerUser = n } }

// TestSessionLimitEndsLeastRecentlyUsed: signing in on one device too many
// ends the session used longest ago (and tells OnRevoke, which closes its
// connections); the new device and the recently used ones keep working.
func TestSessionLimitEndsLeastRecentlyUsed(t *testing.T) {
	t.Parallel()
	s, clk := newTestService(t, withMaxSessions(3))
	ctx := context.Background()
	mustCreate(t, s, "ivan", false)
	var revoked []string
	s.OnRevoke(func(u, se string) { revoked = append(revoked, u+"/"+se) })

	var devs []SignedIn
	for range 3 {
		devs = append(devs, mustSignIn(t, s, "ivan"))
		clk.Advance(2 * time.Minute)
	}
	// The first device is used again, so the second is now the least
	// recently used.
	if _, _, err := s.Authenticate(ctx, devs[0].Token); err != nil {
		t.Fatal(err)
	}
	clk.Advance(2 * time.Minute)
	fourth := mustSignIn(t, s, "ivan")

	if _, _, err := s.Authenticate(ctx, devs[1].Token); !errors.Is(err, ErrUnauthenticated) {
		t.Fatalf("least recently used session after the 4th sign-in: %v, want ended", err)
	}
	for _, d := range []SignedIn{devs[0], devs[2], fourth} {
		if _, _, err := s.Authenticate(ctx, d.Token); err != nil {
			t.Fatalf("session %s ended: %v", d.Session.ID, err)
		}
	}
	if want := []string{"ivan/" + devs[1].Session.ID}; !slices.Equal(revoked, want) {
		t.Fatalf("revoked %v, want %v", revoked, want)
	}
	list, err := s.Sessions(ctx, "ivan")
	if err != nil || len(list) != 3 {
		t.Fatalf("%d sessions (%v), want 3", len(list), err)
	}
}

// TestSessionLimitDefault: without configuration a user keeps at most
// DefaultMaxSessionsPerUser sessions.
func TestSessionLimitDefault(t *testing.T) {
	t.Parallel()
	s, _ := newTestService(t)
	mustCreate(t, s, "judy", false)
	for range DefaultMaxSessionsPerUser + 5 {
		if _, err := s.OpenSession(context.Background(), "judy", "192.0.2.1", ""); err != nil {
			t.Fatal(err)
		}
	}
	if list, _ := s.Sessions(context.Background(), "judy"); len(list) != DefaultMaxSessionsPerUser {
		t.Fatalf("%d sessions, want %d", len(list), DefaultMaxSessionsPerUser)
	}
}

func TestSessionLimitValidate(t *testing.T) {
	t.Parallel()
	for n, ok := range map[int]bool{-2: false, -1: true, 0: true, 1: true} {
		err := Config{Store: &SQLStore{}, MaxSessionsPerUser: n}.Validate()
		if (err == nil) != ok {
			t.Errorf("MaxSessionsPerUser %d: %v", n, err)
		}
	}
}
