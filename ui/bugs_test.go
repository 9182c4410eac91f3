package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/org"
	"github.com/parley-voip/parley/server/org/orgtest"
)

// Bug 1: Sign out lands on the sign-in screen with the last server and
// user filled in, and stays there (the closing link's "signed out" never
// brings back a stale home screen).
func TestSignOutLandsOnSignInFilledIn(t *testing.T) {
	ctx := context.Background()
	o := orgtest.Start(t, org.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if _, err := o.Accounts.CreateUser(ctx, accounts.NewUser{ID: "alice", Password: "alice-password"}); err != nil {
		t.Fatal(err)
	}
	_, main, win := signedInDesktop(t, o, app.NewMemoryPreferences(), "alice", "alice-password")
	waitUntil(t, "signed in", main.home.Load)
	main.OpenSettings()
	main.Settings().Select("Account")
	var out *widget.Button
	walk(t, win.Content(), func(x fyne.CanvasObject) {
		if b, ok := x.(*widget.Button); ok && b.Text == "Sign out" {
			out = b
		}
	})
	if out == nil {
		t.Fatal("no Sign out in Settings → Account")
	}
	test.Tap(out) // Sign out waits for the client's goroutine, which reports signed out
	filled := func() bool {
		var entries []*widget.Entry
		walk(t, win.Content(), func(x fyne.CanvasObject) {
			if e, ok := x.(*widget.Entry); ok {
				entries = append(entries, e)
			}
		})
		return !main.home.Load() && len(entries) >= 2 && entries[0].Text == o.Server.BaseURL() && entries[1].Text == "alice"
	}
	waitUntil(t, "the sign-in screen with server and user filled in", filled)
	// Whatever the old session still queued for the window runs now
	// (settleUI): still the sign-in screen.
	settleUI(main)
	if !filled() || labelShown(t, win.Content(), "Your session has ended; please sign in again.") {
		t.Fatal("the sign-in screen did not stay, or says the session ended")
	}
}

// Bug 2: no content grows the window — long names, statuses and errors
// are truncated or wrapped inside it, at the default size and small.
func TestNoScreenGrowsTheWindow(t *testing.T) {
	long := strings.Repeat("a very long status that goes on ", 12)
	for _, size := range []fyne.Size{WindowSize, SmallSize} {
		f := newFake()
		f.allowed, f.reason = false, long
		m, w := signedIn(t, f, size)
		cs := people()
		cs[0].Name = long
		m.ContactsChanged(cs)
		m.st.Warning = long
		for _, s := range screens {
			m.Navigate(s.ID)
			fits(t, w, size, s.ID+" at "+fmt.Sprint(size))
		}
		m.Navigate(PagePeople)
		m.CallChanged(app.CallInfo{ID: "c1", Peer: app.Contact{ID: "x", Name: long}, State: app.CallActive,
			Started: time.Now(), WantedE2EE: true, NotE2EE: app.NotE2EEPeerOff})
		fits(t, w, size, "call at "+fmt.Sprint(size))
		m.CallView().SetOpen(true)
		fits(t, w, size, "call with chat at "+fmt.Sprint(size))
		m.CallChanged(app.CallInfo{ID: "c1", Peer: app.Contact{ID: "x", Name: long}, State: app.CallEnded, End: app.EndError, EndDetail: long})
		fits(t, w, size, "after the call at "+fmt.Sprint(size))
		m.Connected(alice, context.DeadlineExceeded)
		fits(t, w, size, "reconnecting at "+fmt.Sprint(size))

		wl := test.NewTempWindow(t, nil)
		wl.Resize(size)
		wel := NewWelcome(wl, &welcomeBackend{}, long)
		wel.show(app.FieldServer, long)
		wl.SetContent(wel.Object())
		fits(t, wl, size, "sign-in at "+fmt.Sprint(size))
	}
}

// Bug 3: every call starts with a fresh call screen — the chat panel of
// the last call is closed, and the incoming card's buttons are where they
// always are.
func TestEveryCallStartsFresh(t *testing.T) {
	f := newFake()
	m, _ := signedIn(t, f, WindowSize)
	m.CallChanged(app.CallInfo{ID: "c1", Peer: bob, State: app.CallActive, Started: time.Now()})
	m.CallView().SetOpen(true)
	m.CallChanged(app.CallInfo{ID: "c1", Peer: bob, State: app.CallEnded, End: app.EndHangup, Started: time.Now()})
	acceptAt := m.Card().Accept.Position()
	m.CallChanged(app.CallInfo{ID: "c2", Peer: bob, State: app.CallIncoming})
	if !m.Card().Visible() || m.Card().Text() != "Bob is calling" {
		t.Fatalf("incoming card visible %v, %q", m.Card().Visible(), m.Card().Text())
	}
	if m.CallView() == nil || m.CallView().ID() != "c2" || m.CallView().Open() {
		t.Fatal("the new call's screen is not fresh: the chat panel is still open")
	}
	if m.Page() != PagePeople || m.callShown {
		t.Fatal("an incoming call replaced the page instead of showing a card over it")
	}
	if got := m.Card().Accept.Position(); acceptAt != (fyne.Position{}) && got != acceptAt {
		t.Fatalf("Accept moved from %v to %v", acceptAt, got)
	}
	test.Tap(m.Card().Accept)
	if f.accepted != 1 || !m.callShown {
		t.Fatalf("Accept: %d, call shown %v", f.accepted, m.callShown)
	}
}

// Bug 4: a wrapped message is as tall as its lines; no row is drawn
// under the next.
func TestChatRowsDoNotOverlap(t *testing.T) {
	newTestApp(t)
	long := strings.Repeat("This message wraps onto several lines in a narrow window. ", 5)
	msgs := []app.ChatMessage{
		{ID: "1", From: "bob", To: "alice", Text: long, Sent: day},
		{ID: "2", From: "alice", To: "bob", Text: "short", Sent: day.Add(time.Minute), Mine: true},
		{ID: "3", From: "bob", To: "alice", Text: long + long, Sent: day.Add(2 * time.Minute)},
		{LocalID: "l4", From: "alice", To: "bob", Text: long, Sent: day.Add(3 * time.Minute), Mine: true, State: app.ChatFailed, Problem: "No connection to the server"},
	}
	p := NewChatPane(newFake(), people()[0])
	w := test.NewTempWindow(t, p.Object())
	w.Resize(SmallSize)
	p.Update(app.Conversation{Peer: "bob", Messages: msgs}, nil)
	w.Resize(SmallSize) // lay out again with the rows in place
	rows := p.list.box.Objects
	var bubbles int
	for i, r := range rows {
		if b, ok := r.(*bubble); ok {
			bubbles++
			if text := b.text.MinSize().Height; b.Size().Height+1 < text {
				t.Errorf("row %d is %v tall, its text needs %v", i, b.Size().Height, text)
			}
		}
		if i > 0 {
			prev := rows[i-1]
			if end := prev.Position().Y + prev.Size().Height; end > r.Position().Y+0.5 {
				t.Errorf("row %d ends at %v, under row %d starting at %v", i-1, end, i, r.Position().Y)
			}
		}
	}
	if bubbles != len(msgs) {
		t.Fatalf("%d bubbles for %d messages", bubbles, len(msgs))
	}
}

// Bug 5: a message read in the in-call panel counts as read (the
// conversation is open while the panel shows), and the Chat button's
// highlight goes when it is read.
func TestInCallPanelReadsMessages(t *testing.T) {
	f := newFake()
	m, _ := signedIn(t, f, WindowSize)
	c := app.CallInfo{ID: "c1", Peer: bob, State: app.CallActive, Started: time.Now()}
	m.CallChanged(c)
	m.ChatChanged(app.Conversation{Peer: "bob", Unread: 1, Messages: []app.ChatMessage{
		{ID: "1", From: "bob", To: "alice", CallID: "c1", Text: "hi", Sent: time.Now()}}})
	s := m.CallView().Screen
	if s.chat.Importance != widget.HighImportance {
		t.Fatal("a new message in the call does not highlight Chat")
	}
	test.Tap(s.chat)
	if f.openChat != "bob" {
		t.Fatalf("opening the panel did not mark the conversation read (open %q)", f.openChat)
	}
	if s.chat.Importance == widget.HighImportance {
		t.Fatal("the highlight stays after the message was read")
	}
	test.Tap(s.chat)
	if f.openChat != "" || s.chat.Importance == widget.HighImportance {
		t.Fatalf("closing the panel: open %q, highlight %v", f.openChat, s.chat.Importance)
	}
}

// Bug 6: a message typed in the panel after hang-up stays in view.
func TestMessageAfterHangupStaysInPanel(t *testing.T) {
	f := newFake()
	m, _ := signedIn(t, f, WindowSize)
	m.CallChanged(app.CallInfo{ID: "c1", Peer: bob, State: app.CallEnded, End: app.EndE2EEFailed})
	v := m.CallView()
	v.SetOpen(true)
	v.entry.SetText("bye")
	v.submit()
	m.ChatChanged(app.Conversation{Peer: "bob", Messages: []app.ChatMessage{
		{ID: "9", From: "alice", To: "bob", Text: "bye", Mine: true, Sent: time.Now(), TypedInCall: "c1"}}})
	if len(f.callChats) != 1 || len(v.msgs) != 1 || v.msgs[0].Text != "bye" {
		t.Fatalf("sent %v, panel shows %+v", f.callChats, v.msgs)
	}
}

// Bug 7: opening People fetches the directory again, so people created
// since are listed without a search.
func TestPeopleFetchedAgainWhenShown(t *testing.T) {
	f := newFake()
	m, _ := signedIn(t, f, WindowSize)
	n := len(f.searches)
	m.Navigate(PageChat)
	m.Navigate(PagePeople)
	if len(f.searches) != n+1 || f.searches[n] != "" {
		t.Fatalf("searches %v after showing People again", f.searches)
	}
}

// Bug 9: a sign-in error is a sentence next to its field.
func TestSignInErrorNextToField(t *testing.T) {
	newTestApp(t)
	w := test.NewTempWindow(t, nil)
	b := &erringBackend{err: &app.SignInError{Field: app.FieldPassword, Message: app.MsgBadPassword}}
	wel := NewWelcome(w, b, "")
	w.SetContent(wel.Object())
	test.Type(wel.server, "parley.example.org")
	test.Type(wel.login, "alice")
	test.Type(wel.password, "nope")
	wel.password.OnSubmitted("")
	if got := wel.FieldError(app.FieldPassword); got != app.MsgBadPassword {
		t.Fatalf("next to the password: %q", got)
	}
	if wel.FieldError(app.FieldServer) != "" {
		t.Fatal("the server field shows an error too")
	}
	b.err = context.DeadlineExceeded // not a SignInError: still no Go text
	wel.password.OnSubmitted("")
	if got := wel.FieldError(app.FieldServer); got != app.MsgSignInFailed {
		t.Fatalf("unknown error shows %q", got)
	}
}

type erringBackend struct {
	welcomeBackend
	err error
}

func (b *erringBackend) SignIn(string, string, string) error { return b.err }

// Bug 10: a switch the policy locks shows the effective state, off, with
// the reason — never "on but locked".
func TestPolicyLockedSwitchShowsOff(t *testing.T) {
	f := newFake()
	f.settings.SetE2EECalls(true)
	f.allowed, f.reason = false, app.PolicyDisabledReason
	m, _ := signedIn(t, f, WindowSize)
	m.OpenSettings()
	m.Settings().Select("Privacy")
	sw := findSwitch(t, m.Settings().Object(), E2EESwitchLabel)
	if sw == nil || !sw.Disabled() || sw.On {
		t.Fatalf("locked switch: %+v", sw)
	}
	if !labelShown(t, m.Settings().Object(), app.PolicyDisabledReason) {
		t.Fatal("the reason is not shown")
	}
}

// Calls: missed calls badge the rail until Calls is opened; a row calls
// back; a pushed record joins the list at the top.
func TestCallsBadgeAndCallBack(t *testing.T) {
	f := newFake()
	f.history, f.unseen = sampleHistory(), 1
	m, w := signedIn(t, f, WindowSize)
	waitUntil(t, "the history loaded", func() bool {
		return len(m.st.History) == len(f.history)
	})
	if m.rail.badges[PageCalls].Count != 1 || !m.rail.badges[PageCalls].Visible() {
		t.Fatalf("missed-call badge %d", m.rail.badges[PageCalls].Count)
	}
	m.Navigate(PageCalls)
	if m.rail.badges[PageCalls].Visible() || f.unseen != 0 {
		t.Fatal("opening Calls did not clear the badge")
	}
	calls := m.pages[PageCalls].(*CallsPage)
	var back *IconButton
	walk(t, calls.list, func(x fyne.CanvasObject) {
		if b, ok := x.(*IconButton); ok && b.Tooltip == "Call Bob Baker back" && back == nil {
			back = b
		}
	})
	if back == nil {
		t.Fatal("no call-back button")
	}
	test.Tap(back)
	if len(f.called) != 1 || f.called[0] != "bob" {
		t.Fatalf("call back dialled %v", f.called)
	}
	r := CallRecord{ID: "h9", Peer: people()[2], Start: time.Now(), Outcome: OutcomeMissed}
	m.Navigate(PagePeople)
	m.CallHistoryChanged(app.CallHistoryUpdate{Added: &r, UnseenMissed: 1})
	if m.st.History[0].ID != "h9" || m.rail.badges[PageCalls].Count != 1 {
		t.Fatalf("pushed record: first %s, badge %d", m.st.History[0].ID, m.rail.badges[PageCalls].Count)
	}
	_ = w
}

// The avatar menu sets the status, opens Settings and signs out.
func TestRailMenu(t *testing.T) {
	f := newFake()
	m, w := signedIn(t, f, WindowSize)
	items := map[string]*fyne.MenuItem{}
	for _, it := range m.rail.Menu().Items {
		items[it.Label] = it
	}
	for _, want := range []string{"Available", "Busy", "Away", "Settings", "Sign out"} {
		if items[want] == nil {
			t.Fatalf("no %q in the avatar menu", want)
		}
	}
	if !items["Available"].Checked {
		t.Fatal("the current status is not ticked")
	}
	items["Busy"].Action()
	if len(f.statuses) != 1 || f.statuses[0] != app.PresenceBusy || m.rail.avatar.contact.Presence != app.PresenceBusy {
		t.Fatalf("Busy set %v", f.statuses)
	}
	items["Settings"].Action()
	if m.Page() != PageSettings {
		t.Fatalf("Settings opened %s", m.Page())
	}
	if w.Title() != "Parley — Example Org — Alice Archer" {
		t.Fatalf("window title %q", w.Title())
	}
	items["Sign out"].Action()
	if f.signedOut != 1 || m.signedIn || w.Title() != "Parley" {
		t.Fatalf("sign out: %d, signed in %v, title %q", f.signedOut, m.signedIn, w.Title())
	}
}

// Settings is usable during a call: the call goes on behind a bar that
// brings it back.
func TestSettingsDuringACall(t *testing.T) {
	f := newFake()
	m, _ := signedIn(t, f, WindowSize)
	m.CallChanged(app.CallInfo{ID: "c1", Peer: bob, State: app.CallActive, Started: time.Now()})
	if !m.callShown {
		t.Fatal("the active call is not shown")
	}
	m.OpenSettings()
	if m.Page() != PageSettings || m.callShown || !m.inCall.Visible() {
		t.Fatalf("page %s, call shown %v, bar %v", m.Page(), m.callShown, m.inCall.Visible())
	}
	m.Settings().Select("Privacy")
	findSwitch(t, m.Settings().Object(), E2EESwitchLabel).Tapped(nil)
	if !f.settings.E2EECalls() {
		t.Fatal("a switch did not work during the call")
	}
	m.ReturnToCall()
	if !m.callShown || m.inCall.Visible() {
		t.Fatal("the bar did not bring the call back")
	}
	// The call ends while elsewhere: back where the user was, with the
	// outcome in place.
	m.Navigate(PageCalls)
	m.CallChanged(app.CallInfo{ID: "c1", Peer: bob, State: app.CallEnded, End: app.EndRemoteHangup, Started: time.Now()})
	if m.Page() != PageCalls || m.CallView() != nil || !strings.HasPrefix(m.Toast(), "Call with Bob ended") {
		t.Fatalf("after the call: page %s, view %v, toast %q", m.Page(), m.CallView() != nil, m.Toast())
	}
}

// A lost link is a slim "Reconnecting…" bar, never the error; its
// countdown is the controller's next retry (app.ReconnectAt), read when
// the link goes down.
func TestReconnectingBar(t *testing.T) {
	f := newFake()
	m, w := signedIn(t, f, WindowSize)
	before := time.Now()
	f.retryAt = before.Add(7*time.Second + 400*time.Millisecond)
	m.Connected(alice, errors.New("server link: websocket: close 1006 (abnormal closure): unexpected EOF"))
	after := time.Now()
	if got := m.bar.Text(); !m.bar.Visible() || got != reconnectText(f.retryAt, before) && got != reconnectText(f.retryAt, after) ||
		!strings.HasPrefix(got, "Reconnecting… next try in ") {
		t.Fatalf("bar %v %q, want the countdown to the controller's next retry", m.bar.Visible(), got)
	}
	walk(t, w.Content(), func(x fyne.CanvasObject) {
		if l, ok := x.(*widget.Label); ok && strings.Contains(l.Text, "websocket") {
			t.Fatalf("raw error on screen: %q", l.Text)
		}
	})
	if got := reconnectText(time.Now().Add(4*time.Second+100*time.Millisecond), time.Now()); got != "Reconnecting… next try in 4 s" {
		t.Fatalf("countdown %q", got)
	}
	m.Connected(alice, nil)
	if m.bar.Visible() {
		t.Fatal("the bar stays after reconnecting")
	}
}

// Settings has its five categories; Devices switches devices, plays the
// test sound, chooses the ringer's output and runs the meter;
// Notifications is a switch.
func TestSettingsCategories(t *testing.T) {
	f := newFake()
	m, _ := signedIn(t, f, SmallSize)
	m.OpenSettings()
	p := m.Settings()
	for _, c := range []string{"General", "Privacy", "Devices", "Notifications", "Account"} {
		p.Select(c)
		if p.Selected() != c {
			t.Fatalf("category %s not selectable (got %s)", c, p.Selected())
		}
	}
	p.Select("Devices")
	var test_ *widget.Button
	var selects []*widget.Select
	walk(t, p.Object(), func(x fyne.CanvasObject) {
		if b, ok := x.(*widget.Button); ok && b.Text == "Play a test sound" {
			test_ = b
		}
		if s, ok := x.(*widget.Select); ok {
			selects = append(selects, s)
		}
	})
	if len(selects) != 4 {
		t.Fatalf("%d device pickers, want microphone, speaker, ringer and camera", len(selects))
	}
	mic, ringer := selects[0], selects[2]
	test.Tap(test_)
	mic.SetSelected("Headset")
	if f.testSounds != 1 || len(f.devices) != 1 || f.devices[0][0] != "mic2" {
		t.Fatalf("test sound %d, devices %v", f.testSounds, f.devices)
	}
	if ringer.Selected != sameAsSpeaker {
		t.Fatalf("the ringer starts on %q, want %q", ringer.Selected, sameAsSpeaker)
	}
	ringer.SetSelected("Headset")
	ringer.SetSelected(sameAsSpeaker)
	if len(f.ringers) != 2 || f.ringers[0] != "spk2" || f.ringers[1] != "" || len(f.devices) != 1 {
		t.Fatalf("ringer choices %q (devices %v), want the headset then the speaker, the call's devices untouched", f.ringers, f.devices)
	}
	p.Select("Notifications")
	sw := findSwitch(t, p.Object(), NotificationsLabel)
	sw.Tapped(nil)
	if f.notify {
		t.Fatal("the notifications switch did not turn them off")
	}
	m.CloseSettings()
	if m.Page() != PagePeople {
		t.Fatalf("Done went to %s", m.Page())
	}
}

// Chat lists conversations newest first; a row opens it, back returns.
func TestChatListOpensConversation(t *testing.T) {
	f := newFake()
	m, _ := signedIn(t, f, WindowSize)
	m.ContactsChanged(people())
	m.ChatChanged(conversation())
	m.Navigate(PageChat)
	c := m.chats()
	if len(c.convs) != 1 || c.convs[0].peer.Name != "Bob Baker" {
		t.Fatalf("conversations %+v", c.convs)
	}
	c.list.Select(0)
	if c.Pane() == nil || c.Pane().Peer().ID != "bob" || f.openChat != "bob" {
		t.Fatal("selecting the row did not open the conversation")
	}
	c.Pane().entry.SetText("see you")
	c.Pane().submit()
	if len(f.sent) != 1 || f.sent[0] != "bob:see you" {
		t.Fatalf("sent %v", f.sent)
	}
	m.CloseChat()
	if c.Pane() != nil || f.openChat != "" {
		t.Fatal("back did not close the conversation")
	}
}
