package sfu

import (
	"errors"
	"sync"
	"testing"

	"github.com/parley-voip/parley/internal/sfutest"
	"github.com/parley-voip/parley/media/opus"
	"github.com/parley-voip/parley/media/quality"
	"github.com/pion/rtp"
)

// A 1:1 call becomes a group call when a third person is added: both
// connections are renegotiated, and the audio already flowing goes on on
// the same track.
func TestAddPeopleMakesAGroupCall(t *testing.T) {
	ctx := testContext(t)
	s := newTestService(t, Config{})
	a := join(t, s, "call-1", "alice")
	b := join(t, s, "call-1", "bob")
	b.ExpectHears(ctx, "alice", "alice")
	before := b.Recording("alice").Len()

	c := join(t, s, "call-1", "carol")
	for _, x := range []*client{a, b, c} {
		for _, y := range []*client{a, b, c} {
			if x != y {
				x.ExpectHears(ctx, y.Name, y.Name)
			}
		}
	}
	// Bob's audio from Alice: one track through the renegotiation, and the
	// whole span across it scores as one copy of her voice (a gap or a
	// restart would break the correlation of the 2 s around the join).
	rec := b.Recording("alice")
	if rec.Tracks() != 1 {
		t.Errorf("bob got %d tracks from alice, want 1 (renegotiation must keep it)", rec.Tracks())
	}
	got := rec.Samples()
	span := got[max(0, before-rate):min(len(got), before+rate)]
	ref := append(voices["alice"].Reference(), voices["alice"].Reference()...)
	if score, _ := quality.NCC(span, ref, 2*rate); score < nccThreshold {
		t.Errorf("bob's audio from alice across the join: NCC %.3f < %.2f", score, nccThreshold)
	}
	roster, err := s.Roster("call-1")
	if err != nil || len(roster) != 3 {
		t.Fatalf("roster %+v, %v", roster, err)
	}

	// Anyone can leave; the call goes on with the others and ends with the last.
	b.m.Leave()
	a.WaitFor(ctx, "bob gone from the roster", func() bool { _, ok := a.rosterOf("bob"); return !ok })
	a.ExpectHears(ctx, "carol", "carol")
	c.ExpectHears(ctx, "alice", "alice")
	a.m.Leave()
	c.m.Leave()
	if _, err := s.Roster("call-1"); !errors.Is(err, ErrNoSuchRoom) {
		t.Errorf("the call did not end with its last participant: %v", err)
	}
}

// A client slow to start its connection (its pion operations queue held,
// as on a loaded machine) gets no new offer until the connection is up:
// an offer applied before its ICE has started makes pion restart ICE, with
// new credentials and candidates the service drops as another
// generation's, and the checks it discards ("username mismatch") stall the
// set-up. Carol's joining renegotiates Bob's connection; Bob's ICE
// credentials stay those of his first answer, and he hears both.
func TestSlowClientKeepsItsICECredentials(t *testing.T) {
	ctx := testContext(t)
	s := newTestService(t, Config{})
	a := join(t, s, "call-1", "alice")
	release := make(chan struct{})
	b := join(t, s, "call-1", "bob", peer(sfutest.StalledStart(release)))
	b.WaitFor(ctx, "bob's answer", func() bool { return b.Offers() == 1 && b.PC.LocalDescription() != nil })
	first := iceUfrag(b.PC.LocalDescription().SDP)
	c := join(t, s, "call-1", "carol")
	c.ExpectHears(ctx, "alice", "alice")
	a.ExpectHears(ctx, "carol", "carol")
	if n := b.Offers(); n != 1 {
		t.Errorf("bob got %d offers before his connection was up, want 1", n)
	}
	close(release)
	b.ExpectHears(ctx, "alice", "alice")
	b.ExpectHears(ctx, "carol", "carol")
	if now := iceUfrag(b.PC.LocalDescription().SDP); now != first {
		t.Errorf("bob's ICE restarted: ufrag %q, first answer %q", now, first)
	}
}

// The roster says who speaks and who is muted.
func TestRosterSpeakingAndMuted(t *testing.T) {
	ctx := testContext(t)
	s := newTestService(t, Config{})
	a := join(t, s, "call-1", "alice")
	b := join(t, s, "call-1", "bob", silent())
	b.WaitFor(ctx, "alice speaking", func() bool { st, _ := b.rosterOf("alice"); return st.Speaking })
	if st, _ := a.rosterOf("bob"); st.Speaking {
		t.Error("silent bob shown speaking")
	}
	a.m.SetMuted(true)
	b.WaitFor(ctx, "alice muted, not speaking", func() bool { st, _ := b.rosterOf("alice"); return st.Muted && !st.Speaking })
}

