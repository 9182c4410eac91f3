package ui

import (
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/parley-voip/parley/app"
)

// A history load finishing on its own goroutine while the client's
// goroutine delivers events: both change the same containers (m.refresh),
// and the desktop driver applies them one at a time. Under Fyne's test
// driver they used to run at once (a panic once under load; a data race
// every time under -race). The load runs on a goroutine, as in the app.
func TestBackgroundLoadAndClientEventsRunOneAtATime(t *testing.T) {
	f := newFake()
	f.history = sampleHistory()
	test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	w.Resize(WindowSize)
	m := NewMain(w, f)
	m.later = func(time.Duration, func()) {} // see Main.later; m.background is the app's
	for i := range 10 {
		var client sync.WaitGroup
		client.Add(1)
		go func() { // the client's goroutine, as app.Listener's methods are called
			defer client.Done()
			m.Connected(alice, nil) // starts a history load
			m.ContactsChanged(people())
			m.ChatChanged(app.Conversation{Peer: "bob", Unread: i % 3})
			m.CallHistoryChanged(app.CallHistoryUpdate{UnseenMissed: i % 2, Added: &sampleHistory()[i%4]})
			m.PolicyChanged(app.Policy{})
		}()
		client.Wait()
		m.bg.Wait()
	}
	settleUI(m)
	var n int
	onUIWait(func() { n = len(m.st.History) })
	if n != len(f.history) {
		t.Fatalf("history %d records, want %d", n, len(f.history))
	}
}
