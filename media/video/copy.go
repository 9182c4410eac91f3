package video

import "image"

// copyI420 copies src into dst, both 4:2:0 of the same size.
func copyI420(dst, src *image.YCbCr) {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	cw, ch := (w+1)/2, (h+1)/2
	for y := range h {
		copy(dst.Y[y*dst.YStride:y*dst.YStride+w], src.Y[y*src.YStride:])
	}
	for y := range ch {
		copy(dst.Cb[y*dst.CStride:y*dst.CStride+cw], src.Cb[y*src.CStride:])
		copy(dst.Cr[y*dst.CStride:y*dst.CStride+cw], src.Cr[y*src.CStride:])
	}
}
