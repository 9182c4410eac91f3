package ui

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
)

// WelcomeActions are what the first-start (and sign-in) screen can ask for.
type WelcomeActions interface {
	StartLocal(name string) error
	// SignIn returns *app.UntrustedServerError for a certificate to
	// confirm, *app.SignInError for anything to fix.
	SignIn(serverURL, login, password string) error
	TrustServer(host, fingerprint string)
	// LastSignIn fills the form in after a sign-out.
	LastSignIn() (server, login string)
}

// Texts of the trust-on-first-use prompt; tests look for them.
const (
	TrustTitle = "Trust this server?"
	TrustBody  = "This is the first time Parley connects to %s, and no certificate authority vouches for it.\n\n" +
		"Its certificate fingerprint (SHA-256) is:\n%s\n\n" +
		"Compare it with the one your administrator gave you. Trust it only if they are the same."
	TextWelcome = "Welcome to Parley"
)

// Welcome is the first-start and sign-in screen: sign in to an
// organization by its server address, or start one on this computer.
type Welcome struct {
	server, login, password, name *widget.Entry
	// errs are the messages next to each field (app.SignInField).
	errs   map[app.SignInField]*widget.Label
	status *widget.Label
	root   fyne.CanvasObject
}

// NewWelcome builds the screen; note is shown at the top (why the user
// must sign in again), if any.
func NewWelcome(win fyne.Window, act WelcomeActions, note string) *Welcome {
	w := &Welcome{errs: map[app.SignInField]*widget.Label{}}
	title := canvas.NewText(TextWelcome, theme.Color(theme.ColorNameForeground))
	title.TextSize = theme.Size(theme.SizeNameHeadingText)
	title.TextStyle.Bold = true
	title.Alignment = fyne.TextAlignCenter
	w.status = wrapped(widget.NewLabel(note))
	setVisible(w.status, note != "")

	fieldErr := func(f app.SignInField) *widget.Label {
		l := wrapped(widget.NewLabel(""))
		l.Importance = widget.DangerImportance
		l.Hide()
		w.errs[f] = l
		return l
	}
	w.server = widget.NewEntry()
	w.server.SetPlaceHolder("parley.example.org:7443")
	w.login = widget.NewEntry()
	w.login.SetPlaceHolder("user name or email")
	w.password = widget.NewPasswordEntry()
	w.server.Text, w.login.Text = act.LastSignIn()

	var signIn func()
	signIn = func() {
		w.clear()
		switch {
		case strings.TrimSpace(w.server.Text) == "":
			w.show(app.FieldServer, "Enter the server address your administrator gave you.")
			return
		case strings.TrimSpace(w.login.Text) == "":
			w.show(app.FieldUser, "Enter your user name or email.")
			return
		}
		err := act.SignIn(strings.TrimSpace(w.server.Text), strings.TrimSpace(w.login.Text), w.password.Text)
		var untrusted *app.UntrustedServerError
		var se *app.SignInError
		switch {
		case errors.As(err, &untrusted):
			confirmTrust(win, untrusted, func() {
				act.TrustServer(untrusted.Server, untrusted.Fingerprint)
				signIn()
			})
		case errors.As(err, &se):
			w.show(se.Field, se.Message)
		case err != nil:
			w.show(app.FieldServer, app.MsgSignInFailed)
		}
	}
	w.password.OnSubmitted = func(string) { signIn() }
	join := widget.NewButtonWithIcon("Sign in", theme.LoginIcon(), signIn)
	join.Importance = widget.HighImportance

	w.name = widget.NewEntry()
	w.name.SetPlaceHolder("Your name")
	localErr := fieldErr("local")
	local := widget.NewButton("Start on this computer", func() {
		localErr.Hide()
		n := strings.TrimSpace(w.name.Text)
		if n == "" {
			localErr.SetText("Enter your name first.")
			localErr.Show()
			return
		}
		if err := act.StartLocal(n); err != nil {
			localErr.SetText("Could not start the organization on this computer: " + err.Error())
			localErr.Show()
		}
	})

	field := func(label string, e *widget.Entry, f app.SignInField) fyne.CanvasObject {
		return container.NewVBox(widget.NewLabelWithStyle(label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), e, fieldErr(f))
	}
	heading := func(t string) *widget.Label {
		l := wrapped(widget.NewLabelWithStyle(t, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		l.SizeName = theme.SizeNameSubHeadingText
		return l
	}
	joinCard := widget.NewCard("", "",
		container.NewVBox(heading("Join your organization"),
			help("The address, user name and password your administrator gave you."),
			field("Server", w.server, app.FieldServer),
			field("User", w.login, app.FieldUser),
			field("Password", w.password, app.FieldPassword),
			join))
	localCard := widget.NewCard("", "",
		container.NewVBox(heading("Try Parley on this computer"),
			help("The organization's server runs inside the app; others on this computer join it by name."),
			w.name, localErr, local))
	w.root = container.NewVScroll(container.NewPadded(container.NewVBox(
		container.NewPadded(title), w.status, joinCard, localCard)))
	return w
}

func (w *Welcome) clear() {
	for _, l := range w.errs {
		l.Hide()
	}
}

func (w *Welcome) show(f app.SignInField, msg string) {
	l := w.errs[f]
	if l == nil {
		l = w.errs[app.FieldServer]
	}
	l.SetText(msg)
	l.Show()
}

// Object is the screen.
func (w *Welcome) Object() fyne.CanvasObject { return w.root }

// FieldError is the message shown next to field f ("" when none).
func (w *Welcome) FieldError(f app.SignInField) string {
	if l := w.errs[f]; l != nil && l.Visible() {
		return l.Text
	}
	return ""
}

func confirmTrust(win fyne.Window, e *app.UntrustedServerError, trust func()) {
	msg := wrapped(widget.NewLabel(fmt.Sprintf(TrustBody, e.Server, groupFingerprint(e.Fingerprint))))
	d := dialog.NewCustomConfirm(TrustTitle, "Trust", "Cancel", msg, func(ok bool) {
		if ok {
			trust()
		}
	}, win)
	d.Resize(fyne.NewSize(fyne.Min(460, win.Canvas().Size().Width-20), 320))
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
