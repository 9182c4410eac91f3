package rtc

import (
	"context"
	"errors"
	"testing"
)

func newServicePeer(t *testing.T) *Peer {
	t.Helper()
	cfg := quietConfig()
	cfg.Service = true
	p, err := NewPeer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	return p
}

// A media service peer answers the service's offer and every
// renegotiation with the same certificate; an offer with another
// certificate is refused and leaves the peer as it was. A client-to-client
// peer does not answer service offers at all.
func TestAnswerServiceRenegotiation(t *testing.T) {
	ctx := context.Background()
	svc := newTestPeer(t) // stands in for the service: it makes the offers
	p := newServicePeer(t)
	offer, err := svc.CreateOffer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	answer, err := p.AnswerService(ctx, offer)
	if err != nil {
		t.Fatalf("first offer: %v", err)
	}
	if err := svc.AcceptAnswer(answer); err != nil {
		t.Fatal(err)
	}
	// A renegotiation from the same connection (same certificate).
	again, err := svc.pc.CreateOffer(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.pc.SetLocalDescription(again); err != nil {
		t.Fatal(err)
	}
	if _, err := p.AnswerService(ctx, again.SDP); err != nil {
		t.Fatalf("renegotiation: %v", err)
	}
	// An offer from someone else: another certificate.
	other := newTestPeer(t)
	stranger, err := other.CreateOffer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.AnswerService(ctx, stranger); !errors.Is(err, ErrCertificateMismatch) {
		t.Fatalf("offer with another certificate: %v, want ErrCertificateMismatch", err)
	}
	if !p.RemoteFingerprint().Equal(svc.LocalFingerprint()) {
		t.Fatal("the refused offer changed the remote fingerprint")
	}
	if !p.MultiSource() {
		t.Fatal("a service peer must say its frames come from several senders")
	}

	direct := newTestPeer(t)
	if _, err := direct.AnswerService(ctx, offer); !errors.Is(err, ErrWrongState) {
		t.Fatalf("client peer answering a service offer: %v, want ErrWrongState", err)
	}
}
