package server

import (
	"testing"

	"github.com/coder/websocket"
	"github.com/parley-voip/parley/server/sfu"
	"github.com/parley-voip/parley/signaling"
)

func startMediaServer(t *testing.T) (*Server, *sfu.Service) {
	t.Helper()
	media, err := sfu.New(sfu.Config{IncludeLoopback: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = media.Close() })
	return startServer(t, Config{}, WithMedia(media)), media
}

// await returns the next message of type typ, passing over the media
// service's candidates and rosters and the call history, which come
// whenever they come.
func (c *client) await(typ signaling.Type) *signaling.Message {
	c.t.Helper()
	for {
		m := c.next()
		if m.Type == typ {
			return m
		}
		if m.Type != signaling.TypeMediaCandidate && m.Type != signaling.TypeRoster && m.Type != signaling.TypeCallRecord {
			c.t.Fatalf("%s got %s %+v (error %+v), want %s", c.id, m.Type, m, m.Error, typ)
		}
	}
}

func (c *client) awaitError(code signaling.ErrorCode) {
	c.t.Helper()
	m := c.await(signaling.TypeError)
	if m.Error.Code != code {
		c.t.Fatalf("%s got error %+v, want %s", c.id, m.Error, code)
	}
}

func standardCall(a, b *client, callID string) {
	a.t.Helper()
	a.send(&signaling.Message{Type: signaling.TypeInvite, To: b.id, CallID: callID})
	b.expect(signaling.TypeInvite)
	b.send(&signaling.Message{Type: signaling.TypeAccept, CallID: callID})
	a.await(signaling.TypeAccept) // a may be in a call with media already (a consult call)
}

// Only a party of an accepted standard call reaches its media; everyone
// else, and every message before the call is accepted, is refused.
func TestMediaMessagesAreAuthorized(t *testing.T) {
	s, media := startMediaServer(t)
	alice, bob, eve := dial(t, s, "alice"), dial(t, s, "bob"), dial(t, s, "eve")

	alice.send(&signaling.Message{Type: signaling.TypeInvite, To: "bob", CallID: "c1"})
	bob.expect(signaling.TypeInvite)
	alice.send(&signaling.Message{Type: signaling.TypeMediaJoin, CallID: "c1"})
	alice.awaitError(signaling.CodeNotAllowed) // not accepted yet
	bob.send(&signaling.Message{Type: signaling.TypeAccept, CallID: "c1"})
	alice.expect(signaling.TypeAccept)

	for _, m := range []*signaling.Message{
		{Type: signaling.TypeMediaJoin, CallID: "c1"},
		{Type: signaling.TypeMediaAnswer, CallID: "c1", SDP: "v=0"},
		{Type: signaling.TypeMediaCandidate, CallID: "c1", Candidate: &signaling.Candidate{Candidate: "candidate:1 1 udp 1 127.0.0.1 9 typ host"}},
		{Type: signaling.TypeHold, CallID: "c1", Held: true},
		{Type: signaling.TypeMute, CallID: "c1", Muted: true},
		{Type: signaling.TypeMediaVideo, CallID: "c1", Video: &signaling.VideoState{Camera: true}},
		{Type: signaling.TypeAddPeople, CallID: "c1", IDs: []string{"eve"}},
		{Type: signaling.TypeMerge, CallID: "c1", Merge: "c2"},
	} {
		eve.send(m)
		eve.awaitError(signaling.CodeUnknownCall)
	}
	// A party that has not joined the media cannot answer or hold.
	alice.send(&signaling.Message{Type: signaling.TypeMediaAnswer, CallID: "c1", SDP: "v=0"})
	alice.awaitError(signaling.CodeNotAllowed)
	// Server-only messages cannot be sent.
	alice.send(&signaling.Message{Type: signaling.TypeMediaOffer, CallID: "c1", SDP: "v=0"})
	alice.awaitError(signaling.CodeNotAllowed)
	if st := media.Stats(); st.PeerConnections != 0 {
		t.Fatalf("refused messages reached the media service: %+v", st)
	}

	alice.send(&signaling.Message{Type: signaling.TypeMediaJoin, CallID: "c1"})
	offer := alice.await(signaling.TypeMediaOffer)
	if offer.SDP == "" || offer.CallID != "c1" {
		t.Fatalf("offer %+v", offer)
	}
	alice.send(&signaling.Message{Type: signaling.TypeMediaJoin, CallID: "c1"})
	alice.awaitError(signaling.CodeNotAllowed)
	alice.send(&signaling.Message{Type: signaling.TypeMediaAnswer, CallID: "c1", SDP: "not sdp"})
	alice.awaitError(signaling.CodeMalformed)
	if st := media.Stats(); st.PeerConnections != 1 || st.Rooms != 1 {
		t.Fatalf("stats %+v", st)
	}
	// The call's end closes its media.
	alice.send(&signaling.Message{Type: signaling.TypeHangup, CallID: "c1", Reason: signaling.ReasonHangup})
	bob.await(signaling.TypeHangup)
	// The hub forwards the hangup before it ends the call's media: bob may
	// hear of it first. Alice's messages are handled in order, so once the
	// hub has refused her next one, her hangup has been handled whole.
	alice.send(&signaling.Message{Type: signaling.TypeHold, CallID: "c1", Held: true})
	alice.awaitError(signaling.CodeUnknownCall)
	alice.expectQuietMedia()
	if st := media.Stats(); st.Rooms != 0 {
		t.Fatalf("the call ended but its room is open: %+v", st)
	}
}

