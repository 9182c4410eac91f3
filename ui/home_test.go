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
	chats    []string
	statuses []app.Presence
	queries  []string
	settings int
}

func (h *homeRecorder) Call(id string)           { h.called = append(h.called, id) }
func (h *homeRecorder) OpenChat(id string)       { h.chats = append(h.chats, id) }
func (h *homeRecorder) OpenSettings()            { h.settings++ }
func (h *homeRecorder) SetStatus(p app.Presence) { h.statuses = append(h.statuses, p) }
func (h *homeRecorder) Search(q string)          { h.queries = append(h.queries, q) }

func TestHomeListsContactsAndCalls(t *testing.T) {
	test.NewTempApp(t)
	rec := &homeRecorder{}
	h := NewHome(rec)
	h.SetMe(app.Contact{ID: "alice", Name: "Alice"}, "Signed in")
	h.SetContacts([]app.Contact{
		{ID: "bob", Name: "Bob", Presence: app.PresenceOnline},
		{ID: "carol", Name: "Carol", Presence: app.PresenceInCall},
		{ID: "dave", Name: "Dave", Presence: app.PresenceBusy, Unread: 3},
		{ID: "erin", Name: "Erin", Presence: app.PresenceOffline},
	})
	h.SetMyStatus(app.PresenceAway)
	w := test.NewTempWindow(t, h.Object())
	w.Resize(fyne.NewSize(520, 420))
	if h.empty.Visible() {
		t.Fatal("the empty-directory hint shows over a populated list")
	}

	var buttons, chats []*widget.Button
	walk(t, h.list, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Call" {
			buttons = append(buttons, b)
		}
		if b, ok := o.(*widget.Button); ok && b.Text == "Chat" {
			chats = append(chats, b)
		}
	})
	if len(buttons) < 4 || len(chats) < 4 {
		t.Fatalf("found %d call and %d chat buttons, want one each per contact", len(buttons), len(chats))
	}
	if len(rec.statuses) != 0 {
		t.Fatalf("showing my status sent it: %v", rec.statuses)
	}
	test.Tap(chats[3])
	if len(rec.chats) != 1 || rec.chats[0] != "erin" {
		t.Fatalf("tapping Erin's Chat opened %v (offline people can be written to)", rec.chats)
	}
	if buttons[2].Disabled() {
		t.Fatal("Dave is busy: calling him must still be possible")
	}
	if !buttons[3].Disabled() {
		t.Fatal("Erin is offline: her Call button must be disabled")
	}
	test.Type(h.search, "da")
	if len(rec.queries) == 0 || rec.queries[len(rec.queries)-1] != "da" {
		t.Fatalf("search asked for %v", rec.queries)
	}
	h.myStatus.SetSelected("Busy")
	if len(rec.statuses) != 1 || rec.statuses[0] != app.PresenceBusy {
		t.Fatalf("choosing Busy set %v", rec.statuses)
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
