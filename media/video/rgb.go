package video

import "image"

// PixelOrder is the byte order of a 32-bit pixel in memory.
type PixelOrder int

const (
	// BGRX: X11 TrueColor on little-endian hosts (red mask 0xff0000).
	BGRX PixelOrder = iota
	// RGBX: image.RGBA's order.
	RGBX
)

// RGBToI420 converts a w×h picture of 32-bit pixels (stride bytes a row)
// into dst, which must be w×h 4:2:0, with the BT.601 studio-range matrix
// VP8 expects; chroma is the mean of each 2×2 block.
func RGBToI420(dst *image.YCbCr, pix []byte, stride int, order PixelOrder) {
	w, h := dst.Rect.Dx(), dst.Rect.Dy()
	ri, bi := 2, 0
	if order == RGBX {
		ri, bi = 0, 2
	}
	for y := 0; y < h; y += 2 {
		r0, r1 := pix[y*stride:], pix[min(y+1, h-1)*stride:]
		y0, y1 := dst.Y[y*dst.YStride:], dst.Y[min(y+1, h-1)*dst.YStride:]
		cb, cr := dst.Cb[y/2*dst.CStride:], dst.Cr[y/2*dst.CStride:]
		for x := 0; x < w; x += 2 {
			var sr, sg, sb int
			for _, p := range [4]struct {
				row []byte
				out []byte
				x   int
			}{{r0, y0, x}, {r0, y0, min(x+1, w-1)}, {r1, y1, x}, {r1, y1, min(x+1, w-1)}} {
				px := p.row[4*p.x:]
				r, g, b := int(px[ri]), int(px[1]), int(px[bi])
				p.out[p.x] = byte((66*r+129*g+25*b+128)>>8 + 16)
				sr, sg, sb = sr+r, sg+g, sb+b
			}
			r, g, b := (sr+2)/4, (sg+2)/4, (sb+2)/4
			cb[x/2] = byte((-38*r-74*g+112*b+128)>>8 + 128)
			cr[x/2] = byte((112*r-94*g-18*b+128)>>8 + 128)
		}
	}
}
