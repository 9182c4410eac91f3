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
		"/api/me", "/api/sessions", "/api/users", "/api/users/bob", "/api/chats/bob/messages",
	} {
		req, _ := http.NewRequestWithContext(testCtx(t), "GET", o.srv.BaseURL()+path, nil)
		req.AddCookie(&http.Cookie{Name: accounts.CookieName, Value: alice.Token})
		resp, err := o.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("GET %s with the session cookie: %d, want 401", path, resp.StatusCode)
		}
		if code := o.api("GET", path, alice.Token, nil, nil); code != http.StatusOK {
			t.Errorf("GET %s with the bearer token: %d, want 200", path, code)
		}
	}
	// A state-changing route too: the cookie does not sign anyone out.
	req, _ := http.NewRequestWithContext(testCtx(t), "POST", o.srv.BaseURL()+"/api/signout", nil)
	req.AddCookie(&http.Cookie{Name: accounts.CookieName, Value: alice.Token})
	resp, err := o.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("POST /api/signout with the session cookie: %d, want 401", resp.StatusCode)
	}
	if code := o.api("GET", "/api/me", alice.Token, nil, nil); code != http.StatusOK {
		t.Errorf("session ended by a cookie-only sign-out: %d", code)
	}
}
