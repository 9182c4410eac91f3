package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/parley-voip/parley/app"
)

// callRecorder is the fake's call part, for the call screen alone.
type callRecorder struct{ *fakeController }

func newCallRecorder() *callRecorder { return &callRecorder{newFake()} }

func e2eeCall() app.CallInfo {
	return app.CallInfo{
		ID: "c1", Peer: bob, Outgoing: true, State: app.CallActive,
		E2EE: true, E2EENegotiated: true,
		Code:       "0123 4567 8901 2345 6789",
		CodeGroups: [5]string{"0123", "4567", "8901", "2345", "6789"},
		Features:   app.Features(true),
	}
}

func plainCall() app.CallInfo {
	return app.CallInfo{ID: "c2", Peer: bob, State: app.CallActive, Features: app.Features(false)}
}

func failedCall() app.CallInfo {
	return app.CallInfo{ID: "c3", Peer: bob, Outgoing: true, State: app.CallEnded, E2EENegotiated: true, End: app.EndE2EEFailed}
}

// render puts the call screen in a test window so it lays out like the app.
func render(t *testing.T, c app.CallInfo) (*CallScreen, fyne.Window) {
	t.Helper()
	newTestApp(t)
	s := NewCallScreen(newCallRecorder(), func() {}, func() {})
	s.Update(c)
	w := test.NewTempWindow(t, s.Object())
	w.Resize(WindowSize) // as the app opens it
	return s, w
}

func TestCallScreenE2EE(t *testing.T) {
	s, w := render(t, e2eeCall())
	if !s.lock.Visible() || !s.codeBox.Visible() {
		t.Fatal("E2EE call must show the lock and the security code")
	}
	if got := s.badge.Text; got != TextE2EE {
		t.Fatalf("badge = %q, want %q", got, TextE2EE)
	}
	for i, want := range []string{"0123", "4567", "8901", "2345", "6789"} {
		if s.codeParts[i].Text != want {
			t.Fatalf("code group %d = %q, want %q", i, s.codeParts[i].Text, want)
		}
	}
	if s.failed.Visible() {
		t.Fatal("the failure warning shows on a secure call")
	}
	assertFeaturesDisabled(t, s, app.ReasonE2EE)
	if !s.meters.Visible() {
		t.Fatal("an active call shows its level meters")
	}
	s.SetLevels(app.Levels{Mic: 0.5, Speaker: 0.25})
	if s.mic.Value != 0.5 || s.speaker.Value != 0.25 {
		t.Fatalf("meters at %v/%v, want 0.5/0.25", s.mic.Value, s.speaker.Value)
	}
	test.AssertRendersToImage(t, "call_e2ee.png", w.Canvas())
}

func TestCallScreenInTransit(t *testing.T) {
	s, w := render(t, plainCall())
	if s.lock.Visible() || s.codeBox.Visible() {
		t.Fatal("a call without E2EE must show neither lock nor code")
	}
	if got := s.badge.Text; got != TextInTransit {
		t.Fatalf("badge = %q, want %q", got, TextInTransit)
	}
	assertFeaturesDisabled(t, s, app.ReasonNoMediaRelay)
	test.AssertRendersToImage(t, "call_in_transit.png", w.Canvas())
}

func TestCallScreenE2EEFailed(t *testing.T) {
	s, w := render(t, failedCall())
	if s.lock.Visible() || s.codeBox.Visible() {
		t.Fatal("a failed handshake must never show the lock or a code")
	}
	if !s.failed.Visible() || s.failed.Text != app.E2EEFailedMessage {
		t.Fatalf("failure warning not shown (visible=%v text=%q)", s.failed.Visible(), s.failed.Text)
	}
	if !s.close.Visible() || s.hangup.Visible() {
		t.Fatal("a call ended by an E2EE alarm offers Close, not Hang up")
	}
	test.AssertRendersToImage(t, "call_e2ee_failed.png", w.Canvas())
}

