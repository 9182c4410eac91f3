package dsp

/*
#cgo pkg-config: speexdsp
#include <speex/speex_resampler.h>
*/
import "C"

import (
	"fmt"
	"runtime"
)

// resamplerQuality is speexdsp's SPEEX_RESAMPLER_QUALITY_VOIP: its filter
// keeps the band speech needs with about 1.5 ms of delay per conversion,
// at a few µs per block.
const resamplerQuality = 3

// resampler converts one mono stream between two rates with speexdsp's
// windowed-sinc resampler, keeping filter history across blocks.
type resampler struct {
	st      *C.SpeexResamplerState
	cleanup runtime.Cleanup
}

func newResampler(from, to int) (*resampler, error) {
	var e C.int
	st := C.speex_resampler_init(1, C.spx_uint32_t(from), C.spx_uint32_t(to), resamplerQuality, &e)
	if st == nil || e != C.RESAMPLER_ERR_SUCCESS {
		return nil, fmt.Errorf("%w: resampler %d→%d Hz: %s", ErrInit, from, to, C.GoString(C.speex_resampler_strerror(e)))
	}
	r := &resampler{st: st}
	r.cleanup = runtime.AddCleanup(r, func(st *C.SpeexResamplerState) { C.speex_resampler_destroy(st) }, st)
	return r, nil
}

// reset clears the filter history, for a stream that starts over.
func (r *resampler) reset() {
	C.speex_resampler_reset_mem(r.st)
}

func (r *resampler) close() {
	if r == nil || r.st == nil {
		return
	}
	r.cleanup.Stop()
	C.speex_resampler_destroy(r.st)
	r.st = nil
}
