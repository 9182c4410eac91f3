package server

import (
	"testing"

	"github.com/parley-voip/parley/signaling"
)

// twoNodes runs two servers on one LocalBus: nodes of one organization
// in one process.
func twoNodes(t *testing.T) (*Server, *Server) {
	t.Helper()
	bus := NewLocalBus()
	t.Cleanup(func() { _ = bus.Close() })
	return startServer(t, Config{}, WithBus(bus)), startServer(t, Config{}, WithBus(bus))
}

// proxies counts the stand-ins for parties on other nodes s holds.
func proxies(s *Server) int {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	n := 0
	for _, l := range s.hub.cluster.proxies {
		n += len(l)
	}
	return n
}

// A callee in a call on another node is busy for the caller at once, and
// neither node keeps a stand-in for the refused call; after a call
// across nodes ends, neither keeps one either.
func TestBusyAcrossNodesLeavesNoStandIns(t *testing.T) {
	n1, n2 := twoNodes(t)
	alice := dial(t, n1, "alice")
	bob, carol := dial(t, n2, "bob"), dial(t, n2, "carol")
	alice.send(&signaling.Message{Type: signaling.TypeSubscribe, IDs: []string{"bob"}})
	alice.awaitPresence("bob online", func(u []signaling.PresenceEntry) bool {
		return len(u) == 1 && u[0].ID == "bob" && u[0].Status == signaling.StatusAvailable
	})
	setupCall(carol, bob, "c-local")

	alice.send(&signaling.Message{Type: signaling.TypeInvite, To: "bob", CallID: "c-busy"})
	if m := alice.expect(signaling.TypeDecline); m.Reason != signaling.ReasonBusy || m.From != "bob" {
		t.Fatalf("alice got %+v, want decline busy from bob", m)
	}
	alice.awaitPresence("bob in a call", func(u []signaling.PresenceEntry) bool {
		return len(u) == 1 && u[0].Status == signaling.StatusInCall
	})
	carol.send(&signaling.Message{Type: signaling.TypeHangup, CallID: "c-local"})
	bob.expect(signaling.TypeHangup)
	alice.awaitPresence("bob free", func(u []signaling.PresenceEntry) bool {
		return len(u) == 1 && u[0].Status == signaling.StatusAvailable
	})

	setupCall(alice, bob, "c-across")
	alice.send(&signaling.Message{Type: signaling.TypeHangup, CallID: "c-across"})
	bob.expect(signaling.TypeHangup)
	// bob's hangup ack round trip: a call message after the hangup is
	// unknown on both sides.
	bob.send(&signaling.Message{Type: signaling.TypeOffer, CallID: "c-across", SDP: "v=0"})
	bob.expectError(signaling.CodeUnknownCall)
	if a, b := proxies(n1), proxies(n2); a != 0 || b != 0 {
		t.Fatalf("stand-ins left: node 1 %d, node 2 %d", a, b)
	}
}

// A node that leaves (Shutdown) takes its users' presence with it.
func TestNodeLeavingTakesItsUsersOffline(t *testing.T) {
	n1, n2 := twoNodes(t)
	alice := dial(t, n1, "alice")
	dial(t, n2, "bob")
	alice.send(&signaling.Message{Type: signaling.TypeSubscribe, IDs: []string{"bob"}})
	alice.awaitPresence("bob online", func(u []signaling.PresenceEntry) bool { return len(u) == 1 })
	if err := n2.Shutdown(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	alice.awaitPresence("bob offline", func(u []signaling.PresenceEntry) bool { return len(u) == 0 })
}
