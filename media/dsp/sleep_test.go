package dsp

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/internal/testspeech"
)

// turn is one stretch of a simulated call: who talks from at (seconds).
type turn struct {
	at         float64
	far, near  bool
	echoFactor float64 // the echo path's gain from here on (0: none, a headset)
	noiseRMS   float64 // the room's noise from here on (0: 30, -61 dBFS)
}

// callScene builds a call's far end and microphone from turns: the far
// talker's and the near talker's speech where they talk, the echo
// (echoRoom, scaled by each turn's echoFactor) and the room's noise.
type callScene struct {
	far, mic, echo []int16
}

func newCallScene(t *testing.T, seconds float64, turns []turn) callScene {
	t.Helper()
	farVoice := testspeech.Load(t, testspeech.FarVoice, testspeech.FarText)
	nearVoice := testspeech.Load(t, testspeech.NearVoice, testspeech.NearText)
	total := int(seconds*48000) / frame * frame
	s := callScene{far: make([]int16, total), mic: make([]int16, total), echo: make([]int16, total)}
	near := make([]int16, total)
	gain, noise := make([]float64, total), make([]float64, total)
	for k, tr := range turns {
		start, end := int(tr.at*48000), total
		if k+1 < len(turns) {
			end = int(turns[k+1].at * 48000)
		}
		for i := start; i < end && i < total; i++ {
			if tr.far {
				s.far[i] = farVoice[(i-start)%len(farVoice)]
			}
			if tr.near {
				near[i] = nearVoice[(i-start)%len(nearVoice)]
			}
			gain[i], noise[i] = tr.echoFactor, tr.noiseRMS
			if noise[i] == 0 {
				noise[i] = 30
			}
		}
	}
	echo := echoRoom(s.far)
	rng := rand.New(rand.NewPCG(11, 12))
	for i := range s.mic {
		e := echo[i] * gain[i]
		s.echo[i] = int16(max(min(e, 32767), -32768))
		v := e + float64(near[i]) + rng.NormFloat64()*noise[i]
		s.mic[i] = int16(max(min(v, 32767), -32768))
	}
	return s
}

// sceneRun is what the processor did with a scene, frame by frame.
type sceneRun struct {
	out    []int16
	asleep []bool // per 20 ms frame: asleep after the call that ended in it
	stats  EchoStats
}

// sceneConfig: how runScene hands the scene to the processor.
type sceneConfig struct {
	call int         // samples per Process call (a multiple of 240)
	each func(f int) // called before the call that starts frame f
}

type sceneOption func(*sceneConfig)

// withCall makes each Process call n samples long (960 by default).
func withCall(n int) sceneOption { return func(c *sceneConfig) { c.call = n } }

// withEachFrame calls fn(f) before the call that starts 20 ms frame f.
func withEachFrame(fn func(f int)) sceneOption { return func(c *sceneConfig) { c.each = fn } }

func runScene(t *testing.T, p *Processor, s callScene, opts ...sceneOption) sceneRun {
	t.Helper()
	cfg := sceneConfig{call: frame}
	for _, o := range opts {
		o(&cfg)
	}
	r := sceneRun{out: make([]int16, len(s.mic))}
	for at := 0; at < len(s.mic); at += cfg.call {
		end := min(at+cfg.call, len(s.mic))
		if cfg.each != nil && at%frame == 0 {
			cfg.each(at / frame)
		}
		if err := p.Process(s.mic[at:end], s.far[at:end], r.out[at:end]); err != nil {
			t.Fatal(err)
		}
		for len(r.asleep) < end/frame {
			r.asleep = append(r.asleep, p.EchoStats().Asleep)
		}
	}
	r.stats = p.EchoStats()
	return r
}

// first is the time of the first frame from (seconds) on after which the
// canceller was asleep (or, with asleep false, awake), or -1.
func (r sceneRun) first(from float64, asleep bool) float64 {
	for f := int(from * 48000 / frame); f < len(r.asleep); f++ {
		if r.asleep[f] == asleep {
			return float64(f*frame) / 48000
		}
	}
	return -1
}

