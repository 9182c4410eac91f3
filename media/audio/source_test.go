package audio

import (
	"math"
	"slices"
	"testing"
)

func fill(src Source, frames int) []int16 {
	out := make([]int16, frames*FrameSamples)
	for i := 0; i < frames; i++ {
		src(out[i*FrameSamples : (i+1)*FrameSamples])
	}
	return out
}

// zeroCrossings counts sign changes, about 2·f·duration for a sine of f Hz.
func zeroCrossings(x []int16) int {
	n := 0
	for i := 1; i < len(x); i++ {
		if (x[i-1] < 0) != (x[i] < 0) {
			n++
		}
	}
	return n
}

func rms(x []int16) float64 {
	var e float64
	for _, v := range x {
		e += float64(v) * float64(v)
	}
	return math.Sqrt(e / float64(len(x)))
}

func TestTone(t *testing.T) {
	t.Parallel()
	x := fill(Tone(1000), 50) // 1 s
	if zc := zeroCrossings(x); zc < 1995 || zc > 2005 {
		t.Errorf("1 kHz tone: %d zero crossings in 1 s, want ≈ 2000", zc)
	}
	if r := rms(x); math.Abs(r-sourceAmplitude/math.Sqrt2) > 50 {
		t.Errorf("rms %.0f, want %.0f", r, sourceAmplitude/math.Sqrt2)
	}
}

func TestChirp(t *testing.T) {
	t.Parallel()
	x := fill(Chirp(), 100) // 2 periods
	first, second := x[:ChirpPeriod], x[ChirpPeriod:]
	if !slices.Equal(first, second) {
		t.Error("chirp does not repeat every period")
	}
	// The frequency rises: a tenth of a period crosses zero 2·f̄·0.1 times,
	// where f̄ is 435 Hz in the first tenth and 2865 Hz in the last.
	tenth := ChirpPeriod / 10
	lo, hi := zeroCrossings(first[:tenth]), zeroCrossings(first[ChirpPeriod-tenth:])
	if lo < 85 || lo > 89 || hi < 571 || hi > 575 {
		t.Errorf("zero crossings first/last tenth = %d/%d, want ≈ 87/573", lo, hi)
	}
	// Mean sweep frequency 1650 Hz → 3300 crossings per period.
	if zc := zeroCrossings(first); zc < 3290 || zc > 3310 {
		t.Errorf("%d zero crossings per period, want ≈ 3300", zc)
	}
	// A fresh Chirp is the same signal: tests on two ends can regenerate it.
	if !slices.Equal(fill(Chirp(), 50), first) {
		t.Error("chirp is not deterministic")
	}
}

func TestSilence(t *testing.T) {
	t.Parallel()
	frame := ramp(1, FrameSamples)
	Silence()(frame)
	if slices.ContainsFunc(frame, func(v int16) bool { return v != 0 }) {
		t.Fatal("silence is not silent")
	}
}

func TestPCMSource(t *testing.T) {
	t.Parallel()
	pcm := ramp(1, 1500)
	once := fill(PCMSource(pcm, false), 3)
	if !slices.Equal(once[:1500], pcm) || slices.ContainsFunc(once[1500:], func(v int16) bool { return v != 0 }) {
		t.Error("one-shot source: wrong samples or no silence after the end")
	}
	looped := fill(PCMSource(pcm, true), 3)
	if !slices.Equal(looped[:1500], pcm) || !slices.Equal(looped[1500:2880], pcm[:1380]) {
		t.Error("looping source does not restart")
	}
	empty := fill(PCMSource(nil, true), 1)
	if slices.ContainsFunc(empty, func(v int16) bool { return v != 0 }) {
		t.Error("empty looping source is not silent")
	}
}
