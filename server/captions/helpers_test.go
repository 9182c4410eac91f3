package captions

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/pion/rtp"

	"github.com/parley-voip/parley/media/speech/speechtest"
	"github.com/parley-voip/parley/server/chat"
	"github.com/parley-voip/parley/server/sfu"
	"github.com/parley-voip/parley/server/store"
	"github.com/parley-voip/parley/signaling"
)

// inbox records what each user was sent.
type inbox struct {
	mu   sync.Mutex
	msgs map[string][]*signaling.Message
	at   map[*signaling.Message]time.Time // when it was sent
	ch   chan struct{}
}

func newInbox() *inbox {
	return &inbox{msgs: map[string][]*signaling.Message{}, at: map[*signaling.Message]time.Time{}, ch: make(chan struct{}, 1)}
}

// sentAt is when m was handed to the notifier.
func (b *inbox) sentAt(m *signaling.Message) time.Time {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.at[m]
}

func (b *inbox) Notify(userID string, m *signaling.Message) int {
	b.mu.Lock()
	b.msgs[userID] = append(b.msgs[userID], m)
	b.at[m] = time.Now()
	b.mu.Unlock()
	select {
	case b.ch <- struct{}{}:
	default:
	}
	return 1
}

// wait waits (up to d) for a message to userID that ok accepts.
func (b *inbox) wait(t *testing.T, userID string, d time.Duration, what string, ok func(*signaling.Message) bool) *signaling.Message {
	t.Helper()
	return b.waitFrom(t, userID, 0, d, what, ok)
}

// waitFrom is wait for messages after the first from.
func (b *inbox) waitFrom(t *testing.T, userID string, from int, d time.Duration, what string, ok func(*signaling.Message) bool) *signaling.Message {
	t.Helper()
	deadline := time.After(d)
	for {
		b.mu.Lock()
		for _, m := range b.msgs[userID][min(from, len(b.msgs[userID])):] {
			if ok(m) {
				b.mu.Unlock()
				return m
			}
		}
		b.mu.Unlock()
		select {
		case <-b.ch:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			t.Fatalf("%s never got %s", userID, what)
		}
	}
}

func (b *inbox) all(userID string) []*signaling.Message {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.Clone(b.msgs[userID])
}

// room stands in for the media service's room: it delivers RTP packets
// to the taps as sfu.Service does (after validation, one at a time).
type room struct {
	mu      sync.Mutex
	callID  string
	e2ee    bool
	members []sfu.Participant
	taps    []sfu.Tap
}

// check answers as the media service does for an E2EE call or an unknown
// (or empty) room. Called with r.mu held.
func (r *room) check(callID string) error {
	switch {
	case r.e2ee:
		return sfu.ErrE2EE
	case callID != r.callID || len(r.members) == 0:
		return sfu.ErrNoSuchRoom
	}
	return nil
}

func (r *room) AddTap(callID string, t sfu.Tap) (func(), error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.check(callID); err != nil {
		return nil, err
	}
	r.taps = append(r.taps, t)
	for _, p := range r.members {
		t.Joined(p)
	}
	return func() {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.taps = slices.DeleteFunc(r.taps, func(x sfu.Tap) bool { return x == t })
	}, nil
}

func (r *room) Roster(callID string) ([]sfu.Status, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if err := r.check(callID); err != nil {
		return nil, err
	}
	var out []sfu.Status
	for _, p := range r.members {
		out = append(out, sfu.Status{UserID: p.UserID, Name: p.Name})
	}
	return out, nil
}

func (r *room) join(p sfu.Participant) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.members = append(r.members, p)
	for _, t := range r.taps {
		t.Joined(p)
	}
}

func (r *room) leave(userID string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	i := slices.IndexFunc(r.members, func(p sfu.Participant) bool { return p.UserID == userID })
	p := r.members[i]
	r.members = slices.Delete(r.members, i, i+1)
	for _, t := range r.taps {
		t.Left(p)
	}
}

