package admin

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/parley-voip/parley/internal/browsertest"
	"github.com/parley-voip/parley/server/policy"
)

// TestPortalEndToEnd drives the portal in headless Chromium: sign in,
// create a policy and a group, add a member, grant the policy to the group,
// and see the member's effective policy change both in the portal and in
// the live push to their (simulated) signed-in client.
//
// PARLEY_ADMIN_SCREENSHOT=path also saves a screenshot of the policies
// page (docs/admin-policies.png is made that way).
func TestPortalEndToEnd(t *testing.T) {
	e := newEnv(t)
	for _, u := range e.pushes.online {
		if err := e.pol.SignedIn(t.Context(), u); err != nil {
			t.Fatal(err)
		}
	}
	if p, _ := e.pushes.last("alice"); p.Policy.Name != policy.GlobalName {
		t.Fatalf("alice starts with %+v", p)
	}

	ctx := browsertest.New(t)

	base := e.srv.URL
	id := func(s string) chromedp.ID { return chromedp.ID(s) }
	err := chromedp.Do(ctx,
		// An unauthenticated visit shows the sign-in form.
		browsertest.SignIn(base, "/admin/policies", "root", "root-password", "policies"),
		browsertest.CreatePolicy("Pilot", "UserCanEnable"),

		// Create the group with alice in it.
		chromedp.Navigate(base+"/admin/groups"),
		chromedp.WaitVisible(id("new-group-name")),
		chromedp.SendKeys(id("new-group-name"), "Engineering"),
		chromedp.Click(id("create-group")),
		chromedp.WaitVisible(id("add-member")),
		chromedp.SendKeys(id("add-member"), "alice"),
		chromedp.Click(id("add-member-submit")),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-member="alice"]`)),

		// Grant the policy to the group from the policy's page.
		chromedp.Navigate(base+"/admin/policies/Pilot"),
		chromedp.WaitVisible(id("grant-kind")),
		chromedp.SetValue(id("grant-kind"), "group"),
		chromedp.SendKeys(id("grant-id"), "Engineering"),
		chromedp.Click(id("grant")),
		chromedp.WaitVisible(chromedp.Search(`//table[@id="grants"]//td[contains(., "group:Engineering")]`)),

		// The member's page shows the new effective policy and why.
		chromedp.Navigate(base+"/admin/users/alice"),
		chromedp.WaitVisible(id("effective")),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(id(sel)))
		if err != nil {
			t.Fatalf("reading #%s: %v", sel, err)
		}
		return v
	}
	effective, reason := text("effective"), text("effective-reason")
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/admin/policies"), chromedp.WaitVisible(id("policies"))); err != nil {
		t.Fatalf("browser: %v", err)
	}
	tenant := text("tenant-policy")
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if !strings.Contains(effective, "Pilot") || !strings.Contains(effective, "UserCanEnable") {
		t.Fatalf("effective on the portal: %q", effective)
	}
	if !strings.Contains(reason, `group "Engineering"`) {
		t.Fatalf("reason on the portal: %q", reason)
	}
	if !strings.Contains(tenant, "none") {
		t.Fatalf("tenant line: %q", tenant)
	}
	p, ok := e.pushes.last("alice")
	if !ok || p.Policy.Name != "Pilot" || p.Policy.E2EE != policy.UserCanEnable || p.Group != "Engineering" {
		t.Fatalf("alice's client was pushed %+v", p)
	}
	if p, _ := e.pushes.last("bob"); p.Policy.Name != policy.GlobalName {
		t.Fatalf("bob is not in the group but was pushed %+v", p)
	}
	if len(shot) < 1000 || string(shot[1:4]) != "PNG" {
		t.Fatalf("screenshot is not a PNG (%d bytes)", len(shot))
	}
	if path := os.Getenv("PARLEY_ADMIN_SCREENSHOT"); path != "" {
		if err := os.WriteFile(filepath.Clean(path), shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
