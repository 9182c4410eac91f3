package accounts

import (
	"context"
	"sync"
	"time"
)

// hashGate bounds the memory argon2id uses at once. Every evaluation
// takes its memory cost (KiB) from a budget before it runs and returns it
// afterwards; evaluations that do not fit wait in FIFO order, at most
// queue of them and for at most wait each. A full queue or a wait that
// runs out is ErrBusy: the caller is told to come back, the server keeps
// its memory.
type hashGate struct {
	budget int64 // KiB
	queue  int
	wait   time.Duration
	// idle runs once the gate has been idle for idleDelay after hashing
	// (the default returns the freed memory to the OS).
	idle      func()
	idleDelay time.Duration

	mu      sync.Mutex
	free    int64
	waiters []*hashWaiter
	timer   *time.Timer
	// Observed for tests and metrics: the most KiB ever in use at once.
	peak int64
}

type hashWaiter struct {
	need  int64
	ready chan struct{} // closed when need has been taken for it
}

func newHashGate(budgetKiB int64, queue int, wait time.Duration, idle func(), idleDelay time.Duration) *hashGate {
	return &hashGate{budget: budgetKiB, free: budgetKiB, queue: queue, wait: wait, idle: idle, idleDelay: idleDelay}
}

// acquire takes memKiB (at most the whole budget) and returns the function
// that gives it back.
func (g *hashGate) acquire(ctx context.Context, memKiB uint32) (func(), error) {
	need := min(int64(memKiB), g.budget)
	g.mu.Lock()
	if len(g.waiters) == 0 && g.free >= need {
		g.take(need)
		g.mu.Unlock()
		return func() { g.put(need) }, nil
	}
	if len(g.waiters) >= g.queue {
		g.mu.Unlock()
		return nil, ErrBusy
	}
	w := &hashWaiter{need: need, ready: make(chan struct{})}
	g.waiters = append(g.waiters, w)
	g.mu.Unlock()

	timer := time.NewTimer(g.wait)
	defer timer.Stop()
	var err error
	select {
	case <-w.ready:
		return func() { g.put(need) }, nil
	case <-timer.C:
		err = ErrBusy
	case <-ctx.Done():
		err = ctx.Err()
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	select {
	case <-w.ready: // granted while giving up: hand it on
		g.free += need
	default:
		for i, x := range g.waiters {
			if x == w {
				g.waiters = append(g.waiters[:i], g.waiters[i+1:]...)
				break
			}
		}
	}
	g.grant()
	return nil, err
}

// take is acquire's bookkeeping; g.mu is held.
func (g *hashGate) take(need int64) {
	g.free -= need
	g.peak = max(g.peak, g.budget-g.free)
	if g.timer != nil {
		g.timer.Stop()
	}
}

func (g *hashGate) put(need int64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.free += need
	g.grant()
	if g.free == g.budget && len(g.waiters) == 0 && g.idle != nil {
		if g.timer == nil {
			g.timer = time.AfterFunc(g.idleDelay, g.idle)
		} else {
			g.timer.Reset(g.idleDelay)
		}
	}
}

// grant hands memory to waiters in order while the first one fits; g.mu
// is held.
func (g *hashGate) grant() {
	for len(g.waiters) > 0 && g.free >= g.waiters[0].need {
		w := g.waiters[0]
		g.waiters = g.waiters[1:]
		g.take(w.need)
		close(w.ready)
	}
}

// inUse reports the KiB taken now and the most ever taken at once.
func (g *hashGate) inUse() (now, peak int64) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.budget - g.free, g.peak
}
