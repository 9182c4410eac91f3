package sfu

import (
	"context"
	"testing"
	"time"

	"github.com/parley-voip/parley/internal/sfutest"
	"github.com/parley-voip/parley/signaling"
	"github.com/pion/rtcp"
)

const (
	cam    = signaling.VideoTrackCamera
	screen = signaling.VideoTrackScreen
)

// aliceFilmsBob joins alice, who sends her camera, and bob, who sends no
// video, to call-1 on s, and waits until bob has n frames of alice's.
// opts are alice's further options.
func aliceFilmsBob(ctx context.Context, t *testing.T, s *Service, n int, opts ...option) (a, b *client, rec *sfutest.VideoRecording) {
	t.Helper()
	a = join(t, s, "call-1", "alice", append([]option{withVideo(cam)}, opts...)...)
	b = join(t, s, "call-1", "bob")
	if err := a.m.SetVideo(true, false); err != nil {
		t.Fatal(err)
	}
	return a, b, b.ExpectSees(ctx, "alice", cam, n)
}

// A standard 1:1 call with video both ways: each side gets the other's
// frames byte for byte, starting with a key frame, on one SSRC; the
// roster shows the cameras.
func TestVideoOneToOne(t *testing.T) {
	ctx := testContext(t)
	s := newTestService(t, Config{})
	a := join(t, s, "call-1", "alice", withVideo(cam))
	b := join(t, s, "call-1", "bob", withVideo(cam))
	for _, c := range []*client{a, b} {
		if err := c.m.SetVideo(true, false); err != nil {
			t.Fatal(err)
		}
	}
	b.ExpectSees(ctx, "alice", cam, 30)
	a.ExpectSees(ctx, "bob", cam, 30)
	b.ExpectHears(ctx, "alice", "alice")
	b.WaitFor(ctx, "alice's camera in the roster", func() bool { st, _ := b.rosterOf("alice"); return st.Camera && !st.Screen })
	if st := s.Stats(); st.ForwardedVideo == 0 || st.Malformed != 0 {
		t.Errorf("stats %+v", st)
	}
}

// A participant that joins a call where video is on gets a key frame at
// once: the service asks the sender (PLI), whose only key frame so far
// went to nobody.
func TestVideoNewSubscriberGetsKeyframe(t *testing.T) {
	ctx := testContext(t)
	s := newTestService(t, Config{})
	a := join(t, s, "call-1", "alice", withVideo(cam))
	if err := a.m.SetVideo(true, false); err != nil {
		t.Fatal(err)
	}
	v := a.VideoSender(cam)
	a.WaitFor(ctx, "alice sending video", func() bool { return v.Frame.Load() > 30 && a.m.Stats().Received > 100 })
	before := v.PLIs.Load()
	b := join(t, s, "call-1", "bob") // receive only
	b.ExpectSees(ctx, "alice", cam, 10)
	if got := v.PLIs.Load(); got <= before {
		t.Errorf("alice got no key frame request for bob (%d before, %d after)", before, got)
	}
	if a.m.Stats().KeyframeRequests == 0 {
		t.Error("the service counted no key frame request")
	}
}

// A subscriber's PLI reaches the sender; a burst of them is coalesced.
func TestVideoSubscriberPLIRelayedAndCoalesced(t *testing.T) {
	ctx := testContext(t)
	s := newTestService(t, Config{KeyframeInterval: 500 * time.Millisecond})
	a, b, rec := aliceFilmsBob(ctx, t, s, 10)
	v := a.VideoSender(cam)
	before, asks := v.PLIs.Load(), s.Stats().KeyframeAsks
	ssrc := rec.SSRC()
	start := time.Now()
	const burst = 50
	for range burst {
		if err := b.PC.WriteRTCP([]rtcp.Packet{&rtcp.PictureLossIndication{MediaSSRC: ssrc}}); err != nil {
			t.Fatal(err)
		}
	}
	b.WaitFor(ctx, "the PLIs at the service and at alice", func() bool {
		return s.Stats().KeyframeAsks >= asks+burst && v.PLIs.Load() > before
	})
	// One at once and at most one per interval after it: an upper bound
	// from the time that passed, not a timing assertion.
	got := v.PLIs.Load() - before
	limit := 2 + int64(time.Since(start)/(500*time.Millisecond))
	t.Logf("%d PLIs from bob became %d at alice (limit %d)", burst, got, limit)
	if got > limit {
		t.Errorf("%d PLIs from bob became %d at alice, more than %d", burst, got, limit)
	}
	b.ExpectSees(ctx, "alice", cam, 10)
}

