package org_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/org"
	"github.com/parley-voip/parley/server/org/orgtest"
	"github.com/parley-voip/parley/server/policy"
)

// httpRoute is one route of the organization server's HTTP API.
type httpRoute struct {
	method, pattern string
	auth            authLevel
}

type authLevel int

const (
	public authLevel = iota // anyone
	signedIn
	adminOnly
)

// apiRoutes is every JSON route the organization serves: the server's own,
// accounts' and the admin API.
var apiRoutes = []httpRoute{
	{"GET", "/healthz", public},
	{"GET", "/api/info", public},
	{"POST", "/api/signin", public},
	{"POST", "/api/signout", signedIn},
	{"GET", "/api/me", signedIn},
	{"GET", "/api/sessions", signedIn},
	{"DELETE", "/api/sessions/{id}", signedIn},
	{"GET", "/api/users", signedIn},
	{"GET", "/api/users/{id}", signedIn},
	{"GET", "/api/chats/{peer}/messages", signedIn},
	{"GET", "/api/chats", signedIn},
	{"GET", "/api/recordings", signedIn},
	{"GET", "/api/recordings/{id}", signedIn},
	{"GET", "/api/recordings/{id}/tracks/{n}", signedIn},
	{"DELETE", "/api/recordings/{id}", signedIn},
	{"GET", "/api/admin/whoami", adminOnly},
	{"GET", "/api/admin/policies", adminOnly},
	{"POST", "/api/admin/policies", adminOnly},
	{"GET", "/api/admin/policies/{name}", adminOnly},
	{"PATCH", "/api/admin/policies/{name}", adminOnly},
	{"DELETE", "/api/admin/policies/{name}", adminOnly},
	{"GET", "/api/admin/grants", adminOnly},
	{"PUT", "/api/admin/grants", adminOnly},
	{"DELETE", "/api/admin/grants/tenant", adminOnly},
	{"DELETE", "/api/admin/grants/{kind}/{id}", adminOnly},
	{"GET", "/api/admin/effective/{user}", adminOnly},
	{"GET", "/api/admin/groups", adminOnly},
	{"POST", "/api/admin/groups", adminOnly},
	{"GET", "/api/admin/groups/{name}", adminOnly},
	{"PATCH", "/api/admin/groups/{name}", adminOnly},
	{"DELETE", "/api/admin/groups/{name}", adminOnly},
	{"GET", "/api/admin/groups/{name}/members", adminOnly},
	{"PUT", "/api/admin/groups/{name}/members/{user}", adminOnly},
	{"DELETE", "/api/admin/groups/{name}/members/{user}", adminOnly},
	{"GET", "/api/admin/users", adminOnly},
	{"POST", "/api/admin/users", adminOnly},
	{"GET", "/api/admin/users/{id}", adminOnly},
	{"POST", "/api/admin/users/{id}/disable", adminOnly},
	{"POST", "/api/admin/users/{id}/enable", adminOnly},
	{"POST", "/api/admin/users/{id}/password", adminOnly},
}

// fuzzOrg is a fresh organization from a template: root (admin), alice in
// group "sales" (granted policy "custom"), bob, carol, and a chat between
// alice and bob; with a bearer token for root and for alice.
type fuzzOrg struct {
	*org.Org
	root, alice string
}

