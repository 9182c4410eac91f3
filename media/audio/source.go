package audio

import "math"

// Source fills frame with the next FrameSamples of audio. A Source keeps
// its position between calls and is used from one goroutine only.
type Source func(frame []int16)

// sourceAmplitude is -6 dBFS: loud enough to dominate codec noise, with
// headroom so the sum of two tones or an Opus overshoot never clips.
const sourceAmplitude = 0.5 * math.MaxInt16

// Silence is a Source of zeros.
func Silence() Source {
	return func(frame []int16) { clear(frame) }
}

// Tone is a Source of a continuous sine at freq Hz, -6 dBFS.
func Tone(freq float64) Source {
	var n int64
	return func(frame []int16) {
		for i := range frame {
			// Computing from the sample index, not by accumulating phase,
			// keeps the tone identical however long it runs.
			t := float64(n) / SampleRate
			frame[i] = int16(sourceAmplitude * math.Sin(2*math.Pi*freq*t))
			n++
		}
	}
}

// Chirp parameters: a sweep across the telephone band, so a test hears the
// whole range the codec must carry, repeating every second.
const (
	ChirpFrom   = 300.0  // Hz
	ChirpTo     = 3000.0 // Hz
	ChirpPeriod = SampleRate
)

// Chirp is a Source of a linear sweep from ChirpFrom to ChirpTo Hz over one
// second, repeated. Unlike a steady tone, a sweep never looks like itself
// shifted by a lag shorter than its period, so a cross-correlation against it
// finds the true delay of a received copy.
func Chirp() Source {
	var n int64
	const rate = (ChirpTo - ChirpFrom) / (float64(ChirpPeriod) / SampleRate) // Hz per second
	return func(frame []int16) {
		for i := range frame {
			t := float64(n%ChirpPeriod) / SampleRate
			// Phase of a linear sweep; it completes a whole number of cycles
			// (1650) per period, so the repeat is click-free.
			phase := 2 * math.Pi * (ChirpFrom*t + rate*t*t/2)
			frame[i] = int16(sourceAmplitude * math.Sin(phase))
			n++
		}
	}
}

// PCMSource plays pcm (48 kHz mono), then silence, or from the start again
// if loop is set. pcm is not copied and must not change while in use.
func PCMSource(pcm []int16, loop bool) Source {
	pos := 0
	return func(frame []int16) {
		for i := 0; i < len(frame); {
			if pos >= len(pcm) {
				if !loop || len(pcm) == 0 {
					clear(frame[i:])
					return
				}
				pos = 0
			}
			n := copy(frame[i:], pcm[pos:])
			i += n
			pos += n
		}
	}
}