// Three people, all with video: each sees the other two, and hears them.
func TestVideoGroupOfThree(t *testing.T) {
	ctx := testContext(t)
	s := newTestService(t, Config{})
	cs := []*client{
		join(t, s, "call-1", "alice", withVideo(cam)),
		join(t, s, "call-1", "bob", withVideo(cam)),
		join(t, s, "call-1", "carol", withVideo(cam)),
	}
	for _, c := range cs {
		if err := c.m.SetVideo(true, false); err != nil {
			t.Fatal(err)
		}
	}
	for _, x := range cs {
		for _, y := range cs {
			if x != y {
				x.ExpectSees(ctx, y.Name, cam, 20)
			}
		}
	}
	cs[0].ExpectHears(ctx, "carol", "carol")
}

// An audio call turns video on in the call: renegotiation on the same
// connections; the audio goes on on its track; bob, who sends no video,
// receives alice's; then alice shares her screen too, a second track told
// apart by its id.
func TestVideoAddedMidCallAndScreenShare(t *testing.T) {
	ctx := testContext(t)
	s := newTestService(t, Config{})
	a := join(t, s, "call-1", "alice", withVideo(cam, screen))
	b := join(t, s, "call-1", "bob")
	b.ExpectHears(ctx, "alice", "alice")
	pcs := s.Stats().PeerConnections

	if err := a.m.SetVideo(true, false); err != nil {
		t.Fatal(err)
	}
	b.ExpectSees(ctx, "alice", cam, 20)
	if err := a.m.SetVideo(true, true); err != nil {
		t.Fatal(err)
	}
	b.ExpectSees(ctx, "alice", screen, 20)
	b.ExpectSees(ctx, "alice", cam, 10)
	b.WaitFor(ctx, "alice sharing in the roster", func() bool { st, _ := b.rosterOf("alice"); return st.Camera && st.Screen })
	b.ExpectHears(ctx, "alice", "alice")
	a.ExpectHears(ctx, "bob", "bob")
	if rec := b.Recording("alice"); rec.Tracks() != 1 {
		t.Errorf("bob got %d audio tracks from alice, want 1", rec.Tracks())
	}
	if st := s.Stats(); st.PeerConnections != pcs {
		t.Errorf("video made new peer connections: %d, was %d", st.PeerConnections, pcs)
	}
	if _, ok := a.tracksFrom("bob"); ok {
		t.Error("alice got video from bob, who sends none")
	}
}

func (c *client) tracksFrom(src string) (*sfutest.VideoRecording, bool) {
	for _, id := range []string{cam, screen} {
		if r := c.VideoFrom(src, id); r != nil {
			return r, true
		}
	}
	return nil, false
}

