package ui

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/parley-voip/parley/app"
)

// conversation is a chat with Bob: a day apart, both sides, a failed
// message, and a call between them.
func conversation() app.Conversation {
	return app.Conversation{Peer: "bob", MoreHistory: true, Messages: []app.ChatMessage{
		{ID: "1", From: "bob", To: "alice", Text: "Are you free for a quick call about the release?", Sent: day.Add(-24 * time.Hour)},
		{ID: "2", From: "alice", To: "bob", Text: "Yes, give me five minutes.", Sent: day.Add(-24*time.Hour + time.Minute), Mine: true},
		{ID: "3", From: "bob", To: "alice", Text: "Thanks for the call. I wrote the notes down; the long version follows so that this bubble wraps over several lines.", Sent: day.Add(10 * time.Minute)},
		{LocalID: "l4", From: "alice", To: "bob", Text: "Great, thank you!", Sent: day.Add(11 * time.Minute), Mine: true, State: app.ChatFailed, Problem: "No connection to the server"},
	}}
}

// Every screen and state, at the default size and at 360×500, as
// pictures in testdata/screens (look at them when they change).
func TestScreens(t *testing.T) {
	states := []struct {
		name string
		set  func(m *Main, f *fakeController)
	}{
		{"people", func(m *Main, f *fakeController) {}},
		{"chat_list", func(m *Main, f *fakeController) {
			m.ChatChanged(conversation())
			m.Navigate(PageChat)
		}},
		{"chat_conversation", func(m *Main, f *fakeController) {
			f.convs["bob"] = conversation()
			m.ChatChanged(conversation())
			m.OpenChat("bob")
		}},
		{"calls", func(m *Main, f *fakeController) { m.Navigate(PageCalls) }},
		{"settings_privacy_locked", func(m *Main, f *fakeController) {
			f.allowed, f.reason = false, app.PolicyDisabledReason
			m.OpenSettings()
			m.Settings().Select("Privacy")
		}},
		{"settings_devices", func(m *Main, f *fakeController) {
			m.OpenSettings()
			m.Settings().Select("Devices")
		}},
		{"settings_account", func(m *Main, f *fakeController) {
			m.OpenSettings()
			m.Settings().Select("Account")
		}},
		{"incoming", func(m *Main, f *fakeController) {
			m.CallChanged(app.CallInfo{ID: "c1", Peer: people()[0], State: app.CallIncoming, PeerWantsE2EE: true})
		}},
		{"call_plain_muted_peer_held", func(m *Main, f *fakeController) {
			m.CallChanged(app.CallInfo{ID: "c1", Peer: people()[0], State: app.CallActive, Muted: true, PeerHeld: true,
				Features: app.Features(false)})
		}},
		{"call_e2ee_chat", func(m *Main, f *fakeController) {
			c := e2eeCall()
			c.Peer = people()[0]
			m.CallChanged(c)
			m.ChatChanged(app.Conversation{Peer: "bob", Messages: []app.ChatMessage{
				{ID: "1", From: "bob", To: "alice", CallID: "c1", Text: "Can you hear me?", Sent: day}}})
			m.CallView().SetOpen(true)
		}},
		{"settings_during_call", func(m *Main, f *fakeController) {
			m.CallChanged(app.CallInfo{ID: "c1", Peer: people()[0], State: app.CallActive})
			m.OpenSettings()
		}},
		{"after_call", func(m *Main, f *fakeController) {
			m.CallChanged(app.CallInfo{ID: "c1", Peer: people()[0], State: app.CallEnded, End: app.EndDeclined, Outgoing: true})
		}},
		{"reconnecting", func(m *Main, f *fakeController) { m.Connected(alice, fmt.Errorf("server link: EOF")) }},
	}
	for _, size := range []struct {
		name string
		fyne.Size
	}{{"default", WindowSize}, {"small", SmallSize}} {
		for _, st := range states {
			t.Run(st.name+"_"+size.name, func(t *testing.T) {
				f := newFake()
				f.history, f.unseen = sampleHistory(), 1
				m, w := signedIn(t, f, size.Size)
				m.ContactsChanged(people())
				m.st.History = sampleHistory()
				st.set(m, f)
				m.refresh()
				fits(t, w, size.Size, st.name)
				test.AssertRendersToImage(t, "screens/"+st.name+"_"+size.name+".png", w.Canvas())
			})
		}
	}
	t.Run("welcome", func(t *testing.T) {
		for _, size := range []fyne.Size{WindowSize, SmallSize} {
			newTestApp(t)
			fyne.CurrentApp().Settings().SetTheme(Theme())
			w := test.NewTempWindow(t, nil)
			w.Resize(size)
			b := &erringBackend{err: &app.SignInError{Field: app.FieldServer, Message: app.MsgNoServer}}
			wel := NewWelcome(w, b, "")
			w.SetContent(wel.Object())
			test.Type(wel.server, "parley.example.org")
			test.Type(wel.login, "alice")
			wel.password.OnSubmitted("")
			fits(t, w, size, "welcome")
			test.AssertRendersToImage(t, fmt.Sprintf("screens/welcome_error_%.0fx%.0f.png", size.Width, size.Height), w.Canvas())
		}
	})
}
