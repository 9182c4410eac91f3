package dsp

/*
#cgo pkg-config: speexdsp
#include <speex/speex_echo.h>
#include <speex/speex_preprocess.h>

// speex's ctl functions take void*; these fix the argument types cgo needs.
static int parley_pp_set_int(SpeexPreprocessState *st, int request, int value) {
	return speex_preprocess_ctl(st, request, &value);
}
static int parley_pp_set_echo(SpeexPreprocessState *st, SpeexEchoState *echo) {
	return speex_preprocess_ctl(st, SPEEX_PREPROCESS_SET_ECHO_STATE, echo);
}
static int parley_echo_set_rate(SpeexEchoState *st, int rate) {
	return speex_echo_ctl(st, SPEEX_ECHO_SET_SAMPLING_RATE, &rate);
}
*/
import "C"

import (
	"errors"
	"fmt"
	"runtime"
	"sync/atomic"
	"unsafe"
)

// Processor runs echo cancellation and noise suppression on captured
// frames. Process is for one goroutine; SetEcho and SetNoise may be called
// from any.
type Processor struct {
	cfg     Config
	echo    *C.SpeexEchoState
	pre     *C.SpeexPreprocessState
	cleanup runtime.Cleanup

	echoOn, noiseOn atomic.Bool
	// linked says whether the preprocessor currently suppresses residual
	// echo; changed only by Process, when echoOn changes.
	linked, denoise bool
	scratch         []int16

	// With ProcessRate below SampleRate: mic and far go down, the result up.
	downMic, downFar, up *resampler
	micLo, farLo, outLo  []int16
}

type speexStates struct {
	echo *C.SpeexEchoState
	pre  *C.SpeexPreprocessState
}

// New creates a processor; zero fields of cfg take defaults.
func New(cfg Config) (*Processor, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	block := cfg.blockSamples()
	echo := C.speex_echo_state_init(C.int(block), C.int(cfg.tailSamples()))
	if echo == nil {
		return nil, fmt.Errorf("%w: echo canceller", ErrInit)
	}
	pre := C.speex_preprocess_state_init(C.int(block), C.int(cfg.ProcessRate))
	if pre == nil {
		C.speex_echo_state_destroy(echo)
		return nil, fmt.Errorf("%w: preprocessor", ErrInit)
	}
	p := &Processor{cfg: cfg, echo: echo, pre: pre, scratch: make([]int16, block)}
	p.cleanup = runtime.AddCleanup(p, func(s speexStates) {
		C.speex_preprocess_state_destroy(s.pre)
		C.speex_echo_state_destroy(s.echo)
	}, speexStates{echo, pre})
	C.parley_echo_set_rate(echo, C.int(cfg.ProcessRate))
	if cfg.ProcessRate != cfg.SampleRate {
		var errs [3]error
		p.downMic, errs[0] = newResampler(cfg.SampleRate, cfg.ProcessRate)
		p.downFar, errs[1] = newResampler(cfg.SampleRate, cfg.ProcessRate)
		p.up, errs[2] = newResampler(cfg.ProcessRate, cfg.SampleRate)
		if err := errors.Join(errs[:]...); err != nil {
			p.Close()
			return nil, err
		}
		p.micLo, p.farLo, p.outLo = make([]int16, block), make([]int16, block), make([]int16, block)
	}
	// Gain control stays off (speexdsp's default, as is its VAD: Opus has
	// its own for DTX): automatic gain would fight the level meter's honesty.
	C.parley_pp_set_int(pre, C.SPEEX_PREPROCESS_SET_AGC, 0)
	C.parley_pp_set_int(pre, C.SPEEX_PREPROCESS_SET_NOISE_SUPPRESS, C.int(cfg.NoiseSuppression))
	p.echoOn.Store(!cfg.EchoOff)
	p.noiseOn.Store(!cfg.NoiseOff)
	p.denoise = true
	p.apply()
	return p, nil
}

