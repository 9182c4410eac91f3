package media

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/rtc"
)

// TestBadInputIsDroppedAndCounted throws what a hostile or broken peer
// could send at an E2EE stream (garbage that fails to open, frames sealed
// correctly around garbage Opus, absurd timestamps, a flood of duplicates
// and of frames far outside the window, oversized frames) and then a
// normal stretch of speech: every bad frame is dropped and counted, and
// the good frames afterwards still play.
func TestBadInputIsDroppedAndCounted(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	e, dev := newManualEngine(t)
	tr := newChanTransport()
	s, err := e.Attach(tr, newGCMCipher(1, 2))
	if err != nil {
		t.Fatal(err)
	}
	peer := newGCMCipher(2, 1)
	rng := rand.New(rand.NewPCG(11, 12))
	garbage := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	// send hands the stream one frame and waits until it is done with it
	// (its reader came back for the next): waiting for FramesReceived
	// alone raced the counters bumped after it (a decrypt failure).
	sent := int64(0)
	send := func(f rtc.Frame) {
		sent++
		tr.in <- f
		for tr.reads.Load() <= sent {
			if ctx.Err() != nil {
				t.Fatal("frame not received")
			}
			runtimeYield()
		}
	}
	out := make([]int16, audio.FrameSamples)
	good := encodeChirp(t, 40, peer)
	seq := uint16(100)
	ts := uint32(1 << 31)
	next := func() (uint16, uint32) { seq++; ts += audio.FrameSamples; return seq, ts }

	// A few good frames start playout.
	for i := range 4 {
		q, tm := next()
		send(rtc.Frame{Payload: good[i], Seq: q, Timestamp: tm, SSRC: 42})
	}
	dev.callbacks().Playback(out)

	const nGarbage, nBadOpus, nAbsurd, nDup, nLarge = 20, 10, 5, 50, 3
	for range nGarbage { // fails to open: decrypt failures
		q, tm := next()
		send(rtc.Frame{Payload: garbage(1 + rng.IntN(300)), Seq: q, Timestamp: tm, SSRC: 42})
	}
	for range nBadOpus { // opens, but is not Opus: decode errors, concealed
		q, tm := next()
		bad, err := peer.Seal(nil, append([]byte{0xff, 0xff, 0xff}, garbage(40)...))
		if err != nil {
			t.Fatal(err)
		}
		send(rtc.Frame{Payload: bad, Seq: q, Timestamp: tm, SSRC: 42})
		dev.callbacks().Playback(out)
	}
	for range nAbsurd { // a timestamp hours away from the stream's
		q, tm := next()
		f, err := peer.Seal(nil, []byte{0xf8, 0xff, 0xfe})
		if err != nil {
			t.Fatal(err)
		}
		send(rtc.Frame{Payload: f, Seq: q, Timestamp: tm + 1<<30, SSRC: 42})
	}
	q, tm := next()
	dup, err := peer.Seal(nil, []byte{0xf8, 0xff, 0xfe})
	if err != nil {
		t.Fatal(err)
	}
	send(rtc.Frame{Payload: dup, Seq: q, Timestamp: tm, SSRC: 42})
	for range nDup { // a replayed packet: SFrame would refuse it; the test cipher does not, the buffer does
		send(rtc.Frame{Payload: dup, Seq: q, Timestamp: tm, SSRC: 42})
	}
	for range nLarge {
		send(rtc.Frame{Payload: garbage(rtc.MaxFrameSize + 500), Seq: q + 1, Timestamp: tm, SSRC: 42})
	}
	st := s.Stats()
	t.Logf("after bad input: %+v", st)
	if st.DecryptFailed < nGarbage+nLarge {
		t.Errorf("decrypt failures %d, want ≥ %d", st.DecryptFailed, nGarbage+nLarge)
	}
	if st.DecodeErrors == 0 {
		t.Errorf("no decode errors counted for %d non-Opus frames", nBadOpus)
	}
	if st.BadTimestamp != nAbsurd {
		t.Errorf("bad timestamps %d, want %d", st.BadTimestamp, nAbsurd)
	}
	if st.Duplicate < nDup {
		t.Errorf("duplicates %d, want ≥ %d", st.Duplicate, nDup)
	}

	// The call goes on: good speech plays again.
	played := st.Played
	for i := 4; i < len(good); i++ {
		q, tm := next()
		send(rtc.Frame{Payload: good[i], Seq: q, Timestamp: tm, SSRC: 42})
		dev.callbacks().Playback(out)
	}
	if got := s.Stats().Played - played; got < 30 {
		t.Errorf("only %d good frames played after the bad input", got)
	}
}
