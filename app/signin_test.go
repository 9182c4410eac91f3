package app

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/parley-voip/parley/api"
	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/org"
	"github.com/parley-voip/parley/server/org/orgtest"
	"github.com/parley-voip/parley/server/tlsx"
)

// startTLSOrg runs a real organization over HTTPS with a self-signed
// certificate, as `parley-server serve` does off loopback, with alice.
func startTLSOrg(t *testing.T) *org.Org {
	t.Helper()
	dir := t.TempDir()
	cert, _, err := tlsx.LoadOrCreate(dir, []string{"127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	o := orgtest.Start(t, org.Config{Dir: dir, TLS: &cert})
	if _, err := o.Accounts.CreateUser(context.Background(), accounts.NewUser{ID: "alice", DisplayName: "Alice", Password: "correct horse battery"}); err != nil {
		t.Fatal(err)
	}
	return o
}

// softphoneOption changes a test Softphone's configuration.
type softphoneOption func(*SoftphoneConfig)

func newSoftphone(t *testing.T, prefs Preferences, opts ...softphoneOption) (*Softphone, *events) {
	t.Helper()
	cfg := SoftphoneConfig{
		Prefs:      prefs,
		OpenDevice: func(string, string) (audio.Device, error) { return audio.NewSyntheticDevice(nil, nil), nil },
		DataDir:    t.TempDir(),
		Logger:     quietLogger(),

		StartLocalOrg: startLocalOrg,
	}
	for _, o := range opts {
		o(&cfg)
	}
	sp, err := NewSoftphone(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ev := newEvents()
	sp.SetListener(ev)
	t.Cleanup(func() { _ = sp.Close() })
	return sp, ev
}

func TestSignInTrustOnFirstUse(t *testing.T) {
	t.Parallel()
	o := startTLSOrg(t)
	prefs := NewMemoryPreferences()
	sp, ev := newSoftphone(t, prefs)
	addr := strings.TrimPrefix(o.Server.BaseURL(), "https://")

	err := sp.SignIn(addr, "alice", "correct horse battery")
	var untrusted *UntrustedServerError
	if !errors.As(err, &untrusted) {
		t.Fatalf("first sign-in to a self-signed server: %v, want the trust prompt", err)
	}
	if untrusted.Fingerprint != o.Server.Fingerprint() {
		t.Fatalf("prompt shows %s, the server's certificate is %s", untrusted.Fingerprint, o.Server.Fingerprint())
	}

	// A wrong pin (an interceptor's certificate was accepted) never connects.
	sp.TrustServer(untrusted.Server, strings.Repeat("00:", 31)+"00")
	if err := sp.SignIn(addr, "alice", "correct horse battery"); err == nil || !errors.Is(err, api.ErrPinMismatch) {
		t.Fatalf("sign-in with a mismatched pin: %v, want a pin mismatch", err)
	}

	sp.TrustServer(untrusted.Server, untrusted.Fingerprint)
	if err := sp.SignIn(addr, "alice", "wrong password"); err == nil {
		t.Fatal("a wrong password signed in")
	}
	if err := sp.SignIn(addr, "alice", "correct horse battery"); err != nil {
		t.Fatalf("sign-in after trusting: %v", err)
	}
	ev.waitFor(t, "signed in with policy", func(e *events) bool { return e.signedIn && e.policy != nil })
	if ev.me.ID != "alice" || ev.me.Name != "Alice" {
		t.Fatalf("signed in as %+v", ev.me)
	}
	if ok, reason := sp.E2EEPolicy(); ok || reason != PolicyDisabledReason {
		t.Fatalf("a new organization's policy must not allow E2EE: %v %q", ok, reason)
	}
	_ = sp.Close()

	// The next start signs in with the saved session: no password, no prompt.
	sp2, ev2 := newSoftphone(t, prefs)
	if ok, err := sp2.Resume(); !ok || err != nil {
		t.Fatalf("resume: %v %v", ok, err)
	}
	ev2.waitFor(t, "resumed", func(e *events) bool { return e.signedIn })

	// An admin ends the session: the app shows the sign-in screen, and
	// forgets the token.
	ctx := context.Background()
	sessions, err := o.Accounts.Sessions(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range sessions {
		if err := o.Accounts.RevokeSession(ctx, "alice", s.ID); err != nil {
			t.Fatal(err)
		}
	}
	ev2.waitFor(t, "signed out", func(e *events) bool { return errors.Is(e.connErr, ErrSignedOut) })
	if NewSettings(prefs).Session() != "" {
		t.Fatal("the revoked token is still saved")
	}
}

func TestLocalOrganizationStartsAndOthersJoinByName(t *testing.T) {
	t.Parallel()
	sp, ev := newSoftphone(t, NewMemoryPreferences())
	if err := sp.StartLocal("Alice Smith"); err != nil {
		t.Fatal(err)
	}
	ev.waitFor(t, "signed in to the local org", func(e *events) bool { return e.signedIn && e.policy != nil })
	if ok, _ := sp.E2EEPolicy(); !ok {
		t.Fatal("a local organization lets its users turn E2EE on")
	}
	url := sp.LocalServerURL()
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("local organization at %q", url)
	}
	other, ev2 := newSoftphone(t, NewMemoryPreferences())
	if err := other.SignIn(url, "Bob", ""); err != nil {
		t.Fatalf("joining the local organization by name: %v", err)
	}
	ev2.waitFor(t, "bob sees alice", func(e *events) bool {
		for _, c := range e.contacts {
			if c.ID == "alice-smith" {
				return true
			}
		}
		return false
	})
	if err := other.SignIn(strings.Replace(url, "http://", "https://", 1), "Bob", ""); err == nil {
		t.Fatal("a password-less sign-in to a remote (https) organization was accepted")
	}
}

func TestSignOutEndsTheServerSession(t *testing.T) {
	t.Parallel()
	o := startTLSOrg(t)
	prefs := NewMemoryPreferences()
	sp, ev := newSoftphone(t, prefs)
	addr := strings.TrimPrefix(o.Server.BaseURL(), "https://")
	sp.TrustServer(addr, o.Server.Fingerprint())
	if err := sp.SignIn(addr, "alice", "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	ev.waitFor(t, "signed in", func(e *events) bool { return e.signedIn })
	token := NewSettings(prefs).Session()
	sp.SignOut()
	if NewSettings(prefs).Session() != "" {
		t.Fatal("the token is still saved after signing out")
	}
	if _, _, err := o.Accounts.Authenticate(context.Background(), token); err == nil {
		t.Fatal("the server still accepts the session after sign-out")
	}
	if ok, _ := sp.Resume(); ok {
		t.Fatal("after sign-out the next start must ask to sign in")
	}
}
