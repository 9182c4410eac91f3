// Package tone generates the call-progress tones of a softphone: the
// ringtone of an incoming call, the ringback a caller hears while the other
// side rings, the busy tone, and the beep at the end of a call (see
// docs/media.md).
//
// A Generator fills 20 ms frames of 48 kHz mono PCM from a Cadence, so it
// plugs into the playback path like any other audio source. Output is a
// function of the sample index only, hence deterministic and testable.
package tone
