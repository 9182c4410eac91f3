// Package dsp cleans up captured audio before it is encoded: acoustic echo
// cancellation (the remote party must not hear themselves come back out of
// our loudspeaker) and noise suppression, both from speexdsp (Debian
// libspeexdsp-dev) through cgo.
//
// The echo canceller is speexdsp's MDF adaptive filter: it learns the path
// from the loudspeaker signal (the far end, which the engine hands over
// with every captured frame) to the microphone and subtracts its estimate.
// The preprocessor then suppresses stationary noise and, linked to the
// echo canceller, the residual echo the linear filter leaves. Where the
// microphone does not hear the loudspeaker (a headset) the canceller
// sleeps, and a cheap probe listens for echo in its place (sleep.go,
// probe.go). Each stage can be switched off at run time (Settings). See
// docs/media.md for the measured echo return loss enhancement and what
// the sleep measured.
package dsp
