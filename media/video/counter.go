package video

import "image"

// The frame counter is drawn into the top left of a picture as a row of
// black and white cells, big enough to survive lossy coding: a white start
// cell, 32 bits of the counter (most significant first), an 8-bit check
// (the counter's four bytes summed, xor 0xa5) and a black stop cell. A
// receiver reads each cell's centre and trusts the number only when the
// start, stop and check agree, so a picture without a counter, or one
// smeared by loss, reads as no counter rather than a wrong one.
const (
	counterCells = 1 + 32 + 8 + 1
	lumaBlack    = 16
	lumaWhite    = 235
)

// counterCell is the cell size for a picture w pixels wide: the row takes
// at most 7/8 of the width, and never less than 4 pixels a cell.
func counterCell(w int) int {
	return max(4, (w*7/8)/counterCells&^1)
}

func counterCheck(n uint32) uint32 {
	return (n>>24+n>>16&0xff+n>>8&0xff+n&0xff)&0xff ^ 0xa5
}

func counterBits(n uint32) [counterCells]bool {
	var bits [counterCells]bool
	bits[0] = true
	for i := range 32 {
		bits[1+i] = n>>(31-i)&1 == 1
	}
	c := counterCheck(n)
	for i := range 8 {
		bits[33+i] = c>>(7-i)&1 == 1
	}
	return bits // the stop cell stays false: black
}

// DrawCounter draws n into img's top rows (luma, with neutral chroma).
func DrawCounter(img *image.YCbCr, n uint32) {
	cell := counterCell(img.Rect.Dx())
	bits := counterBits(n)
	for i, b := range bits {
		v := byte(lumaBlack)
		if b {
			v = lumaWhite
		}
		for y := range cell {
			row := img.Y[img.YOffset(img.Rect.Min.X+i*cell, img.Rect.Min.Y+y):][:cell]
			for x := range row {
				row[x] = v
			}
		}
		for y := range cell / 2 {
			off := img.COffset(img.Rect.Min.X+i*cell, img.Rect.Min.Y+2*y)
			for x := range cell / 2 {
				img.Cb[off+x], img.Cr[off+x] = 128, 128
			}
		}
	}
}

// ReadCounter reads the counter DrawCounter drew; ok is false when the
// picture carries none that checks out.
func ReadCounter(img *image.YCbCr) (n uint32, ok bool) {
	cell := counterCell(img.Rect.Dx())
	if counterCells*cell > img.Rect.Dx() || cell > img.Rect.Dy() {
		return 0, false
	}
	var bits [counterCells]bool
	for i := range bits {
		// The mean of the cell's centre half.
		var sum, cnt int
		for y := cell / 4; y < cell*3/4; y++ {
			row := img.Y[img.YOffset(img.Rect.Min.X+i*cell, img.Rect.Min.Y+y):][:cell]
			for x := cell / 4; x < cell*3/4; x++ {
				sum += int(row[x])
				cnt++
			}
		}
		bits[i] = sum/cnt > (lumaBlack+lumaWhite)/2
	}
	if !bits[0] || bits[counterCells-1] {
		return 0, false
	}
	for i := range 32 {
		if bits[1+i] {
			n |= 1 << (31 - i)
		}
	}
	if counterBits(n) != bits {
		return 0, false
	}
	return n, true
}
