package dsp

import "math"

// The echo probe asks, while the canceller sleeps, whether the microphone
// hears the loudspeaker after all: an NLMS filter of probeTaps taps (100
// ms) learns the path from the far end to the microphone on both signals
// averaged down to probeRate, and its echo return loss enhancement (how
// much of the microphone's energy the filter's estimate removes) over a
// window of frames tells echo from none. Independent near-end speech
// cannot be predicted from the far end, so it leaves the ERLE at or below
// 0 dB; an echo path, once learnt, lifts it well above (docs/media.md,
// "The echo canceller's sleep").
const (
	probeRate = 2000
	probeTaps = probeRate / 10
	probeMu   = 0.2
	// probeWindow: samples of far-end talk the ERLE is summed over before
	// it is judged (1 s).
	probeWindow = probeRate
	// probeEchoDB: an ERLE above this over a window wakes the canceller.
	probeEchoDB = 4.5
)

// probe is the NLMS filter and its ERLE window; not safe for concurrent
// use.
type probe struct {
	decim int // input samples per probe sample
	// x holds the far end's last probeTaps samples twice over (x[i] ==
	// x[i+probeTaps]), so that the window ending at pos is one slice.
	x      [2 * probeTaps]float32
	w      [probeTaps]float32
	pos    int
	energy float32 // sum of squares of the window

	n          int     // samples summed into the window
	sumD, sumE float64 // microphone and error energy over the window
}

func newProbe(sampleRate int) *probe {
	return &probe{decim: max(1, sampleRate/probeRate)}
}

func (p *probe) reset() {
	decim := p.decim
	*p = probe{decim: decim}
}

// average returns the mean of each run of decim samples of s, scaled to
// ±1, into out.
func (p *probe) average(s []int16, out []float32) []float32 {
	out = out[:0]
	scale := 1 / (32768 * float32(p.decim))
	for i := 0; i+p.decim <= len(s); i += p.decim {
		var sum int32
		for _, v := range s[i : i+p.decim] {
			sum += int32(v)
		}
		out = append(out, float32(sum)*scale)
	}
	return out
}

// push appends far-end samples to the filter's history without adapting:
// for frames in which the microphone had nothing to learn from.
func (p *probe) push(far []float32) {
	for _, v := range far {
		old := p.x[p.pos]
		p.energy += v*v - old*old
		p.x[p.pos], p.x[p.pos+probeTaps] = v, v
		p.pos = (p.pos + 1) % probeTaps
	}
	if p.energy < 0 { // rounding
		p.energy = 0
	}
}

// adapt runs the filter over one frame (far and mic at probeRate, equal
// lengths), adapting it, and adds the frame to the ERLE window. It
// reports whether a window closed, and if so its ERLE in dB.
func (p *probe) adapt(far, mic []float32) (erle float64, closed bool) {
	const eps = probeTaps * 1e-8 // regularisation: about -80 dBFS in every tap
	for i, v := range far {
		old := p.x[p.pos]
		p.energy += v*v - old*old
		p.x[p.pos], p.x[p.pos+probeTaps] = v, v
		p.pos = (p.pos + 1) % probeTaps
		// The window, oldest first: x[pos:pos+probeTaps]; w[k] weighs the
		// sample k steps after the oldest.
		win := p.x[p.pos : p.pos+probeTaps]
		var y float32
		for k, xv := range win {
			y += p.w[k] * xv
		}
		e := mic[i] - y
		g := probeMu * e / (max(p.energy, 0) + eps)
		for k, xv := range win {
			p.w[k] += g * xv
		}
		p.sumD += float64(mic[i]) * float64(mic[i])
		p.sumE += float64(e) * float64(e)
	}
	if p.n += len(far); p.n < probeWindow {
		return 0, false
	}
	erle = 10 * math.Log10(p.sumD/max(p.sumE, 1e-20))
	p.n, p.sumD, p.sumE = 0, 0, 0
	return erle, true
}
