package app

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/signaling"
)

// A call through the media service is on the service path: an offer,
// answer or candidate of the direct path from the other party is refused
// by the state machine and the call goes on. (Before, bob's client took
// the offer for an ICE restart of its connection to the service and ended
// the call as failed.)
func TestServiceCallRefusesDirectPathMessages(t *testing.T) {
	t.Parallel()
	o := startOrg(t, true)
	var aliceConn atomic.Pointer[signaling.Conn]
	dial := func(ctx context.Context, url string, u signaling.User) (SignalConn, error) {
		c, err := signaling.Dial(ctx, url, u)
		if err == nil {
			aliceConn.Store(c)
		}
		return c, err
	}
	alice := startUser(t, o.Server.URL(), "alice", false, audio.Chirp(), withDial(dial))
	bob := startUser(t, o.Server.URL(), "bob", false, audio.Chirp())
	ca, cb := placeCall(t, alice, bob)
	if !ca.ViaService || !cb.ViaService {
		t.Fatalf("not through the media service: %+v", cb)
	}
	conn := aliceConn.Load()
	for _, m := range []*signaling.Message{
		{Type: signaling.TypeOffer, SDP: "v=0\r\nnot for the service"},
		{Type: signaling.TypeAnswer, SDP: "v=0\r\nnot for the service"},
		{Type: signaling.TypeCandidate, Candidate: &signaling.Candidate{Candidate: "candidate:1 1 udp 1 192.0.2.1 9 typ host"}},
	} {
		m.CallID, m.To = ca.ID, "bob"
		send(t, conn, m)
	}
	// The hold's media-state goes the same way after them: once bob shows
	// it, he has handled the three.
	alice.SetHeld(true)
	bob.ev.waitCall(t, "bob sees alice's hold", func(c CallInfo) bool { return c.PeerHeld || c.Ended() })
	if c := bob.ev.lastCall(); c.Ended() || c.State != CallActive {
		t.Fatalf("bob's call: %v, %q", c.State, c.EndMessage())
	}
	alice.SetHeld(false)
	assertHears(t, "bob still hears alice", bob)
	alice.Hangup()
	bob.endsWith(t, EndRemoteHangup)
}

// A decline that says the callee is unreachable (a node whose callee has
// left says so) reads as unreachable, not as declined.
func TestDeclineUnreachableReadsAsUnreachable(t *testing.T) {
	t.Parallel()
	url := startServer(t)
	alice := startUser(t, url, "alice", false, audio.Silence())
	m := mallory(t, url)
	alice.sees(t, "mallory", PresenceOnline)
	alice.Call("mallory")
	inv := recvType(t, m, signaling.TypeInvite)
	send(t, m, &signaling.Message{Type: signaling.TypeDecline, CallID: inv.CallID, Reason: signaling.ReasonUnreachable})
	alice.endsWith(t, EndUnreachable)
}

// A caller whose call is not answered in time hangs up with no-answer,
// the reason the server's own ring timeout gives, and the callee's phone
// stops as a missed call.
func TestCallerRingTimeoutSaysNoAnswer(t *testing.T) {
	t.Parallel()
	url := startServer(t)
	alice := startUser(t, url, "alice", false, audio.Silence(),
		func(c *Config) { c.RingTimeout = 300 * time.Millisecond })
	m := mallory(t, url)
	alice.sees(t, "mallory", PresenceOnline)
	alice.Call("mallory")
	inv := recvType(t, m, signaling.TypeInvite)
	alice.endsWith(t, EndNoAnswer)
	if h := recvType(t, m, signaling.TypeHangup); h.CallID != inv.CallID || h.Reason != signaling.ReasonNoAnswer {
		t.Fatalf("mallory got hangup %q for %s, want no-answer", h.Reason, h.CallID)
	}
}