// media-video reaches the media service for a party that joined the
// call's media: the roster shows the camera and the screen.
func TestMediaVideoShownInTheRoster(t *testing.T) {
	s, _ := startMediaServer(t)
	alice, bob := dial(t, s, "alice"), dial(t, s, "bob")
	standardCall(alice, bob, "c1")
	alice.send(&signaling.Message{Type: signaling.TypeMediaVideo, CallID: "c1", Video: &signaling.VideoState{Camera: true}})
	alice.awaitError(signaling.CodeNotAllowed) // not joined yet
	alice.send(&signaling.Message{Type: signaling.TypeMediaJoin, CallID: "c1"})
	alice.await(signaling.TypeMediaOffer)
	alice.send(&signaling.Message{Type: signaling.TypeMediaVideo, CallID: "c1", Video: &signaling.VideoState{Camera: true, Screen: true}})
	for {
		m := alice.next()
		if m.Type == signaling.TypeRoster && len(m.Roster) == 1 && m.Roster[0].Camera && m.Roster[0].Screen {
			break
		}
		if m.Type != signaling.TypeRoster && m.Type != signaling.TypeMediaCandidate {
			t.Fatalf("got %+v, want the roster with alice's video", m)
		}
	}
}

func TestMediaJoinBeforeHelloIsRefused(t *testing.T) {
	s, media := startMediaServer(t)
	ws := rawDial(t, s)
	rawWrite(t, ws, websocket.MessageText, `{"type":"media-join","call_id":"c1"}`)
	m, err := rawNext(testCtx(t), t, ws)
	if err != nil || m.Type != signaling.TypeError || m.Error.Code != signaling.CodeHelloRequired {
		t.Fatalf("reply = %+v, %v; want hello-required", m, err)
	}
	if st := media.Stats(); st.PeerConnections != 0 {
		t.Fatalf("stats %+v", st)
	}
}

// An E2EE call never touches the media service: joining it is refused and
// no peer connection is made.
func TestE2EECallNeverReachesTheMediaService(t *testing.T) {
	s, media := startMediaServer(t)
	alice, bob := dial(t, s, "alice"), dial(t, s, "bob")
	alice.send(&signaling.Message{Type: signaling.TypeInvite, To: "bob", CallID: "c1", E2EE: true})
	bob.expect(signaling.TypeInvite)
	bob.send(&signaling.Message{Type: signaling.TypeAccept, CallID: "c1", E2EE: true, E2EECall: true})
	alice.expect(signaling.TypeAccept)
	for _, c := range []*client{alice, bob} {
		c.send(&signaling.Message{Type: signaling.TypeMediaJoin, CallID: "c1"})
		c.awaitError(signaling.CodeNotAllowed)
	}
	alice.send(&signaling.Message{Type: signaling.TypeAddPeople, CallID: "c1", IDs: []string{"carol"}})
	alice.awaitError(signaling.CodeNotAllowed)
	if st := media.Stats(); st.PeerConnections != 0 {
		t.Fatalf("the media service saw the E2EE call: %+v", st)
	}
	if _, err := media.AddTap("c1", nil); err == nil {
		t.Fatal("a tap was added to an E2EE call")
	}
}

// Add people: an invite with group set reaches the added person; their
// accept makes them a party, their hangup takes only them out.
func TestAddPeopleInvitesIntoTheCall(t *testing.T) {
	s, _ := startMediaServer(t)
	alice, bob, carol := dial(t, s, "alice"), dial(t, s, "bob"), dial(t, s, "carol")
	standardCall(alice, bob, "c1")
	alice.send(&signaling.Message{Type: signaling.TypeAddPeople, CallID: "c1", IDs: []string{"carol", "bob", "nobody"}})
	inv := carol.expect(signaling.TypeInvite)
	if !inv.Group || inv.From != "alice" || inv.CallID != "c1" {
		t.Fatalf("invite %+v", inv)
	}
	alice.awaitError(signaling.CodeNotAllowed) // bob is in the call
	alice.awaitError(signaling.CodeUnreachable)
	carol.send(&signaling.Message{Type: signaling.TypeAccept, CallID: "c1"})
	carol.send(&signaling.Message{Type: signaling.TypeMediaJoin, CallID: "c1"})
	carol.await(signaling.TypeMediaOffer)
	// Bob leaves; the call goes on for Alice and Carol.
	bob.send(&signaling.Message{Type: signaling.TypeHangup, CallID: "c1", Reason: signaling.ReasonHangup})
	alice.send(&signaling.Message{Type: signaling.TypeMediaJoin, CallID: "c1"})
	alice.await(signaling.TypeMediaOffer)
}

// expectQuietMedia drains what the media service sent before the call ended.
func (c *client) expectQuietMedia() {
	for {
		select {
		case m := <-c.msgs:
			if !m.Type.IsMediaMessage() {
				c.t.Fatalf("%s: unexpected %s", c.id, m.Type)
			}
		default:
			return
		}
	}
}
