package ui

import "fyne.io/fyne/v2"

// onUI and onUIWait are how every goroutine other than Fyne's changes
// the widgets: an app.Listener event (the client's goroutine), a
// background load finishing, a ticker (meters, the call's pictures, the
// reconnect countdown), a timer (a toast hiding), a camera frame. Nothing
// in this package calls fyne.Do or fyne.DoAndWait directly.
//
// In the app they are fyne.Do and fyne.DoAndWait: the desktop driver runs
// them one at a time on its own goroutine. Fyne's test driver instead
// runs fyne.Do on the caller's goroutine, so two goroutines' updates
// (a history load finishing while a client event arrives) would change
// one container at once; the package's tests replace both with a serial
// runner (serial_test.go) that runs them one at a time there too.
var (
	onUI     = fyne.Do
	onUIWait = fyne.DoAndWait
)
