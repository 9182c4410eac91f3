package app

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/server/org"
	"github.com/parley-voip/parley/server/org/orgtest"
	"github.com/parley-voip/parley/signaling"
)

// waitTimeout bounds every wait in these tests; it is a deadlock guard, not
// a speed assertion (a loaded CI machine must stay green).
const waitTimeout = 30 * time.Second

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// startServer runs a local organization (the one the app embeds): users
// are provisioned on first sight and the Global policy allows E2EE.
func startServer(t testing.TB) string {
	t.Helper()
	return startOrg(t, true).Server.URL()
}

// startOrg runs the organization server on loopback with its data in a
// temporary directory.
func startOrg(t testing.TB, local bool) *org.Org {
	t.Helper()
	return orgtest.Start(t, org.Config{Local: local})
}

// startLocalOrg is what main.go hands the Softphone: the real local
// organization of package server/org.
func startLocalOrg(ctx context.Context, dir, addr string, log *slog.Logger) (LocalOrg, error) {
	return org.StartLocal(ctx, dir, addr, log)
}

// events records what a Client reports, for tests to wait on.
type events struct {
	mu       sync.Mutex
	changed  chan struct{}
	me       Contact
	connErr  error
	signedIn bool
	contacts []Contact
	calls    []CallInfo
	policy   *Policy
	notices  []string
	convs    map[string]Conversation
	history  []CallHistoryUpdate
	// elsewhere: the user has a call on another device (CallElsewhere).
	elsewhere bool
}

func newEvents() *events { return &events{changed: make(chan struct{}, 1)} }

func (e *events) poke() {
	select {
	case e.changed <- struct{}{}:
	default:
	}
}

func (e *events) Connected(me Contact, err error) {
	e.mu.Lock()
	e.me, e.connErr, e.signedIn = me, err, err == nil
	e.mu.Unlock()
	e.poke()
}

func (e *events) ContactsChanged(cs []Contact) {
	e.mu.Lock()
	e.contacts = cs
	e.mu.Unlock()
	e.poke()
}

func (e *events) CallChanged(c CallInfo) {
	e.mu.Lock()
	e.calls = append(e.calls, c)
	e.mu.Unlock()
	e.poke()
}

// waitFor polls cond on every event until it holds or the guard expires.
func (e *events) waitFor(t testing.TB, what string, cond func(e *events) bool) {
	t.Helper()
	deadline := time.NewTimer(waitTimeout)
	defer deadline.Stop()
	for {
		e.mu.Lock()
		ok := cond(e)
		e.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-e.changed:
		case <-deadline.C:
			e.mu.Lock()
			defer e.mu.Unlock()
			t.Fatalf("timed out waiting for %s; calls seen: %+v", what, e.calls)
		}
	}
}

func (e *events) ChatChanged(c Conversation) {
	e.mu.Lock()
	if e.convs == nil {
		e.convs = map[string]Conversation{}
	}
	e.convs[c.Peer] = c
	e.mu.Unlock()
	e.poke()
}

// waitChat waits until the conversation with peer satisfies cond and
// returns it.
func (e *events) waitChat(t testing.TB, what, peer string, cond func(Conversation) bool) Conversation {
	t.Helper()
	var got Conversation
	e.waitFor(t, what, func(e *events) bool {
		got = e.convs[peer]
		return cond(got)
	})
	return got
}

// contact returns the listed contact with id.
func (e *events) contact(id string) (Contact, bool) {
	for _, c := range e.contacts {
		if c.ID == id {
			return c, true
		}
	}
	return Contact{}, false
}

func (e *events) CallHistoryChanged(u CallHistoryUpdate) {
	e.mu.Lock()
	e.history = append(e.history, u)
	e.mu.Unlock()
	e.poke()
}

// waitRecord waits for a pushed call history record of callID and returns
// it with the missed count the same update carried.
func (e *events) waitRecord(t testing.TB, what, callID string) (CallRecord, int) {
	t.Helper()
	var got CallHistoryUpdate
	e.waitFor(t, what, func(e *events) bool {
		for _, u := range e.history {
			if u.Added != nil && u.Added.CallID == callID {
				got = u
				return true
			}
		}
		return false
	})
	return *got.Added, got.UnseenMissed
}

func (e *events) PolicyChanged(p Policy) {
	e.mu.Lock()
	e.policy = &p
	e.mu.Unlock()
	e.poke()
}

func (e *events) CallElsewhere(on bool) {
	e.mu.Lock()
	e.elsewhere = on
	e.mu.Unlock()
	e.poke()
}

func (e *events) Notice(text string) {
	e.mu.Lock()
	e.notices = append(e.notices, text)
	e.mu.Unlock()
	e.poke()
}

func (e *events) lastCall() CallInfo {
	if len(e.calls) == 0 {
		return CallInfo{}
	}
	return e.calls[len(e.calls)-1]
}