// orgTemplate makes the template data directory once per fuzz target.
func orgTemplate(f *testing.F) string {
	f.Helper()
	ctx := context.Background()
	dir := f.TempDir()
	o, err := org.Open(ctx, org.Config{Dir: dir, PasswordHash: orgtest.CheapHash, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		f.Fatal(err)
	}
	for _, u := range []accounts.NewUser{
		{ID: "root", Password: "root-password", Admin: true},
		{ID: "alice", Password: "alice-password", DisplayName: "Alice"},
		{ID: "bob", Password: "bob-password"},
		{ID: "carol", Password: "carol-password"},
	} {
		if _, err := o.Accounts.CreateUser(ctx, u); err != nil {
			f.Fatal(err)
		}
	}
	steps := []error{
		o.Policies.CreatePolicy(ctx, policy.Policy{Name: "custom", E2EE: policy.UserCanEnable}),
		o.Policies.CreateGroup(ctx, policy.Group{Name: "sales", Rank: 1}),
		o.Policies.AddMember(ctx, "sales", "alice"),
		o.Policies.Grant(ctx, policy.Grant{Target: policy.Target{Kind: policy.TargetGroup, ID: "sales"}, Policy: "custom"}),
	}
	for _, err := range steps {
		if err != nil {
			f.Fatal(err)
		}
	}
	if _, err := o.Chat.Post(ctx, "alice", "bob", "", "hello bob"); err != nil {
		f.Fatal(err)
	}
	if err := o.DB.Close(); err != nil { // checkpoints: the template is one file
		f.Fatal(err)
	}
	return dir
}

// openFuzzOrg copies the template and opens it (not listening: requests go
// to the server's router directly).
func openFuzzOrg(t *testing.T, template string) *fuzzOrg {
	t.Helper()
	ctx := context.Background()
	dir := memDir(t)
	entries, err := os.ReadDir(template)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() { // recordings/: empty in the template
			continue
		}
		b, err := os.ReadFile(filepath.Join(template, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	o, err := org.Open(ctx, org.Config{Dir: dir, PasswordHash: orgtest.CheapHash, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { o.DB.Close() })
	fo := &fuzzOrg{Org: o}
	for id, dst := range map[string]*string{"root": &fo.root, "alice": &fo.alice} {
		s, err := o.Accounts.OpenSession(ctx, id, "192.0.2.1", "fuzz")
		if err != nil {
			t.Fatal(err)
		}
		*dst = s.Token
	}
	return fo
}

// fillPattern puts the "|"-separated parts of arg into the pattern's
// {wildcards}, in order, the last part filling any left over.
func fillPattern(pattern, arg string) string {
	parts := strings.Split(arg, "|")
	for n := 0; strings.Contains(pattern, "{"); n++ {
		i, j := strings.Index(pattern, "{"), strings.Index(pattern, "}")
		pattern = pattern[:i] + url.PathEscape(parts[min(n, len(parts)-1)]) + pattern[j+1:]
	}
	return pattern
}

// memDir is a temporary directory in memory (/dev/shm) where there is one:
// each input opens a database, and fsyncs on a disk would make fuzzing
// crawl. Durability is not what these targets test.
func memDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("/dev/shm", "parley-fuzz-")
	if err != nil {
		return t.TempDir()
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// serve sends one request through the server's router.
func (o *fuzzOrg) serve(req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	o.Server.Mux().ServeHTTP(rec, req)
	return rec
}

// digest hashes every row of every table, sessions without their
// last-seen and expiry times (a valid token's use refreshes them): equal
// digests mean nothing was stored or deleted.
func digest(t *testing.T, db *sql.DB) [32]byte {
	t.Helper()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	rows.Close()
	h := sha256.New()
	for _, tbl := range tables {
		q := `SELECT * FROM "` + tbl + `"`
		if tbl == "sessions" {
			q = `SELECT id, token_hash, user_id, created_at, address, user_agent FROM sessions`
		}
		rows, err := db.Query(q + ` ORDER BY 1`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(h, "%s%q\n", tbl, vals)
		}
		rows.Close()
	}
	return [32]byte(h.Sum(nil))
}

// FuzzHTTPAPI sends one request to any API route, as nobody, as a plain
// user or as an admin, with a path argument, a raw query and a raw body
// from the input. Properties: no panic and no 5xx; a route refuses a
// caller below its level (401, 403); every error is the JSON error body
// with a code; a refused request (4xx) stores and deletes nothing; a
// successful create can be read back.
func FuzzHTTPAPI(f *testing.F) {
	template := orgTemplate(f)
	idx := func(method, pattern string) uint8 {
		for i, r := range apiRoutes {
			if r.method == method && r.pattern == pattern {
				return uint8(i)
			}
		}
		panic(pattern)
	}
	f.Add(idx("POST", "/api/signin"), uint8(0), "", "", []byte(`{"login":"alice","password":"alice-password"}`))
	f.Add(idx("POST", "/api/signin"), uint8(0), "", "", []byte(`{"login":"alice","password":"alice-password"`))
	f.Add(idx("POST", "/api/signin"), uint8(0), "", "", []byte(`{"login":"alice","password":"x","extra":1}`))
	f.Add(idx("GET", "/api/users"), uint8(1), "", "q=al&limit=2&offset=0", []byte(nil))
	f.Add(idx("GET", "/api/users"), uint8(1), "", "limit=-1&offset=99999999999999999999", []byte(nil))
	f.Add(idx("GET", "/api/users/{id}"), uint8(1), "bob", "", []byte(nil))
	f.Add(idx("GET", "/api/chats/{peer}/messages"), uint8(1), "bob", "before=0&limit=200", []byte(nil))
	f.Add(idx("GET", "/api/chats/{peer}/messages"), uint8(1), "bob", "before=-1&limit=100000", []byte(nil))
	f.Add(idx("GET", "/api/chats/{peer}/messages"), uint8(1), "bob bob", "limit=x", []byte(nil))
	f.Add(idx("DELETE", "/api/sessions/{id}"), uint8(1), "0000", "", []byte(nil))
	f.Add(idx("POST", "/api/admin/policies"), uint8(2), "", "", []byte(`{"name":"p2","e2ee":"UserCanEnable","description":"d"}`))
	f.Add(idx("POST", "/api/admin/policies"), uint8(2), "", "", []byte(`{"name":"Global","e2ee":"Disabled"}`))
	f.Add(idx("POST", "/api/admin/policies"), uint8(1), "", "", []byte(`{"name":"p3","e2ee":"Disabled"}`))
	f.Add(idx("PATCH", "/api/admin/policies/{name}"), uint8(2), "custom", "", []byte(`{"e2ee":"Nope"}`))
	f.Add(idx("DELETE", "/api/admin/policies/{name}"), uint8(2), "custom", "", []byte(nil))
	f.Add(idx("PUT", "/api/admin/grants"), uint8(2), "", "", []byte(`{"target":{"kind":"user","id":"bob"},"policy":"custom"}`))
	f.Add(idx("PUT", "/api/admin/grants"), uint8(2), "", "", []byte(`{"target":{"kind":"user","id":"nobody"},"policy":"custom"}`))
	f.Add(idx("DELETE", "/api/admin/grants/{kind}/{id}"), uint8(2), "group|sales", "", []byte(nil))
	f.Add(idx("POST", "/api/admin/groups"), uint8(2), "", "", []byte(`{"name":"eng","rank":2}`))
	f.Add(idx("PATCH", "/api/admin/groups/{name}"), uint8(2), "sales", "", []byte(`{"rank":-1}`))
	f.Add(idx("PUT", "/api/admin/groups/{name}/members/{user}"), uint8(2), "sales|bob", "", []byte(nil))
	f.Add(idx("POST", "/api/admin/users"), uint8(2), "", "", []byte(`{"id":"dave","password":"dave-password","display_name":"Dave"}`))
	f.Add(idx("POST", "/api/admin/users"), uint8(2), "", "", []byte(`{"id":"Dave Smith","password":"short"}`))
	f.Add(idx("POST", "/api/admin/users/{id}/password"), uint8(2), "bob", "", []byte(`{"password":"new-password-1"}`))
	f.Add(idx("POST", "/api/admin/users/{id}/disable"), uint8(2), "root", "", []byte(nil))
	f.Add(idx("DELETE", "/api/admin/groups/{name}/members/{user}"), uint8(2), "sales|alice", "", []byte(nil))
	f.Add(idx("DELETE", "/api/admin/grants/{kind}/{id}"), uint8(1), "group|sales", "", []byte(nil))
	f.Add(idx("GET", "/api/admin/effective/{user}"), uint8(2), "alice", "", []byte(nil))
	f.Add(idx("GET", "/api/admin/users"), uint8(2), "", "limit=501&offset=-3", []byte(nil))
	f.Fuzz(func(t *testing.T, route, as uint8, arg, query string, body []byte) {
		rt := apiRoutes[int(route)%len(apiRoutes)]
		level := authLevel(as % 3)
		o := openFuzzOrg(t, template)
		path := fillPattern(rt.pattern, arg)
		target := path
		if query != "" {
			target += "?" + query
		}
		req, err := http.NewRequest(rt.method, "http://org.test"+target, bytes.NewReader(body))
		if err != nil {
			return // not a request a client can send
		}
		req.RemoteAddr = "192.0.2.7:4321"
		switch level {
		case signedIn:
			req.Header.Set("Authorization", "Bearer "+o.alice)
		case adminOnly:
			req.Header.Set("Authorization", "Bearer "+o.root)
		}
		if len(body) > 0 {
			req.Header.Set("Content-Type", "application/json")
		}
		before := digest(t, o.DB.SQL())
		rec := o.serve(req)
		desc := fmt.Sprintf("%s %s as %d, body %q", rt.method, target, level, body)

		if rec.Code >= 500 {
			t.Fatalf("%s: %d %s", desc, rec.Code, rec.Body)
		}
		if rec.Code >= 300 && rec.Code < 400 {
			return // the router's redirect to the cleaned path ("//", "/.."); nothing was served
		}
		switch {
		case level < rt.auth && rt.auth != public && rec.Code < 400:
			t.Fatalf("%s: %d for a caller without the right (%s)", desc, rec.Code, rec.Body)
		case level == public && rt.auth != public && req.URL.Path == path && rec.Code != http.StatusUnauthorized && rec.Code != http.StatusNotFound && rec.Code != http.StatusMethodNotAllowed:
			t.Fatalf("%s: unauthenticated got %d, want 401", desc, rec.Code)
		case level == signedIn && rt.auth == adminOnly && rec.Code != http.StatusForbidden && rec.Code != http.StatusNotFound && rec.Code != http.StatusMethodNotAllowed:
			t.Fatalf("%s: non-admin got %d, want 403", desc, rec.Code)
		}
		if rec.Code >= 400 {
			if ct := rec.Header().Get("Content-Type"); strings.HasPrefix(ct, "application/json") {
				var eb struct {
					Error struct{ Code string } `json:"error"`
				}
				if err := json.Unmarshal(rec.Body.Bytes(), &eb); err != nil || eb.Error.Code == "" {
					t.Fatalf("%s: %d with error body %q (%v)", desc, rec.Code, rec.Body, err)
				}
			} else if rec.Code != http.StatusNotFound && rec.Code != http.StatusMethodNotAllowed {
				// The router's own 404/405 are plain text; every handler's error is JSON.
				t.Fatalf("%s: %d with Content-Type %q: %q", desc, rec.Code, ct, rec.Body)
			}
			if after := digest(t, o.DB.SQL()); after != before {
				t.Fatalf("%s: refused with %d (%s) but the database changed", desc, rec.Code, rec.Body)
			}
			return
		}
		if rec.Body.Len() > 0 && !json.Valid(rec.Body.Bytes()) && rt.pattern != "/healthz" {
			t.Fatalf("%s: %d with a body that is not JSON: %q", desc, rec.Code, rec.Body)
		}
		// A create answers with what it stored, and it reads back.
		if rt.method == "POST" && rec.Code == http.StatusCreated {
			var made struct{ Name, ID string }
			_ = json.Unmarshal(rec.Body.Bytes(), &made)
			key := made.Name + made.ID
			back, _ := http.NewRequest("GET", "http://org.test"+rt.pattern+"/"+url.PathEscape(key), nil)
			back.Header.Set("Authorization", "Bearer "+o.root)
			if got := o.serve(back); got.Code != http.StatusOK || !strings.Contains(got.Body.String(), fmt.Sprintf("%q", key)) {
				t.Fatalf("%s: created %q, reading it back: %d %s", desc, key, got.Code, got.Body)
			}
		}
	})
}
