// Package e2eetest runs a complete E2EE handshake between two in-process
// devices for the tests of packages that use its results (media, video):
// a call's media keys bound to the DTLS fingerprints the test's peers
// really present.
package e2eetest

import (
	"crypto/rand"
	"testing"

	"github.com/parley-voip/parley/crypto/e2ee"
	"github.com/parley-voip/parley/crypto/fingerprint"
	"github.com/parley-voip/parley/crypto/identity"
)

// Results runs the handshake of one call between a fresh initiator and
// responder device whose DTLS fingerprints are fpI and fpR, and returns
// both sides' results (same security code, mirrored keys).
func Results(t testing.TB, fpI, fpR fingerprint.Fingerprint) (initiator, responder *e2ee.Result) {
	t.Helper()
	cfg := func(role e2ee.Role) e2ee.Config {
		id, err := identity.Generate(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		return e2ee.Config{
			Role: role, Identity: id, CallID: "call-e2eetest",
			InitiatorID: "alice@example.org", ResponderID: "bob@example.org",
			InitiatorFingerprint: fpI, ResponderFingerprint: fpR,
		}
	}
	i, err := e2ee.New(cfg(e2ee.Initiator))
	if err != nil {
		t.Fatal(err)
	}
	r, err := e2ee.New(cfg(e2ee.Responder))
	if err != nil {
		t.Fatal(err)
	}
	msg, err := i.Start()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Start(); err != nil {
		t.Fatal(err)
	}
	// Messages go back and forth until both are done.
	to, other := r, i
	for msg != nil {
		reply, err := to.Handle(msg)
		if err != nil {
			t.Fatalf("handshake: %v", err)
		}
		msg, to, other = reply, other, to
	}
	ri, err := i.Result()
	if err != nil {
		t.Fatal(err)
	}
	rr, err := r.Result()
	if err != nil {
		t.Fatal(err)
	}
	return ri, rr
}
