package quality

import (
	"math"
	"math/bits"
)

// fft transforms x in place (length a power of two): the forward DFT, or
// the inverse without the 1/n scale when inverse is set. Iterative
// radix-2 decimation in time; O(n log n) is what makes a one-second lag
// search over seconds of audio cheap.
func fft(x []complex128, inverse bool) {
	n := len(x)
	if n <= 1 {
		return
	}
	shift := 64 - uint(bits.TrailingZeros(uint(n)))
	for i := range x {
		if j := int(bits.Reverse64(uint64(i)) >> shift); i < j {
			x[i], x[j] = x[j], x[i]
		}
	}
	sign := -1.0
	if inverse {
		sign = 1
	}
	for size := 2; size <= n; size <<= 1 {
		half := size / 2
		step := sign * 2 * math.Pi / float64(size)
		// Twiddles computed directly per index rather than by repeated
		// multiplication, which would accumulate rounding over 2^19 points.
		for k := 0; k < half; k++ {
			s, c := math.Sincos(step * float64(k))
			w := complex(c, s)
			for start := 0; start < n; start += size {
				a, b := x[start+k], w*x[start+k+half]
				x[start+k], x[start+k+half] = a+b, a-b
			}
		}
	}
}

// nextPow2 returns the smallest power of two ≥ n.
func nextPow2(n int) int {
	if n <= 1 {
		return 1
	}
	return 1 << bits.Len(uint(n-1))
}
