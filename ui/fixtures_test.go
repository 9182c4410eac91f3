package ui

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
	"github.com/parley-voip/parley/media/audio"
)

// fakeController is the app as the screens see it, recording what they
// ask for. Its Settings are real (memory preferences).
type fakeController struct {
	mu       sync.Mutex
	settings *app.Settings
	allowed  bool
	reason   string
	notify   bool
	status   app.Presence
	convs    map[string]app.Conversation
	history  []CallRecord
	// transcripts by call id (Transcript); transcriptOf records the asks.
	transcripts  map[string]string
	transcriptOf []string
	unseen       int

	called, chats, searches, sent, callChats []string
	accepted, declined, hungUp, verified     int
	muted, held                              []bool
	signedOut, testSounds                    int
	openChat                                 string
	statuses                                 []app.Presence
	devices                                  [][2]string
	ringers                                  []string
	retryAt                                  time.Time // ReconnectAt
	last                                     [2]string // LastSignIn
	control                                  controlAsks
}

func newFake() *fakeController {
	return &fakeController{settings: app.NewSettings(app.NewMemoryPreferences()), allowed: true, notify: true,
		status: app.PresenceOnline, convs: map[string]app.Conversation{}}
}

func (f *fakeController) StartLocal(string) error             { return nil }
func (f *fakeController) SignIn(string, string, string) error { return nil }
func (f *fakeController) TrustServer(string, string)          {}
func (f *fakeController) LastSignIn() (string, string)        { return f.last[0], f.last[1] }
func (f *fakeController) E2EECalls() bool                     { return f.settings.E2EECalls() }
func (f *fakeController) SetE2EECalls(on bool)                { f.settings.SetE2EECalls(on) }
func (f *fakeController) E2EEPolicy() (bool, string)          { return f.allowed, f.reason }
func (f *fakeController) E2EEOnly() bool                      { return f.settings.E2EEOnly() }
func (f *fakeController) SetE2EEOnly(on bool)                 { f.settings.SetE2EEOnly(on) }
func (f *fakeController) SetEchoCancellation(on bool)         { f.settings.SetEchoCancellation(on) }
func (f *fakeController) SetNoiseSuppression(on bool)         { f.settings.SetNoiseSuppression(on) }
func (f *fakeController) Levels() app.Levels                  { return app.Levels{} } // pictures must not depend on when the meters tick
func (f *fakeController) PlayTestSound()                      { f.testSounds++ }
func (f *fakeController) Call(id string)                      { f.called = append(f.called, id) }
func (f *fakeController) Accept()                             { f.accepted++ }
func (f *fakeController) Decline()                            { f.declined++ }
func (f *fakeController) Hangup()                             { f.hungUp++ }
func (f *fakeController) SetMuted(on bool)                    { f.muted = append(f.muted, on) }
func (f *fakeController) SetHeld(on bool)                     { f.held = append(f.held, on) }
func (f *fakeController) MarkVerified()                       { f.verified++ }
func (f *fakeController) SignOut()                            { f.signedOut++ }
func (f *fakeController) Notifications() bool                 { return f.notify }
func (f *fakeController) SetNotifications(on bool)            { f.notify = on }
func (f *fakeController) OrganizationName() string            { return "Example Org" }
func (f *fakeController) OrganizationInfo() string            { return "" }
func (f *fakeController) ReconnectAt() time.Time              { return f.retryAt }
func (f *fakeController) SendChat(to, text string)            { f.sent = append(f.sent, to+":"+text) }
func (f *fakeController) SendCallChat(text string) error {
	f.callChats = append(f.callChats, text)
	return nil
}
func (f *fakeController) RetryChat(string)                       {}
func (f *fakeController) OpenChat(peer string)                   { f.openChat = peer; f.chats = append(f.chats, peer) }
func (f *fakeController) CloseChat()                             { f.openChat = "" }
func (f *fakeController) LoadEarlierChat(string)                 {}
func (f *fakeController) Conversation(p string) app.Conversation { return f.convs[p] }
func (f *fakeController) SetStatus(p app.Presence)               { f.status = p; f.statuses = append(f.statuses, p) }
func (f *fakeController) Status() app.Presence                   { return f.status }
func (f *fakeController) SearchDirectory(q string)               { f.searches = append(f.searches, q) }
func (f *fakeController) SetRingerDevice(id string)              { f.ringers = append(f.ringers, id) }
func (f *fakeController) SetAudioDevices(c, p string) error {
	f.devices = append(f.devices, [2]string{c, p})
	return nil
}
func (f *fakeController) AudioOptions() app.AudioOptions {
	c, p := f.settings.AudioDevices()
	return app.AudioOptions{CaptureID: c, PlaybackID: p, EchoCancellation: true, NoiseSuppression: true,
		Devices: audio.DeviceList{Backend: "test",
			Capture:  []audio.Endpoint{{ID: "mic1", Name: "Desk microphone"}, {ID: "mic2", Name: "Headset"}},
			Playback: []audio.Endpoint{{ID: "spk1", Name: "Speakers"}, {ID: "spk2", Name: "Headset"}}}}
}

func (f *fakeController) Transcript(_ context.Context, callID string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.transcriptOf = append(f.transcriptOf, callID)
	t, ok := f.transcripts[callID]
	if !ok {
		return "", errors.New("no transcript")
	}
	return t, nil
}

func (f *fakeController) CallHistory(_ context.Context, _ time.Time, limit int) ([]CallRecord, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.history[:min(limit, len(f.history))], nil
}
func (f *fakeController) MarkCallsSeen()         { f.unseen = 0 }
func (f *fakeController) UnseenMissedCalls() int { return f.unseen }

