// Package browsertest starts headless Chromium for end-to-end tests of web
// pages (the admin portal), with the flags this machine needs: no sandbox
// as root, and no background networking, which the closed network refuses.
package browsertest

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/parley-voip/parley/internal/testproc"
)

// ChromiumPath is Debian's chromium, installed by scripts/setup.sh test.
const ChromiumPath = "/usr/bin/chromium"

// guard only keeps a wedged browser from hanging the run; tests assert
// nothing about speed.
const guard = 2 * time.Minute

// New returns a browser context that ends with the test. It skips the test
// when Chromium is not installed, except under CI, where it fails.
func New(t testing.TB) context.Context {
	t.Helper()
	if _, err := os.Stat(ChromiumPath); err != nil {
		testproc.Require(t, testproc.NotInstalled("headless Chromium not installed at "+ChromiumPath+"; run scripts/setup.sh test"))
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(ChromiumPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 900),
	}
	ctx, cancel := context.WithTimeout(context.Background(), guard)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	ctx, cancelBrowser := chromedp.NewContext(ctx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
		cancel()
	})
	return ctx
}

// SignIn is the admin portal's sign-in at base+path: the page shows the
// sign-in form to an unauthenticated visit, and after it the page's
// element with id then.
func SignIn(base, path, login, password, then string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(base+path),
		chromedp.WaitVisible(chromedp.ID("login")),
		chromedp.SendKeys(chromedp.ID("login"), login),
		chromedp.SendKeys(chromedp.ID("password"), password),
		chromedp.Click(chromedp.ID("signin")),
		chromedp.WaitVisible(chromedp.ID(then)),
	)
}

// CreatePolicy creates a policy on the portal's policies page, with its
// E2EE setting, and waits for the grants form.
func CreatePolicy(name, e2ee string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.SendKeys(chromedp.ID("new-policy-name"), name),
		chromedp.SetValue(chromedp.ID("new-policy-e2ee"), e2ee),
		chromedp.Click(chromedp.ID("create-policy")),
		chromedp.WaitVisible(chromedp.ID("grant-kind")),
	)
}
