package server

import (
	"bytes"
	"errors"
	"testing"

	"github.com/parley-voip/parley/signaling"
)

func TestCallRelayFlow(t *testing.T) {
	t.Parallel()
	s := startServer(t, Config{})
	alice, bob := dial(t, s, "alice"), dial(t, s, "bob")
	alice.awaitPresence("both online", presenceIs("alice=available", "bob=available"))
	bob.awaitPresence("both online", presenceIs("alice=available", "bob=available"))

	alice.send(&signaling.Message{Type: signaling.TypeInvite, ID: "i1", To: "bob", CallID: "c1", E2EE: true})
	inv := bob.expect(signaling.TypeInvite)
	if inv.From != "alice" || inv.CallID != "c1" || !inv.E2EE || inv.ID != "" {
		t.Fatalf("invite at callee = %+v", inv)
	}
	bob.send(&signaling.Message{Type: signaling.TypeRinging, CallID: "c1"})
	if m := alice.expect(signaling.TypeRinging); m.From != "bob" {
		t.Fatalf("ringing From = %q", m.From)
	}
	// Media must not be negotiated before the callee accepts.
	alice.send(&signaling.Message{Type: signaling.TypeOffer, ID: "early", CallID: "c1", SDP: "v=0"})
	if m := alice.expectError(signaling.CodeNotAllowed); m.Error.Ref != "early" {
		t.Fatalf("early offer error = %+v", m.Error)
	}
	bob.send(&signaling.Message{Type: signaling.TypeAccept, CallID: "c1", E2EE: true})
	if m := alice.expect(signaling.TypeAccept); !m.E2EE || m.From != "bob" {
		t.Fatalf("accept = %+v", m)
	}
	alice.awaitPresence("in call", presenceIs("alice=in-call", "bob=in-call"))
	bob.awaitPresence("in call", presenceIs("alice=in-call", "bob=in-call"))

	alice.send(&signaling.Message{Type: signaling.TypeOffer, CallID: "c1", SDP: "v=0\r\noffer\r\n"})
	if m := bob.expect(signaling.TypeOffer); m.SDP != "v=0\r\noffer\r\n" || m.From != "alice" {
		t.Fatalf("offer = %+v", m)
	}
	bob.send(&signaling.Message{Type: signaling.TypeAnswer, CallID: "c1", SDP: "v=0\r\nanswer\r\n", To: "alice"})
	if m := alice.expect(signaling.TypeAnswer); m.SDP != "v=0\r\nanswer\r\n" {
		t.Fatalf("answer = %+v", m)
	}
	mid, idx := "0", uint16(0)
	cand := &signaling.Candidate{Candidate: "candidate:1 1 udp 1 127.0.0.1 5000 typ host", SDPMid: &mid, SDPMLineIndex: &idx}
	alice.send(&signaling.Message{Type: signaling.TypeCandidate, CallID: "c1", Candidate: cand})
	bob.send(&signaling.Message{Type: signaling.TypeCandidate, CallID: "c1", Candidate: cand})
	for _, c := range []*client{alice, bob} {
		m := c.expect(signaling.TypeCandidate)
		if m.Candidate.Candidate != cand.Candidate || *m.Candidate.SDPMid != "0" || *m.Candidate.SDPMLineIndex != 0 {
			t.Fatalf("candidate at %s = %+v", c.id, m.Candidate)
		}
	}
	alice.send(&signaling.Message{Type: signaling.TypeKeyAgreement, CallID: "c1", Data: []byte{1, 2, 3}})
	if m := bob.expect(signaling.TypeKeyAgreement); !bytes.Equal(m.Data, []byte{1, 2, 3}) {
		t.Fatalf("e2ee data = %v", m.Data)
	}
	bob.send(&signaling.Message{Type: signaling.TypeKeyAgreement, CallID: "c1", Data: []byte{4}})
	alice.expect(signaling.TypeKeyAgreement)

	bob.send(&signaling.Message{Type: signaling.TypeHangup, CallID: "c1", Reason: signaling.ReasonHangup})
	if m := alice.expect(signaling.TypeHangup); m.Reason != signaling.ReasonHangup || m.From != "bob" {
		t.Fatalf("hangup = %+v", m)
	}
	alice.awaitPresence("back online", presenceIs("alice=available", "bob=available"))
	// The call is gone: relaying on it is refused, and a new call works.
	alice.send(&signaling.Message{Type: signaling.TypeOffer, ID: "late", CallID: "c1", SDP: "v=0"})
	alice.expectError(signaling.CodeUnknownCall)
	setupCall(bob, alice, "c2")
	bob.expectQuiet()
	alice.expectQuiet()
}

