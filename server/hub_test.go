package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"golang.org/x/time/rate"

	"github.com/parley-voip/parley/signaling"
)

// flushPresence runs the coalesced presence flush now, for tests that set
// PresenceCoalesce to an hour so that nothing flushes by itself.
func flushPresence(s *Server) {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	s.hub.flushPresence()
}

// rawPresence reads the next presence frame of a client that subscribed,
// raw (not folded into the view).
func nextPresenceFrame(t *testing.T, ws *websocket.Conn) *signaling.Message {
	t.Helper()
	for {
		_, b, err := ws.Read(testCtx(t))
		if err != nil {
			t.Fatalf("reading presence: %v", err)
		}
		m, err := signaling.DecodeLimit(b, signaling.MaxServerMessageBytes)
		if err != nil {
			t.Fatalf("server sent %q: %v", b, err)
		}
		if m.Type == signaling.TypePresence {
			return m
		}
	}
}

// Presence goes only to subscribers, as one user's change (not the whole
// list), and a burst of changes between two flushes is one frame with the
// last state.
func TestPresenceDeltasToSubscribersOnly(t *testing.T) {
	t.Parallel()
	s := startServer(t, Config{PresenceCoalesce: time.Hour})
	alice, bob := dial(t, s, "alice"), dial(t, s, "bob")
	alice.expectQuiet()
	bob.expectQuiet()
	flushPresence(s)
	watcher := rawDial(t, s)
	rawHello(t, watcher, "carol")
	rawWrite(t, watcher, websocket.MessageText, `{"type":"subscribe","id":"s1","ids":["alice","dave"]}`)
	snap := nextPresenceFrame(t, watcher)
	if snap.Ref != "s1" || strings.Join(statuses(snap.Users), " ") != "alice=available dave=offline" {
		t.Fatalf("snapshot = ref %q %v, want s1 [alice=available dave=offline]", snap.Ref, statuses(snap.Users))
	}
	// bob (not watched) and alice change; alice three times in one burst.
	bob.send(&signaling.Message{Type: signaling.TypeStatus, Status: signaling.StatusAway})
	for _, st := range []signaling.Status{signaling.StatusBusy, signaling.StatusAway, signaling.StatusBusy} {
		alice.send(&signaling.Message{Type: signaling.TypeStatus, Status: st})
	}
	alice.expectQuiet()
	bob.expectQuiet()
	flushPresence(s)
	d := nextPresenceFrame(t, watcher)
	if d.Ref != "" || strings.Join(statuses(d.Users), " ") != "alice=busy" {
		t.Fatalf("delta = ref %q %v, want alice=busy alone", d.Ref, statuses(d.Users))
	}
	// alice leaves: the watcher hears "offline", and the next frame is that.
	_ = alice.conn.Close()
	<-alice.done
	for {
		if online := s.Online(); len(online) == 2 { // bob and carol
			break
		}
		runtime.Gosched()
	}
	flushPresence(s)
	if d := nextPresenceFrame(t, watcher); strings.Join(statuses(d.Users), " ") != "alice=offline" {
		t.Fatalf("delta = %v, want alice=offline", statuses(d.Users))
	}
}

// Everyone-subscriptions are for the skeleton, the local organization and
// small organizations; past PresenceAllLimit online a client wants ids.
func TestPresenceSubscribeAllRefusedWhenMany(t *testing.T) {
	t.Parallel()
	o := startOrg(t, Config{PresenceAllLimit: 1}, "alice", "bob")
	alice, _ := o.connect("alice")
	alice.send(&signaling.Message{Type: signaling.TypeSubscribe, ID: "one", All: true})
	alice.awaitPresence("alice alone", presenceIs("alice=available"))
	o.connect("bob")
	alice.send(&signaling.Message{Type: signaling.TypeSubscribe, ID: "all", All: true})
	if m := alice.expectError(signaling.CodeNotAllowed); m.Error.Ref != "all" {
		t.Fatalf("error = %+v", m.Error)
	}
}

func TestRingTimeoutEndsInvite(t *testing.T) {
	t.Parallel()
	s := startServer(t, Config{RingTimeout: 50 * time.Millisecond})
	alice, bob, carol := dial(t, s, "alice"), dial(t, s, "bob"), dial(t, s, "carol")
	alice.send(&signaling.Message{Type: signaling.TypeInvite, To: "bob", CallID: "c1"})
	bob.expect(signaling.TypeInvite)
	// Nobody answers.
	for _, c := range []*client{alice, bob} {
		m := c.expect(signaling.TypeHangup)
		if m.CallID != "c1" || m.Reason != signaling.ReasonNoAnswer {
			t.Fatalf("%s got %+v, want hangup no-answer", c.id, m)
		}
	}
	bob.send(&signaling.Message{Type: signaling.TypeAccept, CallID: "c1"})
	bob.expectError(signaling.CodeUnknownCall)
	// bob is free again.
	carol.send(&signaling.Message{Type: signaling.TypeInvite, To: "bob", CallID: "c2"})
	if m := bob.expect(signaling.TypeInvite); m.From != "carol" {
		t.Fatalf("invite = %+v", m)
	}
}

