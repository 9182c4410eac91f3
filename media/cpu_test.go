package media

import (
	"math/rand/v2"
	"syscall"
	"testing"
	"time"

	"github.com/parley-voip/parley/internal/cputime"
	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/rtc"
)

// loopTransport connects two streams in memory: what one writes, the other
// reads, with RTP sequence numbers and timestamps as a peer would stamp them.
type loopTransport struct {
	out      chan rtc.Frame
	in       chan rtc.Frame
	seq      uint16
	ts       uint32
	deadline chan struct{}
}

func newLoopPair() (*loopTransport, *loopTransport) {
	ab, ba := make(chan rtc.Frame, 64), make(chan rtc.Frame, 64)
	return &loopTransport{out: ab, in: ba, deadline: make(chan struct{})},
		&loopTransport{out: ba, in: ab, deadline: make(chan struct{})}
}

func (t *loopTransport) WriteFrame(f []byte, _ time.Duration) error {
	t.out <- rtc.Frame{Payload: append([]byte(nil), f...), Seq: t.seq, Timestamp: t.ts, SSRC: 9}
	t.seq++
	t.ts += audio.FrameSamples
	return nil
}

func (t *loopTransport) ReadFrame() (rtc.Frame, error) {
	select {
	case f := <-t.in:
		return f, nil
	case <-t.deadline:
		return rtc.Frame{}, errDeadline
	}
}

func (t *loopTransport) SetReadDeadline(d time.Time) error {
	if !d.IsZero() {
		close(t.deadline)
	}
	return nil
}

var errDeadline = syscall.ETIMEDOUT

// BenchmarkCallCPU runs one E2EE call through two engines as fast as the
// CPU allows (manual devices, in-memory transport, AES-GCM frame cipher):
// each iteration is 20 ms of call in both directions — capture, echo
// cancellation, noise suppression, encode, seal, open, jitter buffer,
// decode, playback — on both clients. The process CPU time (getrusage,
// all goroutines) divided by two clients and by the audio time simulated is
// reported as %core: one client's share of one core in a real call.
func BenchmarkCallCPU(b *testing.B) {
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"aec+ns", Config{}},
		{"ns", Config{EchoCancellationOff: true}},
		{"nodsp", Config{EchoCancellationOff: true, NoiseSuppressionOff: true}},
	} {
		b.Run(tc.name, func(b *testing.B) { benchmarkCallCPU(b, tc.cfg) })
	}
}

func benchmarkCallCPU(b *testing.B, cfg Config) {
	mk := func() (*Engine, *manualDevice) {
		dev := &manualDevice{}
		c := cfg
		c.Device, c.Logger = dev, quiet
		e, err := NewEngine(c)
		if err != nil {
			b.Fatal(err)
		}
		if err := e.Start(); err != nil {
			b.Fatal(err)
		}
		return e, dev
	}
	ea, da := mk()
	defer ea.Close()
	eb, db := mk()
	defer eb.Close()
	ta, tb := newLoopPair()
	sa, err := ea.Attach(ta, newGCMCipher(1, 2))
	if err != nil {
		b.Fatal(err)
	}
	sb, err := eb.Attach(tb, newGCMCipher(2, 1))
	if err != nil {
		b.Fatal(err)
	}
	// The manual device has no echo-free mark: echo cancellation runs, as
	// on a sound card.
	speechA, speechB := make([]int16, audio.FrameSamples), make([]int16, audio.FrameSamples)
	// A sweep one way, noise the other: unrelated signals, as two talkers
	// are. (A steady tone as the echo reference leaves the canceller's
	// adaptive filter ill-conditioned, and the same sweep both ways looks
	// like an echo longer than its tail; either way speexdsp keeps
	// resetting it, printing a warning each time.)
	rng := rand.New(rand.NewPCG(1, 2))
	srcA := audio.Chirp()
	srcB := func(frame []int16) {
		for i := range frame {
			frame[i] = int16(rng.NormFloat64() * 3000) // about -20 dBFS
		}
	}
	out := make([]int16, audio.FrameSamples)
	frame := func() {
		srcA(speechA)
		srcB(speechB)
		// Counters are read before the capture: a frame can cross the
		// whole pipeline before the next statement runs.
		sentA, sentB := sa.Stats().FramesSent, sb.Stats().FramesSent
		recvA, recvB := sb.Stats().FramesReceived, sa.Stats().FramesReceived
		da.callbacks().Capture(speechA)
		db.callbacks().Capture(speechB)
		for sa.Stats().FramesSent == sentA || sb.Stats().FramesSent == sentB ||
			sb.Stats().FramesReceived == recvA || sa.Stats().FramesReceived == recvB {
			time.Sleep(20 * time.Microsecond) // not a spin: the CPU measured is the pipeline's
		}
		da.callbacks().Playback(out)
		db.callbacks().Playback(out)
	}
	for range 50 {
		frame()
	}
	start := cputime.Process()
	b.ResetTimer()
	for b.Loop() {
		frame()
	}
	cpu := cputime.Process() - start
	audioTime := time.Duration(b.N) * frameDuration
	b.ReportMetric(100*float64(cpu)/2/float64(audioTime), "%core/client")
	if st := sb.Stats(); st.Played == 0 {
		b.Fatalf("nothing played: %+v", st)
	}
}
