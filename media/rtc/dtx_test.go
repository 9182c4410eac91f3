package rtc

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// dtxSkipped says which frames the DTX test does not send: two of every
// five, as an Opus encoder in DTX leaves out silent frames.
func dtxSkipped(i int) bool { return i%5 == 2 || i%5 == 3 }

// TestSkipFrame sends frames with DTX gaps over real peers: across a gap
// the RTP timestamp must advance by the skipped frames too while the
// sequence number advances only per packet sent (a receiver must not count
// the pause as loss), and the packet after a gap carries the marker bit.
func TestSkipFrame(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	a, b := newTestPeer(t), newTestPeer(t)
	connectPair(ctx, t, a, b)

	sendCtx, stop := context.WithCancel(ctx)
	defer stop()
	go func() {
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for i := 0; ; i++ {
			select {
			case <-sendCtx.Done():
				return
			case <-tick.C:
			}
			var err error
			if dtxSkipped(i) {
				err = a.SkipFrame(20 * time.Millisecond)
			} else {
				err = a.WriteFrame(fmt.Appendf(nil, "a-%d", i), 20*time.Millisecond)
			}
			if err != nil {
				return
			}
		}
	}()

	var first Frame
	var firstIdx int
	for n := range 30 {
		f, err := b.ReadFrame()
		if err != nil {
			t.Fatal(err)
		}
		var idx int
		if _, err := fmt.Sscanf(string(f.Payload), "a-%d", &idx); err != nil {
			t.Fatalf("payload %q", f.Payload)
		}
		if dtxSkipped(idx) {
			t.Fatalf("skipped frame %d was sent", idx)
		}
		if n == 0 {
			first, firstIdx = f, idx
			continue
		}
		sent := 0
		for i := firstIdx + 1; i <= idx; i++ {
			if !dtxSkipped(i) {
				sent++
			}
		}
		if got := int(f.Seq - first.Seq); got != sent {
			t.Errorf("frame %d: seq advanced %d, want %d packets sent", idx, got, sent)
		}
		if got, want := f.Timestamp-first.Timestamp, uint32(960*(idx-firstIdx)); got != want {
			t.Errorf("frame %d: timestamp advanced %d, want %d", idx, got, want)
		}
		if want := dtxSkipped(idx - 1); f.Marker != want {
			t.Errorf("frame %d: marker %v, want %v", idx, f.Marker, want)
		}
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if err := a.SkipFrame(20 * time.Millisecond); err != ErrClosed {
		t.Errorf("SkipFrame after Close = %v, want ErrClosed", err)
	}
}
