package sfu

import (
	"sync"
	"time"
)

// keyframeRequester asks one participant's video track for key frames
// (RTCP PLI) on behalf of everyone who needs one: a participant whose
// down track waits for its first frame, a subscriber whose decoder lost
// the picture (its PLI or FIR). It sends at most one request per interval
// and coalesces the requests within it into a single one at its end, so
// many subscribers, or one subscriber asking in a loop, cost the sender
// one key frame per interval.
type keyframeRequester struct {
	interval time.Duration
	send     func() // writes the request; called without the lock

	mu      sync.Mutex
	last    time.Time // of the last request sent
	pending bool      // one is scheduled at last+interval
	stopped bool
}

// request asks for a key frame at now.
func (k *keyframeRequester) request(now time.Time) {
	k.mu.Lock()
	if k.pending || k.stopped {
		k.mu.Unlock()
		return
	}
	if wait := k.interval - now.Sub(k.last); !k.last.IsZero() && wait > 0 {
		k.pending = true
		k.mu.Unlock()
		time.AfterFunc(wait, k.fire)
		return
	}
	k.last = now
	k.mu.Unlock()
	k.send()
}

func (k *keyframeRequester) fire() {
	k.mu.Lock()
	k.pending = false
	if k.stopped {
		k.mu.Unlock()
		return
	}
	k.last = time.Now()
	k.mu.Unlock()
	k.send()
}

// stop drops a scheduled request and every later one.
func (k *keyframeRequester) stop() {
	k.mu.Lock()
	k.stopped = true
	k.mu.Unlock()
}
