package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
)

type chatRecorder struct {
	sent    []string
	retried []string
	earlier []string
	closed  int
	callErr error
}

func (r *chatRecorder) SendChat(to, text string)    { r.sent = append(r.sent, to+":"+text) }
func (r *chatRecorder) RetryChat(id string)         { r.retried = append(r.retried, id) }
func (r *chatRecorder) LoadEarlierChat(peer string) { r.earlier = append(r.earlier, peer) }
func (r *chatRecorder) CloseChat()                  { r.closed++ }
func (r *chatRecorder) SendCallChat(text string) error {
	r.sent = append(r.sent, "call:"+text)
	return r.callErr
}

func conversation() app.Conversation {
	at := func(min int) time.Time { return time.Date(2025, 3, 1, 9, min, 0, 0, time.UTC) }
	return app.Conversation{Peer: "bob", MoreHistory: true, Messages: []app.ChatMessage{
		{ID: "1", From: "bob", To: "alice", Text: "Lunch?", Sent: at(1)},
		{ID: "2", From: "alice", To: "bob", Text: "Yes, at noon", Sent: at(2), Mine: true},
		{LocalID: "chat-p", From: "alice", To: "bob", Text: "Where?", Sent: at(3), Mine: true, State: app.ChatPending},
		{LocalID: "chat-f", From: "alice", To: "bob", Text: "Hello?", Sent: at(4), Mine: true, State: app.ChatFailed, Problem: "No connection to the server"},
	}}
}

func buttons(t *testing.T, root fyne.CanvasObject, text string) []*widget.Button {
	var out []*widget.Button
	walk(t, root, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() {
			out = append(out, b)
		}
	})
	return out
}

func TestChatPane(t *testing.T) {
	test.NewTempApp(t)
	rec := &chatRecorder{}
	p := NewChatPane(rec, app.Contact{ID: "alice", Name: "Alice"}, app.Contact{ID: "bob", Name: "Bob"})
	p.Update(conversation())
	w := test.NewTempWindow(t, p.Object())
	w.Resize(fyne.NewSize(480, 460))

	retry := buttons(t, p.list, "Retry")
	if len(retry) != 1 {
		t.Fatalf("%d Retry buttons, want one for the failed message", len(retry))
	}
	test.Tap(retry[0])
	if len(rec.retried) != 1 || rec.retried[0] != "chat-f" {
		t.Fatalf("retried %v", rec.retried)
	}
	test.Tap(p.earlier)
	if len(rec.earlier) != 1 || rec.earlier[0] != "bob" {
		t.Fatalf("load earlier asked for %v", rec.earlier)
	}
	test.AssertRendersToMarkup(t, "chat.xml", w.Canvas())

	test.Type(p.entry, "On my way")
	test.Tap(p.send)
	if len(rec.sent) != 1 || rec.sent[0] != "bob:On my way" || p.entry.Text != "" {
		t.Fatalf("sent %v, entry left %q", rec.sent, p.entry.Text)
	}
	test.Tap(p.send) // nothing typed: nothing sent
	if len(rec.sent) != 1 {
		t.Fatalf("an empty message was sent: %v", rec.sent)
	}

	done := conversation()
	done.MoreHistory = false
	p.Update(done)
	if p.earlier.Visible() {
		t.Fatal("no older history, yet the button shows")
	}
}

func TestCallChatPanel(t *testing.T) {
	test.NewTempApp(t)
	rec := &chatRecorder{}
	screen := widget.NewLabel("call screen")
	p := NewCallChat(rec, screen)
	w := test.NewTempWindow(t, p.Object())
	w.Resize(fyne.NewSize(600, 400))
	p.SetCall(app.CallInfo{ID: "c1", Peer: app.Contact{ID: "bob", Name: "Bob"}, State: app.CallActive})

	c := conversation()
	c.Messages[0].CallID = "c1"
	p.Update(c)
	if len(p.msgs) != 1 || p.msgs[0].Text != "Lunch?" {
		t.Fatalf("panel shows %+v, want only the message of this call", p.msgs)
	}
	if p.Open() {
		t.Fatal("panel open before the toggle")
	}
	test.Tap(p.toggle)
	if !p.Open() {
		t.Fatal("toggle did not open the panel")
	}
	test.Type(p.entry, "can you hear me")
	test.Tap(buttons(t, p.panel, "")[0])
	if len(rec.sent) != 1 || rec.sent[0] != "call:can you hear me" || p.entry.Text != "" {
		t.Fatalf("sent %v, entry %q", rec.sent, p.entry.Text)
	}
	rec.callErr = app.ErrClosed
	test.Type(p.entry, "kept")
	test.Tap(buttons(t, p.panel, "")[0])
	if p.entry.Text != "kept" {
		t.Fatal("a message that could not be sent was thrown away")
	}
	// Another conversation does not leak into this call's panel.
	other := conversation()
	other.Peer = "carol"
	p.Update(other)
	if len(p.msgs) != 1 {
		t.Fatalf("carol's chat shows in the call with bob: %+v", p.msgs)
	}
	p.SetCall(app.CallInfo{ID: "c2", Peer: app.Contact{ID: "bob"}, State: app.CallIncoming})
	if len(p.msgs) != 0 {
		t.Fatal("a new call starts with the last call's messages")
	}
}
