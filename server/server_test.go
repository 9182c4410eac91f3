package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/parley-voip/parley/signaling"
)

func TestPresence(t *testing.T) {
	t.Parallel()
	s := startServer(t, Config{})
	alice := dial(t, s, "alice")
	if w := alice.conn.Welcome(); w.User.ID != "alice" || w.User.Name != "Name of alice" || w.ServerVersion != "dev" {
		t.Fatalf("welcome = %+v", w)
	}
	alice.awaitPresence("alice alone", presenceIs("alice=available"))
	bob := dial(t, s, "bob")
	alice.awaitPresence("bob joins", presenceIs("alice=available", "bob=available"))
	bob.awaitPresence("bob sees both", func(u []signaling.PresenceEntry) bool {
		return presenceIs("alice=available", "bob=available")(u) && u[1].Name == "Name of bob"
	})
	_ = bob.conn.Close()
	alice.awaitPresence("bob leaves", presenceIs("alice=available"))
}

func TestAuthenticator(t *testing.T) {
	t.Parallel()
	auth := AuthenticatorFunc(func(_ context.Context, r *http.Request, hello *signaling.Message) (Identity, error) {
		u := *hello.User
		if r.Header.Get("X-Token") != "secret-"+u.ID {
			return Identity{}, fmt.Errorf("%w: bad token", ErrUnauthorized)
		}
		u.Name = strings.ToUpper(u.ID)
		return Identity{User: u, Device: u.ID}, nil
	})
	s := startServer(t, Config{}, WithAuthenticator(auth))
	ctx := testCtx(t)
	_, err := signaling.Dial(ctx, s.URL(), signaling.User{ID: "mallory"})
	var se *signaling.ServerError
	if !errors.As(err, &se) || se.Code != signaling.CodeUnauthorized {
		t.Fatalf("Dial without token = %v, want unauthorized", err)
	}
	c, err := signaling.Dial(ctx, s.URL(), signaling.User{ID: "alice", Name: "claimed"},
		signaling.WithHeader(http.Header{"X-Token": {"secret-alice"}}))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if w := c.Welcome(); w.User.Name != "ALICE" {
		t.Fatalf("welcome = %+v, want the authenticated name", w)
	}
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	s := startServer(t, Config{Version: "1.2.3"})
	alice, bob := dial(t, s, "alice"), dial(t, s, "bob")
	setupCall(alice, bob, "c1")
	resp, err := http.Get("http://" + s.Addr() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var h struct {
		Status, Version string
		Online, Calls   int
	}
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || h.Status != "ok" || h.Version != "1.2.3" || h.Online != 2 || h.Calls != 1 {
		t.Fatalf("healthz = %d %+v", resp.StatusCode, h)
	}
}

func TestShutdownClosesClients(t *testing.T) {
	t.Parallel()
	s, err := New(Config{}, WithTrustedClaims())
	if err != nil {
		t.Fatal(err)
	}
	if s.URL() != "" {
		t.Fatalf("URL before start = %q", s.URL())
	}
	ctx := testCtx(t)
	if _, err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	alice := dial(t, s, "alice")
	if err := s.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	var ce *signaling.CloseError
	if err := alice.awaitClosed(); !errors.As(err, &ce) || ce.Code != 1001 {
		t.Fatalf("client ended with %v, want close 1001", err)
	}
	if _, err := signaling.Dial(ctx, s.URL(), signaling.User{ID: "late"}); err == nil {
		t.Fatal("Dial after Shutdown succeeded")
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	bad := map[string]Config{
		"tiny messages":  {MaxMessageBytes: 10},
		"huge messages":  {MaxMessageBytes: 1 << 30},
		"negative rate":  {RateLimit: -1},
		"negative burst": {RateBurst: -1},
		"negative queue": {SendQueue: -5},
		"negative abuse": {RateAbuseLimit: -1},
		"write timeout":  {WriteTimeout: -1},
		"hello timeout":  {HelloTimeout: -1},
		"long version":   {Version: strings.Repeat("v", 100)},
	}
	for name, cfg := range bad {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := New(cfg); !errors.Is(err, ErrInvalidConfig) {
				t.Fatalf("New = %v, want ErrInvalidConfig", err)
			}
		})
	}
	if err := (Config{}).Validate(); err != nil {
		t.Fatalf("zero Config: %v", err)
	}
}
