package vp8

import (
	"fmt"
	"runtime"
)

// Content is what an encoder is tuned for.
type Content int

const (
	// Motion: a camera; keep the frame rate, let detail go under pressure.
	Motion Content = iota
	// Detail: a shared screen; libvpx's screen-content mode, sharp text
	// over smooth motion.
	Detail
)

// EncoderConfig configures an Encoder. Start from DefaultEncoderConfig.
type EncoderConfig struct {
	Width, Height int // picture size; a picture of another size re-initializes the encoder
	FrameRate     int // frames per second the source delivers
	// Bitrate is the starting target in bit/s; SetBitrate moves it within
	// MinBitrate..MaxBitrate.
	Bitrate, MinBitrate, MaxBitrate int
	// KeyframeInterval is the longest run of frames without a keyframe
	// (a safety net: receivers ask for one with PLI when they need it).
	KeyframeInterval int
	// Speed is libvpx's realtime cpu-used, 4 (better) .. 16 (fastest).
	Speed int
	// Threads is libvpx's encoder threads, 1..8; 0 (the default) is
	// AutoThreads for the picture size.
	Threads int
	Content Content
}

// Defaults: 640×360 at 30 fps, 600 kbit/s (room from 150 kbit/s to the
// 2.5 Mbit/s that 720p needs), a keyframe at least every 10 s.
const (
	DefaultWidth      = 640
	DefaultHeight     = 360
	DefaultFrameRate  = 30
	DefaultBitrate    = 600_000
	DefaultMinBitrate = 150_000
	DefaultMaxBitrate = 2_500_000
	DefaultSpeed      = 8
)

// DefaultEncoderConfig is a camera at 640×360, 30 fps.
func DefaultEncoderConfig() EncoderConfig {
	return EncoderConfig{
		Width: DefaultWidth, Height: DefaultHeight, FrameRate: DefaultFrameRate,
		Bitrate: DefaultBitrate, MinBitrate: DefaultMinBitrate, MaxBitrate: DefaultMaxBitrate,
		KeyframeInterval: 10 * DefaultFrameRate, Speed: DefaultSpeed,
	}
}

// Validate reports a configuration libvpx would refuse or that is outside
// what Parley sends.
func (c EncoderConfig) Validate() error {
	switch {
	case c.Width < 16 || c.Height < 16 || c.Width > MaxWidth || c.Height > MaxHeight || c.Width%2 != 0 || c.Height%2 != 0:
		return fmt.Errorf("%w: %d×%d (even, 16..%d×%d)", ErrInvalidConfig, c.Width, c.Height, MaxWidth, MaxHeight)
	case c.FrameRate < 1 || c.FrameRate > 60:
		return fmt.Errorf("%w: frame rate %d (1..60)", ErrInvalidConfig, c.FrameRate)
	case c.MinBitrate < 10_000 || c.MaxBitrate < c.MinBitrate || c.Bitrate < c.MinBitrate || c.Bitrate > c.MaxBitrate:
		return fmt.Errorf("%w: bitrate %d outside %d..%d (min ≥ 10000)", ErrInvalidConfig, c.Bitrate, c.MinBitrate, c.MaxBitrate)
	case c.KeyframeInterval < 1:
		return fmt.Errorf("%w: keyframe interval %d", ErrInvalidConfig, c.KeyframeInterval)
	case c.Speed < 4 || c.Speed > 16:
		return fmt.Errorf("%w: speed %d (4..16)", ErrInvalidConfig, c.Speed)
	case c.Threads < 0 || c.Threads > 8:
		return fmt.Errorf("%w: threads %d (0: auto, 1..8)", ErrInvalidConfig, c.Threads)
	case c.Content != Motion && c.Content != Detail:
		return fmt.Errorf("%w: content %d", ErrInvalidConfig, c.Content)
	}
	return nil
}

// AutoThreads is the encoder threads for a w×h picture on this machine:
// two from 640×480 up on a machine with more than two cores, else one.
// libvpx's VP8 threads wait for each other's macroblock rows by spinning,
// so on two cores shared with the call's decoders, the UI and the other
// work of the machine, a second thread costs far more CPU than it saves
// time (BenchmarkEncodeSettings: at 720p on the 2-core development
// machine under load, 35 fps and 19 ms of CPU a frame with two threads
// against 135 fps and 6.6 ms with one). The same rule as libwebrtc's.
func AutoThreads(w, h int) int {
	if w*h >= 640*480 && runtime.NumCPU() > 2 {
		return 2
	}
	return 1
}