func TestCallBusy(t *testing.T) {
	t.Parallel()
	s := startServer(t, Config{})
	alice, bob, carol := dial(t, s, "alice"), dial(t, s, "bob"), dial(t, s, "carol")
	dave, erin := dial(t, s, "dave"), dial(t, s, "erin")
	setupCall(alice, bob, "ab")

	carol.send(&signaling.Message{Type: signaling.TypeInvite, ID: "x", To: "bob", CallID: "cb"})
	m := carol.expect(signaling.TypeDecline)
	if m.Reason != signaling.ReasonBusy || m.From != "bob" || m.CallID != "cb" {
		t.Fatalf("busy decline = %+v", m)
	}
	// Ringing counts as busy too.
	dave.send(&signaling.Message{Type: signaling.TypeInvite, To: "erin", CallID: "de"})
	erin.expect(signaling.TypeInvite)
	carol.send(&signaling.Message{Type: signaling.TypeInvite, To: "erin", CallID: "ce"})
	if m := carol.expect(signaling.TypeDecline); m.Reason != signaling.ReasonBusy {
		t.Fatalf("decline = %+v", m)
	}
	// A caller already in a call cannot place another.
	dave.send(&signaling.Message{Type: signaling.TypeInvite, ID: "d2", To: "carol", CallID: "dc"})
	dave.expectError(signaling.CodeBusy)
	// A live call id cannot be reused.
	carol.send(&signaling.Message{Type: signaling.TypeInvite, To: "alice", CallID: "ab"})
	carol.expectError(signaling.CodeDuplicateCall)
	// Nobody else saw anything.
	for _, c := range []*client{alice, bob, erin} {
		c.expectQuiet()
	}
}

func TestCallUnreachable(t *testing.T) {
	t.Parallel()
	s := startServer(t, Config{})
	alice := dial(t, s, "alice")
	alice.send(&signaling.Message{Type: signaling.TypeInvite, ID: "i9", To: "nobody", CallID: "c9"})
	m := alice.expectError(signaling.CodeUnreachable)
	if m.Error.Ref != "i9" || m.CallID != "c9" {
		t.Fatalf("unreachable = %+v %+v", m, m.Error)
	}
	alice.send(&signaling.Message{Type: signaling.TypeInvite, To: "alice", CallID: "self"})
	alice.expectError(signaling.CodeNotAllowed)
}

func TestCallDecline(t *testing.T) {
	t.Parallel()
	s := startServer(t, Config{})
	alice, bob := dial(t, s, "alice"), dial(t, s, "bob")
	alice.send(&signaling.Message{Type: signaling.TypeInvite, To: "bob", CallID: "c1"})
	bob.expect(signaling.TypeInvite)
	// Only the callee may accept or decline.
	alice.send(&signaling.Message{Type: signaling.TypeAccept, CallID: "c1"})
	alice.expectError(signaling.CodeNotAllowed)
	bob.send(&signaling.Message{Type: signaling.TypeDecline, CallID: "c1", Reason: signaling.ReasonDeclined})
	if m := alice.expect(signaling.TypeDecline); m.Reason != signaling.ReasonDeclined || m.From != "bob" {
		t.Fatalf("decline = %+v", m)
	}
	bob.send(&signaling.Message{Type: signaling.TypeAccept, CallID: "c1"})
	bob.expectError(signaling.CodeUnknownCall)
	// Both are free again.
	setupCall(bob, alice, "c2")
}

