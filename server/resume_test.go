package server

import (
	"context"
	"testing"
	"time"

	"github.com/parley-voip/parley/signaling"
)

func candidate(callID, text string) *signaling.Message {
	return &signaling.Message{Type: signaling.TypeCandidate, CallID: callID, Candidate: &signaling.Candidate{Candidate: text}}
}

// expectCandidate waits for a relayed candidate with text from.
func expectCandidate(c *client, text, from string) {
	c.t.Helper()
	m := c.expect(signaling.TypeCandidate)
	if m.Candidate.Candidate != text || m.From != from {
		c.t.Fatalf("%s got candidate %+v from %s, want %q from %s", c.id, m.Candidate, m.From, text, from)
	}
}

// bob's WebSocket drops mid-call: alice is not hung up, what she sends
// meanwhile waits, and bob's new connection resumes the call.
func TestCallSurvivesSignalingDrop(t *testing.T) {
	t.Parallel()
	s := startServer(t, Config{ResumeGrace: time.Hour})
	alice, bob := dial(t, s, "alice"), dial(t, s, "bob")
	setupCall(alice, bob, "c1")
	if err := bob.conn.Close(); err != nil {
		t.Fatal(err)
	}
	alice.awaitPresence("bob gone", presenceIs("alice=in-call"))
	alice.send(candidate("c1", "while bob is away"))
	alice.expectQuiet() // no hangup

	bob2 := dial(t, s, "bob")
	bob2.send(&signaling.Message{Type: signaling.TypeResume, CallID: "c1", To: "alice"})
	expectCandidate(bob2, "while bob is away", "alice")
	bob2.send(candidate("c1", "bob is back"))
	expectCandidate(alice, "bob is back", "bob")
	alice.awaitPresence("both in call", presenceIs("alice=in-call", "bob=in-call"))
	bob2.send(&signaling.Message{Type: signaling.TypeHangup, CallID: "c1", Reason: signaling.ReasonHangup})
	alice.expect(signaling.TypeHangup)
}

// A connection replaced by a new one of the same device (the client
// noticed the loss before the server did) resumes the same way.
func TestCallSurvivesReplacedConnection(t *testing.T) {
	t.Parallel()
	s := startServer(t, Config{ResumeGrace: time.Hour})
	alice, bob := dial(t, s, "alice"), dial(t, s, "bob")
	setupCall(alice, bob, "c1")
	bob2 := dial(t, s, "bob")
	bob2.send(&signaling.Message{Type: signaling.TypeResume, CallID: "c1", To: "alice"})
	bob2.send(candidate("c1", "from the new link"))
	expectCandidate(alice, "from the new link", "bob")
	alice.expectQuiet()
}

// Without a return within the grace period the call ends, with reason
// peer-lost, and the one left is free.
func TestCallEndsAfterResumeGrace(t *testing.T) {
	t.Parallel()
	s := startServer(t, Config{ResumeGrace: 50 * time.Millisecond})
	alice, bob, carol := dial(t, s, "alice"), dial(t, s, "bob"), dial(t, s, "carol")
	setupCall(alice, bob, "c1")
	_ = bob.conn.Close()
	m := alice.expect(signaling.TypeHangup)
	if m.CallID != "c1" || m.Reason != signaling.ReasonPeerLost || m.From != "bob" {
		t.Fatalf("hangup = %+v, want peer-lost from bob", m)
	}
	setupCall(carol, alice, "c2")
	// Too late: the call is gone.
	bob2 := dial(t, s, "bob")
	bob2.send(&signaling.Message{Type: signaling.TypeResume, ID: "r", CallID: "c1", To: "alice"})
	if e := bob2.expectError(signaling.CodeUnknownCall); e.Error.Ref != "r" {
		t.Fatalf("late resume: %+v", e.Error)
	}
}

// The server restarts mid-call: both parties reconnect to the new process
// and resume; only matching claims join (same call id, naming each other).
func TestCallSurvivesServerRestart(t *testing.T) {
	t.Parallel()
	first, err := New(Config{ResumeGrace: time.Hour}, WithTrustedClaims())
	if err != nil {
		t.Fatal(err)
	}
	addr, err := first.Start(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	alice, bob := dial(t, first, "alice"), dial(t, first, "bob")
	setupCall(alice, bob, "c1")
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	if err := first.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	<-alice.done
	<-bob.done

	s := startServer(t, Config{Addr: addr, ResumeGrace: time.Hour})
	alice2, bob2, carol := dial(t, s, "alice"), dial(t, s, "bob"), dial(t, s, "carol")
	alice2.send(&signaling.Message{Type: signaling.TypeResume, CallID: "c1", To: "bob"})
	alice2.send(candidate("c1", "waits for bob"))
	alice2.expectQuiet() // the server has alice's claim before carol's
	// carol cannot take bob's place in it.
	carol.send(&signaling.Message{Type: signaling.TypeResume, ID: "steal", CallID: "c1", To: "alice"})
	carol.expectError(signaling.CodeUnknownCall)
	bob2.send(&signaling.Message{Type: signaling.TypeResume, CallID: "c1", To: "alice"})
	expectCandidate(bob2, "waits for bob", "alice")
	bob2.send(candidate("c1", "hello again"))
	expectCandidate(alice2, "hello again", "bob")
	carol.expectQuiet()
}
