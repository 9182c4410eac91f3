package ui

import "testing"

// runUI: before Run a function runs where it is called (Fyne runs it at
// once on the main goroutine); from Run on only on Run's goroutine (on
// another, Fyne's loop has ended and runs it on the caller), and nowhere
// once Run has returned.
func TestRunUIOnlyOnTheLoopsGoroutine(t *testing.T) {
	defer func(stopped bool, main uint64) {
		uiStopped.Store(stopped)
		uiMain.Store(main)
	}(uiStopped.Load(), uiMain.Load())
	here := func() (n int) {
		runUI(func() { n++ })
		return n
	}
	elsewhere := func() int {
		c := make(chan int)
		go func() { c <- here() }()
		return <-c
	}

	uiMain.Store(0)
	if here() != 1 || elsewhere() != 1 {
		t.Fatal("before Run: not run where called")
	}
	uiMain.Store(goroutineID())
	if here() != 1 {
		t.Fatal("on Run's goroutine: not run")
	}
	if elsewhere() != 0 {
		t.Fatal("on another goroutine once Run has started: run")
	}
	uiStopped.Store(true)
	if here() != 0 {
		t.Fatal("after Run returned: run")
	}
}
