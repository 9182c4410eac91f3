package sfu

import (
	"errors"
	"testing"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

func TestOneToOneThroughService(t *testing.T) {
	ctx := testContext(t)
	s := newTestService(t, Config{})
	a := join(t, s, "call-1", "alice")
	b := join(t, s, "call-1", "bob")
	a.ExpectHears(ctx, "bob", "bob")
	b.ExpectHears(ctx, "alice", "alice")
	if st := s.Stats(); st.Forwarded == 0 || st.PeerConnections != 2 || st.Rooms != 1 {
		t.Errorf("stats %+v", st)
	}
	a.m.Leave()
	b.m.Leave()
	if st := s.Stats(); st.Rooms != 0 {
		t.Errorf("the call did not end with its last participant: %+v", st)
	}
}

func TestE2EECallIsRefused(t *testing.T) {
	s := newTestService(t, Config{})
	_, err := s.Join(JoinRequest{CallID: "secret", UserID: "alice", E2EE: true, Send: func(Signal) {}})
	if !errors.Is(err, ErrE2EE) {
		t.Fatalf("join of an E2EE call: %v, want ErrE2EE", err)
	}
	// A later join without the flag is refused too: the call is marked.
	if _, err := s.Join(JoinRequest{CallID: "secret", UserID: "bob", Send: func(Signal) {}}); !errors.Is(err, ErrE2EE) {
		t.Fatalf("second join: %v, want ErrE2EE", err)
	}
	if _, err := s.AddTap("secret", nopTap{}); !errors.Is(err, ErrE2EE) {
		t.Fatalf("tap on an E2EE call: %v, want ErrE2EE", err)
	}
	if _, err := s.AddTap("nothing", nopTap{}); !errors.Is(err, ErrNoSuchRoom) {
		t.Fatalf("tap on no call: %v, want ErrNoSuchRoom", err)
	}
	if st := s.Stats(); st.PeerConnections != 0 || st.RefusedE2EE != 2 {
		t.Fatalf("the service touched an E2EE call: %+v", st)
	}
}

type nopTap struct{}

func (nopTap) Joined(Participant)              {}
func (nopTap) Packet(Participant, *rtp.Packet) {}
func (nopTap) Left(Participant)                {}

// pion runs each connection state handler on a goroutine of its own: the
// handler of the Connecting that came before Connected may run after it.
// The member must still count its connection up, or its video down tracks
// wait for a key frame they may not send.
func TestLateStateHandlerKeepsTheConnectionUp(t *testing.T) {
	ctx := testContext(t)
	s := newTestService(t, Config{})
	a := join(t, s, "call-1", "alice")
	b := join(t, s, "call-1", "bob")
	a.ExpectHears(ctx, "bob", "bob")
	b.WaitFor(ctx, "the service's side of bob's connection up", b.m.connected.Load)
	b.m.connectionChanged(webrtc.PeerConnectionStateConnecting) // late
	if !b.m.connected.Load() {
		t.Fatal("a late Connecting handler took bob's connection down")
	}
}