func TestCallScreenNegotiatedButNotConfirmed(t *testing.T) {
	c := e2eeCall()
	c.E2EE = false // handshake still running
	c.State = app.CallSecuring
	s, _ := render(t, c)
	if s.lock.Visible() || s.codeBox.Visible() {
		t.Fatal("the lock must not show before key confirmation")
	}
}

func TestCallScreenToolbar(t *testing.T) {
	newTestApp(t)
	rec := newCallRecorder()
	s := NewCallScreen(rec, func() {}, func() {})
	s.Update(e2eeCall())
	w := test.NewTempWindow(t, s.Object())
	w.Resize(WindowSize)
	tips := iconButtons(t, s.Object())
	for _, tip := range []string{"Mute", "Hold", "Microphone and speaker", "Chat", "More", "Hang up"} {
		if b := tips[tip]; b == nil || !b.Visible() {
			t.Fatalf("no %q button in the toolbar (have %v)", tip, tips)
		}
	}
	test.Tap(tips["Mute"])
	test.Tap(tips["Hold"])
	test.Tap(tips["Hang up"])
	if len(rec.muted) != 1 || !rec.muted[0] || len(rec.held) != 1 || !rec.held[0] || rec.hungUp != 1 {
		t.Fatalf("toolbar taps: muted %v held %v hung up %d", rec.muted, rec.held, rec.hungUp)
	}
	c := e2eeCall()
	c.Muted = true
	s.Update(c)
	if !s.notes.Visible() || s.notes.Text != TextYouAreMuted || s.mute.Tooltip != "Unmute" {
		t.Fatalf("muted: note %q (visible %v), tooltip %q", s.notes.Text, s.notes.Visible(), s.mute.Tooltip)
	}
	// The devices menu lists both kinds and switches at once.
	m := s.deviceMenu()
	var picked bool
	for _, it := range m.Items {
		if it.Label == "Headset" && it.Action != nil && !picked {
			it.Action()
			picked = true
		}
	}
	if len(rec.devices) != 1 || rec.devices[0] != [2]string{"mic2", ""} {
		t.Fatalf("choosing the headset microphone set %v", rec.devices)
	}
}

// The other side's mute and hold show by name; hold wins over mute.
func TestCallScreenPeerMuteAndHold(t *testing.T) {
	c := plainCall()
	c.PeerMuted = true
	s, _ := render(t, c)
	if s.notes.Text != "Bob is muted" {
		t.Fatalf("peer muted: %q", s.notes.Text)
	}
	c.PeerHeld = true
	s.Update(c)
	if s.notes.Text != "Bob put the call on hold" {
		t.Fatalf("peer holds: %q", s.notes.Text)
	}
	c.Held = true
	s.Update(c)
	if s.notes.Text != TextYouHold || s.hold.Tooltip != "Resume" {
		t.Fatalf("I hold: %q, tooltip %q", s.notes.Text, s.hold.Tooltip)
	}
}

// assertFeaturesDisabled: under E2EE the More menu lists every
// media-service feature as unavailable, with the reason; in other calls,
// while the server has no media service, there is no More button at all
// (no button that never works).
func assertFeaturesDisabled(t *testing.T, s *CallScreen, reason string) {
	t.Helper()
	if reason == app.ReasonNoMediaRelay {
		if s.more.Visible() || len(s.moreItems) != 0 {
			t.Fatalf("More offered (%d items) without a media service", len(s.moreItems))
		}
		return
	}
	if !s.more.Visible() || len(s.moreItems) != len(app.Features(true)) {
		t.Fatalf("More visible %v with %d items, want %d", s.more.Visible(), len(s.moreItems), len(app.Features(true)))
	}
	for _, it := range s.moreItems {
		if !it.Disabled || !strings.HasSuffix(it.Label, reason) {
			t.Fatalf("feature %q: disabled %v, want the reason %q", it.Label, it.Disabled, reason)
		}
	}
}

// A recorded call says so at the top of the call screen.
func TestCallScreenShowsRecording(t *testing.T) {
	c := plainCall()
	c.Recording, c.RecordingBy = true, "Bob"
	s, _ := render(t, c)
	if !s.recording.Visible() {
		t.Fatal("a recorded call does not show Recording")
	}
}
