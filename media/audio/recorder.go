package audio

import (
	"context"
	"sync"
)

// DefaultRecorderSamples is a Recorder's capacity when none is given: one
// minute, so a long-running demo cannot grow memory without bound.
const DefaultRecorderSamples = 60 * SampleRate

// Recorder keeps the most recent samples written to it, up to its capacity.
// It is safe for concurrent use: a device writes while a test reads.
type Recorder struct {
	mu     sync.Mutex
	buf    []int16 // grows to max, then is used as a ring
	max    int
	start  int   // index of the oldest sample once the ring is full
	total  int64 // samples ever written
	notify chan struct{}
}

// NewRecorder returns a Recorder holding at most maxSamples samples
// (DefaultRecorderSamples if maxSamples ≤ 0); older ones are dropped.
func NewRecorder(maxSamples int) *Recorder {
	if maxSamples <= 0 {
		maxSamples = DefaultRecorderSamples
	}
	return &Recorder{max: maxSamples, notify: make(chan struct{})}
}

// Write appends samples, dropping the oldest beyond capacity.
func (r *Recorder) Write(samples []int16) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.total += int64(len(samples))
	if len(samples) > r.max {
		samples = samples[len(samples)-r.max:]
	}
	if room := r.max - len(r.buf); room > 0 {
		n := min(room, len(samples))
		r.buf = append(r.buf, samples[:n]...)
		samples = samples[n:]
	}
	for len(samples) > 0 {
		n := copy(r.buf[r.start:], samples)
		samples = samples[n:]
		r.start = (r.start + n) % r.max
	}
	close(r.notify)
	r.notify = make(chan struct{})
}

// Samples returns a copy of the retained samples, oldest first.
func (r *Recorder) Samples() []int16 {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]int16, 0, len(r.buf))
	out = append(out, r.buf[r.start:]...)
	return append(out, r.buf[:r.start]...)
}

// Total returns how many samples were ever written, retained or not.
func (r *Recorder) Total() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.total
}

// Reset drops everything recorded so far.
func (r *Recorder) Reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.buf, r.start, r.total = r.buf[:0], 0, 0
}

// Wait blocks until at least n samples were ever written or ctx is done.
// Tests use it to wait for an amount of audio instead of for a time.
func (r *Recorder) Wait(ctx context.Context, n int64) error {
	for {
		r.mu.Lock()
		total, ch := r.total, r.notify
		r.mu.Unlock()
		if total >= n {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
