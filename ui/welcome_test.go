package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
)

const testFP = "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99"

type welcomeBackend struct {
	signIns int
	trusted string
}

func (b *welcomeBackend) StartLocal(string) error { return nil }

func (b *welcomeBackend) SignIn(server, login, password string) error {
	b.signIns++
	if b.trusted != testFP {
		return &app.UntrustedServerError{Server: "parley.example.org:7480", Fingerprint: testFP}
	}
	return nil
}

func (b *welcomeBackend) TrustServer(host, fp string)  { b.trusted = fp }
func (b *welcomeBackend) LastSignIn() (string, string) { return "", "" }

func TestSignInAsksToTrustAnUnknownCertificate(t *testing.T) {
	newTestApp(t)
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(520, 640))
	b := &welcomeBackend{}
	w.SetContent(NewWelcome(w, b, "").Object())

	var entries []*widget.Entry
	var signIn *widget.Button
	walk(t, w.Content(), func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Entry:
			entries = append(entries, v)
		case *widget.Button:
			if v.Text == "Sign in" {
				signIn = v
			}
		}
	})
	if len(entries) < 3 || signIn == nil {
		t.Fatalf("sign-in form incomplete: %d entries, button %v", len(entries), signIn != nil)
	}
	test.Type(entries[0], "parley.example.org:7480")
	test.Type(entries[1], "alice")
	test.Type(entries[2], "secret")
	test.Tap(signIn)

	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no trust prompt for an unknown certificate")
	}
	var shown string
	var trust *widget.Button
	walk(t, top, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "fingerprint") {
			shown = l.Text
		}
		if b, ok := o.(*widget.Button); ok && b.Text == "Trust" {
			trust = b
		}
	})
	if !strings.Contains(shown, testFP[:47]) || !strings.Contains(shown, testFP[48:]) {
		t.Fatalf("the prompt does not show the fingerprint:\n%s", shown)
	}
	if b.trusted != "" {
		t.Fatal("trusted before the user said so")
	}
	test.Tap(trust)
	if b.trusted != testFP || b.signIns != 2 {
		t.Fatalf("after Trust: pinned %q, %d sign-ins; want the fingerprint pinned and a second sign-in", b.trusted, b.signIns)
	}
}
