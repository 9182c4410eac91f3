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
)

// ChromiumPath is Debian's chromium, installed by scripts/setup.sh test.
const ChromiumPath = "/usr/bin/chromium"

// guard only keeps a wedged browser from hanging the run; tests assert
// nothing about speed.
const guard = 2 * time.Minute

// New returns a browser context that ends with the test. It skips the test
// when Chromium is not installed.
func New(t testing.TB) context.Context {
	t.Helper()
	if _, err := os.Stat(ChromiumPath); err != nil {
		t.Skip("headless Chromium not installed at " + ChromiumPath + "; run scripts/setup.sh test")
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
