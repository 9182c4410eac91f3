package dsp

import (
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/parley-voip/parley/media/internal/testspeech"
	"github.com/parley-voip/parley/media/quality"
)

const frame = 960 // Parley's 20 ms frame: two speexdsp blocks

// newTestProcessor returns a processor for cfg, closed when the test ends.
func newTestProcessor(tb testing.TB, cfg Config) *Processor {
	tb.Helper()
	p, err := New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(p.Close)
	return p
}

// echoRoom simulates the acoustic path from loudspeaker to microphone: a
// direct path 40 ms late (device buffers plus 30 cm of air), -10 dB and
// low-pass filtered (a small speaker has little treble), and a wall
// reflection 70 ms late at -20 dB.
func echoRoom(far []int16) []float64 {
	const d1, d2 = 40 * 48, 70 * 48
	echo := make([]float64, len(far))
	at := func(i int) float64 {
		if i < 0 || i >= len(far) {
			return 0
		}
		return float64(far[i])
	}
	for n := range echo {
		direct := 0.5*at(n-d1) + 0.3*at(n-d1-1) + 0.2*at(n-d1-2)
		echo[n] = 0.316*direct + 0.1*at(n-d2)
	}
	return echo
}

type aecRun struct {
	erle    float64 // dB, over the converged far-end-only part
	nearNCC float64 // near-end speech kept, in the near-only part
}

// runAEC plays far out of the simulated loudspeaker while the near-end
// talker starts at nearAt, and measures how much of the echo the processor
// removes (ERLE, 10·log10 of echo energy in over residual energy out, over
// frames where only the far end talks, after convergeFrames) and how much
// of the near-end speech survives alone (NCC against the clean near end).
func runAEC(t *testing.T, p *Processor, far, near []int16, nearAt, convergeFrames int) aecRun {
	t.Helper()
	total := (max(len(far), nearAt+len(near))/frame + 1) * frame
	farPad := make([]int16, total)
	copy(farPad, far)
	echo := echoRoom(farPad)
	rng := rand.New(rand.NewPCG(5, 6))
	mic := make([]int16, total)
	nearPad := make([]int16, total)
	copy(nearPad[nearAt:], near)
	for i := range mic {
		v := echo[i] + float64(nearPad[i]) + rng.NormFloat64()*30 // -60 dBFS room noise
		mic[i] = int16(max(min(v, 32767), -32768))
	}
	out := make([]int16, total)
	for f := 0; f < total; f += frame {
		if err := p.Process(mic[f:f+frame], farPad[f:f+frame], out[f:f+frame]); err != nil {
			t.Fatal(err)
		}
	}
	var in, res float64
	for f := convergeFrames * frame; f < total; f += frame {
		var fe, ne float64
		for i := f; i < f+frame; i++ {
			fe += echo[i] * echo[i]
			ne += float64(nearPad[i]) * float64(nearPad[i])
		}
		if fe/frame < 100*100 || ne > 0 { // far end quiet, or double talk
			continue
		}
		in += fe
		for i := f; i < f+frame; i++ {
			res += float64(out[i]) * float64(out[i])
		}
	}
	r := aecRun{erle: 10 * math.Log10(in/max(res, 1))}
	// Near end alone: after the far end's last echo has died away.
	farEnd := len(far) + 100*48
	if nearAt+len(near) > farEnd+48000 {
		start := max(farEnd, nearAt)
		end := nearAt + len(near)
		var lag int
		r.nearNCC, lag = quality.NCC(nearPad[start:end], out[start:min(end+4800, total)], 4800)
		if lag > 2*DefaultFrameSamples {
			t.Errorf("near end delayed by %d samples", lag)
		}
	}
	return r
}

// TestEchoCancellation plays synthetic speech out of a simulated room and
// checks the canceller removes its echo: ERLE over the converged part with
// the canceller on, against the same run with it off, while the near-end
// talker, once alone, comes through intact.
func TestEchoCancellation(t *testing.T) {
	t.Parallel()
	far := testspeech.Load(t, testspeech.FarVoice, testspeech.FarText)
	near := testspeech.Load(t, testspeech.NearVoice, testspeech.NearText)
	nearAt := len(far) - 2*48000 // two seconds of double talk, then near alone
	const converge = 150         // frames: 3 s of far-end speech to learn the path

	for _, tc := range []struct {
		name    string
		cfg     Config
		minERLE float64
		maxERLE float64
		minNear float64
	}{
		{"aec+ns", Config{}, 20, math.Inf(1), 0.8},
		{"aec+ns at 48 kHz", Config{ProcessRate: 48000, FrameSamples: 480}, 20, math.Inf(1), 0.8},
		{"aec", Config{NoiseOff: true}, 10, math.Inf(1), 0.8},
		{"off", Config{EchoOff: true, NoiseOff: true}, -1, 1, 0.99},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := newTestProcessor(t, tc.cfg)
			r := runAEC(t, p, far, near, nearAt, converge)
			t.Logf("%s: ERLE %.1f dB, near-end NCC %.3f", tc.name, r.erle, r.nearNCC)
			if r.erle < tc.minERLE || r.erle > tc.maxERLE {
				t.Errorf("ERLE %.1f dB outside %.0f..%.0f", r.erle, tc.minERLE, tc.maxERLE)
			}
			if r.nearNCC < tc.minNear {
				t.Errorf("near-end NCC %.3f < %.2f", r.nearNCC, tc.minNear)
			}
		})
	}
}

