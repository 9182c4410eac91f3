package jitter

import (
	"fmt"
	"time"
)

// Defaults. A fixed buffer holds 3 frames (60 ms), which absorbs the jitter
// of a LAN or a good Internet path while keeping mouth-to-ear delay well
// under the 150 ms ITU-T G.114 comfort limit. An adaptive buffer starts
// there and moves between 1 frame (never less: a frame must have arrived
// before it can play) and 10 frames (200 ms: beyond that a conversation
// suffers more from the delay than from the glitches it would avoid).
// 32 slots (640 ms) bound memory and the reorder window.
const (
	DefaultDelay            = 3
	DefaultMinDelay         = 1
	DefaultMaxTarget        = 10
	DefaultCapacity         = 32
	DefaultMaxPayload       = 1500
	DefaultConcealLimit     = 5
	DefaultAdaptWindow      = 50 // playout ticks: one second
	DefaultClockRate        = 48000
	DefaultFrameTicks       = 960 // 20 ms at 48 kHz
	DefaultMaxTimestampJump = 60 * time.Second
	maxCapacity             = 1024
	// badTimestampRestart is how many frames in a row may disagree with the
	// stream's timeline before the buffer accepts the new one: one absurd
	// packet is dropped, a sender that really moved its clock is followed.
	badTimestampRestart = 8
)

// Config sets the buffer's delay and bounds. Zero fields take defaults.
type Config struct {
	// Delay is how many frames (20 ms each) are buffered before playout
	// starts: the fixed target delay, or the starting one when Adaptive.
	Delay int
	// Adaptive makes the target delay follow the measured network jitter
	// (95th percentile of recent frames' delay variation, plus one frame),
	// within MinDelay..MaxTarget.
	Adaptive bool
	// MinDelay and MaxTarget bound the adaptive target, in frames.
	MinDelay  int
	MaxTarget int
	// MaxDelay is the buffered span above which the oldest frames are
	// dropped at once to get back to the target: the hard bound on delay
	// after, say, a burst of frames released by a stalled network. Default
	// 2×Delay, or 2×MaxTarget when Adaptive.
	MaxDelay int
	// AdaptWindow is how many playout ticks the buffer level (fixed) or
	// the frames' waits (adaptive) are watched before the delay is moved
	// one frame: two frames played in one tick (Compress) when the level
	// never fell to the target, or every frame waited a frame more than the
	// margin (the sender's clock runs fast, or jitter subsided); one more
	// concealed when the level never reached the target, or no frame
	// waited the margin (the sender's clock runs slow, or jitter grew).
	AdaptWindow int
	// Quiet, if set, tells whether a frame is silence or near it; the level
	// adjustments above are made on quiet frames when one comes within
	// AdaptWindow ticks, where compressing or stretching is inaudible.
	Quiet func(payload []byte) bool `json:"-"`
	// Clock gives frame arrival times; time.Now when nil. Tests pass a
	// virtual clock.
	Clock func() time.Time `json:"-"`
	// ClockRate is the RTP clock in Hz and FrameTicks one frame's duration
	// in that clock.
	ClockRate  int
	FrameTicks int
	// MaxTimestampJump bounds how far a frame's RTP timestamp may stray
	// from what its sequence number implies; farther frames are dropped as
	// absurd (a DTX pause moves it by the pause's length).
	MaxTimestampJump time.Duration
	// Capacity bounds the frames held; rounded up to a power of two. It is
	// also the widest reordering recognised as such: a frame further from
	// the playout point is a discontinuity and restarts the buffer.
	Capacity int
	// MaxPayload is the largest frame accepted.
	MaxPayload int
	// ConcealLimit is how many consecutive frames may be concealed while
	// the buffer is empty before it stops and rebuffers (the sender paused,
	// is in DTX, or the path is down).
	ConcealLimit int
}

func (c Config) withDefaults() Config {
	if c.Delay == 0 {
		c.Delay = DefaultDelay
	}
	if c.MinDelay == 0 {
		c.MinDelay = DefaultMinDelay
	}
	if c.MaxTarget == 0 {
		c.MaxTarget = max(DefaultMaxTarget, c.Delay)
	}
	if c.MaxDelay == 0 {
		c.MaxDelay = 2 * c.Delay
		if c.Adaptive {
			c.MaxDelay = 2 * c.MaxTarget
		}
	}
	if c.AdaptWindow == 0 {
		c.AdaptWindow = DefaultAdaptWindow
	}
	if c.Clock == nil {
		c.Clock = time.Now
	}
	if c.ClockRate == 0 {
		c.ClockRate = DefaultClockRate
	}
	if c.FrameTicks == 0 {
		c.FrameTicks = DefaultFrameTicks
	}
	if c.MaxTimestampJump == 0 {
		c.MaxTimestampJump = DefaultMaxTimestampJump
	}
	if c.Capacity == 0 {
		c.Capacity = DefaultCapacity
	}
	if c.MaxPayload == 0 {
		c.MaxPayload = DefaultMaxPayload
	}
	if c.ConcealLimit == 0 {
		c.ConcealLimit = DefaultConcealLimit
	}
	return c
}

// Validate checks the configuration after defaults are applied.
func (c Config) Validate() error {
	c = c.withDefaults()
	switch {
	case c.Delay < 1:
		return fmt.Errorf("%w: Delay %d < 1", ErrInvalidConfig, c.Delay)
	case c.MinDelay < 1:
		return fmt.Errorf("%w: MinDelay %d < 1", ErrInvalidConfig, c.MinDelay)
	case c.Adaptive && (c.Delay < c.MinDelay || c.Delay > c.MaxTarget):
		return fmt.Errorf("%w: Delay %d outside MinDelay %d..MaxTarget %d", ErrInvalidConfig, c.Delay, c.MinDelay, c.MaxTarget)
	case c.Adaptive && c.MaxDelay < c.MaxTarget:
		return fmt.Errorf("%w: MaxDelay %d < MaxTarget %d", ErrInvalidConfig, c.MaxDelay, c.MaxTarget)
	case c.MaxDelay < c.Delay:
		return fmt.Errorf("%w: MaxDelay %d < Delay %d", ErrInvalidConfig, c.MaxDelay, c.Delay)
	case c.Capacity > maxCapacity:
		return fmt.Errorf("%w: Capacity %d > %d", ErrInvalidConfig, c.Capacity, maxCapacity)
	case c.Capacity <= c.MaxDelay:
		return fmt.Errorf("%w: Capacity %d must exceed MaxDelay %d", ErrInvalidConfig, c.Capacity, c.MaxDelay)
	case c.MaxPayload < 1:
		return fmt.Errorf("%w: MaxPayload %d < 1", ErrInvalidConfig, c.MaxPayload)
	case c.ConcealLimit < 1:
		return fmt.Errorf("%w: ConcealLimit %d < 1", ErrInvalidConfig, c.ConcealLimit)
	case c.AdaptWindow < 1:
		return fmt.Errorf("%w: AdaptWindow %d < 1", ErrInvalidConfig, c.AdaptWindow)
	case c.ClockRate < 1 || c.FrameTicks < 1:
		return fmt.Errorf("%w: ClockRate %d, FrameTicks %d", ErrInvalidConfig, c.ClockRate, c.FrameTicks)
	case c.MaxTimestampJump < 0:
		return fmt.Errorf("%w: MaxTimestampJump %v < 0", ErrInvalidConfig, c.MaxTimestampJump)
	}
	return nil
}
