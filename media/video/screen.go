package video

import (
	"fmt"
	"sync"
	"time"
)

// ScreenConfig chooses what to share.
type ScreenConfig struct {
	// Display is the X11 display (":0"); "" means $DISPLAY.
	Display string
	// Window is the X11 window id to share; 0 shares the whole screen.
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

// grabber takes one picture of the screen or window.
type grabber interface {
	grab() (Frame, error)
	close()
}

// paced turns a grabber into a Source that grabs at a steady rate.
type paced struct {
	g      grabber
	period time.Duration
	mu     sync.Mutex
	next   time.Time
	stop   chan struct{}
	once   sync.Once
}

func newPaced(g grabber, fps int) *paced {
	return &paced{g: g, period: time.Second / time.Duration(fps), stop: make(chan struct{})}
}

func (p *paced) ReadFrame() (Frame, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if p.next.IsZero() || p.next.Before(now.Add(-p.period)) {
		p.next = now // first grab, or far behind: no burst to catch up
	}
	if wait := time.Until(p.next); wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-p.stop:
			t.Stop()
			return Frame{}, ErrClosed
		}
	}
	select {
	case <-p.stop:
		return Frame{}, ErrClosed
	default:
	}
	p.next = p.next.Add(p.period)
	return p.g.grab()
}

func (p *paced) Close() error {
	p.once.Do(func() { close(p.stop) })
	p.mu.Lock() // after any ReadFrame in progress
	defer p.mu.Unlock()
	if p.g != nil {
		p.g.close()
		p.g = nil
	}
	return nil
}