// firstAsleep is the time of the first frame the canceller slept through,
// or -1.
func (r sceneRun) firstAsleep() float64 { return r.first(0, true) }

// headsetTurns: a conversation through a headset (no echo): the far end
// talks, the near end answers, both talk at once for a while.
var headsetTurns = []turn{
	{at: 0, far: true}, {at: 8, near: true}, {at: 12, far: true}, {at: 20, far: true, near: true},
	{at: 26, far: true},
}

// TestEchoSleepsOnHeadset: with no echo path the canceller falls asleep
// within the far end's first few seconds of talk and stays asleep through
// answers and double talk; the probe never mistakes the near talker for
// echo. Process calls of any length judge the same 20 ms units; asleep,
// the canceller does not touch the microphone's signal.
func TestEchoSleepsOnHeadset(t *testing.T) {
	t.Parallel()
	scene := newCallScene(t, 34, headsetTurns)
	for _, call := range []int{240, 480, 960, 4800} {
		t.Run(fmt.Sprintf("calls of %d", call), func(t *testing.T) {
			t.Parallel()
			p := newTestProcessor(t, Config{NoiseOff: true})
			r := runScene(t, p, scene, withCall(call))
			t.Logf("asleep from %.2f s, %v asleep of 34 s, %d sleeps, %d echo wakes", r.firstAsleep(), r.stats.AsleepFor, r.stats.Sleeps, r.stats.EchoWakes)
			// The floor is known from the far end's first pause (2.9 s),
			// and half of its talk is loud enough to count: 6.34 s, seen
			// for all of the call that holds it.
			if at, want := r.firstAsleep(), 6.34; at < want-float64(call)/48000 || at > want+0.01 {
				t.Errorf("asleep from %.2f s, want %.2f s", at, want)
			}
			if r.stats.Sleeps != 1 || r.stats.EchoWakes != 0 || !r.stats.Asleep {
				t.Errorf("stats %+v: want one sleep, no wake, asleep at the end", r.stats)
			}
			for f, asleep := range r.asleep {
				if f > 0 && asleep && r.asleep[f-1] && !slices.Equal(r.out[f*frame:(f+1)*frame], scene.mic[f*frame:(f+1)*frame]) {
					t.Fatalf("frame %d: asleep with noise suppression off, yet the output differs from the microphone", f)
				}
			}
		})
	}
}

// TestEchoSleepsInDoubleTalk: on a headset with both ends talking without
// a break (each voice looped), units of quiet microphone under far-end
// talk come only where the near talker pauses: sleep takes longer, and the
// probe, learning from double talk throughout, never wakes it.
func TestEchoSleepsInDoubleTalk(t *testing.T) {
	t.Parallel()
	p := newTestProcessor(t, Config{})
	r := runScene(t, p, newCallScene(t, 60, []turn{{at: 0, far: true, near: true}}))
	t.Logf("asleep from %.2f s, %+v", r.firstAsleep(), r.stats)
	if at := r.firstAsleep(); at < 0 || at > 50 {
		t.Errorf("asleep from %.2f s, want within 50 s", at)
	}
	if r.stats.EchoWakes != 0 || !r.stats.Asleep {
		t.Errorf("stats %+v: want no echo wake, asleep at the end", r.stats)
	}
}

