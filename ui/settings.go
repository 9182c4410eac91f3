package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
)

// SettingsActions back the Settings screen.
type SettingsActions interface {
	E2EECalls() bool
	SetE2EECalls(on bool)
	// E2EEPolicy reports whether the organization allows the user to turn
	// E2EE on, and if not, why (shown under the greyed-out switch).
	E2EEPolicy() (allowed bool, reason string)
	E2EEOnly() bool
	SetE2EEOnly(on bool)
	AudioActions
	CloseSettings()
	// SignOut ends the session on the server and returns to sign-in.
	SignOut()
}

// The Privacy switches' texts; E2EESwitchLabel is Teams'.
const (
	E2EESwitchLabel     = "End-to-end encrypted calls"
	E2EEOnlySwitchLabel = "Only allow end-to-end encrypted calls"
)

// NewSettings builds Settings → Privacy.
func NewSettings(act SettingsActions) fyne.CanvasObject {
	only := widget.NewCheck(E2EEOnlySwitchLabel, nil) // OnChanged below
	only.Checked = act.E2EEOnly()
	sw := widget.NewCheck(E2EESwitchLabel, nil)
	sw.SetChecked(act.E2EECalls())
	// "Only" means nothing without E2EE itself, so it follows the switch.
	follow := func(on bool) {
		if on {
			only.Enable()
		} else {
			only.Disable()
		}
	}
	follow(sw.Checked)
	sw.OnChanged = func(on bool) {
		act.SetE2EECalls(on)
		follow(on)
	}
	help := widget.NewLabel("Both people in a one-to-one call must turn this on. While a call is end-to-end " +
		"encrypted, recording, live captions, transfer, park, merge, moving the call to another device " +
		"and adding people are unavailable.")
	help.Wrapping = fyne.TextWrapWord
	policy := widget.NewLabel("")
	policy.Wrapping = fyne.TextWrapWord
	// The guard is the user's own: the policy never changes or greys it
	// out. While the policy does not allow E2EE and the guard is on, every
	// call is refused, and the screen says so.
	blocked := widget.NewLabelWithStyle(app.GuardBlockedNotice, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	blocked.Wrapping = fyne.TextWrapWord
	blocked.Importance = widget.DangerImportance
	allowed, reason := act.E2EEPolicy()
	showBlocked := func() { setVisible(blocked, app.GuardBlocked(allowed, act.E2EECalls(), only.Checked)) }
	only.OnChanged = func(on bool) {
		act.SetE2EEOnly(on)
		showBlocked()
	}
	showBlocked()
	if !allowed {
		sw.Disable()
		policy.SetText(reason)
	} else {
		policy.Hide()
	}
	onlyHelp := widget.NewLabel("Calls that cannot be end-to-end encrypted are refused instead of going ahead without the lock.")
	onlyHelp.Wrapping = fyne.TextWrapWord
	privacy := widget.NewCard("Privacy", "", container.NewVBox(sw, policy, blocked, help, only, onlyHelp))
	back := widget.NewButton("Done", act.CloseSettings)
	signOut := widget.NewButton("Sign out", act.SignOut)
	return container.NewBorder(nil, container.NewBorder(nil, nil, back, signOut), nil, nil,
		container.NewVScroll(container.NewVBox(privacy, newAudioSettings(act))))
}
