package dsp

import (
	"fmt"
	"time"
)

// Defaults: Parley's 48 kHz, processed in 10 ms blocks (speexdsp's
// preprocessor delays its output by one block, so 10 ms rather than a
// 20 ms frame keeps the added latency down, at a little more CPU); a 100 ms
// echo tail covers a headset's or laptop's speaker-to-microphone path, the
// strong early reflections of a room and the device buffers' misalignment
// between playback and capture, at half the CPU of 200 ms (the canceller's
// cost grows with the tail); -30 dB noise suppression is speexdsp's usual
// setting, strong without making speech watery.
const (
	DefaultSampleRate       = 48000
	DefaultFrameSamples     = 480
	DefaultTail             = 100 * time.Millisecond
	DefaultNoiseSuppression = -30 // dB
	maxTail                 = 2 * time.Second
)

// Config configures a Processor. Zero fields take defaults.
type Config struct {
	SampleRate int
	// FrameSamples is speexdsp's block; Process takes any multiple of it.
	FrameSamples int
	// Tail is the longest echo path the canceller models.
	Tail time.Duration
	// NoiseSuppression is the maximum attenuation of noise, in dB (< 0).
	NoiseSuppression int
	// EchoOff and NoiseOff start the processor with that stage disabled;
	// SetEcho and SetNoise change it later.
	EchoOff  bool
	NoiseOff bool
}

func (c Config) withDefaults() Config {
	if c.SampleRate == 0 {
		c.SampleRate = DefaultSampleRate
	}
	if c.FrameSamples == 0 {
		c.FrameSamples = DefaultFrameSamples
	}
	if c.Tail == 0 {
		c.Tail = DefaultTail
	}
	if c.NoiseSuppression == 0 {
		c.NoiseSuppression = DefaultNoiseSuppression
	}
	return c
}

// Validate reports the first invalid field, after defaults are applied.
func (c Config) Validate() error {
	c = c.withDefaults()
	switch {
	case c.SampleRate < 8000 || c.SampleRate > 48000:
		return fmt.Errorf("%w: SampleRate %d outside 8000..48000", ErrInvalidConfig, c.SampleRate)
	case c.FrameSamples < 64 || c.FrameSamples > c.SampleRate/10:
		return fmt.Errorf("%w: FrameSamples %d outside 64..100 ms", ErrInvalidConfig, c.FrameSamples)
	case c.Tail < time.Duration(c.FrameSamples)*time.Second/time.Duration(c.SampleRate) || c.Tail > maxTail:
		return fmt.Errorf("%w: Tail %v outside one frame..%v", ErrInvalidConfig, c.Tail, maxTail)
	case c.NoiseSuppression > 0:
		return fmt.Errorf("%w: NoiseSuppression %d dB > 0", ErrInvalidConfig, c.NoiseSuppression)
	}
	return nil
}

func (c Config) tailSamples() int {
	return int(c.Tail * time.Duration(c.SampleRate) / time.Second)
}
