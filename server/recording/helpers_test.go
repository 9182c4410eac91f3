package recording

import (
	"context"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/parley-voip/parley/internal/pgtest"
	"github.com/parley-voip/parley/media/opus/opustest"
	"github.com/parley-voip/parley/server/policy"
	"github.com/parley-voip/parley/server/recording/recordingtest"
	"github.com/parley-voip/parley/server/store"
	"github.com/parley-voip/parley/server/store/storetest"
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

type fixture struct {
	svc   *Service
	clock *clock
	media *recordingtest.Media
	pol   *policy.Service
	db    *store.DB
	dir   string
}

type fixtureOpts struct {
	global func(*policy.Policy)
	open   func(testing.TB) *store.DB
}

type fixtureOpt func(*fixtureOpts)

// withGlobal changes the Global policy before the service starts.
func withGlobal(f func(*policy.Policy)) fixtureOpt {
	return func(o *fixtureOpts) { o.global = f }
}

// onDB opens the database with open (pgtest.EachDatabase's), instead of
// a fresh SQLite file.
func onDB(open func(testing.TB) *store.DB) fixtureOpt {
	return func(o *fixtureOpts) { o.open = open }
}

func TestMain(m *testing.M) { pgtest.Main(m) }

func newFixture(t *testing.T, opts ...fixtureOpt) *fixture {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	o := fixtureOpts{global: func(*policy.Policy) {}, open: storetest.Open}
	for _, opt := range opts {
		opt(&o)
	}
	db := o.open(t)
	kr, reload := recordingtest.Keys(t)
	pol, err := policy.NewService(policy.Config{Store: policy.NewSQLStore(db.SQL())})
	if err != nil {
		t.Fatal(err)
	}
	g := policy.DefaultGlobal()
	o.global(&g)
	if err := pol.UpdatePolicy(ctx, g); err != nil {
		t.Fatal(err)
	}
	f := &fixture{
		clock: &clock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)},
		media: recordingtest.NewMedia(),
		pol:   pol, db: db, dir: dir,
	}
	f.svc, err = New(ctx, Config{
		DB: db.SQL(), Dir: filepath.Join(dir, "recordings"), Keys: kr, Reload: reload,
		Media: f.media, Policies: pol, Now: f.clock.now,
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// newSender encodes pcm and plays it as user.
func newSender(t *testing.T, user string, ssrc uint32, pcm []int16) *recordingtest.Sender {
	t.Helper()
	pk, err := opustest.Encode(pcm)
	if err != nil {
		t.Fatal(err)
	}
	return recordingtest.NewSender(user, ssrc, pk)
}

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }
