package recording

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/pion/rtp"

	"github.com/parley-voip/parley/media/opus/opustest"
	"github.com/parley-voip/parley/server/chat"
	"github.com/parley-voip/parley/server/policy"
	"github.com/parley-voip/parley/server/sfu"
	"github.com/parley-voip/parley/server/store"
)

// clock is a manual clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// media stands in for server/sfu's room while the media service has no
// rooms to tap: it hands out taps by call id and refuses E2EE calls and
// calls it does not carry with the service's own errors.
type media struct {
	mu   sync.Mutex
	taps map[string][]sfu.Tap
	e2ee map[string]bool
	open map[string]bool
}

func (m *media) AddTap(callID string, t sfu.Tap) (func(), error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch {
	case m.e2ee[callID]:
		return nil, sfu.ErrE2EE
	case !m.open[callID]:
		return nil, sfu.ErrNoSuchRoom
	}
	m.taps[callID] = append(m.taps[callID], t)
	return func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		m.taps[callID] = nil
	}, nil
}

func (m *media) tap(callID string) sfu.Tap {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.taps[callID]) == 0 {
		return nil
	}
	return m.taps[callID][0]
}

type fixture struct {
	svc   *Service
	clock *clock
	media *media
	pol   *policy.Service
	db    *store.DB
	dir   string
}

type fixtureOpt func(*policy.Policy)

// withGlobal changes the Global policy before the service starts.
func withGlobal(f func(*policy.Policy)) fixtureOpt { return f }

func newFixture(t *testing.T, opts ...fixtureOpt) *fixture {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, store.Config{Path: filepath.Join(dir, store.FileName)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	kr, err := chat.LoadKeyring(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	pol, err := policy.NewService(policy.Config{Store: policy.NewSQLStore(db.SQL())})
	if err != nil {
		t.Fatal(err)
	}
	g := policy.DefaultGlobal()
	for _, o := range opts {
		o(&g)
	}
	if err := pol.UpdatePolicy(ctx, g); err != nil {
		t.Fatal(err)
	}
	f := &fixture{
		clock: &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)},
		media: &media{taps: map[string][]sfu.Tap{}, e2ee: map[string]bool{}, open: map[string]bool{}},
		pol:   pol, db: db, dir: dir,
	}
	f.svc, err = New(ctx, Config{
		DB: db.SQL(), Dir: filepath.Join(dir, "recordings"), Keys: kr,
		Reload: func() (*chat.Keyring, error) { return chat.LoadKeyring(dir, false) },
		Media:  f.media, Policies: pol, Now: f.clock.now,
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// sender plays one participant's packets into a tap.
type sender struct {
	p       sfu.Participant
	packets [][]byte
	seq     uint16
	ts      uint32
}

func newSender(t *testing.T, user string, ssrc uint32, pcm []int16) *sender {
	t.Helper()
	pk, err := opustest.Encode(pcm)
	if err != nil {
		t.Fatal(err)
	}
	return &sender{p: sfu.Participant{UserID: user, Name: user, SSRC: ssrc, ClockRate: 48000}, packets: pk, ts: 12345 * ssrc}
}

// send delivers the next packet; false when all were sent.
func (s *sender) send(tap sfu.Tap) bool {
	if len(s.packets) == 0 {
		return false
	}
	tap.Packet(s.p, &rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: 111, SequenceNumber: s.seq, Timestamp: s.ts, SSRC: s.p.SSRC}, Payload: s.packets[0]})
	s.packets = s.packets[1:]
	s.seq++
	s.ts += opustest.Frame
	return true
}

// skip drops the next packet (loss or DTX), advancing the timestamp.
func (s *sender) skip() {
	s.packets = s.packets[1:]
	s.seq++
	s.ts += opustest.Frame
}