// send delivers one RTP packet of p to the taps, as the forwarder does.
func (r *room) send(p sfu.Participant, pkt *rtp.Packet) {
	r.mu.Lock()
	taps := slices.Clone(r.taps)
	r.mu.Unlock()
	for _, t := range taps {
		t.Packet(p, pkt)
	}
}

// talk sends Opus packets as p's RTP stream, paced at real time by rate
// (1 = real time, 0 = as fast as the queue allows).
func (r *room) talk(p sfu.Participant, pkts [][]byte, seq uint16, pace time.Duration) uint16 {
	for _, pl := range pkts {
		r.send(p, &rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 111, SequenceNumber: seq, Timestamp: uint32(seq) * 960, SSRC: p.SSRC}, Payload: pl})
		seq++
		if pace > 0 {
			time.Sleep(pace)
		}
	}
	return seq
}

type rigOptions struct {
	worker  bool
	policy  Policy
	e2ee    bool
	media   Media
	backoff time.Duration
}

type rigOption func(*rigOptions)

func withWorker() rigOption         { return func(o *rigOptions) { o.worker = true } }
func withPolicy(p Policy) rigOption { return func(o *rigOptions) { o.policy = p } }
func withE2EE() rigOption           { return func(o *rigOptions) { o.e2ee = true } }

// withMedia runs captions over m (a real media service) instead of the
// stand-in room.
func withMedia(m Media) rigOption { return func(o *rigOptions) { o.media = m } }

type rig struct {
	svc   *Service
	room  *room
	inbox *inbox
	db    *store.DB
	chat  *chat.Service
}

var (
	alice = sfu.Participant{UserID: "alice", Name: "Alice Liddell", SSRC: 1111, ClockRate: 48000}
	bob   = sfu.Participant{UserID: "bob", Name: "Bob Dobbs", SSRC: 2222, ClockRate: 48000}
)

func allowAll(context.Context, string) (bool, int, error) { return true, 30, nil }

// newRig runs a captions Service over a real database, the chat keys and
// (withWorker) the real worker, in a call of alice and bob.
func newRig(t *testing.T, opts ...rigOption) *rig {
	t.Helper()
	o := rigOptions{policy: allowAll, backoff: 50 * time.Millisecond}
	for _, f := range opts {
		f(&o)
	}
	db, err := store.Open(context.Background(), store.Config{Path: filepath.Join(t.TempDir(), "parley.db"), Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	kr, err := chat.ParseKeyring([]byte("k1 " + "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=\n"))
	if err != nil {
		t.Fatal(err)
	}
	cs, err := chat.New(chat.Config{DB: db.SQL(), Keys: kr})
	if err != nil {
		t.Fatal(err)
	}
	r := &room{callID: "call-1", e2ee: o.e2ee}
	r.join(alice)
	r.join(bob)
	in := newInbox()
	var media Media = r
	if o.media != nil {
		media = o.media
	}
	cfg := Config{
		Media: media, Policy: o.policy, Notifier: in, Sealer: cs, DB: db.SQL(),
		MinBackoff: o.backoff, MaxBackoff: o.backoff, FlushWait: 10 * time.Second,
	}
	if o.worker {
		cfg.Worker = speechtest.Worker(t)
	}
	svc, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	svc.Start(context.Background())
	t.Cleanup(svc.Close)
	return &rig{svc: svc, room: r, inbox: in, db: db, chat: cs}
}

// waitUp waits until the worker is ready.
func (g *rig) waitUp(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		g.svc.mu.Lock()
		up := g.svc.up
		g.svc.mu.Unlock()
		if up {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("captions worker never became ready")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func captionsMsg(callID string, on bool) *signaling.Message {
	return &signaling.Message{Type: signaling.TypeCaptions, CallID: callID, Captions: &signaling.CaptionsInfo{On: on}}
}

func isState(st signaling.CaptionsState) func(*signaling.Message) bool {
	return func(m *signaling.Message) bool {
		return m.Type == signaling.TypeCaptions && m.Captions != nil && m.Captions.State == st
	}
}

func isFinal(m *signaling.Message) bool {
	return m.Type == signaling.TypeCaption && m.Caption.Final
}
