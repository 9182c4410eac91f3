package video_test

import (
	"testing"
	"time"

	"github.com/parley-voip/parley/media/video/videotest"
)

// TestE2EEVideoLoss: an E2EE call over a virtual network that loses every
// packet between A and B while A sends eight frames (a quarter of a
// second), and B's packets to A (its NACKs and first keyframe request)
// while A sends eight more, so retransmission cannot repair the loss. B gives the lost frames up, drops
// the delta frames it cannot decode, asks for a keyframe (PLI, again when
// the first is lost), and the picture is back with the keyframe A sends
// for it: after the loss B shows an unbroken run of A's frames at full
// quality, and every keyframe A sent after the first was one B asked for.
func TestE2EEVideoLoss(t *testing.T) {
	lossy := videotest.NewLossy(t)
	a, b := videoCall(t, true, videotest.OverLossy(lossy))
	if !b.collector.Wait(45, videotest.Timeout) {
		t.Fatalf("only %d frames before the loss", len(b.collector.Got()))
	}
	// The outage lasts until A has sent outageFrames frames into it, not a
	// set time: a sender starved of CPU on a loaded machine may send none
	// in a quarter second, and then nothing is lost. B's packets to A stay
	// lost until B has asked for a keyframe and A has sent outageFrames
	// more, so the NACKs for the loss and the first request are lost too.
	const outageFrames = 8 // a quarter second at 30 frames/s
	all := func(int) bool { return true }
	sent := a.sender.Stats().Frames
	lossy.Drop(all)
	lossy.DropBack(all)
	waitUntil(t, "frames sent into the outage", func() bool { return a.sender.Stats().Frames >= sent+outageFrames })
	lossy.Drop(nil)
	sent = a.sender.Stats().Frames
	waitUntil(t, "a keyframe request lost", func() bool {
		return b.receiver.Stats().KeyframeRequests > 0 && a.sender.Stats().Frames >= sent+outageFrames
	})
	lossy.DropBack(nil)
	ended := time.Now()
	lostAt := len(b.collector.Got())
	if !b.collector.Wait(lostAt+60, videotest.Timeout) {
		t.Fatalf("the picture did not come back: %d frames", len(b.collector.Got()))
	}
	got := b.collector.Got()
	before := videotest.Summarize(got[:lostAt])
	after := videotest.Summarize(got[lostAt:])
	var back time.Duration
	if lostAt < len(got) {
		back = got[lostAt].At.Sub(ended)
	}
	rs, ss := b.receiver.Stats(), a.sender.Stats()
	t.Logf("sender: %d frames, %d bytes", ss.Frames, ss.Bytes)
	t.Logf("dropped %d packets; frames %d..%d then %d..%d; picture back %v after the outage; receiver %+v; sender keyframes %d, requests %d",
		lossy.Dropped.Load(), before.First, before.Last, after.First, after.Last, back.Round(time.Millisecond), rs, ss.Keyframes, ss.KeyframeRequests)
	if lossy.Dropped.Load() == 0 {
		t.Fatal("nothing was lost")
	}
	if before.Skips != 0 || after.Skips != 0 || before.Unreadable+after.Unreadable != 0 {
		t.Fatalf("broken run: before %+v after %+v", before, after)
	}
	if after.First <= before.Last+1 {
		t.Fatalf("no frames lost between %d and %d", before.Last, after.First)
	}
	if min(before.MinPSNR, after.MinPSNR) < minPSNR {
		t.Fatalf("PSNR %.1f / %.1f dB", before.MinPSNR, after.MinPSNR)
	}
	if rs.KeyframeRequests == 0 || ss.KeyframeRequests == 0 {
		t.Fatal("no keyframe was asked for")
	}
	if ss.Keyframes > 1+ss.KeyframeRequests {
		t.Fatalf("%d keyframes for %d requests", ss.Keyframes, ss.KeyframeRequests)
	}
}
