package server

import (
	"context"

	"github.com/parley-voip/parley/internal/sfutest"
	"github.com/parley-voip/parley/signaling"
	"github.com/pion/webrtc/v4"
)

// mediaPeer is a client's media on the media service: an sfutest.Peer
// whose offers and candidates travel as the app's do, in media-offer,
// media-answer and media-candidate messages on the client's signaling
// connection.
type mediaPeer struct {
	*sfutest.Peer
	c *client
}

// joinMedia connects c's media to callID (media-join) with a new peer
// connection, which replaces the one c had. The voice is c's own unless
// opts say otherwise.
func (c *client) joinMedia(callID string, opts ...sfutest.Option) *mediaPeer {
	c.t.Helper()
	p := &mediaPeer{Peer: sfutest.NewPeer(c.t, c.id, opts...), c: c}
	p.Attach(signalingRemote{p, callID})
	c.media.Store(p)
	c.peers.Store(callID, p)
	c.send(&signaling.Message{Type: signaling.TypeMediaJoin, CallID: callID})
	return p
}

// deliver hands the peer a media-offer or media-candidate the server sent.
func (p *mediaPeer) deliver(m *signaling.Message) {
	s := sfutest.Signal{CallID: m.CallID}
	switch m.Type {
	case signaling.TypeMediaOffer:
		s.SDP = m.SDP
	case signaling.TypeMediaCandidate:
		c := m.Candidate
		s.Candidate = &webrtc.ICECandidateInit{Candidate: c.Candidate, SDPMid: c.SDPMid,
			SDPMLineIndex: c.SDPMLineIndex, UsernameFragment: c.UsernameFragment}
	default:
		return
	}
	p.Deliver(s)
}

// signalingRemote sends a peer's answers and candidates on its client's
// signaling connection, for the call of the service's last offer (the
// one it joined, until then).
type signalingRemote struct {
	p      *mediaPeer
	joined string
}

func (r signalingRemote) Answer(sdp string) error {
	r.send(&signaling.Message{Type: signaling.TypeMediaAnswer, SDP: sdp})
	return nil
}

func (r signalingRemote) AddCandidate(c webrtc.ICECandidateInit) error {
	r.send(&signaling.Message{Type: signaling.TypeMediaCandidate, Candidate: &signaling.Candidate{
		Candidate: c.Candidate, SDPMid: c.SDPMid, SDPMLineIndex: c.SDPMLineIndex, UsernameFragment: c.UsernameFragment}})
	return nil
}

// send runs on pion's and the peer's goroutines, so it does not use the
// test's helpers.
func (r signalingRemote) send(m *signaling.Message) {
	m.CallID = r.p.CallID()
	if m.CallID == "" {
		m.CallID = r.joined
	}
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	_ = r.p.c.conn.Send(ctx, m) // fails only once the test closed the connection
}

// expectQuietWhile checks that p receives (almost) nothing more on track
// while during runs: it is out of the call. What was in flight when it
// left may still arrive (a fifth of a second).
func (p *mediaPeer) expectQuietWhile(track string, during func()) {
	p.T.Helper()
	before := 0
	if rec := p.Recording(track); rec != nil {
		before = rec.Len()
	}
	during()
	after := 0
	if rec := p.Recording(track); rec != nil {
		after = rec.Len()
	}
	if n := after - before; n > sfutest.Rate/5 {
		p.T.Errorf("%s heard %d samples on track %s after leaving the call", p.Name, n, track)
	}
}

// mediaCtx bounds a media test's waits (generous: the machine is shared).
func mediaCtx(c *client) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*testTimeout)
	c.t.Cleanup(cancel)
	return ctx
}
