package dsp

/*
#cgo pkg-config: speexdsp
#include <speex/speex_resampler.h>

// parley_resample converts exactly in_len samples into exactly out_len and
// reports whether it did; taking lengths by value keeps Go's side free of
// pointers to its own stack, which cgo would move to the heap per call.
static int parley_resample(SpeexResamplerState *st, const spx_int16_t *in, spx_uint32_t in_len,
		spx_int16_t *out, spx_uint32_t out_len) {
	spx_uint32_t i = in_len, o = out_len;
	speex_resampler_process_int(st, 0, in, &i, out, &o);
	return i == in_len && o == out_len;
}
*/
import "C"

import (
	"fmt"
	"runtime"
	"unsafe"
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

// process converts all of in into out, whose length must be in's at the
// output rate; an integer ratio makes the two match exactly block by block.
func (r *resampler) process(in, out []int16) error {
	ok := C.parley_resample(r.st,
		(*C.spx_int16_t)(unsafe.Pointer(&in[0])), C.spx_uint32_t(len(in)),
		(*C.spx_int16_t)(unsafe.Pointer(&out[0])), C.spx_uint32_t(len(out)))
	runtime.KeepAlive(r)
	if ok == 0 {
		return fmt.Errorf("%w: %d samples did not resample into exactly %d", ErrFrameSize, len(in), len(out))
	}
	return nil
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
