package media

import (
	"math"
	"sync/atomic"
)

// Level is a direction's audio level over the last 20 ms frame, in dBFS
// (0 is full scale; Silence for digital silence).
type Level struct {
	RMS  float64
	Peak float64
}

// Silence is the level reported for a frame of zeros.
const Silence = -120.0

// Levels are the engine's two level meters: what the microphone sends
// (after echo cancellation and noise suppression, before mute) and what
// the loudspeaker plays.
type Levels struct {
	Capture  Level
	Playback Level
}

// meter is written by the device thread once per frame and read by the UI
// at any time, without locks: each figure is one atomic word.
type meter struct {
	rms, peak atomic.Uint64
}

func newMeter() *meter {
	m := &meter{}
	m.rms.Store(math.Float64bits(Silence))
	m.peak.Store(math.Float64bits(Silence))
	return m
}

func (m *meter) update(frame []int16) {
	var sum float64
	var peak int32
	for _, v := range frame {
		x := int32(v)
		sum += float64(x * x)
		peak = max(peak, x, -x)
	}
	rms := Silence
	if sum > 0 {
		rms = max(10*math.Log10(sum/float64(len(frame))/(32768*32768)), Silence)
	}
	pk := Silence
	if peak > 0 {
		pk = 20 * math.Log10(float64(peak)/32768)
	}
	m.rms.Store(math.Float64bits(rms))
	m.peak.Store(math.Float64bits(pk))
}

func (m *meter) level() Level {
	return Level{RMS: math.Float64frombits(m.rms.Load()), Peak: math.Float64frombits(m.peak.Load())}
}