var (
	alice = app.Contact{ID: "alice", Name: "Alice Archer", Presence: app.PresenceOnline}
	bob   = app.Contact{ID: "bob", Name: "Bob", Presence: app.PresenceInCall}
	// day is a fixed time for pictures that do not change.
	day = time.Date(2025, 3, 14, 14, 5, 0, 0, time.Local)
)

func people() []app.Contact {
	return []app.Contact{
		{ID: "bob", Name: "Bob Baker", Presence: app.PresenceOnline, Unread: 2, Trust: app.TrustVerified},
		{ID: "carol", Name: "Carol", Presence: app.PresenceInCall},
		{ID: "dave", Name: "Dave Davies", Presence: app.PresenceBusy},
		{ID: "erin", Name: "Erin with a rather long name that must not widen anything", Presence: app.PresenceAway, Trust: app.TrustChanged},
		{ID: "frank", Name: "Frank", Presence: app.PresenceOffline},
	}
}

func sampleHistory() []CallRecord {
	return []CallRecord{
		{ID: "h1", Peer: people()[0], Outgoing: true, Start: day, Duration: 3*time.Minute + 12*time.Second, E2EE: true, Outcome: OutcomeAnswered},
		{ID: "h2", Peer: people()[2], Start: day.Add(-time.Hour), Outcome: OutcomeMissed},
		{ID: "h3", Peer: people()[1], Start: day.Add(-26 * time.Hour), Outcome: OutcomeDeclined, Outgoing: true},
		{ID: "h4", Peer: people()[0], Start: day.Add(-50 * time.Hour), Outcome: OutcomeAnsweredElsewhere},
	}
}

// signedIn is a Main over f in a test window of size, signed in as alice.
func signedIn(t *testing.T, ctl Controller, size fyne.Size) (*Main, fyne.Window) {
	t.Helper()
	newTestApp(t)
	w := test.NewTempWindow(t, nil)
	w.Resize(size)
	m := NewMain(w, ctl)
	m.background = func(f func()) { f() }    // see Main.background
	m.later = func(time.Duration, func()) {} // see Main.later
	m.Connected(alice, nil)
	return m, w
}

// walk visits o and everything rendered inside it.
func walk(t *testing.T, o fyne.CanvasObject, f func(fyne.CanvasObject)) {
	f(o)
	switch v := o.(type) {
	case *fyne.Container:
		for _, c := range v.Objects {
			walk(t, c, f)
		}
	case fyne.Widget:
		for _, c := range test.TempWidgetRenderer(t, v).Objects() {
			walk(t, c, f)
		}
	}
}

// visible reports whether o and every parent up to root are visible.
func visibleIn(t *testing.T, root, o fyne.CanvasObject) bool {
	found := false
	var visit func(x fyne.CanvasObject) bool
	visit = func(x fyne.CanvasObject) bool {
		if !x.Visible() {
			return false
		}
		if x == o {
			found = true
			return true
		}
		switch v := x.(type) {
		case *fyne.Container:
			for _, c := range v.Objects {
				if visit(c) {
					return true
				}
			}
		case fyne.Widget:
			for _, c := range test.TempWidgetRenderer(t, v).Objects() {
				if visit(c) {
					return true
				}
			}
		}
		return false
	}
	visit(root)
	return found
}

func labelShown(t *testing.T, o fyne.CanvasObject, text string) bool {
	found := false
	walk(t, o, func(x fyne.CanvasObject) {
		if l, ok := x.(*widget.Label); ok && l.Text == text && visibleIn(t, o, l) {
			found = true
		}
	})
	return found
}

func findSwitch(t *testing.T, o fyne.CanvasObject, label string) *Switch {
	var found *Switch
	walk(t, o, func(x fyne.CanvasObject) {
		if s, ok := x.(*Switch); ok && s.Text == label {
			found = s
		}
	})
	return found
}

func iconButtons(t *testing.T, o fyne.CanvasObject) map[string]*IconButton {
	out := map[string]*IconButton{}
	walk(t, o, func(x fyne.CanvasObject) {
		if b, ok := x.(*IconButton); ok && b.Tooltip != "" {
			out[b.Tooltip] = b
		}
	})
	return out
}

// fits checks that the window's content asks for no more than size: no
// content may grow the window.
func fits(t *testing.T, w fyne.Window, size fyne.Size, what string) {
	t.Helper()
	min := w.Content().MinSize()
	if min.Width > size.Width || min.Height > size.Height {
		t.Errorf("%s: content needs %v, more than the window's %v (the window would grow)", what, min, size)
	}
}

// Call control (callcontrol.go): what the screens asked for.
type controlAsks struct {
	transfers                  []string // "target:mode"
	completed, returned, parks int
	pickups                    []string
	moves, adds                int
}

func (f *fakeController) Transfer(target string, mode app.TransferMode) {
	f.control.transfers = append(f.control.transfers, target+":"+string(mode))
}
func (f *fakeController) CompleteConsult()   { f.control.completed++ }
func (f *fakeController) ReturnToHeld()      { f.control.returned++ }
func (f *fakeController) Park()              { f.control.parks++ }
func (f *fakeController) PickUp(code string) { f.control.pickups = append(f.control.pickups, code) }
func (f *fakeController) MoveHere()          { f.control.moves++ }
func (f *fakeController) AddThisDevice()     { f.control.adds++ }
