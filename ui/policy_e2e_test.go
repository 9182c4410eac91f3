package ui

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/chromedp/chromedp"

	"github.com/parley-voip/parley/app"
	"github.com/parley-voip/parley/internal/browsertest"
	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/org"
	"github.com/parley-voip/parley/server/org/orgtest"
)

// TestAdminPortalEnablesTheDesktopSwitch is the whole path of an E2EE
// policy: an admin signs in to the portal in headless Chromium and grants a
// UserCanEnable policy to alice; the server pushes it to her signed-in
// desktop app, whose Settings → Privacy switch goes from greyed out (with
// the reason) to available, live.
func TestAdminPortalEnablesTheDesktopSwitch(t *testing.T) {
	bctx := browsertest.New(t)
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	o := orgtest.Start(t, org.Config{Logger: quiet})
	if _, err := o.Accounts.InitOrg(ctx, "Example", accounts.NewUser{ID: "root", Password: "root-password", Admin: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := o.Accounts.CreateUser(ctx, accounts.NewUser{ID: "alice", DisplayName: "Alice", Password: "alice-password"}); err != nil {
		t.Fatal(err)
	}

	// Alice's desktop app, signed in, with Settings open.
	sp, main, win := signedInDesktop(t, o, app.NewMemoryPreferences(), "alice", "alice-password")
	main.OpenSettings()
	main.Settings().Select("Privacy")
	switchState := func() (found, enabled bool) {
		// A policy push rebuilds Settings: open Privacy on the current
		// one.
		main.Settings().Select("Privacy")
		var sw *Switch
		walk(t, win.Content(), func(c fyne.CanvasObject) {
			if ch, ok := c.(*Switch); ok && ch.Text == E2EESwitchLabel {
				sw = ch
			}
		})
		return sw != nil, sw != nil && !sw.Disabled()
	}
	waitUntil(t, "the switch greyed out by the Global policy", func() bool {
		found, enabled := switchState()
		return found && !enabled && !sp.E2EECalls()
	})

	// The admin, in the portal.
	id := func(s string) chromedp.ID { return chromedp.ID(s) }
	base := o.Server.BaseURL()
	if err := chromedp.Do(bctx,
		browsertest.SignIn(base, "/admin/policies", "root", "root-password", "policies"),
		browsertest.CreatePolicy("Pilot", "UserCanEnable"),
		chromedp.SetValue(id("grant-kind"), "user"),
		chromedp.SendKeys(id("grant-id"), "alice"),
		chromedp.Click(id("grant")),
		chromedp.WaitVisible(chromedp.Search(`//table[@id="grants"]//td[contains(., "user:alice")]`)),
	); err != nil {
		t.Fatalf("browser: %v", err)
	}

	waitUntil(t, "the switch available after the grant", func() bool {
		_, enabled := switchState()
		return enabled
	})
	if ok, reason := sp.E2EEPolicy(); !ok || reason != "" {
		t.Fatalf("policy after the grant: %v %q", ok, reason)
	}
}

// signedInDesktop runs the desktop app's window and controller, with a
// synthetic sound device, signed in to o as id.
func signedInDesktop(t *testing.T, o *org.Org, prefs app.Preferences, id, password string) (*app.Softphone, *Main, fyne.Window) {
	t.Helper()
	newTestApp(t)
	win := test.NewTempWindow(t, nil)
	win.Resize(fyne.NewSize(640, 700))
	sp, err := app.NewSoftphone(app.SoftphoneConfig{
		Prefs:       prefs,
		OpenDevice:  func(string, string) (audio.Device, error) { return audio.NewSyntheticDevice(nil, nil), nil },
		ListDevices: func() (audio.DeviceList, error) { return audio.DeviceList{Backend: "test"}, nil },
		Logger:      slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sp.Close() })
	main := NewMain(win, sp)
	t.Cleanup(func() { settleUI(main) })
	sp.SetListener(main)
	if err := sp.SignIn(o.Server.BaseURL(), id, password); err != nil {
		t.Fatal(err)
	}
	return sp, main, win
}

// settleUI waits until m's background loads have finished and what
// they and anyone else queued for the UI has run.
func settleUI(m *Main) {
	yield(m.bg.Wait)
	yield(func() { onUIWait(func() {}) })
}

// waitUntil polls cond (state arrives from the client's goroutine); the
// deadline is a hang guard, not a speed check. Between polls the UI
// runs what others queued (yield); cond runs on the test's goroutine,
// the UI's, so it may read and use the widgets.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		yield(func() { onUIWait(func() {}) })
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		yield(func() { time.Sleep(20 * time.Millisecond) })
	}
}
