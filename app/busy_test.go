package app

import (
	"testing"

	"github.com/parley-voip/parley/media/audio"
)

func TestDeclined(t *testing.T) {
	t.Parallel()
	url := startServer(t)
	alice := startUser(t, url, "alice", false, audio.Silence())
	bob := startUser(t, url, "bob", false, audio.Silence())
	alice.sees(t, "bob", PresenceOnline)
	alice.Call("bob")
	bob.ev.waitCall(t, "incoming", func(c CallInfo) bool { return c.State == CallIncoming })
	bob.Decline()
	if got := alice.ev.waitCall(t, "declined", CallInfo.Ended); got.End != EndDeclined {
		t.Fatalf("caller sees %q", got.EndMessage())
	}
	if got := bob.ev.waitCall(t, "callee ended", CallInfo.Ended); got.End != EndDeclined {
		t.Fatalf("callee sees %q", got.EndMessage())
	}
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
	if got := carol.ev.waitCall(t, "busy", CallInfo.Ended); got.End != EndBusy {
		t.Fatalf("carol sees %q, want busy", got.EndMessage())
	}
	if bob.ev.lastCall().Ended() {
		t.Fatal("bob's call was disturbed by the busy attempt")
	}
}

func TestUnreachable(t *testing.T) {
	t.Parallel()
	url := startServer(t)
	alice := startUser(t, url, "alice", false, audio.Silence())
	alice.Call("nobody")
	if got := alice.ev.waitCall(t, "unreachable", CallInfo.Ended); got.End != EndUnreachable {
		t.Fatalf("alice sees %q, want unreachable", got.EndMessage())
	}
}

func TestPeerWentAway(t *testing.T) {
	t.Parallel()
	url := startServer(t)
	alice := startUser(t, url, "alice", true, audio.Silence())
	bob := startUser(t, url, "bob", true, audio.Silence())
	placeCall(t, alice, bob)
	bob.crash()
	if got := alice.ev.waitCall(t, "peer gone", CallInfo.Ended); got.End != EndPeerGone {
		t.Fatalf("alice sees %q, want the peer went away", got.EndMessage())
	}
	if got := bob.ev.waitCall(t, "bob's side ended", CallInfo.Ended); got.End != EndError {
		t.Fatalf("bob sees %q, want the lost-server message", got.EndMessage())
	}
}

func TestQuitHangsUp(t *testing.T) {
	t.Parallel()
	url := startServer(t)
	alice := startUser(t, url, "alice", false, audio.Silence())
	bob := startUser(t, url, "bob", false, audio.Silence())
	placeCall(t, alice, bob)
	bob.stop()
	if got := alice.ev.waitCall(t, "remote hangup", CallInfo.Ended); got.End != EndRemoteHangup {
		t.Fatalf("alice sees %q, want the other person ended the call", got.EndMessage())
	}
}

func TestCallerCancels(t *testing.T) {
	t.Parallel()
	url := startServer(t)
	alice := startUser(t, url, "alice", false, audio.Silence())
	bob := startUser(t, url, "bob", false, audio.Silence())
	alice.sees(t, "bob", PresenceOnline)
	alice.Call("bob")
	bob.ev.waitCall(t, "incoming", func(c CallInfo) bool { return c.State == CallIncoming })
	alice.Hangup()
	if got := bob.ev.waitCall(t, "missed", CallInfo.Ended); got.End != EndCancelled {
		t.Fatalf("bob sees %q, want a missed call", got.EndMessage())
	}
}
