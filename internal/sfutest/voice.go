package sfutest

import (
	"math"

	"github.com/parley-voip/parley/media/rtpcodec"
)

// Test audio: 48 kHz, 20 ms frames; each voice repeats every second.
const (
	Rate         = 48000
	FrameSamples = 960
	Period       = Rate
	// NCCThreshold is the score above which a track carries a voice.
	NCCThreshold = 0.8
)

// The codecs as the app and the service negotiate them.
var (
	Opus = rtpcodec.Opus
	VP8  = rtpcodec.VP8
)

// Voice is a test signal: a linear sweep over its own band, repeated
// every second, so a received track can be told apart from the others and
// its delay found by cross-correlation.
type Voice struct{ From, To float64 }

// Voices are the test users' voices, by user id.
var Voices = map[string]Voice{
	"alice": {300, 1300},
	"bob":   {1500, 2500},
	"carol": {2700, 3700},
	"dave":  {600, 2000},
}

// Sample is the voice's n-th sample.
func (v Voice) Sample(n int) int16 {
	t := float64(n%Period) / Rate
	k := v.To - v.From // Hz per second over a 1 s period
	return int16(8000 * math.Sin(2*math.Pi*(v.From*t+k*t*t/2)))
}

// Reference is two periods of v, for NCC against a received second.
func (v Voice) Reference() []int16 {
	out := make([]int16, 2*Period)
	for i := range out {
		out[i] = v.Sample(i)
	}
	return out
}
