package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
)

type homeRecorder struct {
	called   []string
	settings int
}

func (h *homeRecorder) Call(id string) { h.called = append(h.called, id) }
func (h *homeRecorder) OpenSettings()  { h.settings++ }

func TestHomeListsContactsAndCalls(t *testing.T) {
	test.NewTempApp(t)
	rec := &homeRecorder{}
	h := NewHome(rec)
	h.SetMe(app.Contact{ID: "alice", Name: "Alice"}, "Signed in")
	h.SetContacts([]app.Contact{
		{ID: "bob", Name: "Bob", Presence: app.PresenceOnline},
		{ID: "carol", Name: "Carol", Presence: app.PresenceInCall},
	})
	w := test.NewTempWindow(t, h.Object())
	w.Resize(fyne.NewSize(420, 300))
	if h.empty.Visible() {
		t.Fatal("the empty-directory hint shows over a populated list")
	}

	var buttons []*widget.Button
	walk(t, h.list, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Call" {
			buttons = append(buttons, b)
		}
	})
	if len(buttons) < 2 {
		t.Fatalf("found %d call buttons, want one per contact", len(buttons))
	}
	test.Tap(buttons[0])
	if len(rec.called) != 1 || rec.called[0] != "bob" {
		t.Fatalf("tapping Bob's Call dialled %v", rec.called)
	}
	if !buttons[1].Disabled() {
		t.Fatal("Carol is in a call: her Call button must be disabled")
	}
	test.AssertRendersToMarkup(t, "home.xml", w.Canvas())
}
