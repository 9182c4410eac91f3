package sfu

import (
	"context"
	"errors"
	"testing"

	"github.com/pion/webrtc/v4"
)

// expectMusicOn checks that c hears the hold music on track.
func (c *client) expectMusicOn(ctx context.Context, s *Service, track string) {
	c.T.Helper()
	score := c.Hears(ctx, track, decodeMusic(c.T, s.music), 2*rate)
	c.T.Logf("%s hears music on %s's track: NCC %.3f", c.Name, track, score)
	if score < nccThreshold {
		c.T.Errorf("%s hears music on %s's track with NCC %.3f < %.2f", c.Name, track, score, nccThreshold)
	}
}

// A transfer's target takes the transferor's place: the one who stays
// hears music while the place is vacant, then the target's voice, on the
// same track and without a new offer.
func TestVacateAndReplaceKeepTheOthersConnection(t *testing.T) {
	ctx := testContext(t)
	s := newTestService(t, Config{})
	a := join(t, s, "call-1", "alice")
	b := join(t, s, "call-1", "bob")
	a.ExpectHears(ctx, "bob", "bob")
	b.ExpectHears(ctx, "alice", "alice")
	offers := a.Offers()

	if err := s.Vacate("call-1", "bob"); err != nil {
		t.Fatal(err)
	}
	if !s.Vacant("call-1", "bob") {
		t.Fatal("no vacancy kept for bob")
	}
	a.WaitFor(ctx, "bob gone from the roster", func() bool { _, ok := a.rosterOf("bob"); return !ok })
	a.expectMusicOn(ctx, s, "bob")

	c := join(t, s, "call-1", "carol", replacing("bob"))
	a.ExpectHears(ctx, "bob", "carol")
	c.ExpectHears(ctx, "alice", "alice")
	if n := a.Offers(); n != offers {
		t.Errorf("alice got %d offers through the transfer, want none", n-offers)
	}
	if rec := a.Recording("bob"); rec.Tracks() != 1 {
		t.Errorf("alice got %d tracks, want the one she had", rec.Tracks())
	}
	if s.Vacant("call-1", "bob") {
		t.Error("the vacancy outlived its successor")
	}
	if err := s.Vacate("call-1", "bob"); !errors.Is(err, ErrNotParticipant) {
		t.Errorf("vacate someone gone: %v", err)
	}
}

// Release drops a vacancy nobody took: the stayer's connection loses the
// track (an offer) and the room goes on.
func TestReleaseDropsTheVacancy(t *testing.T) {
	ctx := testContext(t)
	s := newTestService(t, Config{})
	a := join(t, s, "call-1", "alice")
	join(t, s, "call-1", "bob")
	a.ExpectHears(ctx, "bob", "bob")
	if err := s.Vacate("call-1", "bob"); err != nil {
		t.Fatal(err)
	}
	offers := a.Offers()
	if err := s.Release("call-1", "bob"); err != nil {
		t.Fatal(err)
	}
	a.WaitFor(ctx, "an offer without bob's track", func() bool { return a.Offers() > offers })
	if err := s.Release("call-1", "bob"); !errors.Is(err, ErrNotParticipant) {
		t.Errorf("second release: %v", err)
	}
}

// Consult then transfer: bob holds alice, talks to carol, then splices the
// two; alice and carol hear each other on the tracks that carried bob,
// neither connection renegotiated, and bob's second call is gone.
func TestSpliceJoinsTheTwoOthers(t *testing.T) {
	ctx := testContext(t)
	s := newTestService(t, Config{})
	a := join(t, s, "call-1", "alice")
	b1 := join(t, s, "call-1", "bob")
	a.ExpectHears(ctx, "bob", "bob")
	b1.ExpectHears(ctx, "alice", "alice")
	if err := s.Hold("call-1", "bob", true); err != nil {
		t.Fatal(err)
	}
	a.expectMusicOn(ctx, s, "bob")
	c := join(t, s, "call-2", "carol")
	b2 := join(t, s, "call-2", "bob")
	c.ExpectHears(ctx, "bob", "bob")
	b2.ExpectHears(ctx, "carol", "carol")
	ao, co := a.Offers(), c.Offers()

	if err := s.Splice("bob", "call-1", "call-2"); err != nil {
		t.Fatal(err)
	}
	a.ExpectHears(ctx, "bob", "carol")
	c.ExpectHears(ctx, "bob", "alice")
	if a.Offers() != ao || c.Offers() != co {
		t.Errorf("offers during the splice: alice %d, carol %d; want none", a.Offers()-ao, c.Offers()-co)
	}
	if _, err := s.Roster("call-2"); !errors.Is(err, ErrNoSuchRoom) {
		t.Errorf("the consult call is still there: %v", err)
	}
	roster, _ := s.Roster("call-1")
	if len(roster) != 2 || roster[0].UserID != "alice" || roster[1].UserID != "carol" {
		t.Errorf("roster %+v", roster)
	}
	if err := s.Splice("alice", "call-1", "call-1"); !errors.Is(err, ErrBadSignal) {
		t.Errorf("splice with itself: %v", err)
	}
}

// Move to another device: the user's second device takes the first one's
// place; the other party hears it on the same track, without an offer.
// Companion: a second device listens in, its audio not forwarded.
func TestMoveAndCompanionDevices(t *testing.T) {
	ctx := testContext(t)
	s := newTestService(t, Config{})
	a := join(t, s, "call-1", "alice")
	b := join(t, s, "call-1", "bob")
	a.ExpectHears(ctx, "bob", "bob")
	offers := a.Offers()

	// Bob's second device sends dave's voice, to be told apart.
	b2 := join(t, s, "call-1", "bob", replacing("bob"), speaking("dave"))
	a.ExpectHears(ctx, "bob", "dave")
	b2.ExpectHears(ctx, "alice", "alice")
	if a.Offers() != offers {
		t.Errorf("alice got %d offers through the move", a.Offers()-offers)
	}
	if !b.m.left() {
		t.Error("the first device is still connected")
	}

	comp := join(t, s, "call-1", "bob", asCompanion(), speaking("carol"))
	comp.ExpectHears(ctx, "alice", "alice")
	a.ExpectHears(ctx, "bob", "dave")
	if rec := a.Recording("bob"); rec.Tracks() != 1 {
		t.Errorf("alice got %d tracks named bob, want 1 (the companion is not forwarded)", rec.Tracks())
	}
	roster, _ := s.Roster("call-1")
	if len(roster) != 2 {
		t.Errorf("roster lists the companion: %+v", roster)
	}
}

// A place vacated in a room nobody else is in does not keep the room: the
// call ends on the service, and a successor starts it afresh.
func TestVacateTheLastEndsTheRoom(t *testing.T) {
	s := newTestService(t, Config{})
	join(t, s, "call-1", "bob", silent())
	if err := s.Vacate("call-1", "bob"); err != nil {
		t.Fatal(err)
	}
	if st := s.Stats(); st.Rooms != 0 {
		t.Fatalf("%d rooms left after the last one vacated", st.Rooms)
	}
	c := join(t, s, "call-1", "carol", replacing("bob"), silent())
	if roster, err := s.Roster("call-1"); err != nil || len(roster) != 1 {
		t.Fatalf("roster %+v, %v", roster, err)
	}
	c.WaitFor(testContext(t), "carol connected", func() bool { return c.PC.ConnectionState() == webrtc.PeerConnectionStateConnected })
}
