package app

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/parley-voip/parley/crypto/e2ee"
	"github.com/parley-voip/parley/crypto/fingerprint"
	"github.com/parley-voip/parley/crypto/identity"
	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/rtc"
	"github.com/parley-voip/parley/signaling"
)

// mitmConn sits on the caller's server link, the position of a malicious
// signaling server: it sees and may rewrite every message both ways. It
// runs its own E2EE handshakes, as responder toward the caller and as
// initiator toward the callee, and substitutes its messages for theirs.
// (It cannot touch the media: DTLS runs end to end and its fingerprints
// are in both transcripts.)
type mitmConn struct {
	SignalConn
	me, peer string

	in       chan *signaling.Message
	errc     chan error
	mu       sync.Mutex
	fpMe     fingerprint.Fingerprint
	fpPeer   fingerprint.Fingerprint
	callID   string
	toMe     *e2ee.Handshake // the MITM pretending to be the callee
	toPeer   *e2ee.Handshake // the MITM pretending to be the caller
	failed   error
	identity *identity.PrivateKey
}

func newMITM(real SignalConn, me string) *mitmConn {
	m := &mitmConn{SignalConn: real, me: me, in: make(chan *signaling.Message, 16), errc: make(chan error, 1)}
	go func() {
		for {
			msg, err := real.Recv(context.Background())
			if err != nil {
				m.errc <- err
				return
			}
			m.fromPeer(msg)
		}
	}()
	return m
}

