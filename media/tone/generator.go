package tone

import (
	"fmt"
	"math"
	"sync/atomic"

	"github.com/parley-voip/parley/media/audio"
)

// fullScale is the peak at volume 1: -6 dBFS, the same level as the test
// sources, leaving headroom for the mixer.
const fullScale = 0.5 * math.MaxInt16

// rampSamples is the 5 ms fade at each on/off edge: switching a sine on or
// off abruptly is heard as a click.
const rampSamples = 5 * audio.SampleRate / 1000

// Option configures a Generator.
type Option func(*Generator) error

// WithVolume sets the initial volume, 0 (silent) to 1 (the default).
func WithVolume(v float64) Option {
	return func(g *Generator) error {
		if !(v >= 0 && v <= 1) {
			return fmt.Errorf("%w: %v", ErrVolume, v)
		}
		g.SetVolume(v)
		return nil
	}
}

// Generator plays a Cadence frame by frame. Fill is called from one
// goroutine (the audio thread); SetVolume may be called from any.
type Generator struct {
	freqs  []float64
	bounds []int64 // cumulative end of each pattern step, in samples
	repeat bool
	volume atomic.Uint64 // math.Float64bits
	n      int64         // next sample index
}

// New returns a Generator for a built-in tone.
func New(k Kind, opts ...Option) (*Generator, error) {
	c, ok := k.Cadence()
	if !ok {
		return nil, fmt.Errorf("%w: %d", ErrKind, int(k))
	}
	return NewCadence(c, opts...)
}

// NewCadence returns a Generator for a custom cadence.
func NewCadence(c Cadence, opts ...Option) (*Generator, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	g := &Generator{freqs: append([]float64(nil), c.Freqs...), repeat: c.Repeat}
	var end int64
	for _, d := range c.Pattern {
		end += samples(d)
		g.bounds = append(g.bounds, end)
	}
	g.SetVolume(1)
	for _, opt := range opts {
		if err := opt(g); err != nil {
			return nil, err
		}
	}
	return g, nil
}

// SetVolume changes the volume from the next sample on; v is clamped to 0..1.
func (g *Generator) SetVolume(v float64) {
	g.volume.Store(math.Float64bits(min(max(v, 0), 1)))
}

// Volume returns the current volume.
func (g *Generator) Volume() float64 { return math.Float64frombits(g.volume.Load()) }

// Done reports whether a non-repeating cadence has finished.
func (g *Generator) Done() bool {
	return !g.repeat && g.n >= g.bounds[len(g.bounds)-1]
}

// Reset starts the cadence again from its beginning.
func (g *Generator) Reset() { g.n = 0 }

// Fill writes the next len(frame) samples; g.Fill is an audio.Source.
func (g *Generator) Fill(frame []int16) {
	amp := g.Volume() * fullScale / float64(len(g.freqs))
	period := g.bounds[len(g.bounds)-1]
	for i := range frame {
		n := g.n
		g.n++
		if g.repeat {
			n %= period
		} else if n >= period {
			frame[i] = 0
			continue
		}
		gain := g.envelope(n)
		if gain == 0 {
			frame[i] = 0
			continue
		}
		t := float64(n) / audio.SampleRate
		var v float64
		for _, f := range g.freqs {
			v += math.Sin(2 * math.Pi * f * t)
		}
		frame[i] = int16(amp * gain * v)
	}
}

// envelope is the gain at sample n of the pattern: 0 in an off step, 1 in an
// on step, with linear fades over rampSamples at both edges of an on step.
func (g *Generator) envelope(n int64) float64 {
	var start int64
	for step, end := range g.bounds {
		if n < end {
			if step%2 == 1 {
				return 0
			}
			edge := min(n-start, end-1-n)
			if edge >= rampSamples {
				return 1
			}
			return float64(edge) / rampSamples
		}
		start = end
	}
	return 0
}
