package dsp

import "fmt"

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
	out := make([]int16, 0, (len(in)+bi-1)/bi*bo)
	blk := make([]int16, bi)
	ob := make([]int16, bo)
	for off := 0; off < len(in); off += bi {
		n := copy(blk, in[off:])
		clear(blk[n:])
		if err := r.process(blk, ob); err != nil {
			return nil, err
		}
		out = append(out, ob...)
	}
	return out, nil
}
