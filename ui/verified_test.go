package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/parley-voip/parley/app"
)

// Beside the code of an E2EE call with an unverified contact: "Mark as
// verified", which tells the app; no "Verified" yet.
func TestCallScreenMarkAsVerified(t *testing.T) {
	newTestApp(t)
	rec := newCallRecorder()
	s := NewCallScreen(rec, func() {}, func() {})
	s.Update(e2eeCall())
	if !s.markVerify.Visible() || s.markVerify.Text != TextMarkVerified {
		t.Fatal("no Mark as verified button beside the code")
	}
	if s.verified.Visible() || s.keyChanged.Visible() {
		t.Fatal("an unverified contact shows Verified or a warning")
	}
	test.Tap(s.markVerify)
	if rec.verified != 1 {
		t.Fatalf("Mark as verified delivered %d times", rec.verified)
	}
	// No button, and never Verified, without a completed handshake.
	c := e2eeCall()
	c.E2EE, c.State, c.Trust = false, app.CallSecuring, app.TrustVerified
	s.Update(c)
	if s.markVerify.Visible() || s.verified.Visible() {
		t.Fatal("verification offered or shown before key confirmation")
	}
}

// A later call with the verified device key: "Verified" beside the lock,
// no button.
func TestCallScreenShowsVerified(t *testing.T) {
	c := e2eeCall()
	c.Trust = app.TrustVerified
	s, w := render(t, c)
	if !s.verified.Visible() || s.verified.Text != TextVerified || !s.lock.Visible() {
		t.Fatal(`"Verified" is not shown beside the lock`)
	}
	if s.markVerify.Visible() || s.keyChanged.Visible() {
		t.Fatal("a verified call offers verification again or warns")
	}
	test.AssertRendersToImage(t, "call_e2ee_verified.png", w.Canvas())
}

// A contact whose key changed: a clear warning, never "Verified", and the
// button to verify again after comparing.
func TestCallScreenWarnsOfKeyChange(t *testing.T) {
	c := e2eeCall()
	c.Trust = app.TrustChanged
	s, w := render(t, c)
	want := "Bob's security key has changed — compare the code again"
	if !s.keyChanged.Visible() || s.keyChanged.Text != want {
		t.Fatalf("warning %q (visible %v), want %q", s.keyChanged.Text, s.keyChanged.Visible(), want)
	}
	if s.verified.Visible() {
		t.Fatal(`"Verified" shown for a changed key`)
	}
	if !s.markVerify.Visible() {
		t.Fatal("no way to verify the new key after comparing")
	}
	test.AssertRendersToImage(t, "call_e2ee_key_changed.png", w.Canvas())
}

// The People list says who is verified and whose key changed.
func TestPeopleShowTrust(t *testing.T) {
	newTestApp(t)
	p := NewPeoplePage(newFake())
	p.Update(&State{Contacts: []app.Contact{
		{ID: "bob", Name: "Bob", Presence: app.PresenceOnline, Trust: app.TrustChanged},
		{ID: "carol", Name: "Carol", Presence: app.PresenceOnline, Trust: app.TrustVerified},
		{ID: "dave", Name: "Dave", Presence: app.PresenceOnline},
	}})
	w := test.NewTempWindow(t, p.Object())
	w.Resize(fyne.NewSize(720, 420))
	if !labelShown(t, p.list, "Available · Bob's security key has changed — compare the code again") {
		t.Fatal("the People list does not warn about Bob's key")
	}
	if !labelShown(t, p.list, "Available · "+TextVerified) {
		t.Fatal("the People list does not show Carol as verified")
	}
}
