package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/signaling"
)

// scriptConn is a server link that delivers what the test gives it and
// records what the client sends.
type scriptConn struct {
	in     chan *signaling.Message
	closed chan struct{}
	once   sync.Once

	mu         sync.Mutex
	sent       []*signaling.Message
	sentSignal chan struct{}
}

func newScriptConn() *scriptConn {
	return &scriptConn{in: make(chan *signaling.Message), closed: make(chan struct{}), sentSignal: make(chan struct{}, 1)}
}

func (s *scriptConn) Send(_ context.Context, m *signaling.Message) error {
	select {
	case <-s.closed:
		return signaling.ErrClosed
	default:
	}
	cp := *m
	s.mu.Lock()
	s.sent = append(s.sent, &cp)
	s.mu.Unlock()
	select {
	case s.sentSignal <- struct{}{}:
	default:
	}
	return nil
}

func (s *scriptConn) Recv(ctx context.Context) (*signaling.Message, error) {
	select {
	case m := <-s.in:
		return m, nil
	case <-s.closed:
		return nil, signaling.ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (s *scriptConn) Close() error {
	s.once.Do(func() { close(s.closed) })
	return nil
}

func (s *scriptConn) sentMessages() []*signaling.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sent)
}

// deliver hands m to the client's reader; false if the link is gone.
func (s *scriptConn) deliver(ctx context.Context, m *signaling.Message) bool {
	select {
	case s.in <- m:
		return true
	case <-s.closed:
		return false
	case <-ctx.Done():
		return false
	}
}

// serverTypes are what a script's server may send, client-to-server types
// included (a client must ignore or refuse them).
var serverTypes = []signaling.Type{
	signaling.TypePresence, signaling.TypePolicy, signaling.TypeInvite, signaling.TypeRinging,
	signaling.TypeAccept, signaling.TypeDecline, signaling.TypeOffer, signaling.TypeAnswer,
	signaling.TypeCandidate, signaling.TypeKeyAgreement, signaling.TypeHangup, signaling.TypeError,
	signaling.TypeChat, signaling.TypeChatAck, signaling.TypeWelcome, signaling.TypeStatus, "bogus",
	signaling.TypeCallRecord,
}

// serverStep decodes four script bytes into one message from the server.
func serverStep(b [4]byte, payload, dialed string) *signaling.Message {
	typ := serverTypes[int(b[0])%len(serverTypes)]
	from := []string{"bob", "carol", "", "alice"}[b[1]&3]
	calls := []string{dialed, "c1", "c2", ""}
	m := &signaling.Message{Type: typ, From: from, CallID: calls[(b[1]>>2)&3], E2EE: b[2]&1 != 0}
	if b[3] != 0 {
		m.ID = fmt.Sprint("s", b[3])
	}
	switch typ {
	case signaling.TypePresence:
		m.Users = []signaling.PresenceEntry{{ID: "bob", Name: payload, Status: signaling.StatusAvailable}, {ID: from, Status: signaling.Status(payload)}}
	case signaling.TypePolicy:
		m.Policy = &signaling.PolicyInfo{Name: payload, E2EE: []signaling.PolicyE2EE{signaling.PolicyUserCanEnable, signaling.PolicyDisabled, signaling.PolicyE2EE(payload)}[(b[2]>>1)%3]}
	case signaling.TypeOffer, signaling.TypeAnswer:
		m.SDP = payload
	case signaling.TypeCandidate:
		m.Candidate = &signaling.Candidate{Candidate: payload}
	case signaling.TypeKeyAgreement:
		m.Data = []byte(payload)
	case signaling.TypeDecline, signaling.TypeHangup:
		m.Reason = signaling.Reason(payload)
	case signaling.TypeError:
		m.Error = &signaling.ErrorInfo{Code: []signaling.ErrorCode{signaling.CodeUnknownCall, signaling.CodeBusy, signaling.CodeUnreachable, signaling.CodeRateLimited, signaling.ErrorCode(payload)}[(b[2]>>1)%5], Ref: fmt.Sprint("alice-", b[3])}
	case signaling.TypeChat, signaling.TypeChatAck:
		m.Chat = &signaling.ChatMessage{ID: fmt.Sprint(b[3]), From: from, To: "alice", Text: payload, Sent: 1}
		m.Ref = fmt.Sprint("alice-", b[3])
	case signaling.TypeWelcome:
		m.User = &signaling.User{ID: from, Name: payload}
	case signaling.TypeCallRecord:
		outcomes := []signaling.CallOutcome{signaling.OutcomeMissed, signaling.OutcomeAnswered, signaling.OutcomeAnsweredElsewhere, signaling.CallOutcome(payload)}
		m.Call = &signaling.CallRecord{ID: fmt.Sprint(b[3]), CallID: calls[(b[1]>>2)&3], Peer: from, Outgoing: b[2]&2 != 0,
			Start: int64(b[3]) * 1000, Duration: int64(b[2]), Outcome: outcomes[(b[2]>>2)&3]}
	}
	return m
}

