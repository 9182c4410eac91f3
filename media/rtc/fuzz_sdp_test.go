package rtc

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/parley-voip/parley/crypto/fingerprint"
)

// remoteSDPErrors are the typed errors remote descriptions may cause.
var remoteSDPErrors = []error{ErrSDPTooLarge, ErrMalformedSDP, ErrNoAudio, ErrNoFingerprint,
	fingerprint.ErrTooLarge, fingerprint.ErrMalformed, fingerprint.ErrWeakHash, fingerprint.ErrUnknownHash}

func isOneOf(err error, targets ...error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}

// realOffer is an offer a Peer made, for seeds and for checking that a
// refused description left the callee usable.
func realOffer(t testing.TB) string {
	t.Helper()
	p, err := NewPeer(quietConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	offer, err := p.CreateOffer(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return offer
}

// FuzzRemoteOffer gives a callee a remote offer and trickled candidates
// from the network, candidates first or after, as signaling may deliver
// them. Properties: every refusal is one of the package's typed errors; an
// accepted offer yields an answer whose fingerprint parses and a remote
// fingerprint equal to the offer's; a refused offer leaves the Peer as it
// was, so the genuine offer is accepted afterwards.
func FuzzRemoteOffer(f *testing.F) {
	good := realOffer(f)
	f.Add(good, "candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host", false)
	f.Add(good, "candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host", true)
	f.Add(strings.Replace(good, "m=audio", "m=video", 1), "", false)
	f.Add(strings.Replace(good, "sha-256", "md5", 1), "", false)
	f.Add(strings.Replace(good, "a=fingerprint:", "a=fingerprint:sha-256 zz", 1), "", false)
	f.Add(strings.Replace(good, "a=ice-ufrag:", "a=x:", -1), "", true)
	f.Add(strings.Replace(good, "BUNDLE", "BUNDLE 7", 1), "candidate:x", false)
	f.Add("v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n", "", false)
	f.Add("", "", false)
	for _, v := range loadFingerprintVectors(f) {
		f.Add(v.SDP, "", false)
	}
	f.Fuzz(func(t *testing.T, offer, cand string, candFirst bool) {
		ctx := context.Background()
		p := newTestPeer(t)
		addCand := func() {
			err := p.AddRemoteCandidate(Candidate{Candidate: cand})
			if err != nil && !isOneOf(err, ErrMalformedCandidate, ErrCandidateTooLarge, ErrTooManyCandidates) {
				t.Fatalf("AddRemoteCandidate(%q): untyped error %v", cand, err)
			}
		}
		if candFirst {
			addCand()
		}
		answer, err := p.AcceptOffer(ctx, offer)
		if err != nil {
			if answer != "" {
				t.Fatalf("error %v with an answer", err)
			}
			if !isOneOf(err, remoteSDPErrors...) {
				t.Fatalf("AcceptOffer: untyped error %v", err)
			}
			if !p.RemoteFingerprint().IsZero() {
				t.Fatalf("refused offer left remote fingerprint %q", p.RemoteFingerprint())
			}
			if _, err2 := p.AcceptOffer(ctx, good); err2 != nil {
				t.Fatalf("after a refused offer (%v) the genuine one fails: %v", err, err2)
			}
			return
		}
		want, err := ParseFingerprint(offer)
		if err != nil {
			t.Fatalf("accepted an offer whose fingerprint does not parse: %v", err)
		}
		if got := p.RemoteFingerprint(); !got.Equal(want) {
			t.Fatalf("remote fingerprint %q, offer says %q", got, want)
		}
		if fp, err := ParseFingerprint(answer); err != nil || !fp.Equal(p.LocalFingerprint()) {
			t.Fatalf("answer fingerprint %q, %v; local %q", fp, err, p.LocalFingerprint())
		}
		if !candFirst {
			addCand()
		}
		if _, err := p.AcceptOffer(ctx, good); !errors.Is(err, ErrWrongState) {
			t.Fatalf("second offer: %v, want ErrWrongState", err)
		}
	})
}

// FuzzRemoteAnswer gives a caller that made an offer a remote answer.
// Properties as for offers: typed errors only, the remote fingerprint set
// exactly when accepted, and a refused answer leaves the offer pending, so
// the genuine answer is accepted afterwards.
func FuzzRemoteAnswer(f *testing.F) {
	// A genuine answer needs the caller's offer; seeds are mutations of
	// one made the same way.
	seedCaller, err := NewPeer(quietConfig())
	if err != nil {
		f.Fatal(err)
	}
	seedCallee, err := NewPeer(quietConfig())
	if err != nil {
		f.Fatal(err)
	}
	offer, err := seedCaller.CreateOffer(context.Background())
	if err != nil {
		f.Fatal(err)
	}
	sample, err := seedCallee.AcceptOffer(context.Background(), offer)
	if err != nil {
		f.Fatal(err)
	}
	seedCaller.Close()
	seedCallee.Close()
	f.Add(sample)
	f.Add(strings.Replace(sample, "a=setup:active", "a=setup:actpass", 1))
	f.Add(strings.Replace(sample, "a=fingerprint:sha-256 ", "a=fingerprint:sha-1 ", 1))
	f.Add(strings.Replace(sample, "m=audio", "m=application", 1))
	f.Add(sample[:len(sample)/2])
	f.Fuzz(func(t *testing.T, answer string) {
		ctx := context.Background()
		caller, callee := newTestPeer(t), newTestPeer(t)
		offer, err := caller.CreateOffer(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := caller.AcceptAnswer(answer); err != nil {
			if !isOneOf(err, remoteSDPErrors...) {
				t.Fatalf("AcceptAnswer: untyped error %v", err)
			}
			if !caller.RemoteFingerprint().IsZero() {
				t.Fatalf("refused answer left remote fingerprint %q", caller.RemoteFingerprint())
			}
			genuine, err := callee.AcceptOffer(ctx, offer)
			if err != nil {
				t.Fatal(err)
			}
			if err := caller.AcceptAnswer(genuine); err != nil {
				t.Fatalf("after a refused answer the genuine one fails: %v", err)
			}
			return
		}
		want, err := ParseFingerprint(answer)
		if err != nil || !caller.RemoteFingerprint().Equal(want) {
			t.Fatalf("accepted; remote fingerprint %q, answer's %q (%v)", caller.RemoteFingerprint(), want, err)
		}
		if err := caller.AcceptAnswer(answer); !errors.Is(err, ErrWrongState) {
			t.Fatalf("second answer: %v, want ErrWrongState", err)
		}
	})
}

// TestRefusedOfferLeavesPeerUsable is what FuzzRemoteOffer found: pion's
// SetRemoteDescription refuses an offer without ice-ufrag only after moving
// to have-remote-offer (and refuses a rollback from there), so the genuine
// offer that followed failed. checkICE now refuses it before pion sees it.
func TestRefusedOfferLeavesPeerUsable(t *testing.T) {
	good := realOffer(t)
	p := newTestPeer(t)
	bad := strings.ReplaceAll(good, "a=ice-ufrag:", "a=x-ufrag:")
	if _, err := p.AcceptOffer(context.Background(), bad); !errors.Is(err, ErrMalformedSDP) {
		t.Fatalf("offer without ice-ufrag: %v, want ErrMalformedSDP", err)
	}
	if _, err := p.AcceptOffer(context.Background(), good); err != nil {
		t.Fatalf("the genuine offer after a refused one: %v", err)
	}
}