// TestEchoWakesInNoise: asleep on a headset, then the room gets loud (-37
// dBFS of noise, above the -40 dBFS where a weak echo could hide in it):
// once the floor has followed, the canceller wakes, and an echo path that
// appears later finds it awake.
func TestEchoWakesInNoise(t *testing.T) {
	t.Parallel()
	const noisy, echo = 14.0, 30.0
	turns := []turn{{at: 0, far: true}, {at: noisy, far: true, noiseRMS: 460}, {at: echo, far: true, noiseRMS: 460, echoFactor: 1}}
	p := newTestProcessor(t, Config{})
	r := runScene(t, p, newCallScene(t, 40, turns))
	woke := r.first(noisy, false)
	t.Logf("asleep from %.2f s, awake again at %.2f s; %+v", r.firstAsleep(), woke, r.stats)
	if at := r.firstAsleep(); at < 0 || at > noisy {
		t.Fatalf("never asleep before the noise (%.2f)", at)
	}
	if woke < noisy || woke > echo {
		t.Errorf("awake again at %.2f s, want between %.0f and %.0f s", woke, noisy, echo)
	}
	if r.stats.Sleeps != 1 || r.stats.EchoWakes != 0 || r.stats.Asleep {
		t.Errorf("stats %+v: want one sleep, no echo wake (the noise woke it), awake at the end", r.stats)
	}
}

// TestEchoStaysAwakeWithEcho: where the microphone hears the loudspeaker,
// the canceller never sleeps, through a conversation of single and double
// talk: for a room's echo (echoRoom: 10 dB of loss) and for it 10 and 20
// dB weaker. 30 dB weaker (40 dB of loss), the echo of all but the far
// end's loudest syllables is under the microphone's noise floor: the
// canceller may fall asleep, and then the probe must wake it.
func TestEchoStaysAwakeWithEcho(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		factor   float64
		maySleep bool
	}{{"room", 1, false}, {"room -10 dB", 0.316, false}, {"room -20 dB", 0.1, false}, {"room -30 dB", 0.0316, true}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := newTestProcessor(t, Config{})
			turns := make([]turn, len(headsetTurns))
			for i, tr := range headsetTurns {
				tr.echoFactor = tc.factor
				turns[i] = tr
			}
			r := runScene(t, p, newCallScene(t, 34, turns))
			t.Logf("asleep from %.2f s, %+v", r.firstAsleep(), r.stats)
			switch {
			case !tc.maySleep && r.stats.Sleeps != 0:
				t.Errorf("fell asleep at %.2f s with an echo path (%+v)", r.firstAsleep(), r.stats)
			case r.stats.EchoWakes != r.stats.Sleeps || r.stats.Asleep:
				t.Errorf("asleep with an echo path and the probe did not wake it: %+v", r.stats)
			}
		})
	}
}

// TestEchoWakesOnEcho: asleep on a headset, then the echo path appears
// (the headset is taken off and the laptop's speaker plays): the probe
// wakes the canceller within its window of far-end talk, the canceller
// converges again, and it does not fall back asleep.
func TestEchoWakesOnEcho(t *testing.T) {
	t.Parallel()
	const onset = 14.0
	turns := []turn{{at: 0, far: true}, {at: 8, near: true}, {at: onset, far: true, echoFactor: 1},
		{at: 24, near: true, echoFactor: 1}, {at: 27, far: true, echoFactor: 1}}
	s := newCallScene(t, 36, turns)
	p := newTestProcessor(t, Config{})
	r := runScene(t, p, s)
	woke := r.first(onset, false)
	if woke >= 0 {
		woke -= onset
	}
	t.Logf("asleep from %.2f s; woke %.2f s after the echo appeared; %+v", r.firstAsleep(), woke, r.stats)
	if at := r.firstAsleep(); at < 0 || at > onset {
		t.Fatalf("never asleep before the echo appeared (%.2f)", at)
	}
	if woke < 0 || woke > 2.5 {
		t.Fatalf("woke %.2f s after the echo appeared, want within 2.5 s", woke)
	}
	if r.stats.EchoWakes != 1 || r.stats.Sleeps != 1 || r.stats.Asleep {
		t.Errorf("stats %+v: want one sleep, one echo wake, awake at the end", r.stats)
	}
	// Once converged again (5 s after the onset), the echo is cancelled as
	// in TestEchoCancellation, in the far end's second stretch alone.
	if erle := sceneERLE(s, r.out, 27, 36); erle < 20 {
		t.Errorf("ERLE %.1f dB after waking, want ≥ 20", erle)
	} else {
		t.Logf("ERLE %.1f dB after waking", erle)
	}
}

