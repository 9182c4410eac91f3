package media

import (
	"context"
	"errors"
	"testing"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/jitter"
	"github.com/parley-voip/parley/media/opus"
	"github.com/parley-voip/parley/media/rtc"
	"github.com/parley-voip/parley/media/tone"
)

func newManualEngine(t *testing.T) (*Engine, *manualDevice) {
	t.Helper()
	dev := &manualDevice{}
	return startEngine(t, Config{Device: dev}), dev
}

// encodeChirp returns n sealed (if c is set) Opus frames of the chirp.
func encodeChirp(t testing.TB, n int, c FrameCipher) [][]byte {
	t.Helper()
	enc, err := opus.NewEncoder(opus.DefaultEncoderConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer enc.Close()
	src := audio.Chirp()
	pcm := make([]int16, audio.FrameSamples)
	buf := make([]byte, opus.MaxPacketSize)
	var frames [][]byte
	for range n {
		src(pcm)
		k, err := enc.Encode(pcm, buf)
		if err != nil {
			t.Fatal(err)
		}
		frame := append([]byte(nil), buf[:k]...)
		if c != nil {
			if frame, err = c.Seal(nil, frame); err != nil {
				t.Fatal(err)
			}
		}
		frames = append(frames, frame)
	}
	return frames
}

// feed feeds frames to the stream's receive loop and waits until
// it has read them all (no clock involved).
// The frames get sequence numbers from first on.
func feed(ctx context.Context, t *testing.T, tr *chanTransport, s *Stream, frames [][]byte, first int) {
	t.Helper()
	before := s.Stats().FramesReceived
	for i, f := range frames {
		seq := first + i
		tr.in <- rtc.Frame{Payload: f, Seq: uint16(seq), Timestamp: uint32(seq) * audio.FrameSamples, SSRC: 42}
	}
	for s.Stats().FramesReceived < before+uint64(len(frames)) {
		if ctx.Err() != nil {
			t.Fatal("frames not received")
		}
		runtimeYield()
	}
}

// TestTamperedFramesAreDroppedAndConcealed drives the receive path
// deterministically: of ten sealed frames, frames 3 and 7 are corrupted.
// They must fail to open, be counted, and be rebuilt from the following
// frame's FEC; the other eight play.
func TestTamperedFramesAreDroppedAndConcealed(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	e, dev := newManualEngine(t)
	tr := newChanTransport()
	s, err := e.Attach(tr, newGCMCipher(1, 2))
	if err != nil {
		t.Fatal(err)
	}
	frames := encodeChirp(t, 10, newGCMCipher(2, 1))
	frames[3][len(frames[3])-1] ^= 0x80
	frames[7][10] ^= 0x01

	// Frames arrive one per playout tick after the initial fill, as in a call.
	delay := jitter.DefaultDelay
	feed(ctx, t, tr, s, frames[:delay], 0)
	out := make([]int16, audio.FrameSamples)
	for i := range frames {
		dev.callbacks().Playback(out)
		if next := i + delay; next < len(frames) {
			feed(ctx, t, tr, s, frames[next:next+1], next)
		}
	}
	select {
	case <-s.FirstFrame():
	default:
		t.Error("FirstFrame not closed after frames played")
	}
	st := s.Stats()
	if st.FramesReceived != 10 || st.DecryptFailed != 2 || st.Played != 8 || st.Recovered != 2 || st.Concealed != 0 {
		t.Fatalf("stats %+v", st)
	}
}

// TestForeignKeyFramesAreDropped: frames sealed for another call never play.
func TestForeignKeyFramesAreDropped(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	e, dev := newManualEngine(t)
	tr := newChanTransport()
	s, err := e.Attach(tr, newGCMCipher(1, 2))
	if err != nil {
		t.Fatal(err)
	}
	feed(ctx, t, tr, s, encodeChirp(t, 5, newGCMCipher(9, 9)), 0)
	out := make([]int16, audio.FrameSamples)
	for range 5 {
		dev.callbacks().Playback(out)
	}
	if st := s.Stats(); st.DecryptFailed != 5 || st.Played != 0 {
		t.Fatalf("stats %+v", st)
	}
	for i, v := range out {
		if v != 0 {
			t.Fatalf("sample %d = %d: undecryptable audio reached the speaker", i, v)
		}
	}
}

// TestCaptureNeverBlocks stalls the transport and keeps capturing: the
// device thread must return every time, and the overflow is counted.
func TestCaptureNeverBlocks(t *testing.T) {
	e, dev := newManualEngine(t)
	tr := newChanTransport()
	tr.gate = make(chan struct{})
	s, err := e.Attach(tr, nil)
	if err != nil {
		t.Fatal(err)
	}
	frame := make([]int16, audio.FrameSamples)
	const captured = 20
	for range captured {
		dev.callbacks().Capture(frame)
	}
	// At most SendQueue frames wait in the queue and one is in the stalled
	// WriteFrame; every other one was dropped.
	if got := s.Stats().CaptureDropped; got < captured-DefaultSendQueue-1 {
		t.Fatalf("CaptureDropped = %d, want >= %d", got, captured-DefaultSendQueue-1)
	}
	close(tr.gate)
	<-tr.out
	e.Detach()
}

func TestMutedSendsSilence(t *testing.T) {
	e, dev := newManualEngine(t)
	tr := newChanTransport()
	s, err := e.Attach(tr, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.SetMuted(true)
	loud := make([]int16, audio.FrameSamples)
	audio.Chirp()(loud)
	dec, err := opus.NewDecoder(audio.SampleRate, audio.Channels)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	pcm := make([]int16, audio.FrameSamples)
	for range 3 {
		dev.callbacks().Capture(loud)
		f := <-tr.out
		if _, err := dec.Decode(f.Payload, pcm); err != nil {
			t.Fatal(err)
		}
	}
	// Opus does not decode digital silence to exact zeros; the chirp peaks
	// near full scale, so a few LSBs is silence.
	if p := peak(pcm); p > 8 {
		t.Fatalf("muted stream sent audio peaking at %d", p)
	}
}

func TestToneWithoutCall(t *testing.T) {
	e, dev := newManualEngine(t)
	out := make([]int16, audio.FrameSamples)
	dev.callbacks().Playback(out)
	if peak(out) != 0 {
		t.Fatal("idle engine is not silent")
	}
	if err := e.PlayTone(tone.Ringback); err != nil {
		t.Fatal(err)
	}
	dev.callbacks().Playback(out)
	if peak(out) == 0 {
		t.Fatal("ringback is silent")
	}
	e.StopTone()
	dev.callbacks().Playback(out)
	if peak(out) != 0 {
		t.Fatal("tone kept playing after StopTone")
	}
	if err := e.PlayTone(tone.Kind(99)); !errors.Is(err, tone.ErrKind) {
		t.Fatalf("PlayTone(99) = %v", err)
	}
}

func peak(pcm []int16) int {
	m := 0
	for _, v := range pcm {
		m = max(m, int(v), -int(v))
	}
	return m
}

func TestEngineLifecycle(t *testing.T) {
	e, _ := newManualEngine(t)
	if err := e.Start(); !errors.Is(err, ErrStarted) {
		t.Fatalf("second Start = %v", err)
	}
	tr := newChanTransport()
	if _, err := e.Attach(tr, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Attach(tr, nil); !errors.Is(err, ErrAttached) {
		t.Fatalf("second Attach = %v", err)
	}
	e.Detach()
	e.Detach()
	if _, err := e.Attach(newChanTransport(), nil); err != nil {
		t.Fatalf("Attach after Detach: %v", err)
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Attach(newChanTransport(), nil); !errors.Is(err, ErrClosed) {
		t.Fatalf("Attach after Close = %v", err)
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	dev := &manualDevice{}
	bad := []Config{
		{},
		{Device: dev, Bitrate: 100},
		{Device: dev, Bitrate: MaxBitrate + 1},
		{Device: dev, SendQueue: -1},
		{Device: dev, JitterDelay: -1},
	}
	for _, c := range bad {
		if _, err := NewEngine(c); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("NewEngine(%+v) = %v, want ErrInvalidConfig", c, err)
		}
	}
}

// BenchmarkFramePath is one 20 ms frame through the engine's per-frame
// work without the network: Opus encode, AEAD seal, open, Opus decode.
func BenchmarkFramePath(b *testing.B) {
	enc, err := opus.NewEncoder(opus.DefaultEncoderConfig())
	if err != nil {
		b.Fatal(err)
	}
	defer enc.Close()
	dec, err := opus.NewDecoder(audio.SampleRate, audio.Channels)
	if err != nil {
		b.Fatal(err)
	}
	defer dec.Close()
	tx, rx := newGCMCipher(1, 2), newGCMCipher(2, 1)
	pcm := make([]int16, audio.FrameSamples)
	audio.Chirp()(pcm)
	out := make([]int16, audio.FrameSamples)
	encoded := make([]byte, maxEncoded)
	sealed := make([]byte, 0, rtc.MaxFrameSize)
	opened := make([]byte, 0, rtc.MaxFrameSize)
	b.ReportAllocs()
	for b.Loop() {
		n, err := enc.Encode(pcm, encoded)
		if err != nil {
			b.Fatal(err)
		}
		s, err := tx.Seal(sealed[:0], encoded[:n])
		if err != nil {
			b.Fatal(err)
		}
		o, err := rx.Open(opened[:0], s)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := dec.Decode(o, out); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDeafenedPlaysSilenceAndKeepsDecoding: a held call's stream keeps
// receiving and decoding the peer (the jitter buffer stays in step) but
// the speaker gets silence; undeafened, the peer plays again.
func TestDeafenedPlaysSilenceAndKeepsDecoding(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	e, dev := newManualEngine(t)
	tr := newChanTransport()
	s, err := e.Attach(tr, nil)
	if err != nil {
		t.Fatal(err)
	}
	frames := encodeChirp(t, 12, nil)
	delay := jitter.DefaultDelay
	feed(ctx, t, tr, s, frames[:delay], 0)
	out := make([]int16, audio.FrameSamples)
	loud := 0
	for i := range frames {
		s.SetDeafened(i < 6)
		dev.callbacks().Playback(out)
		if i < 6 && peak(out) != 0 {
			t.Fatalf("frame %d played while deafened (peak %d)", i, peak(out))
		}
		if i >= 8 && peak(out) > 1000 {
			loud++
		}
		if next := i + delay; next < len(frames) {
			feed(ctx, t, tr, s, frames[next:next+1], next)
		}
	}
	if st := s.Stats(); st.Played != 12 {
		t.Fatalf("stats %+v: deafened frames must still be decoded", st)
	}
	if loud == 0 {
		t.Fatal("the peer did not play again after undeafening")
	}
}
