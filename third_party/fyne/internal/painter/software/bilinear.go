package software

import (
	"image"
)

// taps are where each output column or row samples its source: the two
// neighbours and the second one's weight in 1/256.
type taps struct {
	i0, i1 []int
	w      []int32
}

// bilinearTaps maps n output pixels onto m source pixels, centre to centre.
func bilinearTaps(n, m int) taps {
	t := taps{i0: make([]int, n), i1: make([]int, n), w: make([]int32, n)}
	for i := 0; i < n; i++ {
		// the source position of the output pixel's centre, in 1/256
		pos := ((2*i+1)*m*256)/(2*n) - 128
		if pos < 0 {
			pos = 0
		}
		i0 := pos >> 8
		w := int32(pos & 0xff)
		if i0 >= m-1 {
			i0, w = m-1, 0
		}
		i1 := i0 + 1
		if i1 > m-1 {
			i1 = m - 1
		}
		t.i0[i], t.i1[i], t.w[i] = i0, i1, w
	}
	return t
}

// scaleYCbCr420 scales a 4:2:0 picture into dst (all of it), bilinearly
// in fixed point, converting to RGB as image/color does (BT.601 full
// range, as JPEG and the video decoder's pictures are). It is several
// times faster than x/image/draw's ApproxBiLinear from YCbCr, which
// converts every tap in floating point.
func scaleYCbCr420(dst *image.RGBA, src *image.YCbCr) {
	sb := src.Rect
	dw, dh := dst.Rect.Dx(), dst.Rect.Dy()
	sw, sh := sb.Dx(), sb.Dy()
	cw, ch := (sb.Max.X+1)/2-sb.Min.X/2, (sb.Max.Y+1)/2-sb.Min.Y/2
	xs, ys := bilinearTaps(dw, sw), bilinearTaps(dh, sh)
	cxs, cys := bilinearTaps(dw, cw), bilinearTaps(dh, ch)
	// Each output row: the two source rows it falls between, blended
	// (in 1/256) into yv, cbv and crv; then each output pixel blends two
	// neighbours of those.
	yv, cbv, crv := make([]int32, sw), make([]int32, cw), make([]int32, cw)
	vertical := func(out []int32, plane []uint8, r0, r1, n int, w int32) {
		a, b := plane[r0:r0+n], plane[r1:r1+n]
		for i := range out {
			out[i] = int32(a[i])<<8 + (int32(b[i])-int32(a[i]))*w
		}
	}
	for y := 0; y < dh; y++ {
		vertical(yv, src.Y, ys.i0[y]*src.YStride, ys.i1[y]*src.YStride, sw, ys.w[y])
		vertical(cbv, src.Cb, cys.i0[y]*src.CStride, cys.i1[y]*src.CStride, cw, cys.w[y])
		vertical(crv, src.Cr, cys.i0[y]*src.CStride, cys.i1[y]*src.CStride, cw, cys.w[y])
		row := dst.Pix[y*dst.Stride : y*dst.Stride+dw*4]
		for x := 0; x < dw; x++ {
			a, b, w := yv[xs.i0[x]], yv[xs.i1[x]], xs.w[x]
			yy := a + (b-a)*w>>8 // Y in 1/256
			ca, cb, cwx := cxs.i0[x], cxs.i1[x], cxs.w[x]
			a, b = cbv[ca], cbv[cb]
			cbx := a + (b-a)*cwx>>8 - 128<<8
			a, b = crv[ca], crv[cb]
			crx := a + (b-a)*cwx>>8 - 128<<8

			// image/color.YCbCrToRGB's constants, on values in 1/256.
			yy1 := int64(yy) * 0x101 // Y in 1/65536, as YCbCrToRGB's yy1
			cb6, cr6 := int64(cbx), int64(crx)
			r := int32((yy1 + 91881*cr6>>8) >> 16)
			g := int32((yy1 - 22554*cb6>>8 - 46802*cr6>>8) >> 16)
			bl := int32((yy1 + 116130*cb6>>8) >> 16)
			px := row[x*4 : x*4+4 : x*4+4]
			px[0] = clamp8(r)
			px[1] = clamp8(g)
			px[2] = clamp8(bl)
			px[3] = 0xff
		}
	}
}

func clamp8(v int32) uint8 {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v)
}