// sceneERLE: echo energy in against residual out, from..to seconds, over
// frames where the echo is loud.
func sceneERLE(s callScene, out []int16, from, to float64) float64 {
	var in, res float64
	for f := int(from*48000) / frame * frame; f+frame <= int(to*48000) && f+frame <= len(out); f += frame {
		var fe, fo float64
		for i := f; i < f+frame; i++ {
			fe += float64(s.echo[i]) * float64(s.echo[i])
			fo += float64(out[i]) * float64(out[i])
		}
		if fe/frame < 100*100 {
			continue
		}
		in, res = in+fe, res+fo
	}
	return 10 * math.Log10(in/max(res, 1))
}

// TestEchoWakeAndSwitch: Wake (a device change) and switching the
// canceller off and on wake it; it falls asleep again afterwards. A
// processor configured with NoEchoSleep, or with a tail longer than the
// probe learns, never sleeps.
func TestEchoWakeAndSwitch(t *testing.T) {
	t.Parallel()
	s := newCallScene(t, 30, []turn{{at: 0, far: true}})
	p := newTestProcessor(t, Config{})
	wakeAt, offAt, onAt := 10*50, 18*50, 19*50 // frames
	r := runScene(t, p, s, withEachFrame(func(f int) {
		switch f {
		case wakeAt:
			p.Wake()
		case offAt:
			p.SetEcho(false)
		case onAt:
			p.SetEcho(true)
		}
	}))
	for _, f := range []int{wakeAt, offAt, onAt} {
		if r.asleep[f] {
			t.Errorf("asleep at frame %d, right after the wake or switch", f)
		}
	}
	if !r.asleep[wakeAt-1] || !r.asleep[offAt-1] || !r.stats.Asleep {
		t.Errorf("not asleep before the wake, before the switch or at the end: %+v", r.stats)
	}
	if r.stats.Sleeps != 3 || r.stats.EchoWakes != 0 {
		t.Errorf("stats %+v, want 3 sleeps, no echo wake", r.stats)
	}

	// Neither with NoEchoSleep nor with a tail longer than the probe's.
	for _, cfg := range []Config{{NoEchoSleep: true}, {Tail: 300 * time.Millisecond}} {
		if r := runScene(t, newTestProcessor(t, cfg), s); r.stats.Sleeps != 0 {
			t.Errorf("%+v: %+v", cfg, r.stats)
		}
	}
}

// BenchmarkProcessAsleep is BenchmarkProcess's aec+ns with the canceller
// asleep and the probe adapting in every frame (the far end and the near
// end talking at once: its most expensive case).
func BenchmarkProcessAsleep(b *testing.B) {
	p := newTestProcessor(b, Config{})
	// A second of independent noise at each end, cycled: a shorter cycle
	// would let the probe predict the microphone from the far end.
	rng := rand.New(rand.NewPCG(1, 2))
	mic, far := make([]int16, 50*frame), make([]int16, 50*frame)
	for i := range far {
		mic[i], far[i] = int16(rng.NormFloat64()*3000), int16(rng.NormFloat64()*3000)
	}
	out, silent := make([]int16, frame), make([]int16, frame)
	// A far-end pause for the floor, then far-end talk into a quiet
	// microphone until the canceller sleeps.
	for range 10 {
		_ = p.Process(silent, silent, out)
	}
	for f := range (sleepAfter + 1) * 50 {
		_ = p.Process(silent, far[f%50*frame:][:frame], out)
	}
	if !p.EchoStats().Asleep {
		b.Fatal("not asleep")
	}
	b.ReportAllocs()
	f := 0
	for b.Loop() {
		_ = p.Process(mic[f*frame:][:frame], far[f*frame:][:frame], out)
		f = (f + 1) % 50
	}
	if !p.EchoStats().Asleep {
		b.Fatal("woke")
	}
}
