package rtc

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/parley-voip/parley/crypto/fingerprint"
	"github.com/pion/webrtc/v4"
)

// TestVerifyRemoteCertificate: after DTLS the certificate the peer actually
// presented is checked against a fingerprint, under that fingerprint's hash.
func TestVerifyRemoteCertificate(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	a, b := newTestPeer(t), newTestPeer(t)
	if err := a.VerifyRemoteCertificate(b.LocalFingerprint()); !errors.Is(err, ErrNoRemoteCertificate) {
		t.Fatalf("before DTLS: %v, want ErrNoRemoteCertificate", err)
	}
	connectPair(ctx, t, a, b)
	if err := a.VerifyRemoteCertificate(a.RemoteFingerprint()); err != nil {
		t.Fatalf("genuine certificate: %v", err)
	}
	if err := a.VerifyRemoteCertificate(a.LocalFingerprint()); !errors.Is(err, ErrCertificateMismatch) {
		t.Fatalf("another certificate's fingerprint: %v, want ErrCertificateMismatch", err)
	}
	der := a.dtls.GetRemoteCertificate()
	if err := a.VerifyRemoteCertificate(fingerprint.FromCertificate(fingerprint.SHA512, der)); err != nil {
		t.Fatalf("sha-512 fingerprint of the same certificate: %v", err)
	}
	if err := a.VerifyRemoteCertificate(fingerprint.Fingerprint{}); !errors.Is(err, ErrCertificateMismatch) {
		t.Fatalf("zero fingerprint: %v, want ErrCertificateMismatch", err)
	}
}

// TestCertificateMismatchRefusedBeforeMedia: the callee's description names
// a certificate the caller does not present (a man in the middle rewrote
// the offer's fingerprint, the value the E2EE transcript binds), and pion's
// own fingerprint check is switched off. The Peer's check still refuses the
// connection: the callee reports failed, never connected, and delivers no
// frame of the caller's.
func TestCertificateMismatchRefusedBeforeMedia(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	caller := newTestPeer(t)
	cfg := quietConfig()
	cfg.tweakSettings = func(se *webrtc.SettingEngine) { se.DisableCertificateFingerprintVerification(true) }
	callee, err := NewPeer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = callee.Close() })

	states := make(chan State, 16)
	callee.OnStateChange(func(s State) {
		select {
		case states <- s:
		default:
		}
	})
	trickle(t, caller, callee)
	trickle(t, callee, caller)
	offer, err := caller.CreateOffer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fake := fingerprint.FromCertificate(fingerprint.SHA256, []byte("the attacker's certificate"))
	real := caller.LocalFingerprint().String()
	if !strings.Contains(offer, real) {
		t.Fatalf("offer does not carry %s", real)
	}
	answer, err := callee.AcceptOffer(ctx, strings.ReplaceAll(offer, real, fake.String()))
	if err != nil {
		t.Fatal(err)
	}
	if !callee.RemoteFingerprint().Equal(fake) {
		t.Fatalf("callee binds %s, want %s", callee.RemoteFingerprint(), fake)
	}
	if err := caller.AcceptAnswer(answer); err != nil {
		t.Fatal(err)
	}
	sendCtx, stop := context.WithCancel(ctx)
	defer stop()
	go sendUntilDone(sendCtx, caller, "a")

	for done := false; !done; {
		select {
		case s := <-states:
			switch s {
			case StateConnected:
				t.Fatal("callee connected to a peer whose certificate does not match")
			case StateFailed:
				done = true
			}
		case <-ctx.Done():
			t.Fatal("callee never failed")
		}
	}
	if err := callee.VerifyRemoteCertificate(fake); !errors.Is(err, ErrCertificateMismatch) {
		t.Fatalf("VerifyRemoteCertificate = %v, want ErrCertificateMismatch", err)
	}
	if err := callee.SetReadDeadline(time.Now().Add(2 * time.Second)); err != nil && !errors.Is(err, ErrClosed) {
		t.Fatal(err)
	}
	if f, err := callee.ReadFrame(); err == nil {
		t.Fatalf("callee delivered a frame %q from the unverified peer", f.Payload)
	}
}