// Hold: the held side hears the music in the holder's place and sees the
// holder held; the holder hears nothing; resume brings the voices back.
func TestHoldPlaysMusic(t *testing.T) {
	ctx := testContext(t)
	s := newTestService(t, Config{})
	a := join(t, s, "call-1", "alice")
	b := join(t, s, "call-1", "bob")
	b.ExpectHears(ctx, "alice", "alice")
	a.ExpectHears(ctx, "bob", "bob")

	if err := s.Hold("call-1", "alice", true); err != nil {
		t.Fatal(err)
	}
	b.WaitFor(ctx, "alice held", func() bool { st, _ := b.rosterOf("alice"); return st.Held })
	music := decodeMusic(t, s.music)
	score := b.Hears(ctx, "alice", music, 2*rate)
	t.Logf("bob hears the hold music: NCC %.3f", score)
	if score < nccThreshold {
		t.Errorf("bob hears the hold music with NCC %.3f < %.2f", score, nccThreshold)
	}
	// Alice's audio from Bob has stopped (allow what was in flight).
	heard := a.Recording("bob").Len()
	b.Hears(ctx, "alice", music, rate)
	if n := a.Recording("bob").Len() - heard; n > rate/5 {
		t.Errorf("the holder heard %d samples during the hold", n)
	}

	if err := s.Hold("call-1", "alice", false); err != nil {
		t.Fatal(err)
	}
	b.WaitFor(ctx, "alice resumed", func() bool { st, _ := b.rosterOf("alice"); return !st.Held })
	b.ExpectHears(ctx, "alice", "alice")
	a.ExpectHears(ctx, "bob", "bob")
}

func decodeMusic(t testing.TB, pkts [][]byte) []int16 {
	dec, err := opus.NewDecoder(rate, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer dec.Close()
	var out []int16
	pcm := make([]int16, 5760)
	for _, p := range pkts {
		n, err := dec.Decode(p, pcm)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, pcm[:n]...)
	}
	// The music loops: the received second may wrap around its end.
	return append(out, out[:2*rate]...)
}

// Merge: Alice holds her call with Bob, talks to Carol, and merges the two
// into one group call.
func TestMergeHeldCallIntoActive(t *testing.T) {
	ctx := testContext(t)
	s := newTestService(t, Config{})
	ab := join(t, s, "call-ab", "alice")
	b := join(t, s, "call-ab", "bob")
	b.ExpectHears(ctx, "alice", "alice")
	if err := s.Hold("call-ab", "alice", true); err != nil {
		t.Fatal(err)
	}
	ac := join(t, s, "call-ac", "alice")
	c := join(t, s, "call-ac", "carol")
	c.ExpectHears(ctx, "alice", "alice")

	if err := s.Merge("alice", "call-ac", "call-ab"); !errors.Is(err, ErrNotHeld) {
		t.Errorf("merge of the active call into the held one: %v, want ErrNotHeld", err)
	}
	if err := s.Merge("bob", "call-ab", "call-ac"); !errors.Is(err, ErrNotParticipant) {
		t.Errorf("merge by someone not in both calls: %v, want ErrNotParticipant", err)
	}
	if err := s.Merge("alice", "call-ab", "call-ac"); err != nil {
		t.Fatal(err)
	}
	b.WaitFor(ctx, "bob moved to the active call", func() bool { return b.currentCall() == "call-ac" })
	b.ExpectHears(ctx, "carol", "carol")
	b.ExpectHears(ctx, "alice", "alice")
	c.ExpectHears(ctx, "bob", "bob")
	ac.ExpectHears(ctx, "bob", "bob")
	if _, err := s.Roster("call-ab"); !errors.Is(err, ErrNoSuchRoom) {
		t.Errorf("the held call still exists after the merge: %v", err)
	}
	roster, _ := s.Roster("call-ac")
	if len(roster) != 3 {
		t.Errorf("merged roster %+v", roster)
	}
	_ = ab
}

// recordingTap keeps what the Tap contract gives it.
type recordingTap struct {
	mu      sync.Mutex
	joined  []Participant
	left    []Participant
	packets map[string]int
	bad     int
}

func (r *recordingTap) Joined(p Participant) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.joined = append(r.joined, p)
}

func (r *recordingTap) Packet(p Participant, pkt *rtp.Packet) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.packets == nil {
		r.packets = map[string]int{}
	}
	if p.ClockRate != 48000 || p.SSRC != pkt.SSRC || checkOpus(pkt.Payload) != nil {
		r.bad++
	}
	r.packets[p.UserID]++
}

func (r *recordingTap) Left(p Participant) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.left = append(r.left, p)
}

func (r *recordingTap) count(user string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.packets[user]
}

func TestTapSeesForwardedPackets(t *testing.T) {
	ctx := testContext(t)
	s := newTestService(t, Config{})
	a := join(t, s, "call-1", "alice")
	b := join(t, s, "call-1", "bob")
	b.ExpectHears(ctx, "alice", "alice")
	tap := &recordingTap{}
	remove, err := s.AddTap("call-1", tap)
	if err != nil {
		t.Fatal(err)
	}
	a.WaitFor(ctx, "packets at the tap", func() bool { return tap.count("alice") > 50 && tap.count("bob") > 50 })
	tap.mu.Lock()
	if len(tap.joined) != 2 || tap.bad != 0 {
		t.Errorf("tap: joined %+v, %d bad packets", tap.joined, tap.bad)
	}
	tap.mu.Unlock()
	b.m.Leave()
	tap.mu.Lock()
	if len(tap.left) != 1 || tap.left[0].UserID != "bob" {
		t.Errorf("tap: left %+v", tap.left)
	}
	tap.mu.Unlock()
	remove()
	remove()
	// Removed: it sees nothing more of what Alice sends.
	n, sent := tap.count("alice"), a.m.Stats().Received
	a.WaitFor(ctx, "more packets from alice", func() bool { return a.m.Stats().Received > sent+50 })
	if got := tap.count("alice"); got != n {
		t.Errorf("removed tap got %d more packets", got-n)
	}
}
