package media

import (
	"fmt"
	"log/slog"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/jitter"
	"github.com/parley-voip/parley/media/opus"
)

// MaxBitrate caps the encoder so a 20 ms frame plus SFrame overhead always
// fits one RTP packet (rtc.MaxFrameSize); 128 kbit/s is far above what
// speech needs (32 kbit/s is transparent for voice).
const MaxBitrate = 128000

// DefaultSendQueue frames (80 ms) of captured audio may wait for the
// encoder; more than that means the sender is stalled, and stale audio is
// worse than a gap.
const DefaultSendQueue = 4

// Config configures an Engine. Zero fields take defaults.
type Config struct {
	// Device is the sound card (audio.MalgoDevice) or a synthetic device.
	Device audio.Device
	// Logger receives the engine's logs; slog.Default() when nil.
	Logger *slog.Logger
	// Bitrate is the Opus target in bit/s; opus.DefaultBitrate when zero.
	Bitrate int
	// JitterDelay is the receive buffer's fixed delay in 20 ms frames;
	// jitter.DefaultDelay when zero.
	JitterDelay int
	// SendQueue is how many captured frames may wait for the encoder.
	SendQueue int
}

func (c Config) withDefaults() Config {
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Bitrate == 0 {
		c.Bitrate = opus.DefaultBitrate
	}
	if c.JitterDelay == 0 {
		c.JitterDelay = jitter.DefaultDelay
	}
	if c.SendQueue == 0 {
		c.SendQueue = DefaultSendQueue
	}
	return c
}

// Validate reports the first invalid field, after defaults are applied.
func (c Config) Validate() error {
	c = c.withDefaults()
	switch {
	case c.Device == nil:
		return fmt.Errorf("%w: no Device", ErrInvalidConfig)
	case c.Bitrate < opus.MinBitrate || c.Bitrate > MaxBitrate:
		return fmt.Errorf("%w: Bitrate %d outside %d..%d", ErrInvalidConfig, c.Bitrate, opus.MinBitrate, MaxBitrate)
	case c.SendQueue < 1:
		return fmt.Errorf("%w: SendQueue %d < 1", ErrInvalidConfig, c.SendQueue)
	}
	if err := c.jitterConfig().Validate(); err != nil {
		return fmt.Errorf("%w: JitterDelay %d: %w", ErrInvalidConfig, c.JitterDelay, err)
	}
	return nil
}

func (c Config) jitterConfig() jitter.Config {
	return jitter.Config{Delay: c.JitterDelay}
}

func (c Config) encoderConfig() opus.EncoderConfig {
	ec := opus.DefaultEncoderConfig()
	ec.Bitrate = c.Bitrate
	return ec
}
