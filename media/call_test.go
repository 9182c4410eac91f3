package media

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/quality"
	"github.com/parley-voip/parley/media/rtc"
	"github.com/parley-voip/parley/media/rtc/rtctest"
)

// nccThreshold: media/quality measures a chirp through Opus at 32 kbit/s at
// about 0.97 and an unrelated signal near 0; 0.8 leaves room for the frames
// concealed after the tampered ones while still proving the chirp arrived.
const nccThreshold = 0.8

// testTimeout only guards against a hung test; nothing asserts on time.
const testTimeout = 60 * time.Second

var quiet = slog.New(slog.DiscardHandler)

func connectPeers(ctx context.Context, t testing.TB, opts ...func(*rtc.Config)) (*rtc.Peer, *rtc.Peer) {
	t.Helper()
	cfg := rtc.DefaultConfig()
	cfg.Logger = quiet
	for _, o := range opts {
		o(&cfg)
	}
	a, err := rtc.NewPeer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = a.Close() })
	b, err := rtc.NewPeer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })

	rtctest.Connect(ctx, t, a, b)
	return a, b
}

type callSide struct {
	engine *Engine
	rec    *audio.Recorder
	stream *Stream
}

func newSide(t *testing.T) *callSide {
	t.Helper()
	rec := audio.NewRecorder(3 * audio.SampleRate)
	e, err := NewEngine(Config{Device: audio.NewSyntheticDevice(audio.Chirp(), rec), Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	if err := e.Start(); err != nil {
		t.Fatal(err)
	}
	return &callSide{engine: e, rec: rec}
}

// TestCallOverLoopback runs a call between two engines with synthetic
// devices (a chirp into each microphone, a recorder on each speaker) over
// two pion peers on loopback, and checks both directions hear the chirp.
// With E2EE, a few of a's frames are tampered with on the way: b must drop
// and count them and the call must go on.
func TestCallOverLoopback(t *testing.T) {
	for _, e2ee := range []bool{true, false} {
		name := map[bool]string{true: "e2ee", false: "plain"}[e2ee]
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
			defer cancel()
			pa, pb := connectPeers(ctx, t)
			a, b := newSide(t), newSide(t)

			const tamperEvery, tamperMax = 20, 3
			ta := &tamperTransport{Peer: pa, every: tamperEvery, max: 0}
			var ca, cb FrameCipher
			if e2ee {
				ta.max = tamperMax
				ca, cb = newGCMCipher(1, 2), newGCMCipher(2, 1)
			}
			var err error
			if a.stream, err = a.engine.Attach(ta, ca); err != nil {
				t.Fatal(err)
			}
			if b.stream, err = b.engine.Attach(pb, cb); err != nil {
				t.Fatal(err)
			}

			for _, s := range []*callSide{a, b} {
				select {
				case <-s.stream.FirstFrame():
				case <-ctx.Done():
					t.Fatal("no frame decoded")
				}
			}
			// 1.5 s more of playback on each side, then score its last
			// second in 200 ms pieces: under load a capture frame may be
			// dropped and one inserted, which shifts what follows.
			for _, s := range []*callSide{a, b} {
				if err := s.rec.Wait(ctx, s.rec.Total()+3*audio.SampleRate/2); err != nil {
					t.Fatal(err)
				}
			}
			ref := chirpReference(2 * audio.SampleRate)
			for name, s := range map[string]*callSide{"b→a": a, "a→b": b} {
				got := s.rec.Samples()
				got = got[len(got)-audio.SampleRate:]
				score, scores := quality.ChunkNCC(got, ref, audio.SampleRate/5)
				t.Logf("%s: median NCC %.3f (pieces %.2f), stats %+v", name, score, scores, s.stream.Stats())
				if score < nccThreshold {
					t.Errorf("%s: median NCC %.3f < %.2f", name, score, nccThreshold)
				}
			}

			bs := b.stream.Stats()
			if e2ee {
				tampered := uint64(ta.tampered.Load())
				if tampered == 0 || bs.DecryptFailed == 0 || bs.DecryptFailed > tampered {
					t.Errorf("tampered %d frames, b counted %d decrypt failures", tampered, bs.DecryptFailed)
				}
			} else if bs.DecryptFailed != 0 {
				t.Errorf("plain call counted %d decrypt failures", bs.DecryptFailed)
			}

			a.engine.Detach()
			b.engine.Detach()
			// Detached streams are stopped: no more frames are sent.
			sent := a.stream.Stats().FramesSent
			if err := a.rec.Wait(ctx, a.rec.Total()+audio.SampleRate/10); err != nil {
				t.Fatal(err)
			}
			if after := a.stream.Stats().FramesSent; after != sent {
				t.Errorf("detached stream sent %d more frames", after-sent)
			}
		})
	}
}