// TestNoiseSuppression: steady noise alone is attenuated by most of the
// configured suppression.
func TestNoiseSuppression(t *testing.T) {
	t.Parallel()
	p := newTestProcessor(t, Config{EchoOff: true})
	rng := rand.New(rand.NewPCG(7, 8))
	mic, far, out := make([]int16, frame), make([]int16, frame), make([]int16, frame)
	var in, res float64
	for f := range 250 {
		for i := range mic {
			mic[i] = int16(rng.NormFloat64() * 1000)
		}
		if err := p.Process(mic, far, out); err != nil {
			t.Fatal(err)
		}
		if f >= 100 {
			for i := range mic {
				in += float64(mic[i]) * float64(mic[i])
				res += float64(out[i]) * float64(out[i])
			}
		}
	}
	att := 10 * math.Log10(in/res)
	t.Logf("noise attenuated by %.1f dB", att)
	if att < 15 {
		t.Errorf("noise attenuated by only %.1f dB", att)
	}
}

func TestSwitches(t *testing.T) {
	t.Parallel()
	p := newTestProcessor(t, Config{})
	if !p.Echo() || !p.Noise() {
		t.Fatal("stages not on by default")
	}
	p.SetEcho(false)
	p.SetNoise(false)
	mic := make([]int16, frame)
	for i := range mic {
		mic[i] = int16(i)
	}
	out := make([]int16, frame)
	if err := p.Process(mic, make([]int16, frame), out); err != nil {
		t.Fatal(err)
	}
	for i := range out {
		if out[i] != mic[i] {
			t.Fatalf("both stages off: sample %d changed", i)
		}
	}
	// In place, with the stages back on.
	p.SetEcho(true)
	p.SetNoise(true)
	if err := p.Process(mic, make([]int16, frame), mic); err != nil {
		t.Fatal(err)
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	for _, c := range []Config{{SampleRate: 1000}, {FrameSamples: 10}, {Tail: 3e9}, {NoiseSuppression: 5},
		{ProcessRate: 11025}, {ProcessRate: 96000}, {ProcessRate: 4000}} {
		if _, err := New(c); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("New(%+v) = %v", c, err)
		}
	}
	p, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Process(make([]int16, 10), make([]int16, 10), make([]int16, 10)); !errors.Is(err, ErrFrameSize) {
		t.Errorf("short frame: %v", err)
	}
	p.Close()
	p.Close()
	f := make([]int16, frame)
	if err := p.Process(f, f, f); !errors.Is(err, ErrClosed) {
		t.Errorf("after Close: %v", err)
	}
}

// BenchmarkProcess is the capture path's DSP cost per 20 ms frame.
func BenchmarkProcess(b *testing.B) {
	for _, tc := range []struct {
		name string
		cfg  Config
	}{{"aec+ns", Config{}}, {"ns", Config{EchoOff: true}}, {"aec", Config{NoiseOff: true}}} {
		b.Run(tc.name, func(b *testing.B) {
			p := newTestProcessor(b, tc.cfg)
			rng := rand.New(rand.NewPCG(1, 2))
			mic, far, out := make([]int16, frame), make([]int16, frame), make([]int16, frame)
			for i := range mic {
				mic[i], far[i] = int16(rng.NormFloat64()*3000), int16(rng.NormFloat64()*3000)
			}
			b.ReportAllocs()
			for b.Loop() {
				_ = p.Process(mic, far, out)
			}
		})
	}
}

// TestProcessOneCgoCallPerFrame: a 20 ms frame (four 5 ms blocks, each
// resampled down and up, echo-cancelled and preprocessed) crosses into C
// once, at 16 kHz and at 48 kHz: each crossing costs, and wakes the Go
// scheduler's monitor thread.
func TestProcessOneCgoCallPerFrame(t *testing.T) {
	for _, rate := range []int{16000, 48000} {
		p, err := New(Config{ProcessRate: rate})
		if err != nil {
			t.Fatal(err)
		}
		mic, far := make([]int16, 960), make([]int16, 960)
		for i := range mic {
			mic[i], far[i] = int16(i*37%2000-1000), int16(i*53%3000-1500)
		}
		if err := p.Process(mic, far, mic); err != nil { // settles the switches
			t.Fatal(err)
		}
		before := runtime.NumCgoCall()
		if err := p.Process(mic, far, mic); err != nil {
			t.Fatal(err)
		}
		if n := runtime.NumCgoCall() - before; n != 1 {
			t.Errorf("%d Hz: %d cgo calls for one frame, want 1", rate, n)
		}
		p.Close()
	}
}
