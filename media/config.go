package media

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/dsp"
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

// DefaultComplexity is Opus complexity 5: BenchmarkEncode20ms measures it
// at about half the CPU of libopus's default 9 (and a third of 10), and at
// 32 kbit/s speech its quality loss is small (the SILK layer's search is
// shortened, not its bitrate), which keeps a whole E2EE call, echo
// cancellation included, within 3 % of a core (docs/media.md).
const DefaultComplexity = 5

// Config configures an Engine. Zero fields take defaults.
type Config struct {
	// Device is the sound card (audio.MalgoDevice) or a synthetic device.
	Device audio.Device
	// Logger receives the engine's logs; slog.Default() when nil.
	Logger *slog.Logger
	// Bitrate is the Opus target in bit/s; opus.DefaultBitrate when zero.
	// It is the ceiling of the loss-driven adaptation.
	Bitrate int
	// Complexity is the Opus encoder complexity 1..10; DefaultComplexity
	// when zero.
	Complexity int
	// JitterDelay fixes the receive buffer's delay in 20 ms frames; zero
	// (the default) makes it adaptive, following the measured jitter.
	JitterDelay int
	// SendQueue is how many captured frames may wait for the encoder.
	SendQueue int
	// EchoCancellationOff and NoiseSuppressionOff start the engine with
	// that stage off (both are on by default); SetEchoCancellation and
	// SetNoiseSuppression change them at any time.
	EchoCancellationOff bool
	NoiseSuppressionOff bool
	// DTXOff keeps sending every frame through silence. By default Opus
	// DTX is on: after 200 ms of silence only a comfort-noise update every
	// 400 ms is sent, when the transport can skip frames (rtc.Peer).
	DTXOff bool
	// Reopen is the chain tried, in order, when the device stops by itself
	// (unplugged, sound server gone); DefaultReopeners() when nil. The call
	// stays attached throughout.
	Reopen []Reopener
	// OnDeviceEvent, when set, is told after each such loss what the
	// engine moved to, so the UI can say so. It runs on its own goroutine
	// and may call the engine.
	OnDeviceEvent func(DeviceEvent)

	// jitterClock replaces time.Now for the jitter buffer in tests that
	// drive a stream in virtual time.
	jitterClock func() time.Time
}

func (c Config) withDefaults() Config {
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.Bitrate == 0 {
		c.Bitrate = opus.DefaultBitrate
	}
	if c.Complexity == 0 {
		c.Complexity = DefaultComplexity
	}
	if c.SendQueue == 0 {
		c.SendQueue = DefaultSendQueue
	}
	if c.Reopen == nil {
		c.Reopen = DefaultReopeners()
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
	case c.Complexity < 1 || c.Complexity > 10:
		return fmt.Errorf("%w: Complexity %d outside 1..10", ErrInvalidConfig, c.Complexity)
	case c.SendQueue < 1:
		return fmt.Errorf("%w: SendQueue %d < 1", ErrInvalidConfig, c.SendQueue)
	case c.JitterDelay < 0:
		return fmt.Errorf("%w: JitterDelay %d < 0", ErrInvalidConfig, c.JitterDelay)
	}
	if err := c.jitterConfig().Validate(); err != nil {
		return fmt.Errorf("%w: JitterDelay %d: %w", ErrInvalidConfig, c.JitterDelay, err)
	}
	return nil
}

// adaptiveStartDelay is where an adaptive buffer starts: two frames is what
// it settles at on a LAN or loopback, so a call starts at its final delay.
const adaptiveStartDelay = 2

func (c Config) jitterConfig() jitter.Config {
	if c.JitterDelay > 0 {
		return jitter.Config{Delay: c.JitterDelay, Clock: c.jitterClock}
	}
	return jitter.Config{Delay: adaptiveStartDelay, Adaptive: true, Clock: c.jitterClock}
}

func (c Config) encoderConfig() opus.EncoderConfig {
	ec := opus.DefaultEncoderConfig()
	ec.Bitrate = c.Bitrate
	ec.Complexity = c.Complexity
	ec.DTX = !c.DTXOff
	return ec
}

func (c Config) dspConfig() dsp.Config {
	return dsp.Config{EchoOff: c.EchoCancellationOff, NoiseOff: c.NoiseSuppressionOff}
}
