package rtc

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"
)

// testTimeout only guards against a hung test; nothing asserts on elapsed time.
const testTimeout = 30 * time.Second

func TestPeersExchangeFramesBothWays(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	a, b := newTestPeer(t), newTestPeer(t)
	connectPair(ctx, t, a, b)

	if a.LocalFingerprint().IsZero() || !a.LocalFingerprint().Equal(b.RemoteFingerprint()) {
		t.Errorf("a's fingerprint %q, b sees %q", a.LocalFingerprint(), b.RemoteFingerprint())
	}
	if b.LocalFingerprint().IsZero() || !b.LocalFingerprint().Equal(a.RemoteFingerprint()) {
		t.Errorf("b's fingerprint %q, a sees %q", b.LocalFingerprint(), a.RemoteFingerprint())
	}
	if a.LocalFingerprint().Equal(b.LocalFingerprint()) {
		t.Error("both peers have the same certificate fingerprint")
	}

	const frames = 20
	errs := make(chan error, 2)
	go func() { errs <- receiveSequence(ctx, b, "a", frames) }()
	go func() { errs <- receiveSequence(ctx, a, "b", frames) }()
	sendCtx, stopSending := context.WithCancel(ctx)
	go sendUntilDone(sendCtx, a, "a")
	go sendUntilDone(sendCtx, b, "b")
	for range 2 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	stopSending()

	// A deadline unblocks a reader once the remote track exists too: drain
	// what is in flight, then the read must fail with the deadline.
	if err := a.SetReadDeadline(time.Now()); err != nil {
		t.Fatal(err)
	}
	for {
		_, err := a.ReadFrame()
		if err == nil {
			continue
		}
		if !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatalf("ReadFrame after deadline: %v", err)
		}
		break
	}
}

// sendUntilDone writes numbered frames at 5 ms intervals: pacing keeps UDP
// on loopback from dropping bursts; the count is what the test checks.
func sendUntilDone(ctx context.Context, p *Peer, name string) {
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if err := p.WriteFrame(fmt.Appendf(nil, "%s-%d", name, i), 20*time.Millisecond); err != nil {
			return
		}
	}
}

// receiveSequence reads n frames and checks that payload numbering, RTP
// sequence numbers and timestamps advance together (one 20 ms frame =
// 960 ticks at 48 kHz) and that the SSRC stays put.
func receiveSequence(ctx context.Context, p *Peer, from string, n int) error {
	var first Frame
	var firstIdx int
	for i := range n {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		f, err := p.ReadFrame()
		if err != nil {
			return fmt.Errorf("ReadFrame: %w", err)
		}
		var idx int
		var name string
		if _, err := fmt.Sscanf(string(f.Payload), "%1s-%d", &name, &idx); err != nil || name != from {
			return fmt.Errorf("unexpected payload %q", f.Payload)
		}
		if i == 0 {
			first, firstIdx = f, idx
			continue
		}
		d := idx - firstIdx
		if got := f.Seq - first.Seq; int(got) != d {
			return fmt.Errorf("frame %d: seq advanced %d, payload index %d", idx, got, d)
		}
		if got := f.Timestamp - first.Timestamp; got != uint32(960*d) {
			return fmt.Errorf("frame %d: timestamp advanced %d, want %d", idx, got, 960*d)
		}
		if f.SSRC != first.SSRC {
			return fmt.Errorf("ssrc changed from %d to %d", first.SSRC, f.SSRC)
		}
	}
	return nil
}
