package sfu

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-voip/parley/internal/sfutest"
	"github.com/pion/webrtc/v4"
)

// Test timing: generous deadlines (the machine is shared), never tight.
const (
	testTimeout  = 60 * time.Second
	rate         = sfutest.Rate
	frameSamples = sfutest.FrameSamples
	nccThreshold = sfutest.NCCThreshold
)

// voices are the test users' voices (sfutest.Voices).
var voices = sfutest.Voices

// option changes how join connects a client: what its peer sends
// (sfutest's options, through peer) and what its JoinRequest says.
type option func(*joinOptions)

type joinOptions struct {
	peer      []sfutest.Option
	replaces  string
	companion bool
}

// peer passes sfutest options to the client's peer.
func peer(opts ...sfutest.Option) option {
	return func(o *joinOptions) { o.peer = append(o.peer, opts...) }
}

func silent() option                 { return peer(sfutest.Silent()) }
func speaking(voice string) option   { return peer(sfutest.Speaking(voice)) }
func withVideo(ids ...string) option { return peer(sfutest.WithVideo(ids...)) }
func replacing(user string) option   { return func(o *joinOptions) { o.replaces = user } }
func asCompanion() option            { return func(o *joinOptions) { o.companion = true } }

// client is a participant's app in miniature: an sfutest.Peer joined to
// the service, whose signals it gets through the JoinRequest's Send and
// whose answers and candidates go to its Member.
type client struct {
	*sfutest.Peer
	m *Member

	mu     sync.Mutex
	roster []Status
	callID string
}

func newTestService(t *testing.T, cfg Config) *Service {
	t.Helper()
	cfg.IncludeLoopback = true
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// join connects a new client for user to callID on s.
func join(t *testing.T, s *Service, callID, user string, opts ...option) *client {
	t.Helper()
	var o joinOptions
	for _, f := range opts {
		f(&o)
	}
	c := &client{Peer: sfutest.NewPeer(t, user, o.peer...)}
	m, err := s.Join(JoinRequest{CallID: callID, UserID: user, Name: strings.ToUpper(user[:1]) + user[1:], Send: c.signal,
		Replaces: o.replaces, Companion: o.companion})
	if err != nil {
		t.Fatalf("join %s: %v", user, err)
	}
	c.m = m
	c.Attach(memberRemote{m})
	t.Cleanup(func() {
		if t.Failed() {
			c.Report()       // the client's side of the connection
			dumpClient(t, c) // the service's
		}
	})
	return c
}

// signal takes what the service sends the client: the roster here, the
// rest to the peer, in order.
func (c *client) signal(s Signal) {
	c.mu.Lock()
	c.callID = s.CallID
	if s.Roster != nil {
		c.roster = s.Roster
	}
	c.mu.Unlock()
	c.Changed()
	if s.SDP != "" || s.Candidate != nil {
		c.Deliver(sfutest.Signal{CallID: s.CallID, SDP: s.SDP, Candidate: s.Candidate})
	}
}

// memberRemote is the service's end of a client's connection: its Member.
type memberRemote struct{ m *Member }

func (r memberRemote) Answer(sdp string) error {
	err := r.m.Answer(sdp)
	if r.m.left() || errors.Is(err, ErrClosed) {
		return nil // an offer racing the member's leave
	}
	return err
}

func (r memberRemote) AddCandidate(c webrtc.ICECandidateInit) error { return r.m.AddCandidate(c) }

func (c *client) rosterOf(user string) (Status, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.roster {
		if s.UserID == user {
			return s, true
		}
	}
	return Status{}, false
}

// currentCall is the call of the last signal the service sent the client.
func (c *client) currentCall() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.callID
}

// joinForCandidates joins user to call "c" of s, with the candidate lines
// the service sends it on the channel (those beyond its room dropped).
func joinForCandidates(s *Service, user string) (*Member, <-chan string, error) {
	got := make(chan string, 64)
	m, err := s.Join(JoinRequest{CallID: "c", UserID: user, Send: func(sig Signal) {
		if sig.Candidate != nil {
			select {
			case got <- sig.Candidate.Candidate:
			default:
			}
		}
	}})
	return m, got, err
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

func containsAll(s string, subs ...string) bool {
	for _, x := range subs {
		if !strings.Contains(s, x) {
			return false
		}
	}
	return true
}

// portIn reports whether the candidate line's port is in lo..hi.
func portIn(cand string, lo, hi int) bool {
	f := strings.Fields(cand)
	if len(f) < 6 {
		return false
	}
	var p int
	for _, ch := range f[5] {
		p = p*10 + int(ch-'0')
	}
	return p >= lo && p <= hi
}

// iceUfrag is the first ICE username fragment in sdp.
func iceUfrag(sdp string) string {
	for _, l := range strings.Split(sdp, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(l), "a=ice-ufrag:"); ok {
			return v
		}
	}
	return ""
}
