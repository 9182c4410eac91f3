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
	// AfterPeriod, if set, is called by devices whose CallsAfterPeriod
	// reports true, on the same goroutine as Capture and Playback, after
	// each period's calls and once the playback frames have been handed
	// to the sound card: work that must not hold up playback but needs no
	// goroutine of its own (encoding and sending what Capture queued) runs
	// here, saving a goroutine hand-off, and with it a thread wake-up, per
	// frame. It may take a good part of a period, not all of it.
	AfterPeriod func()
}

// AfterPeriodCaller is implemented by devices that may call
// Callbacks.AfterPeriod: those whose callbacks run on a goroutine, not on
// a native real-time audio thread. CallsAfterPeriod reports whether this
// device, as opened, does.
type AfterPeriodCaller interface {
	CallsAfterPeriod() bool
}

// DeviceStats are a device's glitch counters since it was opened, in
// samples.
type DeviceStats struct {
	// PlaybackLate: samples played as silence because the pipeline's
	// playback frame was not ready when the sound card needed it (the
	// device ring's audio thread waited its 10 ms for Go).
	PlaybackLate uint64
	// CaptureDropped: captured samples lost because the pipeline had not
	// yet taken the ones before them.
	CaptureDropped uint64
}

// StatsReporter is implemented by devices that count their glitches.
type StatsReporter interface {
	Stats() DeviceStats
}

// CallsAfterPeriod reports whether d calls Callbacks.AfterPeriod.
func CallsAfterPeriod(d Device) bool {
	c, ok := d.(AfterPeriodCaller)
	return ok && c.CallsAfterPeriod()
}

// Device is a full-duplex audio endpoint: a real sound card through malgo, or a
// synthetic source and recording sink in tests.
type Device interface {
	Start(cb Callbacks) error
	Stop() error
}
