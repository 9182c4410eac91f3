// Package audio moves 20 ms frames of 48 kHz mono PCM between Parley's media
// pipeline and a sound device (see docs/media.md).
//
// MalgoDevice is a real sound card through miniaudio (malgo) on every OS;
// OpenDefault falls back to miniaudio's null backend when the machine has no
// device, and says so in Info so the UI can tell the user. SyntheticDevice
// runs the same callbacks on a real-time ticker from a Source (Chirp, Tone,
// Silence, a WAV file) into a Recorder, for headless tests and the demo.
//
// Only malgo.go (through malgo) and ring_linux.go, whose C device callback
// keeps miniaudio's thread out of Go, touch cgo; everything else is pure Go.
package audio
