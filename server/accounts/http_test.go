package accounts

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func do(t *testing.T, h http.Handler, method, path, token, body string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.RemoteAddr = "192.0.2.50:1234"
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestHTTPRoutes(t *testing.T) {
	t.Parallel()
	s, _ := newTestService(t)
	mustCreate(t, s, "alice", false)
	mustCreate(t, s, "bob", true)
	mux := http.NewServeMux()
	s.Routes(mux)
	mux.Handle("GET /admin-only", s.Middleware(RequireAdmin(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusTeapot)
	}))))

	// Unauthenticated callers are refused everywhere, with junk tokens too.
	for _, rt := range []struct{ method, path string }{
		{"POST", "/api/signout"}, {"GET", "/api/me"}, {"GET", "/api/sessions"},
		{"DELETE", "/api/sessions/x"}, {"GET", "/admin-only"},
	} {
		for _, tok := range []string{"", "pst_bogus", "pst_" + strings.Repeat("A", 43)} {
			if w := do(t, mux, rt.method, rt.path, tok, ""); w.Code != http.StatusUnauthorized {
				t.Errorf("%s %s token %q: %d, want 401", rt.method, rt.path, tok, w.Code)
			}
		}
	}

	w := do(t, mux, "POST", "/api/signin", "", `{"login":"alice","password":"alice-password"}`)
	if w.Code != http.StatusOK {
		t.Fatalf("signin: %d %s", w.Code, w.Body)
	}
	var alice SignedIn
	if err := json.Unmarshal(w.Body.Bytes(), &alice); err != nil || alice.Token == "" || alice.User.ID != "alice" {
		t.Fatalf("signin body %s: %v", w.Body, err)
	}
	bob := mustSignIn(t, s, "bob")

	if w := do(t, mux, "POST", "/api/signin", "", `{"login":"alice","password":"nope"}`); w.Code != http.StatusUnauthorized {
		t.Errorf("wrong password: %d", w.Code)
	}
	if w := do(t, mux, "POST", "/api/signin", "", `{"login":"alice","password":"x","extra":1}`); w.Code != http.StatusBadRequest {
		t.Errorf("unknown field: %d", w.Code)
	}

	// Alice sees only her sessions and cannot end Bob's.
	w = do(t, mux, "GET", "/api/sessions", alice.Token, "")
	var got struct{ Sessions []Session }
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || len(got.Sessions) != 1 || got.Sessions[0].UserID != "alice" || !got.Sessions[0].Current {
		t.Fatalf("alice's sessions: %s", w.Body)
	}
	if w := do(t, mux, "DELETE", "/api/sessions/"+bob.Session.ID, alice.Token, ""); w.Code != http.StatusNotFound {
		t.Fatalf("alice deleting bob's session: %d, want 404", w.Code)
	}
	if w := do(t, mux, "GET", "/api/me", bob.Token, ""); w.Code != http.StatusOK {
		t.Fatalf("bob's session was ended by alice: %d", w.Code)
	}

	// Admin route: 403 for alice, through for bob.
	if w := do(t, mux, "GET", "/admin-only", alice.Token, ""); w.Code != http.StatusForbidden {
		t.Errorf("non-admin: %d, want 403", w.Code)
	}
	if w := do(t, mux, "GET", "/admin-only", bob.Token, ""); w.Code != http.StatusTeapot {
		t.Errorf("admin: %d", w.Code)
	}

	if w := do(t, mux, "POST", "/api/signout", alice.Token, ""); w.Code != http.StatusNoContent {
		t.Fatalf("signout: %d", w.Code)
	}
	if w := do(t, mux, "GET", "/api/me", alice.Token, ""); w.Code != http.StatusUnauthorized {
		t.Fatalf("after signout: %d", w.Code)
	}
}

func TestAddrKey(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"192.0.2.7":                 "192.0.2.7",
		"::ffff:192.0.2.7":          "192.0.2.7",
		"2001:db8:1:2:aaaa::1":      "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff:ffff::9": "2001:db8:1:2::/64",
		"fe80::1%eth0":              "fe80::/64",
		"not an address":            "not an address",
	} {
		if got := AddrKey(in); got != want {
			t.Errorf("AddrKey(%q) = %q, want %q", in, got, want)
		}
	}
}
