package quality

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"github.com/parley-voip/parley/media/audio"
)

func chirp(samples int) []int16 {
	out := make([]int16, samples)
	src := audio.Chirp()
	for off := 0; off < samples; off += audio.FrameSamples {
		frame := make([]int16, audio.FrameSamples)
		src(frame)
		copy(out[off:], frame)
	}
	return out
}

func noise(seed uint64, samples int, amplitude float64) []int16 {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	out := make([]int16, samples)
	for i := range out {
		out[i] = int16(amplitude * rng.NormFloat64())
	}
	return out
}

func delayed(x []int16, lag int) []int16 {
	return append(make([]int16, lag), x...)
}

// naiveNCC is the definition, evaluated lag by lag.
func naiveNCC(ref, got []int16, maxLag int) (float64, int) {
	best, at := 0.0, 0
	minOverlap := max(1, min(len(ref), len(got))/2)
	for l := 0; l <= maxLag && l < len(got); l++ {
		var rg, rr, gg float64
		n := min(len(ref), len(got)-l)
		if n < minOverlap {
			break
		}
		for i := 0; i < n; i++ {
			r, g := float64(ref[i]), float64(got[i+l])
			rg += r * g
			rr += r * r
			gg += g * g
		}
		if rr > 0 && gg > 0 && rg/math.Sqrt(rr*gg) > best {
			best, at = rg/math.Sqrt(rr*gg), l
		}
	}
	return best, at
}

func TestNCC(t *testing.T) {
	t.Parallel()
	ref := chirp(3 * audio.SampleRate)
	scaled := make([]int16, len(ref))
	for i, v := range ref {
		scaled[i] = int16(float64(v) * 0.3)
	}
	cases := []struct {
		name    string
		got     []int16
		maxLag  int
		min     float64
		max     float64
		wantLag int
	}{
		{"identical", ref, 480, 0.999999, 1, 0},
		{"delayed 12345", delayed(ref, 12345), audio.SampleRate, 0.999999, 1, 12345},
		{"delayed by max lag", delayed(ref, 4800), 4800, 0.999999, 1, 4800},
		{"scaled", scaled, 480, 0.9999, 1, 0},
		{"scaled and delayed", delayed(scaled, 777), 1000, 0.9999, 1, 777},
		{"delay beyond search", delayed(ref, 2000), 1000, 0, 0.5, -1},
		{"noise", noise(1, 4*audio.SampleRate, 3000), audio.SampleRate, 0, 0.02, -1},
		{"silence", make([]int16, len(ref)), 480, 0, 0, 0},
		{"empty", nil, 480, 0, 0, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			score, lag := NCC(ref, c.got, c.maxLag)
			if score < c.min || score > c.max {
				t.Errorf("score %.6f outside [%v, %v]", score, c.min, c.max)
			}
			if c.wantLag >= 0 && lag != c.wantLag {
				t.Errorf("lag %d, want %d", lag, c.wantLag)
			}
		})
	}
}

// TestNCCMatchesDefinition compares the FFT path with the direct sum on
// random shapes, including got shorter than ref and ref shorter than got.
func TestNCCMatchesDefinition(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 11))
	for i := 0; i < 40; i++ {
		nr, ng := 1+rng.IntN(700), 1+rng.IntN(900)
		maxLag := rng.IntN(400)
		ref := noise(uint64(i), nr, 2000)
		got := noise(uint64(i)+1000, ng, 2000)
		if i%2 == 0 && ng > 50 { // plant a partial copy half the time
			copy(got[min(ng-1, 37):], ref)
		}
		s1, l1 := NCC(ref, got, maxLag)
		s2, l2 := naiveNCC(ref, got, maxLag)
		if math.Abs(s1-s2) > 1e-9 || (l1 != l2 && math.Abs(s1-s2) > 0) {
			t.Fatalf("case %d (%d, %d, lag %d): fft %.12f@%d, naive %.12f@%d", i, nr, ng, maxLag, s1, l1, s2, l2)
		}
	}
}

func TestFFTMatchesDFT(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 5))
	for _, n := range []int{1, 2, 4, 8, 64, 256} {
		x := make([]complex128, n)
		for i := range x {
			x[i] = complex(rng.NormFloat64(), rng.NormFloat64())
		}
		want := make([]complex128, n)
		for k := range want {
			for j, v := range x {
				want[k] += v * cmplx.Exp(complex(0, -2*math.Pi*float64(j*k)/float64(n)))
			}
		}
		got := append([]complex128(nil), x...)
		fft(got, false)
		for k := range got {
			if cmplx.Abs(got[k]-want[k]) > 1e-9*float64(n) {
				t.Fatalf("n=%d bin %d: %v, want %v", n, k, got[k], want[k])
			}
		}
		fft(got, true)
		for k := range got {
			if cmplx.Abs(got[k]/complex(float64(n), 0)-x[k]) > 1e-9 {
				t.Fatalf("n=%d: inverse does not restore input", n)
			}
		}
	}
}

func TestSegmentalSNR(t *testing.T) {
	t.Parallel()
	ref := chirp(audio.SampleRate)
	// Noise 20 dB below the chirp (RMS 16383/√2 ≈ 11585 → 1158.5).
	noisy := make([]int16, len(ref))
	n := noise(9, len(ref), 1158.5)
	for i := range ref {
		noisy[i] = ref[i] + n[i]
	}
	silentRef := make([]int16, len(ref))
	copy(silentRef[:len(ref)/2], ref)
	cases := []struct {
		name     string
		ref, got []int16
		lag      int
		min, max float64
	}{
		{"identical", ref, ref, 0, SNRCeiling, SNRCeiling},
		{"delayed, right lag", ref, delayed(ref, 333), 333, SNRCeiling, SNRCeiling},
		{"20 dB noise", ref, noisy, 0, 19.5, 20.5},
		{"silence received", ref, make([]int16, len(ref)), 0, 0, 0},
		{"nothing received", ref, nil, 0, 0, 0},
		{"inverted", ref, invert(ref), 0, -6.1, -5.9}, // error 2·ref: 10·log10(1/4)
		{"unrelated noise", ref, noise(2, len(ref), 11585), 0, -4, -2},
		{"silent half skipped", silentRef, silentRef, 0, SNRCeiling, SNRCeiling},
		{"silent reference", make([]int16, len(ref)), ref, 0, SNRFloor, SNRFloor},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if s := SegmentalSNR(c.ref, c.got, c.lag); s < c.min || s > c.max {
				t.Errorf("SegmentalSNR = %.2f dB, want [%v, %v]", s, c.min, c.max)
			}
		})
	}
}

func invert(x []int16) []int16 {
	out := make([]int16, len(x))
	for i, v := range x {
		out[i] = -v
	}
	return out
}

// BenchmarkNCC3s1s is the case the brief sizes: 3 s of audio, lags up to 1 s.
func BenchmarkNCC3s1s(b *testing.B) {
	ref := chirp(3 * audio.SampleRate)
	got := delayed(ref, audio.SampleRate/3)
	for b.Loop() {
		if _, lag := NCC(ref, got, audio.SampleRate); lag != audio.SampleRate/3 {
			b.Fatal("wrong lag")
		}
	}
}
