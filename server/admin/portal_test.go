package admin

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func noRedirect() *http.Client {
	return &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// portalGet fetches a page with the session cookie and returns its CSRF
// token.
func portalGet(t *testing.T, e *env, token, path string) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	req.AddCookie(&http.Cookie{Name: cookieName, Value: token})
	resp, err := noRedirect().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	m := csrfField.FindSubmatch(b)
	if m == nil {
		t.Fatalf("no csrf token on %s", path)
	}
	return string(m[1])
}

func portalPost(t *testing.T, e *env, token, path string, form url.Values, hdr map[string]string) int {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	req.AddCookie(&http.Cookie{Name: cookieName, Value: token})
	resp, err := noRedirect().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestPortalCSRF(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	good := portalGet(t, e, e.admin, "/admin/policies")
	other := e.signIn(t, "root") // a second session of the same admin
	otherToken := portalGet(t, e, other, "/admin/policies")
	if good == otherToken {
		t.Fatal("two sessions share a CSRF token")
	}
	form := func(csrf string) url.Values {
		return url.Values{"csrf": {csrf}, "name": {"Pilot"}, "e2ee": {"UserCanEnable"}}
	}
	cases := []struct {
		name string
		csrf string
		hdr  map[string]string
		want int
	}{
		{"no token", "", nil, http.StatusForbidden},
		{"wrong token", "AAAA", nil, http.StatusForbidden},
		{"another session's token", otherToken, nil, http.StatusForbidden},
		{"cross-site fetch", good, map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"foreign origin", good, map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
		{"valid", good, map[string]string{"Sec-Fetch-Site": "same-origin"}, http.StatusSeeOther},
	}
	for _, c := range cases {
		if got := portalPost(t, e, e.admin, "/admin/policies", form(c.csrf), c.hdr); got != c.want {
			t.Fatalf("%s: %d, want %d", c.name, got, c.want)
		}
	}
	if _, err := e.pol.Store().Policy(t.Context(), "Pilot"); err != nil {
		t.Fatalf("valid post did not create the policy: %v", err)
	}
}

func TestPortalLogin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	login := func(user, pw, next string) *http.Response {
		t.Helper()
		resp, err := noRedirect().PostForm(e.srv.URL+"/admin/login", url.Values{"login": {user}, "password": {pw}, "next": {next}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if r := login("root", "wrong-password", ""); r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", r.StatusCode)
	}
	if r := login("alice", "alice-password", ""); r.StatusCode != http.StatusForbidden || len(r.Cookies()) != 0 {
		t.Fatalf("non-admin: %d %v", r.StatusCode, r.Cookies())
	}
	r := login("root", "root-password", "//evil.example/")
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/admin/policies" {
		t.Fatalf("admin: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	var c *http.Cookie
	for _, k := range r.Cookies() {
		if k.Name == cookieName {
			c = k
		}
	}
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != "/admin/" {
		t.Fatalf("cookie %+v", c)
	}
	if r := login("root", "root-password", "/admin/groups"); r.Header.Get("Location") != "/admin/groups" {
		t.Fatalf("next: %q", r.Header.Get("Location"))
	}
	csrf := portalGet(t, e, c.Value, "/admin/users")
	if st := portalPost(t, e, c.Value, "/admin/logout", url.Values{"csrf": {csrf}}, nil); st != http.StatusSeeOther {
		t.Fatalf("logout: %d", st)
	}
	if _, _, err := e.acc.Authenticate(t.Context(), c.Value); err == nil {
		t.Fatal("session still valid after logout")
	}
}

// TestSafeNextNormalises: the post-login target is resolved the way
// http.Redirect and browsers resolve it before it is checked, so dot
// segments (plain or percent-encoded) cannot climb out of /admin.
func TestSafeNextNormalises(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"/admin/../../evil":          portalHome,
		"/admin/../evil":             portalHome,
		"/admin/%2e%2e/%2e%2e/evil":  portalHome,
		"/admin/..":                  portalHome,
		"/admin/./../api/admin/x":    portalHome,
		"//evil.example/admin/":      portalHome,
		"https://evil.example/admin": portalHome,
		"/\\evil.example/admin/":     portalHome,
		"/admin/\r\nSet-Cookie: x":   portalHome,
		"admin/groups":               portalHome,
		"":                           portalHome,
		"/admin":                     "/admin",
		"/admin/":                    "/admin/",
		"/admin/groups":              "/admin/groups",
		"/admin/./groups":            "/admin/groups",
		"/admin/users/../groups":     "/admin/groups",
		"/admin/users?q=al&offset=5": "/admin/users?q=al&offset=5",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestLoginNextCannotLeaveThePortal signs in with next=/admin/../../evil
// and checks where the browser is sent.
func TestLoginNextCannotLeaveThePortal(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	resp, err := noRedirect().PostForm(e.srv.URL+"/admin/login", url.Values{
		"login": {"root"}, "password": {"root-password"}, "next": {"/admin/../../evil"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != portalHome {
		t.Fatalf("sign-in with next=/admin/../../evil: %d, Location %q; want %q", resp.StatusCode, loc, portalHome)
	}
}

// TestPortalMeetingSettings: the policy forms carry the recording and
// captions checkboxes and the retention days.
func TestPortalMeetingSettings(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	csrf := portalGet(t, e, e.admin, "/admin/policies")
	form := url.Values{"csrf": {csrf}, "name": {"Board"}, "e2ee": {"Disabled"}, "allow_captions": {"on"}, "retention_days": {"7"}}
	if st := portalPost(t, e, e.admin, "/admin/policies", form, nil); st != http.StatusSeeOther {
		t.Fatalf("create: %d", st)
	}
	p, err := e.pol.Store().Policy(t.Context(), "Board")
	if err != nil || p.AllowRecording || !p.AllowCaptions || p.RetentionDays != 7 {
		t.Fatalf("created %+v %v", p, err)
	}
	csrf = portalGet(t, e, e.admin, "/admin/policies/Board")
	form = url.Values{"csrf": {csrf}, "e2ee": {"Disabled"}, "allow_recording": {"on"}, "retention_days": {"0"}}
	if st := portalPost(t, e, e.admin, "/admin/policies/Board", form, nil); st != http.StatusSeeOther {
		t.Fatalf("update: %d", st)
	}
	if p, _ = e.pol.Store().Policy(t.Context(), "Board"); !p.AllowRecording || p.AllowCaptions || p.RetentionDays != 0 {
		t.Fatalf("updated %+v", p)
	}
	form.Set("retention_days", "forever")
	if st := portalPost(t, e, e.admin, "/admin/policies/Board", form, nil); st != http.StatusBadRequest {
		t.Fatalf("bad retention: %d", st)
	}
}

// TestPortalCallControlSettings: the policy forms carry the transfer and
// park checkboxes, on creation and on update, and the list shows them.
func TestPortalCallControlSettings(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	csrf := portalGet(t, e, e.admin, "/admin/policies")
	form := url.Values{"csrf": {csrf}, "name": {"NoPark"}, "e2ee": {"Disabled"}, "allow_transfer": {"on"}, "retention_days": {"7"}}
	if st := portalPost(t, e, e.admin, "/admin/policies", form, nil); st != http.StatusSeeOther {
		t.Fatalf("create: %d", st)
	}
	p, err := e.pol.Store().Policy(t.Context(), "NoPark")
	if err != nil || !p.AllowTransfer || p.AllowPark {
		t.Fatalf("created %+v %v", p, err)
	}
	csrf = portalGet(t, e, e.admin, "/admin/policies/NoPark")
	form = url.Values{"csrf": {csrf}, "e2ee": {"Disabled"}, "allow_park": {"on"}, "retention_days": {"7"}}
	if st := portalPost(t, e, e.admin, "/admin/policies/NoPark", form, nil); st != http.StatusSeeOther {
		t.Fatalf("update: %d", st)
	}
	if p, _ = e.pol.Store().Policy(t.Context(), "NoPark"); p.AllowTransfer || !p.AllowPark {
		t.Fatalf("updated %+v", p)
	}
}
