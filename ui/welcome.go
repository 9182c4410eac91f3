package ui

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
)

// WelcomeActions are what the first-start (and sign-in) screen can ask for.
type WelcomeActions interface {
	StartLocal(name string) error
	// SignIn returns *app.UntrustedServerError for a certificate to confirm.
	SignIn(serverURL, login, password string) error
	TrustServer(host, fingerprint string)
}

// Texts of the trust-on-first-use prompt; tests look for them.
const (
	TrustTitle = "Trust this server?"
	TrustBody  = "This is the first time Parley connects to %s, and no certificate authority vouches for it.\n\n" +
		"Its certificate fingerprint (SHA-256) is:\n%s\n\n" +
		"Compare it with the one your administrator gave you. Trust it only if they are the same."
)

// NewWelcome is the first-start and sign-in screen: start a local
// organization on this computer, or sign in to one by its server address.
// note is shown at the top (why the user must sign in again), if any.
func NewWelcome(win fyne.Window, act WelcomeActions, note string) fyne.CanvasObject {
	title := widget.NewLabelWithStyle("Welcome to Parley", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	status := widget.NewLabel(note)
	status.Wrapping = fyne.TextWrapWord

	name := widget.NewEntry()
	name.SetPlaceHolder("Your name")
	local := widget.NewButton("Start a local organization on this computer", func() {
		n := strings.TrimSpace(name.Text)
		if n == "" {
			status.SetText("Please enter your name first.")
			return
		}
		status.SetText("Starting…")
		if err := act.StartLocal(n); err != nil {
			status.SetText(err.Error())
		}
	})
	local.Importance = widget.HighImportance

	server := widget.NewEntry()
	server.SetPlaceHolder("parley.example.org:7480")
	login := widget.NewEntry()
	login.SetPlaceHolder("user name or email")
	password := widget.NewPasswordEntry()
	var signIn func()
	signIn = func() {
		if strings.TrimSpace(server.Text) == "" || strings.TrimSpace(login.Text) == "" {
			status.SetText("Please enter the server address and your user name.")
			return
		}
		status.SetText("Signing in…")
		err := act.SignIn(server.Text, strings.TrimSpace(login.Text), password.Text)
		var untrusted *app.UntrustedServerError
		switch {
		case errors.As(err, &untrusted):
			status.SetText("")
			confirmTrust(win, untrusted, func() {
				act.TrustServer(untrusted.Server, untrusted.Fingerprint)
				signIn()
			})
		case err != nil:
			status.SetText(err.Error())
		}
	}
	password.OnSubmitted = func(string) { signIn() }
	join := widget.NewButton("Sign in", signIn)

	return container.NewPadded(container.NewVBox(
		title,
		status,
		widget.NewCard("Join an organization", "The address, user name and password your administrator gave you.",
			container.NewVBox(widget.NewForm(
				widget.NewFormItem("Server", server),
				widget.NewFormItem("User", login),
				widget.NewFormItem("Password", password),
			), join)),
		widget.NewCard("Try Parley on this computer", "The organization's server runs inside the app; others on this computer join it by name.",
			container.NewVBox(widget.NewForm(widget.NewFormItem("Name", name)), local)),
	))
}

func confirmTrust(win fyne.Window, e *app.UntrustedServerError, trust func()) {
	msg := widget.NewLabel(fmt.Sprintf(TrustBody, e.Server, groupFingerprint(e.Fingerprint)))
	msg.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(TrustTitle, "Trust", "Cancel", msg, func(ok bool) {
		if ok {
			trust()
		}
	}, win)
	d.Resize(fyne.NewSize(460, 320))
	d.Show()
}

// groupFingerprint breaks the 32 hex pairs into two lines of 16, easier to
// compare by eye.
func groupFingerprint(fp string) string {
	parts := strings.Split(fp, ":")
	if len(parts) != 32 {
		return fp
	}
	return strings.Join(parts[:16], ":") + "\n" + strings.Join(parts[16:], ":")
}
