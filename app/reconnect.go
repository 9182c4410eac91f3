package app

import (
	"sync"
	"time"
)

// Backoff between sign-in attempts after the link to the server went
// (outside a call; a call in progress relinks faster, resume.go).
const (
	reconnectFirst  = time.Second
	reconnectMax    = 30 * time.Second
	reconnectStable = time.Minute // a link up this long starts the backoff again
)

// reconnectPlan is when keepSignedIn dials again. The loss is planned the
// moment the Client reports it (before the window hears of it), so the
// reconnect bar's countdown reads the very time keepSignedIn waits for.
type reconnectPlan struct {
	mu    sync.Mutex
	delay time.Duration // the wait after the next loss; 0: reconnectFirst
	up    time.Time     // when the current link was welcomed; zero while down
	at    time.Time     // the planned dial; zero when none is planned
}

// welcomed records a link the server welcomed at now.
func (p *reconnectPlan) welcomed(now time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.up, p.at = now, time.Time{}
}

// lost plans the dial after a link (or a dial) failed at now and returns
// when it is; the same loss reported again returns the same time.
func (p *reconnectPlan) lost(now time.Time) time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.at.IsZero() {
		return p.at
	}
	if p.delay == 0 || !p.up.IsZero() && now.Sub(p.up) > reconnectStable {
		p.delay = reconnectFirst
	}
	p.up = time.Time{}
	p.at = now.Add(p.delay)
	p.delay = min(2*p.delay, reconnectMax)
	return p.at
}

// dialing: the planned time has come; the next failure plans anew.
func (p *reconnectPlan) dialing() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.at = time.Time{}
}

// next is the planned dial, zero when none is.
func (p *reconnectPlan) next() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.at
}
