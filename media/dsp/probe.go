package dsp

import (
	"math"
	"time"
)

// The echo probe asks, while the canceller sleeps, whether the microphone
// hears the loudspeaker after all: an NLMS filter of probeTaps taps (100
// ms) learns the path from the far end to the microphone on both signals
// averaged down to probeRate, and its echo return loss enhancement (how
// much of the microphone's energy the filter's estimate removes) over a
// window of far-end talk tells echo from none. Independent near-end speech
// cannot be predicted from the far end, so it leaves the ERLE at or below
// 0 dB; an echo path, once learnt, lifts it well above (docs/media.md,
// "The echo canceller's sleep").
const (
	probeRate = 2000
	probeTaps = probeRate / 10
	probeSpan = probeTaps * time.Second / probeRate // the longest echo path it learns
	probeMu   = 0.2
	// probeWindow: samples of far-end talk the ERLE is summed over before
	// it is judged (1 s).
	probeWindow = probeRate
	// probeEchoDB: an ERLE above this over a window wakes the canceller.
	probeEchoDB = 4.5
)

// probe is the NLMS filter and its ERLE window; not safe for concurrent
// use. The watch hands it each 20 ms unit's samples (take), then says
// whether to learn from them (endUnit).
type probe struct {
	decim int // input samples per probe sample
	// The averaging: a run of decim input samples, carried over between
	// calls to take, and the unit's averages so far.
	runFar, runMic int32
	runN           int
	farLo, micLo   []float32

	// x holds the far end's last probeTaps samples twice over (x[i] ==
	// x[i+probeTaps]), so that the window ending at pos is one slice.
	x      [2 * probeTaps]float32
	w      [probeTaps]float32
	pos    int
	energy float32 // sum of squares of the window

	n          int     // samples summed into the ERLE window
	sumD, sumE float64 // microphone and error energy over the window
}

func newProbe(sampleRate int) *probe {
	return &probe{decim: max(1, sampleRate/probeRate)}
}

// reset forgets the filter, the window and any averaging in progress,
// keeping the buffers.
func (p *probe) reset() {
	*p = probe{decim: p.decim, farLo: p.farLo[:0], micLo: p.micLo[:0]}
}

// take averages runs of decim samples of mic and far (equal lengths) into
// the unit's probe samples, scaled to ±1.
func (p *probe) take(mic, far []int16) {
	scale := 1 / (32768 * float32(p.decim))
	for i := range mic {
		p.runMic += int32(mic[i])
		p.runFar += int32(far[i])
		if p.runN++; p.runN == p.decim {
			p.micLo = append(p.micLo, float32(p.runMic)*scale)
			p.farLo = append(p.farLo, float32(p.runFar)*scale)
			p.runMic, p.runFar, p.runN = 0, 0, 0
		}
	}
}

// endUnit runs the unit's samples through the filter: adapting it, and
// adding them to the ERLE window, when learn is set (the far end talked
// and the microphone heard something), or only into its history. It
// reports whether a window closed, and if so its ERLE in dB.
func (p *probe) endUnit(learn bool) (erle float64, closed bool) {
	defer func() { p.farLo, p.micLo = p.farLo[:0], p.micLo[:0] }()
	const eps = probeTaps * 1e-8 // regularisation: about -80 dBFS in every tap
	for i, v := range p.farLo {
		p.shift(v)
		if !learn {
			continue
		}
		// The window, oldest first: x[pos:pos+probeTaps]; w[k] weighs the
		// sample k steps after the oldest.
		win := p.x[p.pos : p.pos+probeTaps]
		var y float32
		for k, xv := range win {
			y += p.w[k] * xv
		}
		d := p.micLo[i]
		e := d - y
		g := probeMu * e / (p.energy + eps)
		for k, xv := range win {
			p.w[k] += g * xv
		}
		p.sumD += float64(d) * float64(d)
		p.sumE += float64(e) * float64(e)
	}
	if !learn {
		return 0, false
	}
	if p.n += len(p.farLo); p.n < probeWindow {
		return 0, false
	}
	erle = 10 * math.Log10(p.sumD/max(p.sumE, 1e-20))
	p.n, p.sumD, p.sumE = 0, 0, 0
	return erle, true
}

// shift appends one far-end sample to the history, keeping the window's
// energy: updated sample by sample, and summed afresh once per turn of the
// ring, so that float32 rounding cannot pile up over a long call.
func (p *probe) shift(v float32) {
	old := p.x[p.pos]
	p.x[p.pos], p.x[p.pos+probeTaps] = v, v
	if p.pos = (p.pos + 1) % probeTaps; p.pos == 0 {
		var sum float32
		for _, xv := range p.x[:probeTaps] {
			sum += xv * xv
		}
		p.energy = sum
		return
	}
	p.energy = max(p.energy+v*v-old*old, 0)
}