// Camera off and on again with a new track (new sequence numbers and
// timestamps from the sender): the subscriber's track goes on with the
// same SSRC, the next sequence number, a later timestamp and a key frame.
func TestVideoRebridgeKeepsSequence(t *testing.T) {
	ctx := testContext(t)
	s := newTestService(t, Config{})
	a, b, rec := aliceFilmsBob(ctx, t, s, 20)
	b.WaitFor(ctx, "alice's camera on", func() bool { st, _ := b.rosterOf("alice"); return st.Camera })

	v := a.VideoSender(cam)
	if err := a.m.SetVideo(false, false); err != nil {
		t.Fatal(err)
	}
	v.Paused.Store(true)
	b.WaitFor(ctx, "alice's camera off", func() bool { st, _ := b.rosterOf("alice"); return !st.Camera })
	const first = 100000
	v.ReplaceTrack(first, 40000)
	if err := a.m.SetVideo(true, false); err != nil {
		t.Fatal(err)
	}
	v.Paused.Store(false)
	b.WaitFor(ctx, "frames of the new track", func() bool {
		pkts, _, _, _ := rec.Snapshot()
		n := 0
		for _, p := range pkts {
			if p.Info.Frame >= first {
				n++
			}
		}
		return n > 30
	})
	pkts, bad, ssrcs, _ := rec.Snapshot()
	var lastOld, firstNew *sfutest.VideoPacket
	for i := range pkts {
		p := &pkts[i]
		if p.Info.Frame < first && (lastOld == nil || int16(p.Seq-lastOld.Seq) > 0) {
			lastOld = p
		}
		if p.Info.Frame >= first && (firstNew == nil || int16(p.Seq-firstNew.Seq) < 0) {
			firstNew = p // the earliest in sequence (a lost one may come late, repaired)
		}
	}
	t.Logf("last old packet seq %d ts %d; first new seq %d ts %d key %v", lastOld.Seq, lastOld.TS, firstNew.Seq, firstNew.TS, firstNew.Info.KeyStart)
	if bad != 0 || ssrcs != 1 {
		t.Errorf("%d bad packets, %d SSRCs", bad, ssrcs)
	}
	if firstNew.Seq != lastOld.Seq+1 || !firstNew.Info.KeyStart || int32(firstNew.TS-lastOld.TS) <= 0 {
		t.Errorf("not continuous across the new track: old seq %d ts %d, new seq %d ts %d key %v",
			lastOld.Seq, lastOld.TS, firstNew.Seq, firstNew.TS, firstNew.Info.KeyStart)
	}
}

// While alice's camera is off the service forwards nothing of it, even if
// her client keeps sending.
func TestVideoOffForwardsNothing(t *testing.T) {
	ctx := testContext(t)
	s := newTestService(t, Config{})
	a, _, _ := aliceFilmsBob(ctx, t, s, 10, silent())
	if err := a.m.SetVideo(false, false); err != nil {
		t.Fatal(err)
	}
	// Once more packets have been received (alice sends no audio: they are
	// video), the forwarding goroutine has seen the camera off: it handles
	// one packet at a time.
	got := a.m.Stats().Received
	a.WaitFor(ctx, "alice sending on", func() bool { return a.m.Stats().Received > got+10 })
	n := s.Stats().ForwardedVideo
	got = a.m.Stats().Received
	a.WaitFor(ctx, "alice still sending", func() bool { return a.m.Stats().Received > got+100 })
	if f := s.Stats().ForwardedVideo; f != n {
		t.Errorf("%d video packets forwarded with the camera off", f-n)
	}
}

// Hold stops the holder's video to the others and theirs to the holder;
// on resume each track starts again with a key frame (asked for by PLI).
func TestVideoHoldAndResume(t *testing.T) {
	ctx := testContext(t)
	s := newTestService(t, Config{})
	a, b, rec := aliceFilmsBob(ctx, t, s, 10)
	v := a.VideoSender(cam)
	if err := s.Hold("call-1", "alice", true); err != nil {
		t.Fatal(err)
	}
	b.WaitFor(ctx, "alice held", func() bool { st, _ := b.rosterOf("alice"); return st.Held })
	// Frames alice sends from now on, well after the hold, reach nobody.
	f0 := v.Frame.Load() + 5
	b.WaitFor(ctx, "alice filming on", func() bool { return v.Frame.Load() > f0+30 })
	pkts, _, _, _ := rec.Snapshot()
	for _, p := range pkts {
		if p.Info.Frame >= f0 && p.Info.Frame <= f0+30 {
			t.Fatalf("bob got alice's frame %d during the hold", p.Info.Frame)
		}
	}
	plis := v.PLIs.Load()
	if err := s.Hold("call-1", "alice", false); err != nil {
		t.Fatal(err)
	}
	resumed := v.Frame.Load()
	b.ExpectSees(ctx, "alice", cam, 10)
	pkts, _, _, _ = rec.Snapshot()
	var first *sfutest.VideoPacket // the earliest in sequence (a lost one may come late, repaired)
	for i := range pkts {
		if p := &pkts[i]; p.Info.Frame > resumed && (first == nil || int16(p.Seq-first.Seq) < 0) {
			first = p
		}
	}
	if first == nil || !first.Info.KeyStart || v.PLIs.Load() <= plis {
		t.Errorf("after the resume: first packet %+v, PLIs %d -> %d; want a key frame asked for", first, plis, v.PLIs.Load())
	}
}

