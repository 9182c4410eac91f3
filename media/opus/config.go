package opus

import "fmt"

// EncoderConfig configures an Encoder. Start from DefaultEncoderConfig: a zero
// SampleRate, Channels or Bitrate is replaced by its default, but booleans
// cannot tell "unset" from "off", so a zero EncoderConfig has FEC off.
type EncoderConfig struct {
	SampleRate  int // Hz; default 48000
	Channels    int // 1 or 2; default 1
	Application Application
	Bitrate     int  // bit/s; default 32000
	FEC         bool // in-band forward error correction (LBRR)
	// PacketLossPercent is the loss the encoder plans FEC for. libopus adds
	// no FEC data at 0 %, so with FEC on a zero value means the default 10.
	PacketLossPercent int
	DTX               bool // discontinuous transmission during silence
	// Complexity 1..10 trades CPU for quality; 0 keeps libopus's default
	// (9 in libopus 1.3), so "lowest" is spelled 1. Complexity 5 halves the
	// encoder's CPU time (BenchmarkEncode20ms) at a small cost in quality.
	Complexity int
}

// Defaults of EncoderConfig.
const (
	DefaultSampleRate        = 48000
	DefaultChannels          = 1
	DefaultBitrate           = 32000
	DefaultPacketLossPercent = 10
)

// DefaultEncoderConfig is the configuration of a Parley call: 48 kHz mono
// VoIP at 32 kb/s with in-band FEC planned for 10 % loss.
func DefaultEncoderConfig() EncoderConfig {
	return EncoderConfig{
		SampleRate:        DefaultSampleRate,
		Channels:          DefaultChannels,
		Application:       VoIP,
		Bitrate:           DefaultBitrate,
		FEC:               true,
		PacketLossPercent: DefaultPacketLossPercent,
	}
}

// withDefaults fills the zero fields that have a default.
func (c EncoderConfig) withDefaults() EncoderConfig {
	if c.SampleRate == 0 {
		c.SampleRate = DefaultSampleRate
	}
	if c.Channels == 0 {
		c.Channels = DefaultChannels
	}
	if c.Bitrate == 0 {
		c.Bitrate = DefaultBitrate
	}
	if c.FEC && c.PacketLossPercent == 0 {
		c.PacketLossPercent = DefaultPacketLossPercent
	}
	return c
}

// Validate reports the first invalid field, after defaults are applied.
func (c EncoderConfig) Validate() error {
	c = c.withDefaults()
	switch {
	case !validSampleRate(c.SampleRate):
		return fmt.Errorf("%w: %d", ErrSampleRate, c.SampleRate)
	case c.Channels != 1 && c.Channels != 2:
		return fmt.Errorf("%w: %d", ErrChannels, c.Channels)
	case !c.Application.valid():
		return fmt.Errorf("%w: %d", ErrApplication, int(c.Application))
	case c.Bitrate < MinBitrate || c.Bitrate > MaxBitrate:
		return fmt.Errorf("%w: %d bit/s", ErrBitrate, c.Bitrate)
	case c.PacketLossPercent < 0 || c.PacketLossPercent > 100:
		return fmt.Errorf("%w: %d", ErrPacketLoss, c.PacketLossPercent)
	case c.Complexity < 0 || c.Complexity > 10:
		return fmt.Errorf("%w: %d", ErrComplexity, c.Complexity)
	}
	return nil
}
