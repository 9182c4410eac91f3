package ui

import (
	"sync/atomic"

	"fyne.io/fyne/v2"
)

// onUI and onUIWait are how every goroutine other than Fyne's changes
// the widgets: an app.Listener event (the client's goroutine), a
// background load finishing, a ticker (meters, the call's pictures, the
// reconnect countdown), a timer (a toast hiding), a camera frame. Nothing
// in this package calls fyne.Do or fyne.DoAndWait directly.
//
// In the app they are fyne.Do and fyne.DoAndWait through runUI: the
// desktop driver runs them one at a time on its own goroutine. Fyne's
// test driver instead runs fyne.Do on the caller's goroutine, so two
// goroutines' updates (a history load finishing while a client event
// arrives) would change one container at once; the package's tests
// replace both with a serial runner (serial_test.go) that runs them one
// at a time there too.
var (
	onUI     = func(f func()) { fyne.Do(func() { runUI(f) }) }
	onUIWait = func(f func()) { fyne.DoAndWait(func() { runUI(f) }) }
)

// Once Fyne's loop has ended, fyne.Do runs its function at once on the
// caller's goroutine: the tickers, timers and client events still going
// while the app shuts down would change widgets from several goroutines
// at once, on Fyne's caches, which the app's build (migrated_fynedo)
// keeps in plain maps. So from Run on, runUI runs a function only on the
// goroutine that called Run (Fyne's), and none once Run has returned;
// Fyne runs one elsewhere only when its loop has ended, and then there is
// no window to change. Before Run, Fyne runs them at once on the main
// goroutine (they may nest): they run as they are.
var (
	uiMain    atomic.Uint64 // the goroutine that called Run; 0 before (goroutines count from 1)
	uiStopped atomic.Bool   // Run has returned
)

func runUI(f func()) {
	main := uiMain.Load()
	if main == 0 {
		f()
		return
	}
	if uiStopped.Load() || goroutineID() != main {
		return
	}
	f()
}

// Run shows w and runs Fyne's loop until the app quits
// (fyne.Window.ShowAndRun), on the caller's goroutine, which must be the
// main one; when it returns, no widget is changed any more.
func Run(w fyne.Window) {
	uiMain.Store(goroutineID())
	w.ShowAndRun()
	uiStopped.Store(true)
}