func TestRateLimitedErrorCarriesRef(t *testing.T) {
	t.Parallel()
	s := startServer(t, Config{RateLimit: rate.Every(time.Hour), RateBurst: 2})
	alice := dial(t, s, "alice") // its subscribe takes the first token
	alice.send(&signaling.Message{Type: signaling.TypeHangup, ID: "m1", CallID: "none"})
	alice.expectError(signaling.CodeUnknownCall)
	alice.send(&signaling.Message{Type: signaling.TypeHangup, ID: "m2", CallID: "none"})
	if m := alice.expectError(signaling.CodeRateLimited); m.Error.Ref != "m2" {
		t.Fatalf("rate-limited error ref = %q, want m2", m.Error.Ref)
	}
}

// A flooder that does not read gets the documented 1008 close, not a
// dropped connection (1006) from a send queue filled with error replies.
func TestFloodIsClosedWith1008(t *testing.T) {
	t.Parallel()
	const flood = 20000
	s := startServer(t, Config{RateLimit: rate.Every(time.Hour), RateBurst: 1,
		RateAbuseLimit: flood - 10, SendQueue: 8})
	ws := rawDial(t, s)
	rawHello(t, ws, "mallory")
	ctx := testCtx(t)
	frame := []byte(`{"type":"hangup","id":"f","call_id":"none"}`)
	for i := 0; i < flood; i++ {
		if err := ws.Write(ctx, websocket.MessageText, frame); err != nil {
			break // the server closed
		}
	}
	for {
		_, _, err := ws.Read(ctx)
		if err == nil {
			continue
		}
		if got := websocket.CloseStatus(err); got != websocket.StatusPolicyViolation {
			t.Fatalf("flood ended with %v (status %d), want close 1008", err, got)
		}
		return
	}
}

// errorCounter counts log records at level ERROR, passing all to next.
type errorCounter struct {
	slog.Handler
	n *atomic.Int32
}

func (h errorCounter) Handle(ctx context.Context, r slog.Record) error {
	if r.Level >= slog.LevelError {
		h.n.Add(1)
	}
	return h.Handler.Handle(ctx, r)
}

func (h errorCounter) WithAttrs(as []slog.Attr) slog.Handler {
	return errorCounter{h.Handler.WithAttrs(as), h.n}
}

func (h errorCounter) WithGroup(g string) slog.Handler {
	return errorCounter{h.Handler.WithGroup(g), h.n}
}

// An id with whitespace gets an error reply that encodes (no ref: the id
// is what is invalid), and no client can make the server log an ERROR.
func TestInvalidIDGetsErrorWithoutErrorLog(t *testing.T) {
	t.Parallel()
	var n atomic.Int32
	log := slog.New(errorCounter{slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}), &n})
	o := startOrg(t, Config{Logger: log}, "alice", "bob")
	tok := o.signIn("alice").Token
	ws, _, err := websocket.Dial(testCtx(t), o.srv.URL(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	rawWrite(t, ws, websocket.MessageText, `{"type":"hello","token":"`+tok+`"}`)
	if m, err := rawNext(testCtx(t), t, ws); err != nil || m.Type != signaling.TypeWelcome {
		t.Fatalf("welcome = %+v, %v", m, err)
	}
	for _, id := range []string{"a b", "tab\there", "nbsp\u00a0x", strings.Repeat("x", 65)} {
		rawWrite(t, ws, websocket.MessageText, fmt.Sprintf(`{"type":"chat","id":%q,"to":"bob","text":"hi"}`, id))
		m, err := rawNext(testCtx(t), t, ws)
		if err != nil {
			t.Fatalf("id %q: no reply: %v", id, err)
		}
		if m.Type != signaling.TypeError || m.Error.Code != signaling.CodeMalformed || m.Error.Ref != "" {
			t.Fatalf("id %q: reply %+v %+v, want malformed without ref", id, m, m.Error)
		}
	}
	if got := n.Load(); got != 0 {
		t.Fatalf("%d ERROR log lines from a client's bad ids", got)
	}
}

// RFC 6455 §8.1: invalid UTF-8 in a text frame fails the connection with
// 1007, in hello and after it.
func TestInvalidUTF8Closes1007(t *testing.T) {
	t.Parallel()
	s := startServer(t, Config{})
	for _, signedIn := range []bool{false, true} {
		ws := rawDial(t, s)
		if signedIn {
			rawHello(t, ws, "alice")
		}
		rawWrite(t, ws, websocket.MessageText, "{\"type\":\"hello\",\"id\":\"\xff\xfe\"}")
		_, err := rawNext(testCtx(t), t, ws)
		if got := websocket.CloseStatus(err); got != websocket.StatusInvalidFramePayloadData {
			t.Fatalf("signed in %v: ended with %v (status %d), want 1007", signedIn, err, got)
		}
	}
}

func TestConnectionsPerUserLimited(t *testing.T) {
	t.Parallel()
	o := startOrg(t, Config{MaxConnsPerUser: 2}, "alice")
	o.connect("alice")
	o.connect("alice")
	tok := o.signIn("alice").Token
	_, err := signaling.Dial(testCtx(t), o.srv.URL(), signaling.User{}, signaling.WithToken(tok))
	var ce *signaling.CloseError
	if !errors.As(err, &ce) || ce.Code != signaling.CloseTooManyConnections || !strings.Contains(ce.Reason, "limit 2") {
		t.Fatalf("third connection: %v, want close %d with the limit", err, signaling.CloseTooManyConnections)
	}
}
