package ui

import (
	"sync"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// The package's tests run every UI update one at a time, as the desktop
// driver does (see onUI): Fyne's test driver would run each on its
// caller's goroutine, at once with the others.
func init() {
	onUI = func(f func()) { uiSerial.run(f, false) }
	onUIWait = func(f func()) { uiSerial.run(f, true) }
}

var uiSerial serialUI

// serialUI stands in for the desktop driver's goroutine. Whoever holds
// ui runs UI code, one at a time: the test's goroutine, which holds it
// from holdUI on (it is the driver's goroutine running the user's taps),
// or the executor goroutine, which runs what other goroutines queued
// whenever the test lets go (holdUI's yield: while it waits for
// something). So, as in the app:
//
//   - onUI from another goroutine (the client's, a load's, a ticker's)
//     queues and returns, as fyne.Do does: a tap may wait for work that
//     itself reports to the UI (Sign out waits for the client's
//     goroutine, which reports signed out) without a deadlock.
//   - onUI or onUIWait from the goroutine holding ui runs inline: a
//     Listener event the test delivers is on screen when the call
//     returns, and nothing waits for itself.
//   - onUIWait from another goroutine waits until its turn has come and
//     gone.
//
// A t.FailNow inside a function the executor runs ends the executor
// goroutine (it is not the test's): another takes over the queue.
type serialUI struct {
	start sync.Once
	ui    sync.Mutex
	owner atomic.Uint64 // the goroutine holding ui; 0 when none

	mu    sync.Mutex
	ready *sync.Cond
	queue []*uiJob
}

type uiJob struct {
	f    func()
	done chan struct{}
}

func (s *serialUI) init() {
	s.start.Do(func() {
		s.ready = sync.NewCond(&s.mu)
		go s.loop()
	})
}

// newTestApp is test.NewTempApp, with the test's goroutine the UI's
// (holdUI).
func newTestApp(t testing.TB) fyne.App {
	a := test.NewTempApp(t)
	holdUI(t)
	return a
}

// holdUI makes the test's goroutine the UI's until the test ends (a
// subtest must not call it while its parent holds the UI); what
// others queued runs only while it yields (waitUntil, settleUI) and when
// it ends, before the test's app goes (holdUI after test.NewTempApp).
func holdUI(t testing.TB) {
	s := &uiSerial
	s.init()
	g := goroutineID()
	if s.owner.Load() == g {
		return // a second window in the same test
	}
	s.ui.Lock()
	s.owner.Store(g)
	t.Cleanup(func() {
		s.owner.Store(0)
		s.ui.Unlock()
		onUIWait(func() {}) // what was queued before the end runs now
	})
}

// yield lets go of the UI, if this goroutine holds it, while f runs, so
// that what others queued runs meanwhile.
func yield(f func()) {
	s := &uiSerial
	g := goroutineID()
	if s.owner.Load() != g {
		f()
		return
	}
	s.owner.Store(0)
	s.ui.Unlock()
	defer func() {
		s.ui.Lock()
		s.owner.Store(g)
	}()
	f()
}

func (s *serialUI) run(f func(), wait bool) {
	s.init()
	if s.owner.Load() == goroutineID() {
		f()
		return
	}
	j := &uiJob{f: f, done: make(chan struct{})}
	s.mu.Lock()
	s.queue = append(s.queue, j)
	s.ready.Signal()
	s.mu.Unlock()
	if wait {
		<-j.done
	}
}

// loop is the executor: it runs the queue until the process ends.
func (s *serialUI) loop() {
	for {
		s.mu.Lock()
		for len(s.queue) == 0 {
			s.ready.Wait()
		}
		j := s.queue[0]
		s.queue = s.queue[1:]
		s.mu.Unlock()
		s.runJob(j)
	}
}

func (s *serialUI) runJob(j *uiJob) {
	s.ui.Lock()
	s.owner.Store(goroutineID())
	returned := false
	defer func() {
		s.owner.Store(0)
		s.ui.Unlock()
		close(j.done)
		if !returned { // runtime.Goexit (t.FailNow): this goroutine ends
			go s.loop()
		}
	}()
	j.f()
	returned = true
}
