// Package audio moves 20 ms frames of 48 kHz mono PCM between Parley's media
// pipeline and a sound device: malgo on every OS (the null backend when the
// machine has no device), and synthetic sources and recording sinks for tests.
package audio
