package sfu

import (
	"math"
	"testing"

	"github.com/pion/rtcp"
)

func TestRateEstimate(t *testing.T) {
	const limit = 2_500_000
	var e rateEstimate
	if got := e.update(3_000_000, limit); got != limit {
		t.Errorf("first estimate %v, want the limit", got)
	}
	// No loss: sending less than the estimate does not lower it (a
	// sender that follows the REMB would be held down by its own rate).
	if got := e.update(1_000_000, limit); got != limit {
		t.Errorf("without loss: %v, want the limit held", got)
	}
	// 25 % loss: half of it off what is sent.
	e.report(64)
	if got := e.update(1_000_000, limit); got != 875_000 {
		t.Errorf("25 %% loss: %v, want 875000", got)
	}
	// Between 2 and 10 %: hold.
	e.report(13)
	if got := e.update(1_000_000, limit); got != 875_000 {
		t.Errorf("5 %% loss: %v, want 875000 held", got)
	}
	// No loss again: 8 % more per interval.
	if got := e.update(1_000_000, limit); math.Abs(got-945_000) > 1 {
		t.Errorf("recovering: %v, want 945000", got)
	}
	// Sending little, or nothing, without loss: held, not lowered.
	if got := e.update(0, limit); math.Abs(got-945_000) > 1 {
		t.Errorf("a quiet interval: %v, want 945000 held", got)
	}
	// Growth stops at 1.5 times what is sent.
	if got := e.update(640_000, limit); math.Abs(got-960_000) > 1 {
		t.Errorf("growing at 640 kbit/s sent: %v, want 960000", got)
	}
	// Heavy loss for long: the floor.
	for range 30 {
		e.report(255)
		e.update(1_000_000, limit)
	}
	if got := e.update(0, limit); got != minVideoRate {
		t.Errorf("under heavy loss: %v, want the floor %v", got, minVideoRate)
	}
	// The receiver's own REMB caps it.
	var f rateEstimate
	f.capAt(300_000)
	if got := f.update(1_000_000, limit); got != 300_000 {
		t.Errorf("with the receiver's REMB: %v, want 300000", got)
	}
}

// The service tells a sender of video what its subscribers take: a
// subscriber's own REMB caps it, and loss in its receiver reports lowers
// it to the floor.
func TestVideoBitrateFeedback(t *testing.T) {
	ctx := testContext(t)
	s := newTestService(t, Config{})
	a, b, rec := aliceFilmsBob(ctx, t, s, 10)
	v := a.VideoSender(cam)
	a.WaitFor(ctx, "a REMB at alice", func() bool { return v.REMBs.Load() > 0 && v.REMB.Load() > 2*minVideoRate })
	t.Logf("alice's REMB without loss: %d bit/s", v.REMB.Load())

	ssrc := rec.SSRC()
	send := func(p rtcp.Packet) {
		if err := b.PC.WriteRTCP([]rtcp.Packet{p}); err != nil {
			t.Fatal(err)
		}
	}
	send(&rtcp.ReceiverEstimatedMaximumBitrate{Bitrate: 300_000, SSRCs: []uint32{ssrc}})
	a.WaitFor(ctx, "alice's REMB capped by bob's", func() bool { return v.REMB.Load() <= 300_000 })

	a.WaitFor(ctx, "alice's REMB at the floor under bob's loss", func() bool {
		send(&rtcp.ReceiverReport{SSRC: 1, Reports: []rtcp.ReceptionReport{{SSRC: ssrc, FractionLost: 200}}})
		return v.REMB.Load() <= minVideoRate
	})
	if st := s.Stats(); st.REMBs == 0 {
		t.Errorf("stats %+v", st)
	}
}

// The service gives a sender of video transport-wide congestion control
// feedback on what reached it.
func TestVideoTWCCFeedback(t *testing.T) {
	ctx := testContext(t)
	s := newTestService(t, Config{})
	a, _, _ := aliceFilmsBob(ctx, t, s, 5)
	v := a.VideoSender(cam)
	a.WaitFor(ctx, "transport-cc feedback at alice", func() bool { return v.TWCC.Load() > 3 })
}