// waitCall waits until the latest call snapshot satisfies cond and returns it.
func (e *events) waitCall(t testing.TB, what string, cond func(CallInfo) bool) CallInfo {
	t.Helper()
	var got CallInfo
	e.waitFor(t, what, func(e *events) bool {
		got = e.lastCall()
		return len(e.calls) > 0 && cond(got)
	})
	return got
}

func (e *events) count() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.calls)
}

// waitCallAfter is waitCall for a snapshot newer than the first n.
func (e *events) waitCallAfter(t testing.TB, n int, what string, cond func(CallInfo) bool) CallInfo {
	t.Helper()
	var got CallInfo
	e.waitFor(t, what, func(e *events) bool {
		got = e.lastCall()
		return len(e.calls) > n && cond(got)
	})
	return got
}

// everShown reports whether any snapshot so far satisfied cond.
func (e *events) everShown(cond func(CallInfo) bool) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, c := range e.calls {
		if cond(c) {
			return true
		}
	}
	return false
}

type testUser struct {
	*Client
	ev       *events
	rec      *audio.Recorder
	cancel   context.CancelFunc
	done     chan error
	stopOnce sync.Once

	mu   sync.Mutex
	conn SignalConn // the live server link, for tests that cut it
}

type userOption func(*Config)

func withDial(d DialFunc) userOption { return func(c *Config) { c.Dial = d } }

// startUser signs a headless client in and waits until the server has
// said what the policy allows. Its device plays src into the call and
// records what it hears.
func startUser(t testing.TB, url, id string, e2ee bool, src audio.Source, opts ...userOption) *testUser {
	t.Helper()
	u := runUser(t, url, id, e2ee, src, opts...)
	// Signed in, and the server has said what the policy allows.
	u.ev.waitFor(t, id+" signed in", func(e *events) bool { return e.signedIn && e.policy != nil })
	return u
}

// runUser starts a headless client without waiting for anything.
func runUser(t testing.TB, url, id string, e2ee bool, src audio.Source, opts ...userOption) *testUser {
	t.Helper()
	settings := NewSettings(NewMemoryPreferences())
	settings.SetE2EECalls(e2ee)
	rec := audio.NewRecorder(audio.SampleRate * 30)
	ev := newEvents()
	cfg := Config{
		ServerURL: url,
		Me:        Contact{ID: id, Name: id},
		Settings:  settings,
		Device:    audio.NewSyntheticDevice(src, rec),
		Listener:  ev,
		Logger:    quietLogger(),
	}
	for _, o := range opts {
		o(&cfg)
	}
	u := &testUser{ev: ev, rec: rec, done: make(chan error, 1)}
	dial := cfg.withDefaults().Dial // the app's own dialer, with Token if set
	cfg.Dial = func(ctx context.Context, url string, user signaling.User) (SignalConn, error) {
		conn, err := dial(ctx, url, user)
		u.mu.Lock()
		u.conn = conn
		u.mu.Unlock()
		return conn, err
	}
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	u.Client, u.cancel = c, cancel
	go func() { u.done <- c.Run(ctx) }()
	t.Cleanup(u.stop)
	return u
}

// sync returns once everything posted to u's Run goroutine so far (an
// Accept, a Call) has run.
func (u *testUser) sync(t testing.TB) {
	t.Helper()
	done := make(chan struct{})
	if !u.post(func() { close(done) }) {
		t.Fatal(u.Me().ID + " has stopped")
	}
	<-done
}

// stop signs out as the app does on quit: the call is hung up first.
func (u *testUser) stop() {
	u.stopOnce.Do(func() {
		u.cancel()
		<-u.done
	})
}

// crash drops the server link without a word, as when the process dies
// or the network goes.
func (u *testUser) crash() {
	u.mu.Lock()
	conn := u.conn
	u.mu.Unlock()
	_ = conn.Close()
}

// endsWith waits for u's call to end and checks why.
func (u *testUser) endsWith(t testing.TB, want EndReason) CallInfo {
	t.Helper()
	got := u.ev.waitCall(t, u.Me().ID+"'s call ends", CallInfo.Ended)
	if got.End != want {
		t.Fatalf("%s sees %q, want %q", u.Me().ID, got.EndMessage(), want.Message())
	}
	return got
}

// newTwo starts a server with two users, alice and bob, each playing a
// fresh source from newSrc (a Source keeps its position: one per device).
func newTwo(t *testing.T, e2eeAlice, e2eeBob bool, newSrc func() audio.Source) (alice, bob *testUser) {
	t.Helper()
	url := startServer(t)
	return startUser(t, url, "alice", e2eeAlice, newSrc()), startUser(t, url, "bob", e2eeBob, newSrc())
}

// sees waits until u's directory lists id with the given presence.
func (u *testUser) sees(t testing.TB, id string, p Presence) {
	t.Helper()
	u.ev.waitFor(t, "presence of "+id, func(e *events) bool {
		for _, c := range e.contacts {
			if c.ID == id && c.Presence == p {
				return true
			}
		}
		return false
	})
}
