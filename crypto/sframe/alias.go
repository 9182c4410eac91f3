package sframe

import "unsafe"

// anyOverlap reports whether x and y share memory. crypto/cipher panics on
// inexact overlap; checking first turns a caller's buffer mistake into an
// error instead of a crash in the media path.
func anyOverlap(x, y []byte) bool {
	return len(x) > 0 && len(y) > 0 &&
		uintptr(unsafe.Pointer(&x[0])) <= uintptr(unsafe.Pointer(&y[len(y)-1])) &&
		uintptr(unsafe.Pointer(&y[0])) <= uintptr(unsafe.Pointer(&x[len(x)-1]))
}

// outputOverlaps reports whether appending n bytes to dst in place would
// write over any of the inputs. When dst lacks the capacity, a new array is
// allocated and nothing can overlap.
func outputOverlaps(dst []byte, n int, inputs ...[]byte) bool {
	if cap(dst)-len(dst) < n {
		return false
	}
	out := dst[len(dst) : len(dst)+n]
	for _, in := range inputs {
		if anyOverlap(out, in) {
			return true
		}
	}
	return false
}
