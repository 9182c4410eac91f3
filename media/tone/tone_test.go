package tone

import (
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/audio"
)

// cadenceVector is one entry of testdata/cadences.json: the expected tone
// as frequencies and runs of on and off 20 ms frames.
type cadenceVector struct {
	Kind   string    `json:"kind"`
	Freqs  []float64 `json:"freqs"`
	Runs   []int     `json:"runs"`
	Repeat bool      `json:"repeat"`
}

func loadVectors(t *testing.T) []cadenceVector {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "cadences.json"))
	if err != nil {
		t.Fatal(err)
	}
	var vs []cadenceVector
	if err := json.Unmarshal(b, &vs); err != nil {
		t.Fatal(err)
	}
	return vs
}

func kindByName(t *testing.T, name string) Kind {
	t.Helper()
	for k := Ringtone; k <= EndBeep; k++ {
		if k.String() == name {
			return k
		}
	}
	t.Fatalf("no kind %q", name)
	return 0
}

func rms(x []int16) float64 {
	var e float64
	for _, v := range x {
		e += float64(v) * float64(v)
	}
	return math.Sqrt(e / float64(len(x)))
}

// power is the DFT power of x at freq Hz.
func power(x []int16, freq float64) float64 {
	var re, im float64
	for i, v := range x {
		a := 2 * math.Pi * freq * float64(i) / audio.SampleRate
		re += float64(v) * math.Cos(a)
		im += float64(v) * math.Sin(a)
	}
	return re*re + im*im
}

func frames(g *Generator, n int) [][]int16 {
	out := make([][]int16, n)
	for i := range out {
		out[i] = make([]int16, audio.FrameSamples)
		g.Fill(out[i])
	}
	return out
}

func TestCadences(t *testing.T) {
	t.Parallel()
	for _, v := range loadVectors(t) {
		t.Run(v.Kind, func(t *testing.T) {
			t.Parallel()
			g, err := New(kindByName(t, v.Kind))
			if err != nil {
				t.Fatal(err)
			}
			// Expected on/off per frame over two periods (one plus trailing
			// silence for a one-shot tone).
			var want []bool
			for rep := 0; rep < 2; rep++ {
				for i, n := range v.Runs {
					for range n {
						want = append(want, i%2 == 0 && (rep == 0 || v.Repeat))
					}
				}
			}
			// Each frequency at amplitude A/len(freqs): on average an on
			// frame's RMS is A/√(2·len(freqs)). Two close tones beat (40 Hz
			// for ringback), so a 20 ms frame may catch a trough, and the
			// 5 ms fades lower edge frames: a wide band, against exact zero.
			onRMS := fullScale / float64(len(v.Freqs)) / math.Sqrt2 * math.Sqrt(float64(len(v.Freqs)))
			for i, f := range frames(g, len(want)) {
				r := rms(f)
				if want[i] && (r < 0.5*onRMS || r > 1.5*onRMS) {
					t.Fatalf("frame %d: rms %.0f, want on (≈ %.0f)", i, r, onRMS)
				}
				if !want[i] && r != 0 {
					t.Fatalf("frame %d: rms %.0f, want silence", i, r)
				}
			}
			if g.Done() == v.Repeat {
				t.Errorf("Done() = %v for repeat = %v", g.Done(), v.Repeat)
			}
		})
	}
}

func TestFrequencies(t *testing.T) {
	t.Parallel()
	for _, v := range loadVectors(t) {
		t.Run(v.Kind, func(t *testing.T) {
			t.Parallel()
			g, err := New(kindByName(t, v.Kind))
			if err != nil {
				t.Fatal(err)
			}
			var on []int16
			for _, f := range frames(g, v.Runs[0]) {
				on = append(on, f...)
			}
			// Each listed frequency must dominate frequencies not listed.
			var stray float64
			for _, f := range []float64{250, 350, 550, 800, 1000} {
				stray = max(stray, power(on, f))
			}
			for _, f := range v.Freqs {
				if p := power(on, f); p < 100*stray {
					t.Errorf("%v Hz: power %.3g, stray %.3g", f, p, stray)
				}
			}
		})
	}
}

func TestVolume(t *testing.T) {
	t.Parallel()
	loud, err := New(Busy)
	if err != nil {
		t.Fatal(err)
	}
	soft, err := New(Busy, WithVolume(0.25))
	if err != nil {
		t.Fatal(err)
	}
	a, b := frames(loud, 2), frames(soft, 2)
	if ratio := rms(b[1]) / rms(a[1]); math.Abs(ratio-0.25) > 0.001 {
		t.Errorf("volume 0.25: rms ratio %.4f", ratio)
	}
	soft.SetVolume(0)
	if r := rms(frames(soft, 1)[0]); r != 0 {
		t.Errorf("volume 0: rms %.0f", r)
	}
	soft.SetVolume(7)
	if soft.Volume() != 1 {
		t.Errorf("SetVolume(7) gave %v, want clamp to 1", soft.Volume())
	}
}

func TestResetAndDeterminism(t *testing.T) {
	t.Parallel()
	g, err := New(EndBeep)
	if err != nil {
		t.Fatal(err)
	}
	first := frames(g, 40)
	if !g.Done() {
		t.Fatal("end beep not done after 800 ms")
	}
	g.Reset()
	if g.Done() {
		t.Fatal("Done after Reset")
	}
	again := frames(g, 40)
	for i := range first {
		if rms(first[i]) != rms(again[i]) {
			t.Fatalf("frame %d differs after Reset", i)
		}
	}
}

func TestErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		err  error
		want error
	}{
		{"kind", second(New(Kind(42))), ErrKind},
		{"volume high", second(New(Busy, WithVolume(1.5))), ErrVolume},
		{"volume nan", second(New(Busy, WithVolume(math.NaN()))), ErrVolume},
		{"no freq", second(NewCadence(Cadence{Pattern: []time.Duration{time.Second}})), ErrCadence},
		{"nyquist", second(NewCadence(Cadence{Freqs: []float64{24000}, Pattern: []time.Duration{time.Second}})), ErrCadence},
		{"no pattern", second(NewCadence(Cadence{Freqs: []float64{440}})), ErrCadence},
		{"tiny step", second(NewCadence(Cadence{Freqs: []float64{440}, Pattern: []time.Duration{time.Nanosecond}})), ErrCadence},
	}
	for _, c := range cases {
		if !errors.Is(c.err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, c.err, c.want)
		}
	}
}

func second[T any](_ T, err error) error { return err }

// A Generator plugs into audio as a Source.
var _ audio.Source = (*Generator)(nil).Fill
