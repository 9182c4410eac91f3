package dsp

/*
#cgo pkg-config: speexdsp
#include <speex/speex_resampler.h>

// parley_resample_buffer converts n blocks of in_block samples into n
// blocks of out_block, and reports whether each converted exactly.
static int parley_resample_buffer(SpeexResamplerState *st, const spx_int16_t *in, spx_uint32_t in_block,
		spx_int16_t *out, spx_uint32_t out_block, int n) {
	for (int b = 0; b < n; b++) {
		spx_uint32_t i = in_block, o = out_block;
		speex_resampler_process_int(st, 0, in + (size_t)b * in_block, &i, out + (size_t)b * out_block, &o);
		if (i != in_block || o != out_block) return 0;
	}
	return 1;
}
*/
import "C"

import (
	"fmt"
	"runtime"
	"unsafe"
)

// Resample converts a whole mono buffer from one rate to another with the
// same speexdsp resampler the processor uses, 10 ms at a time (both rates
// must be multiples of 100 Hz); a partial last block is padded with silence.
// Tests and measurements use it to play recordings at a call's 48 kHz.
func Resample(in []int16, from, to int) ([]int16, error) {
	if from <= 0 || to <= 0 || from%100 != 0 || to%100 != 0 {
		return nil, fmt.Errorf("%w: resample %d→%d Hz", ErrInit, from, to)
	}
	r, err := newResampler(from, to)
	if err != nil {
		return nil, err
	}
	defer r.close()
	bi, bo := from/100, to/100
	n := (len(in) + bi - 1) / bi
	if n == 0 {
		return []int16{}, nil
	}
	padded := make([]int16, n*bi)
	copy(padded, in)
	out := make([]int16, n*bo)
	ok := C.parley_resample_buffer(r.st,
		(*C.spx_int16_t)(unsafe.Pointer(&padded[0])), C.spx_uint32_t(bi),
		(*C.spx_int16_t)(unsafe.Pointer(&out[0])), C.spx_uint32_t(bo), C.int(n))
	runtime.KeepAlive(r)
	if ok == 0 {
		return nil, fmt.Errorf("%w: a block did not resample exactly", ErrFrameSize)
	}
	return out, nil
}
