package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
)

type callRecorder struct{ accepted, declined, hungUp, closed, muted, verified int }

func (r *callRecorder) Accept()       { r.accepted++ }
func (r *callRecorder) Decline()      { r.declined++ }
func (r *callRecorder) Hangup()       { r.hungUp++ }
func (r *callRecorder) SetMuted(bool) { r.muted++ }
func (r *callRecorder) CloseCall()    { r.closed++ }
func (r *callRecorder) MarkVerified() { r.verified++ }

var bob = app.Contact{ID: "bob", Name: "Bob", Presence: app.PresenceInCall}

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
	test.NewTempApp(t)
	s := NewCallScreen(&callRecorder{})
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
	if !s.back.Visible() || s.hangup.Visible() {
		t.Fatal("an ended call offers Back, not Hang up")
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

func TestCallScreenIncomingButtons(t *testing.T) {
	test.NewTempApp(t)
	rec := &callRecorder{}
	s := NewCallScreen(rec)
	s.Update(app.CallInfo{ID: "c4", Peer: bob, State: app.CallIncoming})
	if !s.accept.Visible() || !s.decline.Visible() || s.hangup.Visible() {
		t.Fatal("an incoming call offers Accept and Decline only")
	}
	test.Tap(s.accept)
	test.Tap(s.decline)
	if rec.accepted != 1 || rec.declined != 1 {
		t.Fatalf("taps not delivered: %+v", rec)
	}
	s.Update(e2eeCall())
	test.Tap(s.hangup)
	if rec.hungUp != 1 {
		t.Fatal("hang up not delivered")
	}
}

func assertFeaturesDisabled(t *testing.T, s *CallScreen, reason string) {
	t.Helper()
	if len(s.features.Objects) != len(app.Features(true)) {
		t.Fatalf("%d feature controls, want %d", len(s.features.Objects), len(app.Features(true)))
	}
	for _, o := range s.features.Objects {
		if b := o.(*widget.Button); !b.Disabled() {
			t.Fatalf("feature %q is enabled", b.Text)
		}
	}
	if s.featNote.Text != reason || !s.featNote.Visible() {
		t.Fatalf("feature note = %q (visible %v), want %q", s.featNote.Text, s.featNote.Visible(), reason)
	}
}
