package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// SettingsActions back the Settings screen.
type SettingsActions interface {
	E2EECalls() bool
	SetE2EECalls(on bool)
	// E2EEPolicy reports whether the organization allows the user to turn
	// E2EE on, and if not, why (shown under the greyed-out switch).
	E2EEPolicy() (allowed bool, reason string)
	CloseSettings()
}

// E2EESwitchLabel is the Privacy switch's text, as in Teams.
const E2EESwitchLabel = "End-to-end encrypted calls"

// NewSettings builds Settings → Privacy.
func NewSettings(act SettingsActions) fyne.CanvasObject {
	sw := widget.NewCheck(E2EESwitchLabel, nil)
	sw.SetChecked(act.E2EECalls())
	sw.OnChanged = act.SetE2EECalls
	help := widget.NewLabel("Both people in a one-to-one call must turn this on. While a call is end-to-end " +
		"encrypted, recording, live captions, transfer, park, merge, moving the call to another device " +
		"and adding people are unavailable.")
	help.Wrapping = fyne.TextWrapWord
	policy := widget.NewLabel("")
	policy.Wrapping = fyne.TextWrapWord
	if ok, reason := act.E2EEPolicy(); !ok {
		sw.Disable()
		policy.SetText(reason)
	} else {
		policy.Hide()
	}
	privacy := widget.NewCard("Privacy", "", container.NewVBox(sw, policy, help))
	back := widget.NewButton("Done", act.CloseSettings)
	return container.NewBorder(nil, container.NewHBox(back), nil, nil, container.NewVScroll(privacy))
}
