package accounts

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/parley-voip/parley/server/store"
)

// testHash keeps argon2id cheap in tests; production uses DefaultHashParams.
var testHash = HashParams{Memory: 64, Time: 1, Threads: 1}

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// serviceOption adjusts the Config newTestService builds.
type serviceOption func(*Config)

func newTestService(t *testing.T, opts ...serviceOption) (*Service, *fakeClock) {
	t.Helper()
	db, err := store.Open(context.Background(), store.Config{Path: filepath.Join(t.TempDir(), store.FileName)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	clk := &fakeClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	cfg := Config{Store: NewSQLStore(db.SQL()), Hash: testHash, Now: clk.Now}
	for _, o := range opts {
		o(&cfg)
	}
	s, err := NewService(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, clk
}

func mustCreate(t *testing.T, s *Service, id string, admin bool) User {
	t.Helper()
	u, err := s.CreateUser(context.Background(), NewUser{ID: id, Password: id + "-password", Admin: admin, Email: id + "@example.org"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func mustSignIn(t *testing.T, s *Service, id string) SignedIn {
	t.Helper()
	res, err := s.SignIn(context.Background(), id, id+"-password", "192.0.2.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	return res
}
