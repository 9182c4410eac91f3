package server

import (
	"net/http"
	"testing"

	"github.com/parley-voip/parley/server/accounts"
)

// TestAPIRefusesSessionCookie: every /api route takes the bearer token
// only. The same token in the portal's session cookie is refused, so a
// cross-site request that carries the cookie cannot act on the API.
func TestAPIRefusesSessionCookie(t *testing.T) {
	t.Parallel()
	o := startOrg(t, Config{}, "alice", "bob")
	alice := o.signIn("alice")
	for _, path := range []string{
		"/api/me", "/api/sessions", "/api/users", "/api/users/bob", "/api/chats/bob/messages", "/api/chats",
	} {
		if code := withCookie(t, o, "GET", path, alice.Token); code != http.StatusUnauthorized {
			t.Errorf("GET %s with the session cookie: %d, want 401", path, code)
		}
		if code := o.api("GET", path, alice.Token, nil, nil); code != http.StatusOK {
			t.Errorf("GET %s with the bearer token: %d, want 200", path, code)
		}
	}
	// A state-changing route too: the cookie does not sign anyone out.
	if code := withCookie(t, o, "POST", "/api/signout", alice.Token); code != http.StatusUnauthorized {
		t.Errorf("POST /api/signout with the session cookie: %d, want 401", code)
	}
	if code := o.api("GET", "/api/me", alice.Token, nil, nil); code != http.StatusOK {
		t.Errorf("session ended by a cookie-only sign-out: %d", code)
	}
}

// withCookie calls path with token in the portal's session cookie and no
// Authorization header, and returns the status.
func withCookie(t *testing.T, o *org, method, path, token string) int {
	t.Helper()
	req, _ := http.NewRequestWithContext(testCtx(t), method, o.srv.BaseURL()+path, nil)
	req.AddCookie(&http.Cookie{Name: accounts.CookieName, Value: token})
	resp, err := o.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
