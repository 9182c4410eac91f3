package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// WelcomeActions are what the first-start screen can ask for.
type WelcomeActions interface {
	StartLocal(name string) error
	Join(serverURL, name string) error
}

// NewWelcome is the first-start screen: start a local organization on this
// computer, or join one by its server URL.
func NewWelcome(act WelcomeActions) fyne.CanvasObject {
	title := widget.NewLabelWithStyle("Welcome to Parley", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	name := widget.NewEntry()
	name.SetPlaceHolder("Your name")
	status := widget.NewLabel("")
	status.Wrapping = fyne.TextWrapWord

	report := func(err error) {
		if err != nil {
			status.SetText(err.Error())
		}
	}
	needName := func() (string, bool) {
		n := strings.TrimSpace(name.Text)
		if n == "" {
			status.SetText("Please enter your name first.")
			return "", false
		}
		return n, true
	}

	local := widget.NewButton("Start a local organization on this computer", func() {
		if n, ok := needName(); ok {
			status.SetText("Starting…")
			report(act.StartLocal(n))
		}
	})
	local.Importance = widget.HighImportance

	url := widget.NewEntry()
	url.SetPlaceHolder("ws://server:7480/ws")
	join := widget.NewButton("Join an organization", func() {
		n, ok := needName()
		if !ok {
			return
		}
		if strings.TrimSpace(url.Text) == "" {
			status.SetText("Please enter the server address your administrator gave you.")
			return
		}
		status.SetText("Connecting…")
		report(act.Join(strings.TrimSpace(url.Text), n))
	})

	return container.NewPadded(container.NewVBox(
		title,
		widget.NewForm(widget.NewFormItem("Name", name)),
		widget.NewCard("Try Parley on this computer", "The organization's server runs inside the app; others on this computer can join it.", local),
		widget.NewCard("Join an organization", "", container.NewVBox(widget.NewForm(widget.NewFormItem("Server", url)), join)),
		status,
	))
}
