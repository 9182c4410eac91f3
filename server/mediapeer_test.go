package server

import (
	"context"
	"sync"

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
	c  *client
	in chan *signaling.Message

	mu     sync.Mutex
	callID string // the call the service's last offer was for
}

// joinMedia connects c's media to callID (media-join) with a new peer
// connection, which replaces the one c had. The voice is c's own unless
// opts say otherwise.
func (c *client) joinMedia(callID string, opts ...func(*sfutest.Options)) *mediaPeer {
	c.t.Helper()
	var o sfutest.Options
	for _, f := range opts {
		f(&o)
	}
	p := &mediaPeer{c: c, in: make(chan *signaling.Message, 1024), callID: callID}
	p.Peer = sfutest.NewPeer(c.t, c.id, o, func(cand webrtc.ICECandidateInit) {
		p.sendMedia(&signaling.Message{Type: signaling.TypeMediaCandidate, Candidate: &signaling.Candidate{
			Candidate: cand.Candidate, SDPMid: cand.SDPMid, SDPMLineIndex: cand.SDPMLineIndex, UsernameFragment: cand.UsernameFragment}})
	})
	ctx, cancel := context.WithCancel(context.Background())
	c.t.Cleanup(cancel)
	go p.run(ctx)
	c.media.Store(p)
	c.peers.Store(callID, p)
	c.send(&signaling.Message{Type: signaling.TypeMediaJoin, CallID: callID})
	return p
}

// voiceOf sends who's voice instead of the client's own.
func voiceOf(who string) func(*sfutest.Options) {
	return func(o *sfutest.Options) { o.Voice = sfutest.Voices[who] }
}

func (p *mediaPeer) run(ctx context.Context) {
	for {
		var m *signaling.Message
		select {
		case <-ctx.Done():
			return
		case m = <-p.in:
		}
		p.mu.Lock()
		p.callID = m.CallID
		p.mu.Unlock()
		switch m.Type {
		case signaling.TypeMediaOffer:
			answer, err := p.Answer(m.SDP)
			if err != nil {
				// An offer racing the test's end meets a connection
				// being closed.
				if ctx.Err() == nil && p.PC.SignalingState() != webrtc.SignalingStateClosed {
					p.T.Errorf("%s: answering the service's offer: %v", p.Name, err)
				}
				continue
			}
			p.sendMedia(&signaling.Message{Type: signaling.TypeMediaAnswer, SDP: answer})
		case signaling.TypeMediaCandidate:
			c := m.Candidate
			_ = p.PC.AddICECandidate(webrtc.ICECandidateInit{Candidate: c.Candidate, SDPMid: c.SDPMid,
				SDPMLineIndex: c.SDPMLineIndex, UsernameFragment: c.UsernameFragment})
		}
	}
}

// sendMedia sends m for the peer's current call. It runs on pion's and
// the peer's goroutines, so it does not use the test's helpers.
func (p *mediaPeer) sendMedia(m *signaling.Message) {
	p.mu.Lock()
	m.CallID = p.callID
	p.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	_ = p.c.conn.Send(ctx, m) // fails only once the test closed the connection
}

// connected waits until the peer's connection to the service is up.
func (p *mediaPeer) connected(ctx context.Context) {
	p.T.Helper()
	p.WaitFor(ctx, p.Name+" connected", func() bool { return p.PC.ConnectionState() == webrtc.PeerConnectionStateConnected })
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
