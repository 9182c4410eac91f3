package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parley-voip/parley/signaling"
)

// testTimeout bounds every wait; tests assert on events, never on time.
const testTimeout = 30 * time.Second

func testCtx(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

// startServer runs a server on loopback. Hellos are trusted as they claim
// (WithTrustedClaims) unless opts bring an authenticator of their own
// (WithAccounts, WithAuthenticator), which replaces it.
func startServer(t testing.TB, cfg Config, opts ...Option) *Server {
	t.Helper()
	opts = append([]Option{WithTrustedClaims()}, opts...)
	if cfg.Logger == nil {
		// Shown only when the test fails.
		cfg.Logger = slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	s, err := New(cfg, opts...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Start(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
	return s
}

// client wraps a signaling.Conn and splits what it receives into presence
// updates and everything else, so tests can wait on either in order.
type client struct {
	t        testing.TB
	id       string
	conn     *signaling.Conn
	msgs     chan *signaling.Message
	presence chan []signaling.PresenceEntry
	done     chan struct{}
	err      error // why receiving stopped; read after done

	view map[string]signaling.PresenceEntry // presence as received; pump's

	// The media service's offers and candidates go to the peer joinMedia
	// made for their call (peers, by call id), else to the newest one
	// (media): a call's id changes when it is spliced into another
	// (mediapeer_test.go). Everything else goes to msgs.
	media atomic.Pointer[mediaPeer]
	peers sync.Map // call id → *mediaPeer
}

func dial(t testing.TB, s *Server, id string) *client {
	t.Helper()
	ctx := testCtx(t)
	conn, err := signaling.Dial(ctx, s.URL(), signaling.User{ID: id, Name: "Name of " + id})
	if err != nil {
		t.Fatalf("dial %s: %v", id, err)
	}
	c := newClient(t, id, conn)
	c.send(&signaling.Message{Type: signaling.TypeSubscribe, All: true})
	return c
}

func newClient(t testing.TB, id string, conn *signaling.Conn) *client {
	c := &client{
		t: t, id: id, conn: conn,
		msgs:     make(chan *signaling.Message, 1024),
		presence: make(chan []signaling.PresenceEntry, 1024),
		done:     make(chan struct{}),
		view:     map[string]signaling.PresenceEntry{},
	}
	go c.pump()
	t.Cleanup(func() { _ = conn.Close() })
	return c
}

func (c *client) pump() {
	defer close(c.done)
	for {
		m, err := c.conn.Recv(context.Background())
		var de *signaling.DecodeError
		switch {
		case errors.As(err, &de):
			c.t.Errorf("%s received an undecodable frame: %v", c.id, err)
			continue
		case err != nil:
			c.err = err
			return
		case m.Type == signaling.TypePresence:
			c.presence <- c.apply(m)
		case (m.Type == signaling.TypeMediaOffer || m.Type == signaling.TypeMediaCandidate) && c.media.Load() != nil:
			p := c.media.Load()
			if v, ok := c.peers.Load(m.CallID); ok {
				p = v.(*mediaPeer)
			}
			p.deliver(m)
		default:
			c.msgs <- m
		}
	}
}

// apply folds a presence message (a snapshot when it has a ref, else
// changes) into the client's view and returns the view: online users
// sorted by id, as version 1 pushed it.
func (c *client) apply(m *signaling.Message) []signaling.PresenceEntry {
	if m.Ref != "" {
		clear(c.view)
	}
	for _, u := range m.Users {
		if u.Status == signaling.StatusOffline {
			delete(c.view, u.ID)
		} else {
			c.view[u.ID] = u
		}
	}
	out := make([]signaling.PresenceEntry, 0, len(c.view))
	for _, u := range c.view {
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b signaling.PresenceEntry) int { return strings.Compare(a.ID, b.ID) })
	return out
}

func (c *client) send(m *signaling.Message) {
	c.t.Helper()
	if err := c.conn.Send(testCtx(c.t), m); err != nil {
		c.t.Fatalf("%s send %s: %v", c.id, m.Type, err)
	}
}

// next returns the next non-presence message.
func (c *client) next() *signaling.Message {
	c.t.Helper()
	select {
	case m := <-c.msgs:
		return m
	case <-c.done:
		// pump queues everything before it stops; take what is left.
		select {
		case m := <-c.msgs:
			return m
		default:
		}
		c.t.Fatalf("%s: connection ended waiting for a message: %v", c.id, c.err)
	case <-time.After(testTimeout):
		c.t.Fatalf("%s: timed out waiting for a message", c.id)
	}
	return nil
}

// expect returns the next non-presence message and checks its type.
func (c *client) expect(typ signaling.Type) *signaling.Message {
	c.t.Helper()
	m := c.next()
	if m.Type != typ {
		c.t.Fatalf("%s got %s %+v (error %+v), want %s", c.id, m.Type, m, m.Error, typ)
	}
	return m
}

// expectError returns the next message, which must be an error with code.
func (c *client) expectError(code signaling.ErrorCode) *signaling.Message {
	c.t.Helper()
	m := c.expect(signaling.TypeError)
	if m.Error.Code != code {
		c.t.Fatalf("%s got error %+v, want code %s", c.id, m.Error, code)
	}
	return m
}

// awaitPresence reads presence updates until want holds.
func (c *client) awaitPresence(desc string, want func([]signaling.PresenceEntry) bool) {
	c.t.Helper()
	var last []signaling.PresenceEntry
	for {
		select {
		case users := <-c.presence:
			if want(users) {
				return
			}
			last = users
		case <-c.done:
			select {
			case users := <-c.presence:
				if want(users) {
					return
				}
				last = users
				continue
			default:
			}
			c.t.Fatalf("%s: connection ended waiting for presence %s: %v", c.id, desc, c.err)
		case <-time.After(testTimeout):
			c.t.Fatalf("%s: timed out waiting for presence %s; last %+v", c.id, desc, last)
		}
	}
}

// awaitClosed waits until the server ends the connection and returns why.
func (c *client) awaitClosed() error {
	c.t.Helper()
	select {
	case <-c.done:
		return c.err
	case <-time.After(testTimeout):
		c.t.Fatalf("%s: timed out waiting for close", c.id)
	}
	return nil
}

// expectQuiet checks that nothing but presence is pending, by a round trip
// to the server: an error reply to a probe must be the next message.
func (c *client) expectQuiet() {
	c.t.Helper()
	c.send(&signaling.Message{Type: signaling.TypeHangup, ID: "probe", CallID: "no-such-call"})
	m := c.expectError(signaling.CodeUnknownCall)
	if m.Error.Ref != "probe" {
		c.t.Fatalf("%s: unexpected message before probe reply: %+v", c.id, m)
	}
}

// statuses renders presence as "id=status" in order, for comparisons.
func statuses(users []signaling.PresenceEntry) []string {
	out := make([]string, len(users))
	for i, u := range users {
		out[i] = fmt.Sprintf("%s=%s", u.ID, u.Status)
	}
	return out
}

func presenceIs(want ...string) func([]signaling.PresenceEntry) bool {
	return func(users []signaling.PresenceEntry) bool { return slices.Equal(statuses(users), want) }
}

// call sets up an accepted call from a to b.
func setupCall(a, b *client, callID string) {
	a.t.Helper()
	a.send(&signaling.Message{Type: signaling.TypeInvite, To: b.id, CallID: callID, E2EE: true})
	b.expect(signaling.TypeInvite)
	b.send(&signaling.Message{Type: signaling.TypeAccept, CallID: callID, E2EE: true})
	a.expect(signaling.TypeAccept)
}