func (m *mitmConn) Recv(ctx context.Context) (*signaling.Message, error) {
	select {
	case msg := <-m.in:
		return msg, nil
	case err := <-m.errc:
		return nil, err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (m *mitmConn) config(role e2ee.Role) e2ee.Config {
	if m.identity == nil {
		m.identity, _ = identity.Generate(nil) // the attacker's own device key
	}
	return e2ee.Config{Role: role, Identity: m.identity, CallID: m.callID, InitiatorID: m.me, ResponderID: m.peer,
		InitiatorFingerprint: m.fpMe, ResponderFingerprint: m.fpPeer}
}

// Send sees the caller's messages before the server does.
func (m *mitmConn) Send(ctx context.Context, msg *signaling.Message) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch msg.Type {
	case signaling.TypeInvite:
		m.peer, m.callID = msg.To, msg.CallID
	case signaling.TypeOffer:
		m.fpMe, _ = rtc.ParseFingerprint(msg.SDP)
	case signaling.TypeKeyAgreement:
		if m.toMe == nil {
			var err error
			if m.toMe, err = e2ee.New(m.config(e2ee.Responder)); err != nil {
				m.failed = err
				return nil
			}
			if m.toPeer, err = e2ee.New(m.config(e2ee.Initiator)); err != nil {
				m.failed = err
				return nil
			}
			commit, err := m.toPeer.Start()
			if err != nil {
				m.failed = err
				return nil
			}
			if err := m.SignalConn.Send(ctx, m.rewrite(msg, commit)); err != nil {
				return err
			}
		}
		reply, err := m.toMe.Handle(msg.Data)
		if err != nil {
			m.failed = err
			return nil
		}
		if reply != nil {
			m.in <- &signaling.Message{Type: signaling.TypeKeyAgreement, From: m.peer, CallID: m.callID, Data: reply}
		}
		return nil // the caller's own message never reaches the callee
	}
	return m.SignalConn.Send(ctx, msg)
}

func (m *mitmConn) rewrite(msg *signaling.Message, data []byte) *signaling.Message {
	c := *msg
	c.Data = data
	return &c
}

// fromPeer sees the callee's messages before the caller does.
func (m *mitmConn) fromPeer(msg *signaling.Message) {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch msg.Type {
	case signaling.TypeAnswer:
		m.fpPeer, _ = rtc.ParseFingerprint(msg.SDP)
	case signaling.TypeKeyAgreement:
		if m.toPeer == nil {
			return
		}
		reply, err := m.toPeer.Handle(msg.Data)
		if err != nil {
			m.failed = err
			return
		}
		if reply != nil {
			out := &signaling.Message{Type: signaling.TypeKeyAgreement, To: m.peer, CallID: m.callID, Data: reply}
			_ = m.SignalConn.Send(context.Background(), out)
		}
		return
	}
	m.in <- msg
}

func TestManInTheMiddleNeverGetsMatchingCodes(t *testing.T) {
	t.Parallel()
	url := startServer(t)
	var mitm *mitmConn
	alice := startUser(t, url, "alice", true, audio.Chirp(), interpose(func(real SignalConn, me string) SignalConn {
		mitm = newMITM(real, me)
		return mitm
	}))
	bob := startUser(t, url, "bob", true, audio.Chirp())

	ca, cb := placeCall(t, alice, bob)
	mitm.mu.Lock()
	mitmErr := mitm.failed
	mitm.mu.Unlock()
	if mitmErr != nil {
		t.Fatalf("the man in the middle itself failed, so the test proves nothing: %v", mitmErr)
	}
	switch {
	case ca.End == EndE2EEFailed || cb.End == EndE2EEFailed:
		t.Logf("handshake failed: %q / %q", ca.EndMessage(), cb.EndMessage())
	case ca.E2EE && cb.E2EE:
		if ca.Code == cb.Code {
			t.Fatalf("the man in the middle made both sides show the same code %q", ca.Code)
		}
		t.Logf("codes differ, as they must: alice %s, bob %s", ca.Code, cb.Code)
	default:
		t.Fatalf("unexpected outcome: alice %+v, bob %+v", ca, cb)
	}
}

// tamperConn flips one bit of the first key-agreement message the callee
// sends back (its hello), as a crude attacker would.
type tamperConn struct {
	SignalConn
	once sync.Once
}

func (c *tamperConn) Recv(ctx context.Context) (*signaling.Message, error) {
	msg, err := c.SignalConn.Recv(ctx)
	if err == nil && msg.Type == signaling.TypeKeyAgreement {
		c.once.Do(func() {
			msg.Data = append([]byte(nil), msg.Data...)
			msg.Data[len(msg.Data)-1] ^= 1
		})
	}
	return msg, err
}

func TestTamperedKeyAgreementFailsLoudly(t *testing.T) {
	t.Parallel()
	url := startServer(t)
	alice := startUser(t, url, "alice", true, audio.Chirp(), interpose(func(real SignalConn, _ string) SignalConn {
		return &tamperConn{SignalConn: real}
	}))
	bob := startUser(t, url, "bob", true, audio.Chirp())

	ca, cb := placeCall(t, alice, bob)
	if ca.End != EndE2EEFailed || cb.End != EndE2EEFailed {
		t.Fatalf("want E2EE failure on both sides, got %q / %q", ca.EndMessage(), cb.EndMessage())
	}
	if ca.EndMessage() != E2EEFailedMessage {
		t.Fatalf("message %q", ca.EndMessage())
	}
	for _, u := range []*testUser{alice, bob} {
		if u.ev.everShown(func(c CallInfo) bool { return c.E2EE || c.State == CallActive }) {
			t.Fatal("the lock or media was shown for a call whose handshake failed")
		}
	}
}

// dropConn loses the caller's first key-agreement message, as a relay that
// drops (or rate-limits) it would.
type dropConn struct {
	SignalConn
	once sync.Once
}

func (c *dropConn) Send(ctx context.Context, m *signaling.Message) error {
	drop := false
	if m.Type == signaling.TypeKeyAgreement {
		c.once.Do(func() { drop = true })
	}
	if drop {
		return nil
	}
	return c.SignalConn.Send(ctx, m)
}

// A handshake that never completes ends as an E2EE failure on both sides
// after the set-up timeout, never as a call stuck in "Securing…" or one
// that quietly goes on without E2EE.
func TestLostKeyAgreementMessageTimesOut(t *testing.T) {
	t.Parallel()
	url := startServer(t)
	quick := func(c *Config) { c.SetupTimeout = 500 * time.Millisecond }
	alice := startUser(t, url, "alice", true, audio.Chirp(), interpose(func(real SignalConn, _ string) SignalConn {
		return &dropConn{SignalConn: real}
	}), quick)
	bob := startUser(t, url, "bob", true, audio.Chirp(), quick)
	alice.sees(t, "bob", PresenceOnline)
	alice.Call("bob")
	bob.ev.waitCall(t, "incoming", func(c CallInfo) bool { return c.State == CallIncoming })
	bob.Accept()
	alice.endsWith(t, EndE2EEFailed)
	bob.endsWith(t, EndE2EEFailed)
	for _, u := range []*testUser{alice, bob} {
		if u.ev.everShown(func(c CallInfo) bool { return c.E2EE || c.State == CallActive }) {
			t.Fatalf("%s: the call went ahead", u.Me().ID)
		}
	}
}

// interpose puts wrap between the client and its real server link: where
// an attacker on the signaling path sits.
func interpose(wrap func(real SignalConn, me string) SignalConn) userOption {
	return withDial(func(ctx context.Context, url string, user signaling.User) (SignalConn, error) {
		real, err := signaling.Dial(ctx, url, user)
		if err != nil {
			return nil, err
		}
		return wrap(real, user.ID), nil
	})
}

// rewriteConn lets a test change messages on their way: out sees what the
// client sends, in what it receives, before they pass (nil: unchanged). A
// message is a copy; changing it does not touch the sender's.
type rewriteConn struct {
	SignalConn
	out, in func(*signaling.Message)
}

func (c *rewriteConn) Send(ctx context.Context, m *signaling.Message) error {
	if c.out != nil {
		cp := *m
		c.out(&cp)
		m = &cp
	}
	return c.SignalConn.Send(ctx, m)
}

func (c *rewriteConn) Recv(ctx context.Context) (*signaling.Message, error) {
	m, err := c.SignalConn.Recv(ctx)
	if err == nil && c.in != nil {
		c.in(m)
	}
	return m, err
}

// rewrite is interpose with a rewriteConn.
func rewrite(out, in func(*signaling.Message)) userOption {
	return interpose(func(real SignalConn, _ string) SignalConn {
		return &rewriteConn{SignalConn: real, out: out, in: in}
	})
}

// holdConn keeps the server's policy push from the client until release
// is closed; everything else passes at once (a slow policy service).
type holdConn struct {
	SignalConn
	release chan struct{}
	in      chan *signaling.Message
	errc    chan error
}

func newHoldConn(real SignalConn, release chan struct{}) *holdConn {
	c := &holdConn{SignalConn: real, release: release, in: make(chan *signaling.Message, 64), errc: make(chan error, 1)}
	go func() {
		for {
			msg, err := real.Recv(context.Background())
			if err != nil {
				c.errc <- err
				return
			}
			if msg.Type == signaling.TypePolicy {
				go func() {
					<-release
					c.in <- msg
				}()
				continue
			}
			c.in <- msg
		}
	}()
	return c
}

func (c *holdConn) Recv(ctx context.Context) (*signaling.Message, error) {
	select {
	case m := <-c.in:
		return m, nil
	case err := <-c.errc:
		return nil, err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
