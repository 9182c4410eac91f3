package app

import (
	"errors"
	"net"
	"strings"
	"testing"
)

// Bug 1: signing out ends with the sign-in screen's event, whatever the
// closing link reports, and the last server and user are kept to fill in.
func TestSignOutEndsOnSignInWithLastServerAndUser(t *testing.T) {
	t.Parallel()
	o := startOrg(t, false)
	createUser(t, o, "alice")
	sp, ev := signedInSoftphone(t, o, "alice")
	sp.SignOut()
	ev.mu.Lock()
	err := ev.connErr
	ev.mu.Unlock()
	if !errors.Is(err, ErrUserSignedOut) {
		t.Fatalf("last link event after Sign out: %v, want ErrUserSignedOut", err)
	}
	server, login := sp.LastSignIn()
	if server != o.Server.BaseURL() || login != "alice" {
		t.Fatalf("LastSignIn = %q, %q; want %q, alice", server, login, o.Server.BaseURL())
	}
	// Signing in again works, and its events are reported again.
	if err := sp.SignIn(server, login, "password of alice"); err != nil {
		t.Fatal(err)
	}
	ev.waitFor(t, "signed in again", func(e *events) bool { return e.signedIn && e.connErr == nil })
}

// Bug 9: sign-in errors are short sentences next to the field, never Go's.
func TestSignInErrorsAreHuman(t *testing.T) {
	t.Parallel()
	o := startOrg(t, false)
	createUser(t, o, "alice")
	sp, _ := newSoftphone(t, NewMemoryPreferences())

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	_ = l.Close()
	plain := strings.TrimPrefix(o.Server.BaseURL(), "http://")

	for _, tc := range []struct {
		name, server, user, password string
		field                        SignInField
		msg                          string
	}{
		{"nobody listens", closed, "alice", "pw", FieldServer, MsgNoServer},
		{"not an address", "http://", "alice", "pw", FieldServer, MsgNotAnAddress},
		{"plain http off this computer", "http://192.0.2.1:7480", "alice", "pw", FieldServer, MsgPlainHTTP},
		{"wrong password", o.Server.BaseURL(), "alice", "wrong", FieldPassword, MsgBadPassword},
		{"no such host", "https://nosuchhost.invalid:7443", "alice", "pw", FieldServer, MsgUnknownHost},
	} {
		err := sp.SignIn(tc.server, tc.user, tc.password)
		var se *SignInError
		if !errors.As(err, &se) || se.Field != tc.field || se.Message != tc.msg {
			t.Errorf("%s: %v (%#v), want %q on %s", tc.name, err, se, tc.msg, tc.field)
		}
		if err != nil && (strings.Contains(err.Error(), "dial tcp") || strings.Contains(err.Error(), "http:")) {
			t.Errorf("%s: raw error text %q", tc.name, err.Error())
		}
	}

	// An address without a scheme on this computer finds the plain-http
	// server (https first; it does not speak TLS).
	if err := sp.SignIn(plain, "alice", "password of alice"); err != nil {
		t.Fatalf("sign-in to %s without a scheme: %v", plain, err)
	}
	if server, _ := sp.LastSignIn(); server != o.Server.BaseURL() {
		t.Fatalf("saved server %q, want %q", server, o.Server.BaseURL())
	}
}