func TestCallerCancelsWhileRinging(t *testing.T) {
	t.Parallel()
	s := startServer(t, Config{})
	alice, bob := dial(t, s, "alice"), dial(t, s, "bob")
	alice.send(&signaling.Message{Type: signaling.TypeInvite, To: "bob", CallID: "c1"})
	bob.expect(signaling.TypeInvite)
	alice.send(&signaling.Message{Type: signaling.TypeHangup, CallID: "c1", Reason: signaling.ReasonHangup})
	bob.expect(signaling.TypeHangup)
	bob.send(&signaling.Message{Type: signaling.TypeAccept, CallID: "c1"})
	bob.expectError(signaling.CodeUnknownCall)
}

func TestCallPeerGone(t *testing.T) {
	t.Parallel()
	// No grace: a dropped party ends its call at once (the grace period
	// is tested in resume_test.go).
	s := startServer(t, Config{ResumeGrace: -1})
	alice, bob := dial(t, s, "alice"), dial(t, s, "bob")
	setupCall(alice, bob, "c1")
	alice.awaitPresence("in call", presenceIs("alice=in-call", "bob=in-call"))
	if err := bob.conn.Close(); err != nil {
		t.Fatal(err)
	}
	m := alice.expect(signaling.TypeHangup)
	if m.Reason != signaling.ReasonPeerGone || m.From != "bob" || m.CallID != "c1" {
		t.Fatalf("hangup = %+v", m)
	}
	alice.awaitPresence("alone", presenceIs("alice=available"))
}

func TestCallPeerGoneWhileRinging(t *testing.T) {
	t.Parallel()
	s := startServer(t, Config{})
	alice, bob := dial(t, s, "alice"), dial(t, s, "bob")
	alice.send(&signaling.Message{Type: signaling.TypeInvite, To: "bob", CallID: "c1"})
	bob.expect(signaling.TypeInvite)
	_ = alice.conn.Close()
	if m := bob.expect(signaling.TypeHangup); m.Reason != signaling.ReasonPeerGone {
		t.Fatalf("hangup = %+v", m)
	}
}

func TestUnknownCall(t *testing.T) {
	t.Parallel()
	s := startServer(t, Config{})
	alice, bob, carol := dial(t, s, "alice"), dial(t, s, "bob"), dial(t, s, "carol")
	setupCall(alice, bob, "c1")
	// A third party cannot inject into or end someone else's call.
	for _, typ := range []signaling.Type{signaling.TypeOffer, signaling.TypeHangup, signaling.TypeAccept} {
		m := &signaling.Message{Type: typ, ID: "m-" + string(typ), CallID: "c1"}
		if typ == signaling.TypeOffer {
			m.SDP = "v=0"
		}
		carol.send(m)
		if e := carol.expectError(signaling.CodeUnknownCall); e.Error.Ref != m.ID {
			t.Fatalf("ref = %q, want %q", e.Error.Ref, m.ID)
		}
	}
	// Naming the wrong peer is refused too.
	alice.send(&signaling.Message{Type: signaling.TypeOffer, CallID: "c1", To: "carol", SDP: "v=0"})
	alice.expectError(signaling.CodeUnknownCall)
	// The call is unaffected.
	alice.send(&signaling.Message{Type: signaling.TypeOffer, CallID: "c1", SDP: "v=0"})
	bob.expect(signaling.TypeOffer)
	bob.expectQuiet()
}

func TestReplaceConnection(t *testing.T) {
	t.Parallel()
	s := startServer(t, Config{ResumeGrace: -1})
	alice1, bob := dial(t, s, "alice"), dial(t, s, "bob")
	setupCall(alice1, bob, "c1")
	alice2 := dial(t, s, "alice")
	var ce *signaling.CloseError
	if err := alice1.awaitClosed(); !errors.As(err, &ce) || ce.Code != signaling.CloseReplaced {
		t.Fatalf("old connection ended with %v, want close %d", err, signaling.CloseReplaced)
	}
	if m := bob.expect(signaling.TypeHangup); m.Reason != signaling.ReasonPeerGone {
		t.Fatalf("hangup = %+v", m)
	}
	bob.awaitPresence("one alice", presenceIs("alice=available", "bob=available"))
	setupCall(bob, alice2, "c2")
	alice2.expectQuiet()
}
