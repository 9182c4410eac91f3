package tone

import (
	"fmt"
	"time"

	"github.com/parley-voip/parley/media/audio"
)

// Cadence describes a tone: the frequencies sounding together, and a
// pattern of alternating on and off durations, starting with on.
type Cadence struct {
	Freqs   []float64       // Hz, summed with equal weight
	Pattern []time.Duration // on, off, on, off, …
	Repeat  bool            // loop the pattern; otherwise silence after it
}

// Validate reports a cadence that cannot be played.
func (c Cadence) Validate() error {
	if len(c.Freqs) == 0 {
		return fmt.Errorf("%w: no frequency", ErrCadence)
	}
	for _, f := range c.Freqs {
		if !(f > 0 && f < audio.SampleRate/2) {
			return fmt.Errorf("%w: frequency %v Hz outside (0, %d)", ErrCadence, f, audio.SampleRate/2)
		}
	}
	if len(c.Pattern) == 0 {
		return fmt.Errorf("%w: empty pattern", ErrCadence)
	}
	for _, d := range c.Pattern {
		if samples(d) <= 0 {
			return fmt.Errorf("%w: pattern step %v shorter than a sample", ErrCadence, d)
		}
	}
	return nil
}

// samples converts a duration to a sample count at the pipeline's rate.
func samples(d time.Duration) int64 {
	return int64(d) * audio.SampleRate / int64(time.Second)
}

// Kind names the built-in tones.
type Kind int

const (
	// Ringtone alerts the callee: a double ring, 400+450 Hz, 0.4 s on,
	// 0.2 s off, 0.4 s on, 2 s off (the British cadence, distinct from the
	// ringback so a user with both in earshot can tell them apart).
	Ringtone Kind = iota
	// Ringback tells the caller the callee is ringing: 440+480 Hz, 2 s on,
	// 4 s off (North American ANSI T1.401).
	Ringback
	// Busy tells the caller the callee is busy: 480+620 Hz, 0.5 s on,
	// 0.5 s off (North American).
	Busy
	// EndBeep marks the end of a call: three 160 ms beeps at 660 Hz, 100 ms
	// apart, once.
	EndBeep
)

func (k Kind) String() string {
	switch k {
	case Ringtone:
		return "ringtone"
	case Ringback:
		return "ringback"
	case Busy:
		return "busy"
	case EndBeep:
		return "endbeep"
	default:
		return fmt.Sprintf("kind(%d)", int(k))
	}
}

// Cadence returns the built-in cadence of k; ok is false for an unknown k.
func (k Kind) Cadence() (c Cadence, ok bool) {
	const ms = time.Millisecond
	switch k {
	case Ringtone:
		return Cadence{Freqs: []float64{400, 450}, Pattern: []time.Duration{400 * ms, 200 * ms, 400 * ms, 2000 * ms}, Repeat: true}, true
	case Ringback:
		return Cadence{Freqs: []float64{440, 480}, Pattern: []time.Duration{2000 * ms, 4000 * ms}, Repeat: true}, true
	case Busy:
		return Cadence{Freqs: []float64{480, 620}, Pattern: []time.Duration{500 * ms, 500 * ms}, Repeat: true}, true
	case EndBeep:
		return Cadence{Freqs: []float64{660}, Pattern: []time.Duration{160 * ms, 100 * ms, 160 * ms, 100 * ms, 160 * ms}}, true
	}
	return Cadence{}, false
}
