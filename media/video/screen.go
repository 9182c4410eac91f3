package video

import "fmt"

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
