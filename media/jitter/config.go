package jitter

import "fmt"

// Defaults: 3 frames (60 ms) absorbs the jitter of a LAN or a good Internet
// path while keeping mouth-to-ear delay well under the 150 ms ITU-T G.114
// comfort limit; 32 slots (640 ms) bound memory and the reorder window.
const (
	DefaultDelay        = 3
	DefaultCapacity     = 32
	DefaultMaxPayload   = 1500
	DefaultConcealLimit = 5
	maxCapacity         = 1024
)

// Config sets the buffer's fixed delay and bounds. Zero fields take defaults.
type Config struct {
	// Delay is how many frames (20 ms each) are buffered before playout starts.
	Delay int
	// MaxDelay is the buffered span above which the oldest frames are dropped
	// to get back to Delay: it stops a sender whose clock runs fast from
	// building up latency. Default 2×Delay.
	MaxDelay int
	// Capacity bounds the frames held; rounded up to a power of two. It is
	// also the widest reordering recognised as such: a frame further from
	// the playout point is a discontinuity and restarts the buffer.
	Capacity int
	// MaxPayload is the largest frame accepted.
	MaxPayload int
	// ConcealLimit is how many consecutive frames may be reported lost while
	// the buffer is empty before it stops concealing and rebuffers (the
	// sender paused, or the path is down).
	ConcealLimit int
}

func (c Config) withDefaults() Config {
	if c.Delay == 0 {
		c.Delay = DefaultDelay
	}
	if c.MaxDelay == 0 {
		c.MaxDelay = 2 * c.Delay
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
	}
	return nil
}
