package dsp

import (
	"fmt"
	"time"
)

// Defaults: Parley's 48 kHz, processed in 5 ms blocks (speexdsp's
// preprocessor delays its output by one block, so 5 ms rather than a 20 ms
// frame keeps the added latency down: at 16 kHz the CPU is the same as with
// 10 ms blocks, the pipeline 5 ms faster, ERLE 39 dB instead of 48 in
// TestEchoCancellation, both far beyond audibility); a 100 ms
// echo tail covers a headset's or laptop's speaker-to-microphone path, the
// strong early reflections of a room and the device buffers' misalignment
// between playback and capture, at half the CPU of 200 ms (the canceller's
// cost grows with the tail); -30 dB noise suppression is speexdsp's usual
// setting, strong without making speech watery.
//
// DefaultProcessRate: both stages run at 16 kHz, between speexdsp
// resamplers. The canceller's cost grows with rate × tail, and at 48 kHz it
// was the largest item of a call's CPU (docs/media.md); wideband (up to
// 8 kHz) is the band speech and its echo live in, and what the canceller
// and suppressor were tuned for. Half the work (BenchmarkProcess) for
// about 3 ms of resampler delay.
const (
	DefaultSampleRate       = 48000
	DefaultProcessRate      = 16000
	DefaultFrameSamples     = 240
	DefaultTail             = 100 * time.Millisecond
	DefaultNoiseSuppression = -30 // dB
	maxTail                 = 2 * time.Second
)

// Config configures a Processor. Zero fields take defaults.
type Config struct {
	// SampleRate is the rate of the audio passed to Process.
	SampleRate int
	// ProcessRate is the rate the stages run at: SampleRate (no
	// resampling) or a rate that makes a whole number of samples per block.
	ProcessRate int
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
	// NoEchoSleep keeps the echo canceller running where the microphone
	// does not hear the loudspeaker (sleep.go). A Tail longer than the
	// probe's 100 ms does too: the probe would not hear so late an echo.
	NoEchoSleep bool
}

func (c Config) withDefaults() Config {
	if c.SampleRate == 0 {
		c.SampleRate = DefaultSampleRate
	}
	if c.ProcessRate == 0 {
		c.ProcessRate = min(DefaultProcessRate, c.SampleRate)
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
	case c.ProcessRate < 8000 || c.ProcessRate > c.SampleRate || c.FrameSamples*c.ProcessRate%c.SampleRate != 0:
		return fmt.Errorf("%w: ProcessRate %d: not 8000..%d with a whole number of samples per block", ErrInvalidConfig, c.ProcessRate, c.SampleRate)
	case c.Tail < time.Duration(c.FrameSamples)*time.Second/time.Duration(c.SampleRate) || c.Tail > maxTail:
		return fmt.Errorf("%w: Tail %v outside one frame..%v", ErrInvalidConfig, c.Tail, maxTail)
	case c.NoiseSuppression > 0:
		return fmt.Errorf("%w: NoiseSuppression %d dB > 0", ErrInvalidConfig, c.NoiseSuppression)
	}
	return nil
}

func (c Config) tailSamples() int {
	return int(c.Tail * time.Duration(c.ProcessRate) / time.Second)
}

// blockSamples is one block at ProcessRate.
func (c Config) blockSamples() int {
	return c.FrameSamples * c.ProcessRate / c.SampleRate
}