// SetEcho turns echo cancellation on or off.
func (p *Processor) SetEcho(on bool) { p.echoOn.Store(on) }

// SetNoise turns noise suppression on or off.
func (p *Processor) SetNoise(on bool) { p.noiseOn.Store(on) }

// Echo reports whether echo cancellation is on.
func (p *Processor) Echo() bool { return p.echoOn.Load() }

// Noise reports whether noise suppression is on.
func (p *Processor) Noise() bool { return p.noiseOn.Load() }

// apply brings the preprocessor's settings in line with the switches.
func (p *Processor) apply() {
	echo, noise := p.echoOn.Load(), p.noiseOn.Load()
	if echo != p.linked {
		if echo {
			C.parley_pp_set_echo(p.pre, p.echo)
		} else {
			C.parley_pp_set_echo(p.pre, nil)
			// Re-enabled later, the canceller starts from scratch rather than
			// from a filter for an echo path that may have changed, and the
			// reference from fresh resampler history.
			C.speex_echo_state_reset(p.echo)
			if p.downFar != nil {
				p.downFar.reset()
			}
		}
		p.linked = echo
	}
	if noise != p.denoise {
		v := C.int(0)
		if noise {
			v = 1
		}
		C.parley_pp_set_int(p.pre, C.SPEEX_PREPROCESS_SET_DENOISE, v)
		p.denoise = noise
	}
}

// Process cleans captured audio: mic is what the microphone picked up, far
// what the loudspeaker played over the same period (the echo reference),
// both a whole number of blocks (Config.FrameSamples) long; the result goes
// to out, which may alias mic. With both stages off, out is a copy of mic.
func (p *Processor) Process(mic, far, out []int16) error {
	n := p.cfg.FrameSamples
	if len(mic) == 0 || len(mic)%n != 0 || len(far) != len(mic) || len(out) != len(mic) {
		return fmt.Errorf("%w: mic %d, far %d, out %d, want equal multiples of %d", ErrFrameSize, len(mic), len(far), len(out), n)
	}
	if p.echo == nil {
		return ErrClosed
	}
	p.apply()
	if !p.linked && !p.denoise {
		copy(out, mic)
		return nil
	}
	for i := 0; i < len(mic); i += n {
		if err := p.block(mic[i:i+n], far[i:i+n], out[i:i+n]); err != nil {
			return err
		}
	}
	return nil
}

func (p *Processor) block(mic, far, out []int16) error {
	if p.up == nil {
		p.run(mic, far, out)
		return nil
	}
	if err := p.downMic.process(mic, p.micLo); err != nil {
		return err
	}
	if p.linked {
		if err := p.downFar.process(far, p.farLo); err != nil {
			return err
		}
	}
	p.run(p.micLo, p.farLo, p.outLo)
	return p.up.process(p.outLo, out)
}

// run is one block through the stages, at ProcessRate.
func (p *Processor) run(mic, far, out []int16) {
	if p.linked {
		if &out[0] == &mic[0] { // speexdsp does not promise in-place operation
			copy(p.scratch, mic)
			mic = p.scratch
		}
		C.speex_echo_cancellation(p.echo, (*C.spx_int16_t)(unsafe.Pointer(&mic[0])),
			(*C.spx_int16_t)(unsafe.Pointer(&far[0])), (*C.spx_int16_t)(unsafe.Pointer(&out[0])))
	} else if &out[0] != &mic[0] {
		copy(out, mic)
	}
	C.speex_preprocess_run(p.pre, (*C.spx_int16_t)(unsafe.Pointer(&out[0])))
	runtime.KeepAlive(p)
}

// Close frees the speexdsp state. It is idempotent; Process afterwards
// returns ErrClosed.
func (p *Processor) Close() {
	if p.echo == nil {
		return
	}
	p.cleanup.Stop()
	C.speex_preprocess_state_destroy(p.pre)
	C.speex_echo_state_destroy(p.echo)
	p.echo, p.pre = nil, nil
	p.downMic.close()
	p.downFar.close()
	p.up.close()
}
