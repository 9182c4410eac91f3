package video

import (
	"sync"
	"time"
)

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
