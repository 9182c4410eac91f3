package ui

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/parley-voip/parley/app"
	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/org"
	"github.com/parley-voip/parley/server/org/orgtest"
)

// A call this user wanted end-to-end encrypted says it is not, and why,
// instead of the neutral "Encrypted in transit".
func TestCallScreenSaysNotE2EEWhenWanted(t *testing.T) {
	for _, tc := range []struct {
		cause app.NotE2EECause
		why   string
	}{
		{app.NotE2EEPeerOff, app.TextNotE2EEPeerOff},
		{app.NotE2EEMyPolicy, app.TextNotE2EEPolicy},
	} {
		c := plainCall()
		c.WantedE2EE, c.NotE2EE = true, tc.cause
		s, _ := render(t, c)
		if s.lock.Visible() || s.codeBox.Visible() {
			t.Fatal("no lock or code in a call without E2EE")
		}
		if s.badge.Text != TextNotE2EE {
			t.Fatalf("badge = %q, want %q", s.badge.Text, TextNotE2EE)
		}
		if !s.why.Visible() || s.why.Text != tc.why {
			t.Fatalf("reason = %q (visible %v), want %q", s.why.Text, s.why.Visible(), tc.why)
		}
	}
	// Someone who did not ask for E2EE sees the neutral line, no reason.
	s, _ := render(t, plainCall())
	if s.badge.Text != TextInTransit || s.why.Visible() {
		t.Fatalf("badge %q, reason shown %v", s.badge.Text, s.why.Visible())
	}
}

// A call that ended because the sides disagreed on E2EE says so, and says
// truthfully whether audio had been sent.
func TestCallScreenE2EEMismatch(t *testing.T) {
	c := app.CallInfo{ID: "c5", Peer: bob, State: app.CallEnded, End: app.EndE2EEMismatch, WantedE2EE: true}
	s, _ := render(t, c)
	if !s.failed.Visible() || s.failed.Text != app.E2EEMismatchMessage {
		t.Fatalf("warning %q (visible %v), want %q", s.failed.Text, s.failed.Visible(), app.E2EEMismatchMessage)
	}
	if s.failedHelp.Text != TextE2EEFailedHelp || s.lock.Visible() {
		t.Fatalf("help %q, lock %v", s.failedHelp.Text, s.lock.Visible())
	}
	c.Started = time.Now() // media had started on this side
	s.Update(c)
	if s.failedHelp.Text != TextMismatchSentHelp {
		t.Fatalf("help %q after audio was sent, want %q", s.failedHelp.Text, TextMismatchSentHelp)
	}
}

// With "only encrypted calls" on and a policy that does not allow E2EE,
// Settings says every call is refused and leaves "only" reachable.
func TestSettingsGuardBlockedByPolicy(t *testing.T) {
	newTestApp(t)
	b := newFake()
	b.allowed, b.reason = false, app.PolicyDisabledReason
	b.settings.SetE2EECalls(true)
	b.settings.SetE2EEOnly(true)
	m, _ := signedIn(t, b, fyne.NewSize(640, 700))
	m.OpenSettings()
	m.Settings().Select("Privacy")
	obj := m.Settings().Object()
	if !labelShown(t, obj, app.GuardBlockedNotice) {
		t.Fatal("Settings does not say that every call is refused")
	}
	only := findSwitch(t, obj, E2EEOnlySwitchLabel)
	if only.Disabled() || !only.On {
		t.Fatalf("only: disabled %v on %v; the user must be able to turn it off", only.Disabled(), only.On)
	}
	test.Tap(only)
	if b.settings.E2EEOnly() || labelShown(t, obj, app.GuardBlockedNotice) {
		t.Fatal("turning it off did not apply, or the warning stayed")
	}
	test.Tap(only) // the user's own choice, whatever the policy
	if !b.settings.E2EEOnly() || !labelShown(t, obj, app.GuardBlockedNotice) {
		t.Fatal("turning it on again did not apply, or the warning did not come back")
	}
}

// The contacts screen warns a user whose guard is on when the policy
// the server pushes does not allow E2EE.
func TestHomeWarnsWhenPolicyBlocksGuard(t *testing.T) {
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	o := orgtest.Start(t, org.Config{Logger: quiet}) // Global: Disabled
	if _, err := o.Accounts.CreateUser(ctx, accounts.NewUser{ID: "alice", Password: "alice-password"}); err != nil {
		t.Fatal(err)
	}
	prefs := app.NewMemoryPreferences()
	settings := app.NewSettings(prefs)
	settings.SetE2EECalls(true)
	settings.SetE2EEOnly(true)
	_, _, win := signedInDesktop(t, o, prefs, "alice", "alice-password")
	waitUntil(t, "the warning on the contacts screen", func() bool {
		return labelShown(t, win.Content(), app.GuardBlockedNotice)
	})
}
