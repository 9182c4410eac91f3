package admin

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/parley-voip/parley/server/policy"
)

// concrete fills a route pattern's wildcards with values that exist.
func concrete(pattern string) string {
	r := strings.NewReplacer("{$}", "", "{name}", "Global", "{id}", "alice", "{user}", "alice", "{kind}", "user")
	return r.Replace(pattern)
}

// TestEveryRouteIsAdminOnly walks every API and portal route: without a
// session it answers 401, with a non-admin's session 403, and an admin gets
// past authorization.
func TestEveryRouteIsAdminOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	h, err := New(Config{Policies: e.pol, Accounts: e.acc})
	if err != nil {
		t.Fatal(err)
	}
	// {name} is "Global" for groups too, so every GET target exists.
	if err := e.pol.CreateGroup(t.Context(), policy.Group{Name: "Global", Rank: 1}); err != nil {
		t.Fatal(err)
	}
	type tc struct {
		method, path string
		portal       bool
	}
	var cases []tc
	for _, rt := range h.apiRoutes() {
		cases = append(cases, tc{rt.method, concrete(rt.pattern), false})
	}
	for _, rt := range h.portalRoutes() {
		cases = append(cases, tc{rt.method, concrete(rt.pattern), true})
	}
	if len(cases) < 40 {
		t.Fatalf("only %d routes", len(cases))
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, c := range cases {
		t.Run(c.method+" "+c.path, func(t *testing.T) {
			t.Parallel()
			do := func(token string) int {
				t.Helper()
				var body *strings.Reader
				if c.portal {
					body = strings.NewReader(url.Values{"csrf": {"x"}}.Encode())
				} else {
					body = strings.NewReader("{}")
				}
				req, err := http.NewRequest(c.method, e.srv.URL+c.path, body)
				if err != nil {
					t.Fatal(err)
				}
				if c.portal {
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					if token != "" {
						req.AddCookie(&http.Cookie{Name: cookieName, Value: token})
					}
				} else if token != "" {
					req.Header.Set("Authorization", "Bearer "+token)
				}
				resp, err := client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				return resp.StatusCode
			}
			if got := do(""); got != http.StatusUnauthorized {
				t.Errorf("no session: %d, want 401", got)
			}
			if got := do("not-a-token"); got != http.StatusUnauthorized {
				t.Errorf("bad token: %d, want 401", got)
			}
			if got := do(e.user); got != http.StatusForbidden {
				t.Errorf("non-admin: %d, want 403", got)
			}
			if c.method == http.MethodGet {
				// Every GET target exists, so an admin gets the page.
				if got := do(e.admin); got != http.StatusOK && got != http.StatusSeeOther {
					t.Errorf("admin: %d", got)
				}
			}
		})
	}
}

// TestAPIIgnoresCookies: the JSON API takes bearer tokens only, so a
// browser's ambient cookie can never drive it (no CSRF surface).
func TestAPIIgnoresCookies(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	req, err := http.NewRequest(http.MethodGet, e.srv.URL+"/api/admin/policies", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.AddCookie(&http.Cookie{Name: cookieName, Value: e.admin})
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("cookie-only API call: %d", resp.StatusCode)
	}
}
