package rtc

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"
)

func newVideoPeer(t *testing.T, sealed bool) *Peer {
	t.Helper()
	cfg := quietConfig()
	cfg.Video, cfg.SealedVideo = true, sealed
	p, err := NewPeer(cfg)
	if err != nil {
		t.Fatalf("NewPeer: %v", err)
	}
	t.Cleanup(func() { _ = p.Close() })
	return p
}

// reoffer runs one renegotiation from offerer to answerer.
func reoffer(ctx context.Context, t *testing.T, offerer, answerer *Peer) {
	t.Helper()
	offer, err := offerer.Renegotiate(ctx)
	if err != nil {
		t.Fatalf("Renegotiate: %v", err)
	}
	answer, err := answerer.AcceptRestart(ctx, offer)
	if err != nil {
		t.Fatalf("answer the renegotiation: %v", err)
	}
	if err := offerer.AcceptAnswer(answer); err != nil {
		t.Fatalf("AcceptAnswer: %v", err)
	}
}

// sendUntilReceived writes a frame every 20 ms on tr until a frame comes
// out of remote (which it returns).
func sendUntilReceived(t *testing.T, tr *VideoTrack, remote <-chan *RemoteVideo) VideoFrame {
	t.Helper()
	want := bytes.Repeat([]byte{0x5a}, 3000) // more than one packet
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case now := <-tick.C:
				_ = tr.WriteFrame(want, now)
			}
		}
	}()
	var rv *RemoteVideo
	select {
	case rv = <-remote:
	case <-time.After(testTimeout):
		t.Fatal("no remote video track after the renegotiation")
	}
	_ = rv.SetReadDeadline(time.Now().Add(testTimeout))
	f, err := rv.ReadFrame()
	if err != nil {
		t.Fatalf("ReadFrame: %v", err)
	}
	if !bytes.Equal(f.Payload, want) {
		t.Fatalf("received a frame of %d bytes, want the %d sent", len(f.Payload), len(want))
	}
	return f
}

// TestRenegotiateAddsVideoMidCall: a call set up audio only turns video
// on, the caller's or the callee's, on the same connection: the caller
// offers (making room for the callee's track with ReceiveVideo), the
// fingerprints stay and the renegotiation is no ICE restart.
func TestRenegotiateAddsVideoMidCall(t *testing.T) {
	for _, side := range []string{"caller", "callee"} {
		t.Run(side, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
			defer cancel()
			a, b := newVideoPeer(t, true), newVideoPeer(t, true)
			connectPair(ctx, t, a, b)
			fpA, fpB := a.LocalFingerprint(), b.LocalFingerprint()
			from, to := a, b
			if side == "callee" {
				from, to = b, a
			}
			remote := make(chan *RemoteVideo, 2)
			to.OnVideoTrack(func(rv *RemoteVideo) { remote <- rv })
			tr, err := from.AddVideoTrack("camera")
			if err != nil {
				t.Fatal(err)
			}
			if side == "callee" {
				if b.NeedsRenegotiation() {
					t.Fatal("the answerer is asked to offer")
				}
				if added, err := a.ReceiveVideo(1); err != nil || !added {
					t.Fatalf("ReceiveVideo: %v, %v", added, err)
				}
			}
			if !a.NeedsRenegotiation() {
				t.Fatal("a video change mid-call does not ask for a renegotiation")
			}
			reoffer(ctx, t, a, b)
			if a.NeedsRenegotiation() {
				t.Fatal("still needs a renegotiation after one")
			}
			if added, _ := a.ReceiveVideo(1); added {
				t.Fatal("ReceiveVideo added a second section for one track")
			}
			sendUntilReceived(t, tr, remote)
			if !a.LocalFingerprint().Equal(fpA) || !b.LocalFingerprint().Equal(fpB) {
				t.Fatal("fingerprints changed across a renegotiation")
			}
			if a.Restarts() != 0 || b.Restarts() != 0 {
				t.Fatalf("a renegotiation counted as an ICE restart: %d, %d", a.Restarts(), b.Restarts())
			}
		})
	}
}

// TestRenegotiateBothWays: the caller's camera first (the callee answers
// it receive-only), then the callee's, which goes on the section the
// caller's camera opened: the caller re-offers when asked, with no new
// section.
func TestRenegotiateBothWays(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	a, b := newVideoPeer(t, true), newVideoPeer(t, true)
	connectPair(ctx, t, a, b)
	atA, atB := make(chan *RemoteVideo, 2), make(chan *RemoteVideo, 2)
	a.OnVideoTrack(func(rv *RemoteVideo) { atA <- rv })
	b.OnVideoTrack(func(rv *RemoteVideo) { atB <- rv })
	ta, err := a.AddVideoTrack("camera")
	if err != nil {
		t.Fatal(err)
	}
	reoffer(ctx, t, a, b)
	sendUntilReceived(t, ta, atB)
	tb, err := b.AddVideoTrack("camera")
	if err != nil {
		t.Fatal(err)
	}
	added, err := a.ReceiveVideo(1)
	if err != nil || added {
		t.Fatalf("ReceiveVideo: added %v, %v; the caller's section should do", added, err)
	}
	if !a.NeedsRenegotiation() {
		t.Fatal("the callee's new track does not ask for an offer")
	}
	reoffer(ctx, t, a, b)
	sendUntilReceived(t, tb, atA)
}

// TestRenegotiateOneWay: the far end sends no video (no camera) and
// answers the caller's video receive-only; the caller's video flows, the
// far end's direction stays audio only, and audio goes on.
func TestRenegotiateOneWay(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	a, b := newVideoPeer(t, false), newVideoPeer(t, false)
	connectPair(ctx, t, a, b)
	remoteAtA := make(chan *RemoteVideo, 1)
	a.OnVideoTrack(func(rv *RemoteVideo) { remoteAtA <- rv })
	remote := make(chan *RemoteVideo, 1)
	b.OnVideoTrack(func(rv *RemoteVideo) { remote <- rv })
	tr, err := a.AddVideoTrack("camera")
	if err != nil {
		t.Fatal(err)
	}
	reoffer(ctx, t, a, b)
	sendUntilReceived(t, tr, remote)
	select {
	case <-remoteAtA:
		t.Fatal("the receive-only side sends a video track")
	default:
	}
}

// TestRenegotiateRoles: only the first offerer renegotiates, never with an
// offer pending, and never before the first negotiation.
func TestRenegotiateRoles(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	a, b := newVideoPeer(t, true), newVideoPeer(t, true)
	if _, err := a.Renegotiate(ctx); !errors.Is(err, ErrWrongState) {
		t.Fatalf("renegotiate before negotiating: %v", err)
	}
	connectPair(ctx, t, a, b)
	if _, err := b.Renegotiate(ctx); !errors.Is(err, ErrWrongState) {
		t.Fatalf("renegotiate by the answerer: %v", err)
	}
	if _, err := a.Renegotiate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Renegotiate(ctx); !errors.Is(err, ErrWrongState) {
		t.Fatalf("renegotiate with an offer pending: %v", err)
	}
	if _, err := a.AddVideoTrack("camera"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.AddVideoTrack("camera"); !errors.Is(err, ErrInvalidConfig) {
		t.Fatalf("the same track added twice: %v", err)
	}
}
