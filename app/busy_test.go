package app

import (
	"testing"

	"github.com/parley-voip/parley/media/audio"
)

func TestDeclined(t *testing.T) {
	t.Parallel()
	alice, bob := newTwo(t, false, false, audio.Silence)
	alice.sees(t, "bob", PresenceOnline)
	alice.Call("bob")
	bob.ev.waitCall(t, "incoming", func(c CallInfo) bool { return c.State == CallIncoming })
	bob.Decline()
	alice.endsWith(t, EndDeclined)
	bob.endsWith(t, EndDeclined)
}

func TestBusy(t *testing.T) {
	t.Parallel()
	url := startServer(t)
	alice := startUser(t, url, "alice", false, audio.Silence())
	bob := startUser(t, url, "bob", false, audio.Silence())
	carol := startUser(t, url, "carol", false, audio.Silence())
	placeCall(t, alice, bob)
	carol.sees(t, "bob", PresenceInCall)
	carol.Call("bob")
	carol.endsWith(t, EndBusy)
	if bob.ev.lastCall().Ended() {
		t.Fatal("bob's call was disturbed by the busy attempt")
	}
}

func TestUnreachable(t *testing.T) {
	t.Parallel()
	alice, bob := newTwo(t, false, false, audio.Silence)
	alice.sees(t, "bob", PresenceOnline)
	bob.stop() // bob has an account but is signed out
	alice.ev.waitFor(t, "bob offline", func(e *events) bool {
		for _, c := range e.contacts {
			if c.ID == "bob" && c.Presence != PresenceOffline {
				return false
			}
		}
		return true
	})
	alice.Call("bob")
	alice.endsWith(t, EndUnreachable)
}

func TestUnknownUser(t *testing.T) {
	t.Parallel()
	url := startServer(t)
	alice := startUser(t, url, "alice", false, audio.Silence())
	alice.Call("nobody")
	alice.endsWith(t, EndUnknownUser)
}

func TestQuitHangsUp(t *testing.T) {
	t.Parallel()
	alice, bob := newTwo(t, false, false, audio.Silence)
	placeCall(t, alice, bob)
	bob.stop()
	alice.endsWith(t, EndRemoteHangup)
}

func TestCallerCancels(t *testing.T) {
	t.Parallel()
	alice, bob := newTwo(t, false, false, audio.Silence)
	alice.sees(t, "bob", PresenceOnline)
	alice.Call("bob")
	bob.ev.waitCall(t, "incoming", func(c CallInfo) bool { return c.State == CallIncoming })
	alice.Hangup()
	bob.endsWith(t, EndCancelled)
}
