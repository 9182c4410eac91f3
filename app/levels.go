package app

// Levels are the call's two audio level meters, as bar fractions in [0, 1].
type Levels struct {
	Mic     float64 // what the microphone sends (after echo cancellation, before mute)
	Speaker float64 // what the loudspeaker plays
}

// meterFloor is the level shown as an empty bar: quieter than a quiet room
// through a headset microphone.
const meterFloor = -60.0

// barOf maps dBFS to a bar fraction: a linear scale in dB reads naturally,
// like the meters in other softphones.
func barOf(dbfs float64) float64 {
	switch {
	case dbfs <= meterFloor:
		return 0
	case dbfs >= 0:
		return 1
	}
	return 1 - dbfs/meterFloor
}
