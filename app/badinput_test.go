package app

import (
	"context"
	"testing"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/rtc"
	"github.com/parley-voip/parley/signaling"
)

// mallory is a raw signaling client that says whatever it likes.
func mallory(t *testing.T, url string) *signaling.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	c, err := signaling.Dial(ctx, url, signaling.User{ID: "mallory", Name: "Mallory"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func send(t *testing.T, c *signaling.Conn, m *signaling.Message) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := c.Send(ctx, m); err != nil {
		t.Fatal(err)
	}
}

// recvType reads from c until a message of type want arrives.
func recvType(t *testing.T, c *signaling.Conn, want signaling.Type) *signaling.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	for {
		m, err := c.Recv(ctx)
		if err != nil {
			t.Fatalf("waiting for %s: %v", want, err)
		}
		if m.Type == want {
			return m
		}
	}
}

// malloryCallsBob invites bob, who accepts; it returns the call id.
func malloryCallsBob(t *testing.T, m *signaling.Conn, bob *testUser, id string) {
	t.Helper()
	bob.sees(t, "mallory", PresenceOnline)
	seen := bob.ev.count()
	send(t, m, &signaling.Message{Type: signaling.TypeInvite, To: "bob", CallID: id})
	bob.ev.waitCallAfter(t, seen, "incoming from mallory", func(c CallInfo) bool { return c.State == CallIncoming })
	bob.Accept()
	recvType(t, m, signaling.TypeAccept)
}

// A client never crashes on a malformed offer or candidate: the call ends
// (or goes on) with a clear state, and the client takes the next call.
func TestMalformedOfferAndCandidate(t *testing.T) {
	t.Parallel()
	url := startServer(t)
	bob := startUser(t, url, "bob", false, audio.Chirp())
	alice := startUser(t, url, "alice", false, audio.Chirp())
	m := mallory(t, url)

	malloryCallsBob(t, m, bob, "bad-offer")
	send(t, m, &signaling.Message{Type: signaling.TypeOffer, CallID: "bad-offer", SDP: "v=0\r\nthis is not sdp"})
	if got := bob.ev.waitCall(t, "bad offer ends the call", CallInfo.Ended); got.End != EndError {
		t.Fatalf("bob sees %q, want a failed call", got.EndMessage())
	}
	recvType(t, m, signaling.TypeHangup)

	// A real offer, then candidates that are garbage: the call survives them.
	malloryCallsBob(t, m, bob, "bad-candidate")
	peer, err := rtc.NewPeer(rtc.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer peer.Close()
	offer, err := peer.CreateOffer(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	send(t, m, &signaling.Message{Type: signaling.TypeOffer, CallID: "bad-candidate", SDP: offer})
	recvType(t, m, signaling.TypeAnswer)
	for _, junk := range []string{"candidate:garbage", "candidate:1 1 udp notanumber 1.2.3.4 5 typ host", "x"} {
		send(t, m, &signaling.Message{Type: signaling.TypeCandidate, CallID: "bad-candidate", Candidate: &signaling.Candidate{Candidate: junk}})
	}
	send(t, m, &signaling.Message{Type: signaling.TypeHangup, CallID: "bad-candidate", Reason: signaling.ReasonHangup})
	if got := bob.ev.waitCall(t, "mallory hangs up", CallInfo.Ended); got.End != EndRemoteHangup {
		t.Fatalf("bob sees %q after junk candidates, want a normal hang-up", got.EndMessage())
	}

	// Bob is still a working phone.
	ca, cb := placeCall(t, alice, bob)
	if ca.Ended() || cb.Ended() {
		t.Fatalf("next call failed: %q / %q", ca.EndMessage(), cb.EndMessage())
	}
}