// decodable returns m as signaling.Decode yields it from the wire, first
// as it is, then without the envelope fields its type may not carry; false
// when no real link could deliver it.
func decodable(m *signaling.Message) (*signaling.Message, bool) {
	for try := range 2 {
		if try == 1 {
			m.From, m.CallID, m.E2EE = "", "", false
		}
		b, err := json.Marshal(m)
		if err != nil {
			return nil, false
		}
		if d, err := signaling.Decode(b); err == nil {
			return d, true
		}
	}
	return nil, false
}

// FuzzClientMessages feeds the desktop client (as alice) a script of
// server messages, each one signaling.Decode accepts, through its server link, optionally after she dialed bob,
// with her E2EE switches as the input says. Properties: the client keeps
// running; no CallChanged ever shows the lock or a security code (no
// handshake can complete against a script); with E2EE and "only E2EE
// calls" on, no call gets past ringing without E2EE negotiated, whatever
// the server says; everything it sends is a
// valid message about a call it holds (or a decline of an invite), and it
// never accepts or answers a call, since its user never did; it never lists itself as a contact.
func FuzzClientMessages(f *testing.F) {
	const (
		modeDial = 1 << iota
		modeE2EE
		modeE2EEOnly
	)
	f.Add(uint8(0), []byte{2, 4, 0, 1, 10, 4, 0, 2}, "")                              // invite, hangup
	f.Add(uint8(modeDial), []byte{3, 0, 0, 1, 4, 0, 0, 2, 7, 0, 0, 3}, "v=0\r\n")     // ringing, accept, answer
	f.Add(uint8(modeDial|modeE2EE), []byte{4, 0, 1, 1, 9, 0, 0, 2, 9, 0, 0, 3}, "xx") // accept with E2EE, e2ee junk
	f.Add(uint8(modeE2EEOnly), []byte{2, 4, 0, 1}, "")                                // invite without E2EE
	f.Add(uint8(modeDial|modeE2EEOnly|modeE2EE), []byte{4, 0, 0, 1}, "")              // accepted without E2EE
	f.Add(uint8(0), []byte{2, 4, 1, 1, 6, 4, 0, 2, 8, 4, 0, 3}, "candidate:1 1 udp 2130706431 127.0.0.1 5000 typ host")
	f.Add(uint8(0), []byte{12, 0, 0, 1, 13, 0, 0, 2, 11, 0, 2, 3}, "hello")              // chat, chat-ack, error
	f.Add(uint8(modeDial), []byte{0, 3, 0, 0, 1, 0, 2, 0, 14, 3, 0, 0, 15, 0, 0, 0}, "") // presence with me, policy, welcome, status
	f.Add(uint8(modeDial), []byte{5, 0, 0, 1, 4, 0, 0, 2, 16, 0, 0, 3}, "busy")
	f.Add(uint8(0), []byte{17, 4, 0, 1, 17, 4, 0, 1, 17, 0, 4, 2}, "")                     // call records: missed twice (counted once), answered
	f.Add(uint8(modeDial|modeE2EE|modeE2EEOnly), []byte{1, 0, 2, 0, 4, 0, 0, 2}, "Global") // policy Disabled, then accepted without E2EE
	f.Fuzz(func(t *testing.T, mode uint8, script []byte, payload string) {
		if len(script) > 40 {
			script = script[:40]
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		settings := NewSettings(NewMemoryPreferences())
		settings.SetE2EECalls(mode&modeE2EE != 0)
		settings.SetE2EEOnly(mode&modeE2EEOnly != 0)
		conn := newScriptConn()
		ev := newEvents()
		c, err := NewClient(Config{
			ServerURL: "wss://script.invalid/ws",
			Me:        Contact{ID: "alice", Name: "Alice"},
			Settings:  settings,
			Device:    audio.NewSyntheticDevice(audio.Silence(), audio.NewRecorder(audio.SampleRate)),
			Listener:  ev,
			Logger:    quietLogger(),
			Dial: func(context.Context, string, signaling.User) (SignalConn, error) {
				return conn, nil
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		runCtx, stop := context.WithCancel(ctx)
		done := make(chan error, 1)
		go func() { done <- c.Run(runCtx) }()
		defer func() {
			stop()
			<-done
		}()
		syncs := 0
		// sync waits until the client has handled everything delivered so
		// far: its reader hands messages over in order, and a presence
		// listing a fresh name is visible once handled.
		sync := func() {
			syncs++
			marker := fmt.Sprint("sync-", syncs)
			if !conn.deliver(ctx, &signaling.Message{Type: signaling.TypePresence, Users: []signaling.PresenceEntry{
				{ID: "bob", Status: signaling.StatusAvailable}, {ID: "carol", Status: signaling.StatusAvailable}, {ID: marker, Status: signaling.StatusAvailable},
			}}) {
				t.Fatalf("the client dropped its server link")
			}
			ev.waitFor(t, marker, func(e *events) bool { _, ok := e.contact(marker); return ok })
		}
		if !conn.deliver(ctx, &signaling.Message{Type: signaling.TypePolicy, Policy: &signaling.PolicyInfo{Name: "Global", E2EE: signaling.PolicyUserCanEnable}}) {
			t.Fatal("link dropped")
		}
		sync()
		dialed := "none"
		if mode&modeDial != 0 {
			c.Call("bob")
			for dialed == "none" {
				for _, m := range conn.sentMessages() {
					if m.Type == signaling.TypeInvite {
						dialed = m.CallID
					}
				}
				if dialed == "none" {
					select {
					case <-conn.sentSignal:
					case <-ctx.Done():
						t.Fatal("no invite sent")
					}
				}
			}
		}
		invited := map[string]bool{} // a busy client declines invites it never holds
		for i := 0; i+4 <= len(script); i += 4 {
			m := serverStep([4]byte(script[i:i+4]), payload, dialed)
			// Only what a real link can deliver: signaling.Conn decodes
			// (and validates) every frame.
			m, ok := decodable(m)
			if !ok {
				continue
			}
			if m.Type == signaling.TypeInvite {
				invited[m.CallID] = true
			}
			if !conn.deliver(ctx, m) {
				t.Fatalf("the client dropped its server link at %s", m.Type)
			}
		}
		sync()
		select {
		case err := <-done:
			t.Fatalf("the client stopped: %v", err)
		default:
		}

		ev.mu.Lock()
		calls := slices.Clone(ev.calls)
		contacts := slices.Clone(ev.contacts)
		ev.mu.Unlock()
		for _, ci := range calls {
			if ci.E2EE || ci.Code != "" {
				t.Fatalf("a scripted server made the client show the lock: %+v", ci)
			}
			// The guard is the user's own choice (both switches on): no
			// message from the server may lift it (DESIGN.md).
			if mode&modeE2EEOnly != 0 && mode&modeE2EE != 0 && !ci.E2EENegotiated && (ci.State == CallConnecting || ci.State == CallSecuring || ci.State == CallActive) {
				t.Fatalf("only-E2EE user in a call without E2EE: %+v", ci)
			}
		}
		if slices.ContainsFunc(contacts, func(x Contact) bool { return x.ID == "alice" }) {
			t.Fatal("the client lists its own user as a contact")
		}
		held := map[string]bool{dialed: true}
		for _, ci := range calls {
			held[ci.ID] = true
		}
		for _, m := range conn.sentMessages() {
			if err := m.Validate(); err != nil && !errors.Is(err, signaling.ErrMalformed) {
				t.Fatalf("client sent %+v: %v", m, err)
			} else if err != nil {
				t.Fatalf("client sent an invalid %s: %v", m.Type, err)
			}
			switch {
			case m.Type == signaling.TypeAccept, m.Type == signaling.TypeAnswer:
				t.Fatalf("the client sent %s although its user never accepted: %+v", m.Type, m)
			case m.Type == signaling.TypeDecline && invited[m.CallID]:
			case m.Type.IsCallMessage() && !held[m.CallID]:
				t.Fatalf("the client sent %s about call %q, which it does not hold", m.Type, m.CallID)
			}
		}
	})
}
