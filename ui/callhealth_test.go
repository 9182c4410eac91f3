package ui

import (
	"testing"
	"time"

	"github.com/parley-voip/parley/app"
)

// A call whose media path is not up is not shown as connected: an E2EE
// call whose keys are agreed over signaling but whose ICE and DTLS are
// not done says "Connecting…", with no timer, no lock, no code and no
// in-call controls; they appear once the call is Active.
func TestCallScreenNotConnectedUntilTheMediaPathIsUp(t *testing.T) {
	c := e2eeCall()
	c.State = app.CallSecuring // keys agreed (E2EE, Code), path not up
	s, _ := render(t, c)
	if got := s.state.Text; got != "Connecting…" {
		t.Fatalf("state %q, want Connecting…", got)
	}
	if s.lock.Visible() || s.codeBox.Visible() || s.badge.Text != "" {
		t.Fatal("the lock or the code shows before the call's media path is up")
	}
	if s.mute.Visible() || s.hold.Visible() || s.meters.Visible() || !s.hangup.Visible() {
		t.Fatal("a call that is not connected offers only hang up")
	}
	s.Tick(time.Now().Add(time.Minute))
	if got := s.state.Text; got != "Connecting…" {
		t.Fatalf("the timer runs before the call is Active: %q", got)
	}

	plain := plainCall()
	plain.State = app.CallConnecting
	s.Update(plain)
	if got := s.state.Text; got != app.CallConnecting.String() || s.badge.Text != "" {
		t.Fatalf("state %q badge %q for a connecting call", got, s.badge.Text)
	}

	c.State, c.Started = app.CallActive, time.Now()
	s.Update(c)
	if !s.lock.Visible() || !s.codeBox.Visible() || s.state.Text != "0:00" {
		t.Fatalf("an active E2EE call: lock %v, code %v, state %q", s.lock.Visible(), s.codeBox.Visible(), s.state.Text)
	}
}

// An active call whose audio stopped arriving says so while it is
// recovered, and the line goes when the audio is back.
func TestCallScreenNoAudioLine(t *testing.T) {
	c := e2eeCall()
	c.Started = time.Now()
	s, _ := render(t, c)
	if s.noAudio.Visible() {
		t.Fatal("the no-audio line shows on a call with audio")
	}
	c.NoAudio, c.Reconnecting = true, true
	s.Update(c)
	if !s.noAudio.Visible() || s.noAudio.Text != TextNoAudio {
		t.Fatalf("no audio: line visible %v, %q", s.noAudio.Visible(), s.noAudio.Text)
	}
	if !s.lock.Visible() || !s.mute.Visible() {
		t.Fatal("the call, its lock and its controls go on while it reconnects")
	}
	c.NoAudio = false // ICE noticed too: still reconnecting
	s.Update(c)
	if !s.noAudio.Visible() {
		t.Fatal("the line went while the call still reconnects")
	}
	c.Reconnecting = false
	s.Update(c)
	if s.noAudio.Visible() {
		t.Fatal("the no-audio line stays after the audio came back")
	}
	c.NoAudio, c.State, c.End = true, app.CallEnded, app.EndConnectionFailed
	s.Update(c)
	if s.noAudio.Visible() {
		t.Fatal("the no-audio line shows on an ended call")
	}
}
