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

// voices are the test users' signals (sfutest.Voices).
var voices = sfutest.Voices

type clientOptions struct {
	silent bool // send nothing
	// raw, when set, is the client's sending track instead of its voice:
	// the test writes what it likes.
	raw *webrtc.TrackLocalStaticRTP
	// voice, when set, is sent instead of the user's own.
	voice string
	// replaces and companion go into the JoinRequest.
	replaces  string
	companion bool
}

func replacing(user string) func(*clientOptions) {
	return func(o *clientOptions) { o.replaces = user }
}

func speaking(voice string) func(*clientOptions) {
	return func(o *clientOptions) { o.voice = voice }
}

// client is a participant's app in miniature: an sfutest.Peer whose
// offers and candidates go straight to its Member.
type client struct {
	*sfutest.Peer
	t     *testing.T
	user  string
	pc    *webrtc.PeerConnection
	m     *Member
	sigs  chan Signal
	ready chan struct{}

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

func clientAPI(t testing.TB) *webrtc.API { return sfutest.API(t) }

// join connects a new client for user to callID on s.
func join(t *testing.T, s *Service, callID, user string, opts ...func(*clientOptions)) *client {
	t.Helper()
	var o clientOptions
	for _, f := range opts {
		f(&o)
	}
	c := newClient(t, user, o)
	m, err := s.Join(JoinRequest{CallID: callID, UserID: user, Name: strings.ToUpper(user[:1]) + user[1:], Send: c.signal,
		Replaces: o.replaces, Companion: o.companion})
	if err != nil {
		t.Fatalf("join %s: %v", user, err)
	}
	c.m = m
	close(c.ready)
	return c
}

func newClient(t *testing.T, user string, o clientOptions) *client {
	c := &client{t: t, user: user, sigs: make(chan Signal, 1024), ready: make(chan struct{})}
	po := sfutest.Options{Silent: o.silent, Raw: o.raw}
	if o.voice != "" {
		po.Voice = voices[o.voice]
	}
	c.Peer = sfutest.NewPeer(t, user, po, func(cand webrtc.ICECandidateInit) {
		<-c.ready
		_ = c.m.AddCandidate(cand)
	})
	c.pc = c.PC
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go c.handleSignals(ctx)
	return c
}

func (c *client) signal(s Signal) {
	select {
	case c.sigs <- s:
	default:
		c.t.Errorf("%s: signal queue full", c.user)
	}
}

func (c *client) handleSignals(ctx context.Context) {
	select {
	case <-c.ready:
	case <-ctx.Done():
		return
	}
	for {
		var s Signal
		select {
		case <-ctx.Done():
			return
		case s = <-c.sigs:
		}
		c.mu.Lock()
		c.callID = s.CallID
		c.mu.Unlock()
		switch {
		case s.SDP != "":
			answer, err := c.Answer(s.SDP)
			if err == nil {
				err = c.m.Answer(answer)
			}
			if err != nil && ctx.Err() == nil && !c.m.left() && !errors.Is(err, ErrClosed) {
				c.t.Errorf("%s: answer: %v", c.user, err)
			}
		case s.Candidate != nil:
			_ = c.pc.AddICECandidate(*s.Candidate)
		case s.Roster != nil:
			c.mu.Lock()
			c.roster = s.Roster
			c.mu.Unlock()
			c.Changed()
		}
	}
}

func (c *client) recording(src string) *sfutest.Recording { return c.Recording(src) }

func (c *client) offerCount() int { return c.Offers() }

// waitFor waits until cond (checked on every change and every 100 ms).
func (c *client) waitFor(ctx context.Context, what string, cond func() bool) {
	c.t.Helper()
	c.WaitFor(ctx, what, cond)
}

// hears waits for samples more audio from src and returns the NCC of the
// last second against want.
func (c *client) hears(ctx context.Context, src string, want []int16, samples int) float64 {
	c.t.Helper()
	return c.Hears(ctx, src, want, samples)
}

func (c *client) expectHears(ctx context.Context, src string) {
	c.t.Helper()
	c.ExpectHears(ctx, src, src)
}

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

func (c *client) currentCall() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.callID
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
