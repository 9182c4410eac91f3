package audio

import (
	"errors"
	"fmt"
)

var (
	// ErrStarted is returned by Start on a device that is already running.
	ErrStarted = errors.New("audio: device already started")
	// ErrClosed is returned by a device used after Close.
	ErrClosed = errors.New("audio: device closed")

	// ErrWAVHeader means the input is not a well-formed RIFF/WAVE file.
	ErrWAVHeader = errors.New("audio: malformed wav header")
	// ErrWAVFormat means a well-formed WAV file in a format other than
	// 48 kHz mono 16-bit PCM; errors.As gives the *WAVFormatError.
	ErrWAVFormat = errors.New("audio: unsupported wav format")
	// ErrWAVTooLarge means the input exceeds MaxWAVBytes.
	ErrWAVTooLarge = errors.New("audio: wav file too large")
)

// WAVFormatError describes a WAV file whose format ReadWAV does not accept.
type WAVFormatError struct {
	AudioFormat   int // 1 = integer PCM
	Channels      int
	SampleRate    int
	BitsPerSample int
	WantRate      int // the rate asked for (SampleRate for ReadWAV)
}

func (e *WAVFormatError) Error() string {
	return fmt.Sprintf("audio: unsupported wav format %d, %d ch, %d Hz, %d bit (want pcm, 1 ch, %d Hz, 16 bit)",
		e.AudioFormat, e.Channels, e.SampleRate, e.BitsPerSample, e.WantRate)
}

// Is makes errors.Is(err, ErrWAVFormat) true.
func (e *WAVFormatError) Is(target error) bool { return target == ErrWAVFormat }

var (
	// ErrNoDevice means no sound system could open a capture and playback
	// device; Info.Fallback wraps it when OpenDefault fell back to null.
	ErrNoDevice = errors.New("audio: no audio device")
	// ErrBackend is an unknown Backend value.
	ErrBackend = errors.New("audio: unknown backend")
	// ErrDeviceID is a device id not produced by Devices.
	ErrDeviceID = errors.New("audio: malformed device id")
	// ErrDeviceLost is what Callbacks.Lost reports: the device stopped
	// without being asked to.
	ErrDeviceLost = errors.New("audio: device stopped unexpectedly")
)
