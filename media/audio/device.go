package audio

// The fixed audio format of Parley's pipeline: Opus's native rate, mono, 20 ms frames.
// Devices that run at other rates are resampled at the edge, never inside the pipeline.
const (
	SampleRate   = 48000
	Channels     = 1
	FrameSamples = SampleRate / 50 // 20 ms
)

// Callbacks are invoked once per 20 ms frame, never two at a time, from the
// device's own thread (a synthetic device's goroutine; for a MalgoDevice on
// Linux, the goroutine that serves its ring, ring_linux.go, since the
// native audio thread stays in C). Capture receives a captured frame
// (valid only during the call); Playback must fill the frame it is given
// (silence if it has nothing). Neither may block.
type Callbacks struct {
	Capture  func(frame []int16)
	Playback func(frame []int16)
	// Lost, if set, is called once when the device stops by itself rather
	// than by Stop: unplugged, taken by another program, its sound server
	// gone. It runs on its own goroutine, never the audio thread, after the
	// device has marked itself stopped, so it may Stop, Close or replace
	// the device. err wraps ErrDeviceLost.
	Lost func(err error)
}

// Device is a full-duplex audio endpoint: a real sound card through malgo, or a
// synthetic source and recording sink in tests.
type Device interface {
	Start(cb Callbacks) error
	Stop() error
}
