package video

import (
	"fmt"
	"image"
	"time"
)

// PatternConfig configures the synthetic camera. Start from
// DefaultPatternConfig.
type PatternConfig struct {
	Width, Height int
	FrameRate     int
	// Start is the first frame's counter (so two sources can be told apart).
	Start uint32
}

// DefaultPatternConfig is 640×360 at 30 fps, the call default.
func DefaultPatternConfig() PatternConfig {
	return PatternConfig{Width: 640, Height: 360, FrameRate: 30}
}

// Validate reports a size or rate the pattern cannot draw.
func (c PatternConfig) Validate() error {
	if c.Width < minPatternWidth || c.Height < 64 || c.Width > 3840 || c.Height > 2160 || c.Width%2 != 0 || c.Height%2 != 0 {
		return fmt.Errorf("%w: pattern %d×%d (even, %d×64..3840×2160)", ErrInvalidConfig, c.Width, c.Height, minPatternWidth)
	}
	if c.FrameRate < 1 || c.FrameRate > 120 {
		return fmt.Errorf("%w: pattern frame rate %d", ErrInvalidConfig, c.FrameRate)
	}
	return nil
}

// Pattern is the synthetic camera: a colour gradient scrolling diagonally,
// a bouncing box with a checkerboard, and the frame counter (DrawCounter)
// in the top rows. Frame n is a pure function of n and the size, so a test
// can render what was sent and compare it with what arrived. As a Source
// it delivers frames Start, Start+1, … at FrameRate, none skipped.
type Pattern struct {
	*paced
	cfg PatternConfig
}

// NewPattern makes a synthetic camera; its clock starts at the first
// ReadFrame.
func NewPattern(cfg PatternConfig) (*Pattern, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	p := &Pattern{cfg: cfg}
	p.paced = newPaced(&patternGrabber{p: p, next: cfg.Start}, cfg.FrameRate)
	return p, nil
}

// patternGrabber draws the next frame; paced serializes its calls.
type patternGrabber struct {
	p    *Pattern
	next uint32
}

func (g *patternGrabber) grab() (Frame, error) {
	n := g.next
	g.next++
	return Frame{Image: g.p.Render(n), Captured: time.Now()}, nil
}

func (g *patternGrabber) close() {}

// Render draws frame n into a new picture.
func (p *Pattern) Render(n uint32) *image.YCbCr {
	img := NewI420(p.cfg.Width, p.cfg.Height)
	p.RenderInto(img, n)
	return img
}

// RenderInto draws frame n into img, which must be the pattern's size.
func (p *Pattern) RenderInto(img *image.YCbCr, n uint32) {
	w, h := p.cfg.Width, p.cfg.Height
	shift := int(n) * 3
	for y := range h {
		row := img.Y[y*img.YStride:][:w]
		for x := range row {
			row[x] = byte(32 + (x+y+shift)%192)
		}
	}
	for y := range h / 2 {
		cb := img.Cb[y*img.CStride:][:w/2]
		cr := img.Cr[y*img.CStride:][:w/2]
		for x := range cb {
			cb[x] = byte(64 + (2*x+shift)%128)
			cr[x] = byte(64 + (2*y+shift/2)%128)
		}
	}
	// A box of w/6 bouncing between the walls, under the counter row.
	box := w / 6
	top := counterCell(w) * 2
	bx := bounce(int(n)*5, w-box)
	by := top + bounce(int(n)*3, h-top-box)
	for y := range box {
		row := img.Y[(by+y)*img.YStride+bx:][:box]
		for x := range row {
			if (x/(box/4)+y/(box/4))%2 == 0 {
				row[x] = lumaWhite
			} else {
				row[x] = lumaBlack
			}
		}
	}
	DrawCounter(img, n)
}

// bounce folds t into 0..span back and forth.
func bounce(t, span int) int {
	if span <= 0 {
		return 0
	}
	t %= 2 * span
	if t > span {
		return 2*span - t
	}
	return t
}

// minPatternWidth leaves the counter row cells of at least 4 pixels.
const minPatternWidth = counterCells * 4 * 8 / 7
