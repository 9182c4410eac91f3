package software

import (
	"image"
	"image/color"
	"testing"

	"golang.org/x/image/draw"
)

func testPicture() *image.YCbCr {
	p := image.NewYCbCr(image.Rect(0, 0, 64, 36), image.YCbCrSubsampleRatio420)
	for y := 0; y < 36; y++ {
		for x := 0; x < 64; x++ {
			p.Y[y*p.YStride+x] = uint8(x*2 + y*2)
		}
	}
	for i := range p.Cb {
		col, row := i%p.CStride, i/p.CStride
		p.Cb[i], p.Cr[i] = uint8(60+2*col+row), uint8(200-col-2*row)
	}
	return p
}

// TestScaleYCbCr420: the fixed-point scaler agrees with x/image/draw's
// bilinear scaler from YCbCr within a few levels.
func TestScaleYCbCr420(t *testing.T) {
	src := testPicture()
	for _, size := range []image.Point{{72, 41}, {64, 36}, {40, 22}, {128, 72}} {
		got := image.NewRGBA(image.Rectangle{Max: size})
		scaleYCbCr420(got, src)
		want := image.NewRGBA(image.Rectangle{Max: size})
		draw.BiLinear.Scale(want, want.Rect, src, src.Rect, draw.Src, nil)
		worst := 0
		for i := range got.Pix {
			d := int(got.Pix[i]) - int(want.Pix[i])
			if d < 0 {
				d = -d
			}
			if d > worst {
				worst = d
			}
		}
		// x/image takes each pixel's chroma from the nearest sample,
		// this interpolates it: on a smooth picture they differ little.
		if worst > 8 {
			t.Errorf("%v: differs from x/image/draw's bilinear by up to %d", size, worst)
		}
		if c := got.RGBAAt(size.X/2, size.Y/2); c.A != 0xff {
			t.Errorf("%v: not opaque: %v", size, c)
		}
	}
	// A flat picture stays flat, in image/color's conversion.
	flat := image.NewYCbCr(image.Rect(0, 0, 8, 8), image.YCbCrSubsampleRatio420)
	for i := range flat.Y {
		flat.Y[i] = 120
	}
	for i := range flat.Cb {
		flat.Cb[i], flat.Cr[i] = 90, 170
	}
	got := image.NewRGBA(image.Rect(0, 0, 13, 5))
	scaleYCbCr420(got, flat)
	r, g, b := color.YCbCrToRGB(120, 90, 170)
	for i := 0; i < len(got.Pix); i += 4 {
		if absDiff(got.Pix[i], r) > 1 || absDiff(got.Pix[i+1], g) > 1 || absDiff(got.Pix[i+2], b) > 1 {
			t.Fatalf("a flat picture scaled to %v, not %v", got.Pix[i:i+4], []uint8{r, g, b, 0xff})
		}
	}
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

func BenchmarkScaleYCbCr420(b *testing.B) {
	src := image.NewYCbCr(image.Rect(0, 0, 640, 360), image.YCbCrSubsampleRatio420)
	dst := image.NewRGBA(image.Rect(0, 0, 720, 405))
	b.Run("fixed", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			scaleYCbCr420(dst, src)
		}
	})
	b.Run("x/image ApproxBiLinear", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			draw.ApproxBiLinear.Scale(dst, dst.Rect, src, src.Rect, draw.Src, nil)
		}
	})
}
