package video

import (
	"testing"

	"github.com/parley-voip/parley/media/quality"
)

// TestCounter: the counter reads back from every size the calls use, and
// a picture without one, or with a damaged one, reads as none.
func TestCounter(t *testing.T) {
	for _, sz := range [][2]int{{192, 108}, {640, 360}, {1280, 720}} {
		cfg := DefaultPatternConfig()
		cfg.Width, cfg.Height = sz[0], sz[1]
		p, err := NewPattern(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []uint32{0, 1, 0x7fffffff, 0xdeadbeef, 0xffffffff} {
			img := p.Render(n)
			if got, ok := ReadCounter(img); !ok || got != n {
				t.Fatalf("%v: counter %#x read as %#x, %v", sz, n, got, ok)
			}
			// Flip one data cell: the check must catch it.
			cell := counterCell(sz[0])
			for y := range cell {
				row := img.Y[y*img.YStride+5*cell:][:cell]
				for x := range row {
					row[x] = 255 - row[x]
				}
			}
			if got, ok := ReadCounter(img); ok {
				t.Fatalf("%v: damaged counter read as %#x", sz, got)
			}
		}
	}
	if _, ok := ReadCounter(NewI420(640, 360)); ok {
		t.Fatal("a black picture has a counter")
	}
}

// TestPatternMoves: consecutive frames differ (the encoder sees motion), and
// rendering is deterministic.
func TestPatternMoves(t *testing.T) {
	p, err := NewPattern(DefaultPatternConfig())
	if err != nil {
		t.Fatal(err)
	}
	a, b := p.Render(7), p.Render(8)
	if q := quality.PSNR(a, b); q > 25 {
		t.Fatalf("frames 7 and 8 too alike: %.1f dB", q)
	}
	if q := quality.PSNR(a, p.Render(7)); q < 1000 {
		t.Fatalf("frame 7 rendered twice differs: %.1f dB", q)
	}
	if _, err := NewPattern(PatternConfig{Width: 100, Height: 100, FrameRate: 30}); err == nil {
		t.Fatal("100 px wide pattern accepted")
	}
}
