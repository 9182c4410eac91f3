package app

import (
	"testing"

	"github.com/parley-voip/parley/media/audio"
)

// Mute and hold show on the other side ("Muted", "On hold"), and resuming
// clears them.
func TestPeerSeesMuteAndHold(t *testing.T) {
	t.Parallel()
	alice, bob := newTwo(t, false, false, audio.Silence)
	placeCall(t, alice, bob)
	alice.SetMuted(true)
	bob.ev.waitCall(t, "alice muted", func(c CallInfo) bool { return c.PeerMuted && !c.PeerHeld })
	alice.SetHeld(true)
	bob.ev.waitCall(t, "alice holds", func(c CallInfo) bool { return c.PeerMuted && c.PeerHeld })
	if c := alice.ev.lastCall(); !c.Held || !c.Muted {
		t.Fatalf("alice's own call: %+v", c)
	}
	alice.SetHeld(false)
	alice.SetMuted(false)
	bob.ev.waitCall(t, "alice back", func(c CallInfo) bool { return !c.PeerMuted && !c.PeerHeld })
	alice.Hangup()
	alice.endsWith(t, EndHangup)
}
