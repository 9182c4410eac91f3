package server

import (
	"testing"

	"github.com/parley-voip/parley/signaling"
)

// media-state (mute, hold) is relayed only within an accepted call, to its
// other party: a third user cannot send it into the call, and nobody can
// before the call is accepted.
func TestMediaStateRelayedOnlyWithinTheCall(t *testing.T) {
	t.Parallel()
	s := startServer(t, Config{})
	alice, bob, carol := dial(t, s, "alice"), dial(t, s, "bob"), dial(t, s, "carol")

	alice.send(&signaling.Message{Type: signaling.TypeInvite, To: "bob", CallID: "c1"})
	bob.expect(signaling.TypeInvite)
	alice.send(&signaling.Message{Type: signaling.TypeMediaState, ID: "early", CallID: "c1", Media: &signaling.MediaState{Muted: true}})
	if e := alice.expectError(signaling.CodeNotAllowed); e.Error.Ref != "early" {
		t.Fatalf("ref = %q", e.Error.Ref)
	}
	bob.send(&signaling.Message{Type: signaling.TypeAccept, CallID: "c1"})
	alice.expect(signaling.TypeAccept)

	carol.send(&signaling.Message{Type: signaling.TypeMediaState, ID: "inject", CallID: "c1", Media: &signaling.MediaState{Held: true}})
	if e := carol.expectError(signaling.CodeUnknownCall); e.Error.Ref != "inject" {
		t.Fatalf("ref = %q", e.Error.Ref)
	}
	carol.send(&signaling.Message{Type: signaling.TypeMediaState, CallID: "c1", To: "bob", Media: &signaling.MediaState{Held: true}})
	carol.expectError(signaling.CodeUnknownCall)

	alice.send(&signaling.Message{Type: signaling.TypeMediaState, CallID: "c1", Media: &signaling.MediaState{Muted: true, Held: true}})
	m := bob.expect(signaling.TypeMediaState)
	if m.From != "alice" || m.Media == nil || !m.Media.Muted || !m.Media.Held {
		t.Fatalf("bob got %+v", m)
	}
	bob.expectQuiet()
	carol.expectQuiet()
}
