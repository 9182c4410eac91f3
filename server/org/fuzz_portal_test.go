package org_test

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// portalForms is every form the admin portal accepts (POST).
var portalForms = []string{
	"/admin/login",
	"/admin/logout",
	"/admin/policies",
	"/admin/policies/{name}",
	"/admin/policies/{name}/delete",
	"/admin/grants",
	"/admin/grants/revoke",
	"/admin/users",
	"/admin/users/{id}/enable",
	"/admin/users/{id}/disable",
	"/admin/users/{id}/password",
	"/admin/groups",
	"/admin/groups/{name}/members",
	"/admin/groups/{name}/members/remove",
	"/admin/groups/{name}/rank",
	"/admin/groups/{name}/delete",
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// portalCSRF renders a portal page with the session cookie and returns the
// form token it carries, as a browser would see it.
func (o *fuzzOrg) portalCSRF(t *testing.T, session string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://org.test/admin/policies", nil)
	req.Header.Set("Cookie", "parley_session="+session)
	rec := o.serve(req)
	m := csrfField.FindStringSubmatch(rec.Body.String())
	if rec.Code != http.StatusOK || m == nil {
		t.Fatalf("portal page: %d, no csrf field: %s", rec.Code, rec.Body)
	}
	return m[1]
}

// FuzzPortalForms posts any portal form with fields from the input, as the
// signed-in admin with the page's CSRF token (or a damaged one), as a plain
// user, or with no session. Properties: no panic and no 5xx; without an
// admin session or a valid token the form is refused (401/403) and
// nothing is stored; a refused form (4xx) stores nothing; a redirect
// stays on this site; the page never echoes a submitted value with a "<"
// in it unescaped (unless the portal's own templates hold that text).
func FuzzPortalForms(f *testing.F) {
	template := orgTemplate(f)
	// The portal's own markup: a value found in it proves nothing.
	var markup string
	files, _ := filepath.Glob("../admin/templates/*.html")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		markup += string(b)
	}
	if markup == "" {
		f.Fatal("no portal templates found")
	}
	idx := func(p string) uint8 {
		for i, r := range portalForms {
			if r == p {
				return uint8(i)
			}
		}
		panic(p)
	}
	f.Add(idx("/admin/policies"), uint8(0), "", "name=p2&e2ee=UserCanEnable&description=d")
	f.Add(idx("/admin/policies"), uint8(0), "", "name=<script>alert(1)</script>&e2ee=Disabled")
	f.Add(idx("/admin/policies"), uint8(0), "", "name=p3&e2ee=<b>bold</b>")
	f.Add(idx("/admin/policies"), uint8(1), "", "name=p4&e2ee=Disabled")
	f.Add(idx("/admin/policies"), uint8(2), "", "name=p5&e2ee=Disabled")
	f.Add(idx("/admin/policies"), uint8(3), "", "name=p6&e2ee=Disabled")
	f.Add(idx("/admin/policies/{name}"), uint8(0), "custom", "e2ee=Disabled&description=%ff%fe")
	f.Add(idx("/admin/policies/{name}/delete"), uint8(0), "Global", "")
	f.Add(idx("/admin/grants"), uint8(0), "", "kind=user&id=bob&policy=custom&back=/admin/users/bob")
	f.Add(idx("/admin/grants"), uint8(0), "", "kind=group&id=nope&policy=custom&back=//evil.example/")
	f.Add(idx("/admin/grants/revoke"), uint8(0), "", "kind=group&id=sales&back=/admin/../../evil")
	f.Add(idx("/admin/users"), uint8(0), "", "id=dave&password=dave-password&display_name=Dave&admin=on")
	f.Add(idx("/admin/users"), uint8(0), "", "id=Dave Smith&password=x")
	f.Add(idx("/admin/users/{id}/disable"), uint8(0), "root", "")
	f.Add(idx("/admin/users/{id}/password"), uint8(0), "bob", "password=new-password-1")
	f.Add(idx("/admin/groups"), uint8(0), "", "name=eng&rank=2")
	f.Add(idx("/admin/groups/{name}/members"), uint8(0), "sales", "user=bob")
	f.Add(idx("/admin/groups/{name}/members/remove"), uint8(0), "sales", "user=alice")
	f.Add(idx("/admin/groups/{name}/rank"), uint8(0), "sales", "rank=99999999999999999999")
	f.Add(idx("/admin/groups/{name}/delete"), uint8(0), "sales", "")
	f.Add(idx("/admin/login"), uint8(3), "", "login=root&password=root-password&next=/admin/users")
	f.Add(idx("/admin/login"), uint8(3), "", "login=root&password=root-password&next=https://evil.example/")
	f.Add(idx("/admin/login"), uint8(3), "", "login=alice&password=alice-password")
	f.Add(idx("/admin/logout"), uint8(0), "", "")
	f.Fuzz(func(t *testing.T, route, as uint8, arg, form string) {
		pattern := portalForms[int(route)%len(portalForms)]
		o := openFuzzOrg(t, template)
		path := fillPattern(pattern, arg)
		const (
			asAdmin = iota
			badToken
			asUser
			nobody
		)
		who := int(as % 4)
		body := form
		var cookie string
		switch who {
		case asAdmin, badToken:
			cookie = o.root
			tok := o.portalCSRF(t, o.root)
			if who == badToken {
				tok = tok[1:] + "A"
			}
			body += "&csrf=" + url.QueryEscape(tok)
		case asUser:
			cookie = o.alice
			body += "&csrf=" + url.QueryEscape(o.portalCSRF(t, o.root)) // a valid token of another session
		}
		req, err := http.NewRequest("POST", "http://org.test"+path, strings.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = "192.0.2.7:4321"
		if cookie != "" {
			req.Header.Set("Cookie", "parley_session="+cookie)
		}
		before := digest(t, o.DB.SQL())
		rec := o.serve(req)
		desc := fmt.Sprintf("POST %s as %d, form %q", path, who, form)

		if rec.Code >= 500 {
			t.Fatalf("%s: %d %s", desc, rec.Code, rec.Body)
		}
		login := pattern == "/admin/login"
		if rec.Code >= 400 || (!login && who != asAdmin && req.URL.Path == path) {
			if !login && who != asAdmin && rec.Code < 400 && rec.Code != http.StatusTemporaryRedirect && rec.Code != http.StatusMovedPermanently {
				t.Fatalf("%s: %d for a caller without an admin session and token", desc, rec.Code)
			}
			if after := digest(t, o.DB.SQL()); after != before && rec.Code >= 400 {
				t.Fatalf("%s: refused with %d but the database changed", desc, rec.Code)
			}
		}
		if loc := rec.Header().Get("Location"); loc != "" {
			u, err := req.URL.Parse(loc)
			if err != nil || u.Host != "org.test" || u.Scheme != "http" {
				t.Fatalf("%s: redirect to %q leaves the site", desc, loc)
			}
		}
		if vals, err := url.ParseQuery(form); err == nil {
			for _, vs := range vals {
				for _, v := range vs {
					if strings.Contains(v, "<") && !strings.Contains(markup, v) && strings.Contains(rec.Body.String(), v) {
						t.Fatalf("%s: the page echoes %q unescaped", desc, v)
					}
				}
			}
		}
	})
}
