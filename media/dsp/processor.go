package dsp

/*
#cgo pkg-config: speexdsp
#include <string.h>
#include <speex/speex_echo.h>
#include <speex/speex_preprocess.h>
#include <speex/speex_resampler.h>

// parley_resample_block converts exactly in_len samples into out_len.
static int parley_resample_block(SpeexResamplerState *st, const spx_int16_t *in, spx_uint32_t in_len,
		spx_int16_t *out, spx_uint32_t out_len) {
	spx_uint32_t i = in_len, o = out_len;
	speex_resampler_process_int(st, 0, in, &i, out, &o);
	return i == in_len && o == out_len;
}

// parley_dsp_frame runs a whole frame, block by block, through the
// resamplers (when down is set), the echo canceller (when linked) and the
// preprocessor: one cgo call per frame instead of five per 5 ms block.
// lo holds 4 blocks of lo_block samples: mic, far, out, scratch. out may
// alias mic. Returns 0, or -1 when a resampler did not convert exactly.
static int parley_dsp_frame(SpeexEchoState *echo, SpeexPreprocessState *pre,
		SpeexResamplerState *down_mic, SpeexResamplerState *down_far, SpeexResamplerState *up,
		int linked, const spx_int16_t *mic, const spx_int16_t *far, spx_int16_t *out,
		int len, int block, int lo_block, spx_int16_t *lo) {
	spx_int16_t *mic_lo = lo, *far_lo = lo + lo_block, *out_lo = lo + 2 * lo_block, *scratch = lo + 3 * lo_block;
	for (int i = 0; i < len; i += block) {
		const spx_int16_t *m = mic + i, *f = far + i;
		spx_int16_t *o = out + i;
		if (down_mic != NULL) {
			if (!parley_resample_block(down_mic, m, block, mic_lo, lo_block)) return -1;
			if (linked && !parley_resample_block(down_far, f, block, far_lo, lo_block)) return -1;
			m = mic_lo, f = far_lo, o = out_lo;
		}
		if (linked) {
			if (o == m) { // speexdsp does not promise in-place operation
				memcpy(scratch, m, sizeof(spx_int16_t) * lo_block);
				m = scratch;
			}
			speex_echo_cancellation(echo, m, f, o);
		} else if (o != m) {
			memcpy(o, m, sizeof(spx_int16_t) * lo_block);
		}
		speex_preprocess_run(pre, o);
		if (up != NULL && !parley_resample_block(up, out_lo, lo_block, out + i, block)) return -1;
	}
	return 0;
}

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
// frames. Process is for one goroutine; SetEcho, SetNoise, Wake and
// EchoStats may be called from any.
type Processor struct {
	cfg     Config
	echo    *C.SpeexEchoState
	pre     *C.SpeexPreprocessState
	cleanup runtime.Cleanup

	echoOn, noiseOn, wake atomic.Bool
	// watch puts the canceller to sleep where no echo is heard (sleep.go).
	watch *echoWatch
	// linked says whether the canceller runs and the preprocessor
	// suppresses residual echo (the watch's state is echoAwake); changed
	// only by Process.
	linked, denoise bool
	// lo: four blocks at ProcessRate (mic, far, out, scratch) for the C
	// side of Process.
	lo []int16

	// With ProcessRate below SampleRate: mic and far go down, the result up.
	downMic, downFar, up *resampler
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
	p := &Processor{cfg: cfg, echo: echo, pre: pre, lo: make([]int16, 4*block),
		watch: newEchoWatch(cfg.SampleRate, cfg.Tail, !cfg.NoEchoSleep)}
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
	}
	// Gain control stays off (speexdsp's default, as is its VAD: Opus has
	// its own for DTX): automatic gain would fight the level meter's honesty.
	C.parley_pp_set_int(pre, C.SPEEX_PREPROCESS_SET_AGC, 0)
	C.parley_pp_set_int(pre, C.SPEEX_PREPROCESS_SET_NOISE_SUPPRESS, C.int(cfg.NoiseSuppression))
	p.echoOn.Store(!cfg.EchoOff)
	p.noiseOn.Store(!cfg.NoiseOff)
	p.denoise = true
	return p, nil
}

// SetEcho turns echo cancellation on or off.
func (p *Processor) SetEcho(on bool) { p.echoOn.Store(on) }

// Wake wakes a sleeping echo canceller, from scratch: the engine calls it
// when the sound device changes, since the new one may echo where the old
// one did not. Safe from any goroutine; it takes effect at the next frame.
func (p *Processor) Wake() { p.wake.Store(true) }

// EchoStats returns the echo canceller's sleep counters (sleep.go); safe
// from any goroutine.
func (p *Processor) EchoStats() EchoStats { return p.watch.stats() }

// SetNoise turns noise suppression on or off.
func (p *Processor) SetNoise(on bool) { p.noiseOn.Store(on) }

// Echo reports whether echo cancellation is on.
func (p *Processor) Echo() bool { return p.echoOn.Load() }

// Noise reports whether noise suppression is on.
func (p *Processor) Noise() bool { return p.noiseOn.Load() }

// apply brings the preprocessor's settings in line with the switches,
// and the canceller's state with the switch, Wake and what the watch makes
// of this frame.
func (p *Processor) apply(mic, far []int16) {
	w := p.watch
	if on := p.echoOn.Load(); on != (w.state != echoOff) {
		ev := evOff
		if on {
			ev = evOn
		}
		w.fire(ev)
	}
	if p.wake.Swap(false) {
		w.fire(evWake)
	}
	w.observe(mic, far)
	if awake := w.state == echoAwake; awake != p.linked {
		if awake {
			// The canceller starts from scratch rather than from a filter
			// for an echo path that may have changed since it last ran,
			// and the reference from fresh resampler history.
			C.speex_echo_state_reset(p.echo)
			if p.downFar != nil {
				p.downFar.reset()
			}
			C.parley_pp_set_echo(p.pre, p.echo)
		} else {
			C.parley_pp_set_echo(p.pre, nil)
		}
		p.linked = awake
	}
	noise := p.noiseOn.Load()
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
	p.apply(mic, far)
	if !p.linked && !p.denoise {
		copy(out, mic)
		return nil
	}
	var down, downFar, up *C.SpeexResamplerState
	if p.up != nil {
		down, downFar, up = p.downMic.st, p.downFar.st, p.up.st
	}
	linked := C.int(0)
	if p.linked {
		linked = 1
	}
	rc := C.parley_dsp_frame(p.echo, p.pre, down, downFar, up, linked,
		(*C.spx_int16_t)(unsafe.Pointer(&mic[0])), (*C.spx_int16_t)(unsafe.Pointer(&far[0])),
		(*C.spx_int16_t)(unsafe.Pointer(&out[0])), C.int(len(mic)), C.int(n),
		C.int(p.cfg.blockSamples()), (*C.spx_int16_t)(unsafe.Pointer(&p.lo[0])))
	runtime.KeepAlive(p)
	if rc != 0 {
		return fmt.Errorf("%w: a block did not resample exactly", ErrFrameSize)
	}
	return nil
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
