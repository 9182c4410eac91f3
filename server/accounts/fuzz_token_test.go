package accounts

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-voip/parley/server/store"
)

// FuzzSessionToken feeds arbitrary strings, and real tokens with one byte
// changed, to the token check, both directly and as an HTTP Authorization
// header or session cookie through Middleware. Only the exact token issued
// at sign-in authenticates, and then as its owner; anything else is
// ErrUnauthenticated (never another error) and a 401 that reaches no
// handler; a failed check changes no session.
func FuzzSessionToken(f *testing.F) {
	ctx := context.Background()
	db, err := store.Open(ctx, store.Config{Path: filepath.Join(f.TempDir(), store.FileName)})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	s, err := NewService(Config{Store: NewSQLStore(db.SQL()), Hash: testHash})
	if err != nil {
		f.Fatal(err)
	}
	var issued [2]SignedIn
	for i, id := range []string{"alice", "bob"} {
		if _, err := s.CreateUser(ctx, NewUser{ID: id, Password: id + "-password"}); err != nil {
			f.Fatal(err)
		}
		if issued[i], err = s.SignIn(ctx, id, id+"-password", "192.0.2.1", "test"); err != nil {
			f.Fatal(err)
		}
	}
	real, other := issued[0], issued[1]
	f.Add("", uint8(0), byte(0), false)
	f.Add("pst_", uint8(0), byte(0), false)
	f.Add("pst_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", uint8(0), byte(0), false)
	f.Add("Bearer pst_x", uint8(0), byte(0), false)
	f.Add("", uint8(0), byte(0), true)        // the real token, unchanged
	f.Add("", uint8(4), byte('A'), true)      // one byte of its random part
	f.Add("", uint8(46), byte('='), true)     // its last byte
	f.Add("", uint8(3), byte('-'), true)      // its prefix
	f.Add(" \t", uint8(10), byte(0xff), true) // framed in whitespace
	f.Fuzz(func(t *testing.T, raw string, pos uint8, b byte, useReal bool) {
		tok := raw
		if useReal {
			bs := []byte(real.Token)
			if pos != 0 || b != 0 {
				bs[int(pos)%len(bs)] = b
			}
			tok = raw + string(bs) + raw
		}
		want := tok == real.Token || tok == other.Token
		before, err := s.Store().ListSessions(ctx, real.User.ID)
		if err != nil {
			t.Fatal(err)
		}

		u, _, err := s.Authenticate(ctx, tok)
		switch {
		case want && err != nil:
			t.Fatalf("the issued token is refused: %v", err)
		case want && tok == real.Token && u.ID != real.User.ID:
			t.Fatalf("alice's token authenticates %q", u.ID)
		case !want && !errors.Is(err, ErrUnauthenticated):
			t.Fatalf("Authenticate(%q) = %+v, %v; want ErrUnauthenticated", tok, u, err)
		}

		reached := false
		h := s.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			reached = true
			if got, _ := UserFrom(r.Context()); tok == real.Token && got.ID != real.User.ID {
				t.Errorf("handler sees user %q", got.ID)
			}
		}))
		for _, set := range []func(*http.Request){
			func(r *http.Request) { r.Header["Authorization"] = []string{"Bearer " + tok} },
			func(r *http.Request) { r.Header["Cookie"] = []string{CookieName + "=" + tok} },
		} {
			reached = false
			req := httptest.NewRequest("GET", "/api/me", nil)
			set(req)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			// HTTP trims the whitespace around a header value and the
			// quotes around a cookie's, nothing else.
			norm := strings.TrimSpace(tok)
			if len(norm) > 1 && norm[0] == '"' && norm[len(norm)-1] == '"' {
				norm = norm[1 : len(norm)-1]
			}
			httpWant := norm == real.Token || norm == other.Token
			if !httpWant && (reached || rec.Code != http.StatusUnauthorized) {
				t.Fatalf("token %q: status %d, handler reached %v", tok, rec.Code, reached)
			}
			if rec.Code != http.StatusUnauthorized && rec.Code != http.StatusOK {
				t.Fatalf("token %q: status %d", tok, rec.Code)
			}
		}
		if !want {
			after, err := s.Store().ListSessions(ctx, real.User.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(after) != len(before) {
				t.Fatalf("sessions %d → %d after a refused token", len(before), len(after))
			}
		}
	})
}
