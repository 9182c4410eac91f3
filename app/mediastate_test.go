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
	// Alice's client tells the server before it reports the change to its
	// own screen: bob may see the hold first, so her own call is waited for.
	alice.ev.waitCall(t, "alice's own call held and muted", func(c CallInfo) bool { return c.Held && c.Muted })
	alice.SetHeld(false)
	alice.SetMuted(false)
	bob.ev.waitCall(t, "alice back", func(c CallInfo) bool { return !c.PeerMuted && !c.PeerHeld })
	alice.Hangup()
	alice.endsWith(t, EndHangup)
}

// TestHoldSilencesBothSides: in a direct (E2EE) call, the person
// holding no longer hears the other side and the other side hears
// silence; resuming brings both directions back. Both sides play a chirp;
// what each hears is compared with it (assertHears) or measured
// (assertSilent).
func TestHoldSilencesBothSides(t *testing.T) {
	t.Parallel()
	alice, bob := newTwo(t, true, true, audio.Chirp)
	placeCall(t, alice, bob)
	if c := alice.ev.lastCall(); c.ViaService || !c.E2EE {
		t.Fatalf("not a direct E2EE call: %+v", c)
	}
	assertHears(t, "bob hears alice", bob)
	assertHears(t, "alice hears bob", alice)

	alice.SetHeld(true)
	bob.ev.waitCall(t, "alice holds", func(c CallInfo) bool { return c.PeerHeld })
	assertSilent(t, "alice, holding, hears bob", alice)
	assertSilent(t, "bob, held, hears alice", bob)

	alice.SetHeld(false)
	bob.ev.waitCall(t, "alice resumes", func(c CallInfo) bool { return !c.PeerHeld })
	assertHears(t, "bob hears alice again", bob)
	assertHears(t, "alice hears bob again", alice)
	alice.Hangup()
	alice.endsWith(t, EndHangup)
}
