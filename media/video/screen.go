package video

import (
	"fmt"
	"time"
)

// ScreenConfig chooses what to share.
type ScreenConfig struct {
	// Display is the X11 display (":0"); "" means $DISPLAY. Windows has
	// none by name: there it must be "" (the primary monitor).
	Display string
	// Window is the X11 window id (on Windows the HWND) to share; 0 shares
	// the whole screen.
	Window uint64
	// FrameRate is how often the screen is grabbed; a shared screen
	// changes little, and sharpness matters more than motion.
	FrameRate int
}

// DefaultScreenFrameRate: text stays readable and a scrolled page follows
// without the cost of a camera's 30 fps.
const DefaultScreenFrameRate = 10

// DefaultScreenConfig shares the whole $DISPLAY at 10 fps.
func DefaultScreenConfig() ScreenConfig { return ScreenConfig{FrameRate: DefaultScreenFrameRate} }

// Validate checks the frame rate.
func (c ScreenConfig) Validate() error {
	if c.FrameRate < 1 || c.FrameRate > 30 {
		return fmt.Errorf("%w: screen frame rate %d (1..30)", ErrInvalidConfig, c.FrameRate)
	}
	return nil
}

// checkGrab refuses a screen or window too small to share (under 16×16
// once cropped to even dimensions), before it is grabbed.
func checkGrab(w, h int) error {
	if w < 16 || h < 16 {
		return fmt.Errorf("%w: window of %d×%d", ErrNoScreen, w, h)
	}
	return nil
}

// bgrxFrame is one grab of w×h 32-bit BGRX pixels (stride bytes a row) as
// an I420 Frame.
func bgrxFrame(pix []byte, stride, w, h int, captured time.Time) Frame {
	out := NewI420(w, h)
	RGBToI420(out, pix, stride, BGRX)
	return Frame{Image: out, Captured: captured}
}
