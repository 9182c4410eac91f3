package quality

import (
	"image"
	"math"
)

// PSNR is the peak signal-to-noise ratio in dB of the luma planes of two
// pictures of the same size (peak 255), the classic codec measure. Identical
// pictures give +Inf; pictures of different sizes give 0.
func PSNR(a, b *image.YCbCr) float64 {
	w, h := a.Rect.Dx(), a.Rect.Dy()
	if w != b.Rect.Dx() || h != b.Rect.Dy() || w == 0 || h == 0 {
		return 0
	}
	var sum uint64
	for y := range h {
		ra := a.Y[a.YOffset(a.Rect.Min.X, a.Rect.Min.Y+y):][:w]
		rb := b.Y[b.YOffset(b.Rect.Min.X, b.Rect.Min.Y+y):][:w]
		for x := range w {
			d := int(ra[x]) - int(rb[x])
			sum += uint64(d * d)
		}
	}
	if sum == 0 {
		return math.Inf(1)
	}
	mse := float64(sum) / float64(w*h)
	return 10 * math.Log10(255*255/mse)
}