// Loss is repaired hop by hop: the service asks the sender again for a
// packet it missed (NACK generator), and answers a subscriber's NACK from
// what it sent it (NACK responder), without the sender.
func TestVideoNACKRepairedHopByHop(t *testing.T) {
	ctx := testContext(t)
	s := newTestService(t, Config{})
	a, b, rec := aliceFilmsBob(ctx, t, s, 10)
	v := a.VideoSender(cam)

	// Uplink: alice's packet lost on the way to the service.
	lost := uint16(v.Seq.Load() + 20)
	v.Skip.Store(int64(lost))
	a.WaitFor(ctx, "the service's NACK at alice", func() bool { return v.Nacked(lost) })

	// Downlink: bob asks again for a packet he got; the service resends it.
	pkts, _, _, _ := rec.Snapshot()
	want := pkts[len(pkts)-1]
	before := v.NackedCount()
	count := func() int {
		n := 0
		got, _, _, _ := rec.Snapshot()
		for _, p := range got {
			if p.Seq == want.Seq {
				n++
			}
		}
		return n
	}
	b.WaitFor(ctx, "the packet again", func() bool {
		if err := b.PC.WriteRTCP([]rtcp.Packet{&rtcp.TransportLayerNack{MediaSSRC: rec.SSRC(), Nacks: rtcp.NackPairsFromSequenceNumbers([]uint16{want.Seq})}}); err != nil {
			t.Fatal(err)
		}
		return count() >= 2
	})
	if _, bad, _, _ := rec.Snapshot(); bad != 0 {
		t.Errorf("%d bad packets", bad)
	}
	after := v.NackedCount()
	if after != before {
		t.Errorf("bob's NACK reached alice (%d NACKed sequence numbers, then %d)", before, after)
	}
}

// Merge keeps video: the held call's participants move with their
// cameras, and everyone in the merged call sees them.
func TestVideoSurvivesMerge(t *testing.T) {
	ctx := testContext(t)
	s := newTestService(t, Config{})
	join(t, s, "call-ab", "alice")
	b := join(t, s, "call-ab", "bob", withVideo(cam))
	if err := b.m.SetVideo(true, false); err != nil {
		t.Fatal(err)
	}
	b.WaitFor(ctx, "bob's camera on", func() bool { st, _ := b.rosterOf("bob"); return st.Camera })
	if err := s.Hold("call-ab", "alice", true); err != nil {
		t.Fatal(err)
	}
	ac := join(t, s, "call-ac", "alice")
	c := join(t, s, "call-ac", "carol", withVideo(cam))
	if err := c.m.SetVideo(true, false); err != nil {
		t.Fatal(err)
	}
	ac.ExpectSees(ctx, "carol", cam, 10)
	if err := s.Merge("alice", "call-ab", "call-ac"); err != nil {
		t.Fatal(err)
	}
	b.WaitFor(ctx, "bob moved", func() bool { return b.currentCall() == "call-ac" })
	c.ExpectSees(ctx, "bob", cam, 10)
	ac.ExpectSees(ctx, "bob", cam, 10)
	b.ExpectSees(ctx, "carol", cam, 10)
}
