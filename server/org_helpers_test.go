package server

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/calllog"
	"github.com/parley-voip/parley/server/chat"
	"github.com/parley-voip/parley/server/store"
	"github.com/parley-voip/parley/signaling"
)

// org is an organization server with accounts and chat on a temp data dir.
type org struct {
	t    testing.TB
	srv  *Server
	acc  *accounts.Service
	chat *chat.Service
	log  *calllog.SQLStore
	db   *store.DB
	http *http.Client
	// users are the accounts made at start; connect subscribes to their
	// presence.
	users []string
}

func startOrg(t testing.TB, cfg Config, users ...string) *org {
	t.Helper()
	return startOrgWith(t, cfg, nil, users...)
}

func startOrgWith(t testing.TB, cfg Config, extra []Option, users ...string) *org {
	t.Helper()
	dir := t.TempDir()
	db, err := store.Open(context.Background(), store.Config{Path: filepath.Join(dir, store.FileName)})
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
	kr, err := chat.LoadKeyring(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := chat.New(chat.Config{DB: db.SQL(), Keys: kr})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range users {
		if _, err := acc.CreateUser(context.Background(), accounts.NewUser{
			ID: id, DisplayName: "Name of " + id, Password: id + "-password", Admin: id == "admin",
		}); err != nil {
			t.Fatal(err)
		}
	}
	calls := calllog.NewSQLStore(db.SQL())
	srv := startServer(t, cfg, append([]Option{WithAccounts(acc), WithChat(cs), WithCallLog(calls)}, extra...)...)
	return &org{t: t, srv: srv, acc: acc, chat: cs, log: calls, db: db, http: &http.Client{}, users: users}
}

// do sends a request to the HTTP API with token (if not "") and a JSON
// body (if not nil).
func (o *org) do(method, path, token string, body any) *http.Response {
	o.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(testCtx(o.t), method, o.srv.BaseURL()+path, rd)
	if err != nil {
		o.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := o.http.Do(req)
	if err != nil {
		o.t.Fatal(err)
	}
	return resp
}

// api calls the HTTP API and decodes a JSON answer into out (if not nil).
func (o *org) api(method, path, token string, body, out any) int {
	o.t.Helper()
	resp := o.do(method, path, token, body)
	defer resp.Body.Close()
	if out != nil && resp.StatusCode < 300 {
		if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
			o.t.Fatalf("%s %s: decoding: %v", method, path, err)
		}
	}
	return resp.StatusCode
}

func (o *org) signIn(id string) accounts.SignedIn {
	o.t.Helper()
	var res accounts.SignedIn
	if code := o.api("POST", "/api/signin", "", map[string]string{"login": id, "password": id + "-password"}, &res); code != http.StatusOK {
		o.t.Fatalf("sign in %s: %d", id, code)
	}
	return res
}

// connect signs id in (a new session: a new device) and opens its
// signaling connection with the token.
func (o *org) connect(id string) (*client, accounts.SignedIn) {
	o.t.Helper()
	res := o.signIn(id)
	conn, err := signaling.Dial(testCtx(o.t), o.srv.URL(), signaling.User{}, signaling.WithToken(res.Token))
	if err != nil {
		o.t.Fatalf("dial %s: %v", id, err)
	}
	if w := conn.Welcome(); w.User.ID != id {
		o.t.Fatalf("welcome for %s names %q", id, w.User.ID)
	}
	c := newClient(o.t, id, conn)
	c.send(&signaling.Message{Type: signaling.TypeSubscribe, IDs: o.users})
	return c, res
}
