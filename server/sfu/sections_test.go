package sfu

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/parley-voip/parley/internal/sfutest"
	"github.com/parley-voip/parley/media/quality"
	"github.com/parley-voip/parley/signaling"
	"github.com/pion/sdp/v3"
)

// A group of three, all with their camera on, where a fourth person joins
// with audio and camera and leaves, again and again: each one's
// connection keeps a bounded number of sections (the next participant's
// tracks go on the sections the last one left), so the offers stay far
// below the signaling limit, and each rejoin's new tracks arrive (pion
// starts a new remote track on the reused section) with his voice and his
// frames.
func TestJoinLeaveReusesSections(t *testing.T) {
	const cycles = 12
	// The three's own audio and camera sections, and at most three
	// others' audio and camera.
	const bound = 2 + 3*2
	s := newTestService(t, Config{})
	stay := []*client{
		join(t, s, "call-1", "alice", withVideo(cam)),
		join(t, s, "call-1", "bob", withVideo(cam)),
		join(t, s, "call-1", "carol", withVideo(cam)),
	}
	for _, c := range stay {
		if err := c.m.SetVideo(true, false); err != nil {
			t.Fatal(err)
		}
	}
	ctx := testContext(t)
	for _, x := range stay {
		for _, y := range stay {
			if x != y {
				x.ExpectSees(ctx, y.Name, cam, 10)
			}
		}
	}
	waitSettled(ctx, stay)
	for _, c := range stay {
		if !midNegotiated(c.m) {
			t.Fatalf("%s's answer does not negotiate mid", c.Name)
		}
	}
	seen := map[*client]*sfutest.VideoRecording{}
	first := 0
	for i := range cycles {
		ctx := testContext(t) // per cycle: the whole test takes longer than one deadline
		d := join(t, s, "call-1", "dave", withVideo(cam))
		if err := d.m.SetVideo(true, false); err != nil {
			t.Fatal(err)
		}
		for _, c := range stay {
			c.WaitFor(ctx, fmt.Sprintf("dave's audio track %d", i+1), func() bool {
				rec := c.Recording("dave")
				return rec != nil && rec.Tracks() == i+1
			})
			c.WaitFor(ctx, fmt.Sprintf("dave's camera track %d", i+1), func() bool {
				rec := c.VideoFrom("dave", cam)
				return rec != nil && rec != seen[c]
			})
		}
		expectAllHear(ctx, t, stay, "dave")
		for _, c := range stay {
			seen[c] = c.ExpectSees(ctx, "dave", cam, 10)
		}
		waitSettled(ctx, stay)
		for _, c := range stay {
			n, size := offerSections(c.m)
			if c == stay[0] {
				t.Logf("cycle %d: %s's offer with dave in the call: %d sections, %d bytes; her connection has %d transceivers",
					i+1, c.Name, n, size, len(c.PC.GetTransceivers()))
				if first == 0 {
					first = size
				}
				if size > signaling.MaxSDPLen {
					t.Logf("cycle %d: %s's offer is over signaling.MaxSDPLen (%d bytes)", i+1, c.Name, signaling.MaxSDPLen)
				}
			}
			if n > bound {
				t.Fatalf("cycle %d: %s's offer has %d sections, more than %d", i+1, c.Name, n, bound)
			}
			// One transceiver per section: none opened for packets of an
			// SSRC an offer did not declare (midNegotiated).
			if tr := len(c.PC.GetTransceivers()); tr != n {
				t.Fatalf("cycle %d: %s's offer has %d sections, her connection %d transceivers", i+1, c.Name, n, tr)
			}
		}
		d.m.Leave()
		d.Close()
		waitSettled(ctx, stay)
	}
	_, last := offerSections(stay[0].m)
	t.Logf("after %d cycles: %s's offer %d bytes (%d with the fourth in the first cycle)", cycles, stay[0].Name, last, first)
}

// midNegotiated reports that m's client answered with the mid header
// extension (an answer carries it only if both sides registered it), so
// pion drops the packets of an SSRC an offer does not declare instead of
// adding a transceiver for them (rtpcodec.RegisterMid).
func midNegotiated(m *Member) bool {
	d := m.pc.RemoteDescription()
	return d != nil && strings.Contains(d.SDP, sdp.SDESMidURI)
}

// offerSections is the number of media sections in m's last offer, and
// its size.
func offerSections(m *Member) (sections, size int) {
	d := m.pc.LocalDescription()
	if d == nil {
		return 0, 0
	}
	return strings.Count(d.SDP, "\nm="), len(d.SDP)
}

// waitSettled waits until each client has answered the service's last
// offer.
func waitSettled(ctx context.Context, cs []*client) {
	for _, c := range cs {
		c.WaitFor(ctx, "the service's offers answered", func() bool { return settled(c.m) })
	}
}

// settled reports whether m's last offer is answered.
func settled(m *Member) bool {
	m.nmu.Lock()
	defer m.nmu.Unlock()
	return !m.offering
}

// expectAllHear checks that every client hears who's voice on its track:
// the last second of a second's more audio at each, waited for together.
func expectAllHear(ctx context.Context, t *testing.T, cs []*client, who string) {
	t.Helper()
	recs := make([]*sfutest.Recording, len(cs))
	starts := make([]int, len(cs))
	for i, c := range cs {
		recs[i] = c.Recording(who)
		starts[i] = recs[i].Len()
	}
	for i, c := range cs {
		c.WaitFor(ctx, "audio from "+who, func() bool { return recs[i].Len() >= starts[i]+rate })
	}
	ref := voices[who].Reference()
	for i, c := range cs {
		got := recs[i].Samples()
		if score, _ := quality.NCC(got[len(got)-rate:], ref, len(ref)); score < nccThreshold {
			t.Errorf("%s hears %s with NCC %.3f < %.2f", c.Name, who, score, nccThreshold)
		}
	}
}

// A participant's own camera turned off and on again keeps its section
// (docs/client.md "Video in a call"): no offer to anyone, the same
// sections everywhere, and the others see it again on the track they had.
func TestCameraOffOnKeepsItsSection(t *testing.T) {
	ctx := testContext(t)
	s := newTestService(t, Config{})
	a, b, rec := aliceFilmsBob(ctx, t, s, 10)
	waitSettled(ctx, []*client{a, b})
	offers := [2]int{a.Offers(), b.Offers()}
	sdps := [2]string{a.m.pc.LocalDescription().SDP, b.m.pc.LocalDescription().SDP}
	v := a.VideoSender(cam)
	for i := range 5 {
		v.Paused.Store(true)
		if err := a.m.SetVideo(false, false); err != nil {
			t.Fatal(err)
		}
		b.WaitFor(ctx, "alice's camera off in the roster", func() bool { st, _ := b.rosterOf("alice"); return !st.Camera })
		if err := a.m.SetVideo(true, false); err != nil {
			t.Fatal(err)
		}
		v.Paused.Store(false)
		if got := b.ExpectSees(ctx, "alice", cam, 10); got != rec {
			t.Fatalf("time %d: bob got alice's camera on a new track", i+1)
		}
	}
	if got := [2]int{a.Offers(), b.Offers()}; got != offers {
		t.Errorf("offers answered went from %v to %v: turning the camera off and on renegotiated", offers, got)
	}
	if a.m.pc.LocalDescription().SDP != sdps[0] || b.m.pc.LocalDescription().SDP != sdps[1] {
		t.Error("turning the camera off and on changed a connection's sections")
	}
}
