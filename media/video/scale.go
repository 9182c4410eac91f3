package video

import "image"

// halfScaler halves a 4:2:0 picture in each direction (2×2 box filter),
// for sending a 720p source at 360p when the bitrate is low. The output
// buffer is reused: the caller encodes it before the next call.
type halfScaler struct{ out *image.YCbCr }

func (h *halfScaler) scale(src *image.YCbCr) *image.YCbCr {
	w, ht := src.Rect.Dx()/2&^1, src.Rect.Dy()/2&^1
	if h.out == nil || h.out.Rect.Dx() != w || h.out.Rect.Dy() != ht {
		h.out = NewI420(w, ht)
	}
	halve(h.out.Y, h.out.YStride, src.Y[src.YOffset(src.Rect.Min.X, src.Rect.Min.Y):], src.YStride, w, ht)
	c0 := src.COffset(src.Rect.Min.X, src.Rect.Min.Y)
	halve(h.out.Cb, h.out.CStride, src.Cb[c0:], src.CStride, w/2, ht/2)
	halve(h.out.Cr, h.out.CStride, src.Cr[c0:], src.CStride, w/2, ht/2)
	return h.out
}

func halve(dst []byte, ds int, src []byte, ss, w, h int) {
	for y := range h {
		a, b := src[2*y*ss:], src[(2*y+1)*ss:]
		row := dst[y*ds:][:w]
		for x := range row {
			row[x] = byte((int(a[2*x]) + int(a[2*x+1]) + int(b[2*x]) + int(b[2*x+1]) + 2) / 4)
		}
	}
}
