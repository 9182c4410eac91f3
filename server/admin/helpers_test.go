package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"

	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/policy"
	"github.com/parley-voip/parley/server/store"
)

// pushes records policy pushes for a fixed set of online users.
type pushes struct {
	mu     sync.Mutex
	online []string
	got    map[string]policy.Effective
}

func (p *pushes) Online() []string { return p.online }

func (p *pushes) PushPolicy(u string, e policy.Effective) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.got[u] = e
}

func (p *pushes) last(u string) (policy.Effective, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	e, ok := p.got[u]
	return e, ok
}

type env struct {
	srv    *httptest.Server
	acc    *accounts.Service
	pol    *policy.Service
	pushes *pushes
	admin  string // root's token
	user   string // alice's token
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{Path: filepath.Join(t.TempDir(), store.FileName)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	acc, err := accounts.NewService(accounts.Config{
		Store: accounts.NewSQLStore(db.SQL()),
		Hash:  accounts.HashParams{Memory: 64, Time: 1, Threads: 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	p := &pushes{online: []string{"alice", "bob"}, got: map[string]policy.Effective{}}
	pol, err := policy.NewService(policy.Config{Store: policy.NewSQLStore(db.SQL()), Notifier: p})
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(Config{Policies: pol, Accounts: acc})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	acc.Routes(mux)
	h.Register(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	e := &env{srv: srv, acc: acc, pol: pol, pushes: p}
	for _, u := range []struct {
		id    string
		admin bool
	}{{"root", true}, {"alice", false}, {"bob", false}} {
		if _, err := acc.CreateUser(ctx, accounts.NewUser{ID: u.id, Password: u.id + "-password", Admin: u.admin}); err != nil {
			t.Fatal(err)
		}
	}
	e.admin = e.signIn(t, "root")
	e.user = e.signIn(t, "alice")
	return e
}

func (e *env) signIn(t *testing.T, id string) string {
	t.Helper()
	s, err := e.acc.SignIn(context.Background(), id, id+"-password", "192.0.2.1", "test")
	if err != nil {
		t.Fatal(err)
	}
	return s.Token
}

// call sends a JSON request with a bearer token and decodes the reply into
// out (when non-nil), returning the status.
func (e *env) call(t *testing.T, token, method, path string, body, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil && resp.StatusCode < 300 {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			t.Fatalf("%s %s: decode: %v", method, path, err)
		}
	}
	return resp.StatusCode
}
