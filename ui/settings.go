package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
)

// PrivacyActions back Settings → Privacy.
type PrivacyActions interface {
	E2EECalls() bool
	SetE2EECalls(on bool)
	// E2EEPolicy reports whether the organization allows the user to turn
	// E2EE on, and if not, why (shown under the greyed-out switch).
	E2EEPolicy() (allowed bool, reason string)
	E2EEOnly() bool
	SetE2EEOnly(on bool)
}

// SettingsActions back the Settings screen.
type SettingsActions interface {
	PrivacyActions
	AudioActions
	Notifications() bool
	SetNotifications(on bool)
	CloseSettings()
	// SignOut ends the session on the server and returns to sign-in.
	SignOut()
	// Account is who is signed in where, for Settings → Account.
	Account() (me app.Contact, org, info string)
}

// The Privacy switches' texts; E2EESwitchLabel is Teams'.
const (
	E2EESwitchLabel     = "End-to-end encrypted calls"
	E2EEOnlySwitchLabel = "Only allow end-to-end encrypted calls"
	NotificationsLabel  = "Show a desktop notification for calls and messages when Parley is not in front"
)

// settingsCategory is one entry of Settings' list: the categories are data.
type settingsCategory struct {
	Name string
	Icon fyne.ThemeIconName
	New  func(act SettingsActions, page *SettingsPage) fyne.CanvasObject
}

var settingsCategories = []settingsCategory{
	{"General", theme.IconNameSettings, newGeneralSettings},
	{"Privacy", theme.IconNameVisibilityOff, newPrivacySettings},
	{"Devices", theme.IconNameVolumeUp, newDeviceSettings},
	{"Notifications", theme.IconNameInfo, newNotificationSettings},
	{"Account", theme.IconNameAccount, newAccountSettings},
}

// SettingsPage is Settings: a row of categories over the open one's
// switches, each applying at once. It stays usable during a call.
type SettingsPage struct {
	act      SettingsActions
	buttons  []*widget.Button
	contents []fyne.CanvasObject
	body     *fyne.Container
	selected int
	root     fyne.CanvasObject
	// stop ends the Devices microphone meter when the page is rebuilt.
	stop func()
}

// NewSettings builds Settings, opened on the category named open ("" for
// the first).
func NewSettings(act SettingsActions, open string) *SettingsPage {
	p := &SettingsPage{act: act, body: container.NewStack()}
	row := container.NewHBox()
	for i, c := range settingsCategories {
		i := i
		b := widget.NewButtonWithIcon(c.Name, theme.Icon(c.Icon), func() { p.selectIndex(i) })
		p.buttons = append(p.buttons, b)
		p.contents = append(p.contents, container.NewVScroll(container.NewPadded(c.New(act, p))))
		row.Add(b)
	}
	p.selectIndex(0)
	p.Select(open)
	done := widget.NewButtonWithIcon("Done", theme.ConfirmIcon(), act.CloseSettings)
	done.Importance = widget.HighImportance
	head := container.NewBorder(nil, nil, nil, done, pageTitle("Settings"))
	p.root = container.NewBorder(container.NewVBox(head, container.NewHScroll(row), widget.NewSeparator()), nil, nil, nil, p.body)
	return p
}

func (p *SettingsPage) selectIndex(i int) {
	p.selected = i
	for j, b := range p.buttons {
		imp := widget.LowImportance
		if j == i {
			imp = widget.HighImportance
		}
		b.Importance = imp
		b.Refresh()
	}
	p.body.Objects = []fyne.CanvasObject{p.contents[i]}
	p.body.Refresh()
}

// Select opens the category named name.
func (p *SettingsPage) Select(name string) {
	for i, c := range settingsCategories {
		if c.Name == name {
			p.selectIndex(i)
		}
	}
}

// Selected is the open category's name.
func (p *SettingsPage) Selected() string { return settingsCategories[p.selected].Name }

// Object is the screen.
func (p *SettingsPage) Object() fyne.CanvasObject { return p.root }

// Close stops what the page runs (the microphone meter).
func (p *SettingsPage) Close() {
	if p.stop != nil {
		p.stop()
		p.stop = nil
	}
}

func help(text string) *widget.Label {
	l := wrapped(widget.NewLabel(text))
	l.Importance = widget.LowImportance
	return l
}

func newGeneralSettings(act SettingsActions, _ *SettingsPage) fyne.CanvasObject {
	me, org, info := act.Account()
	rows := []fyne.CanvasObject{
		widget.NewLabelWithStyle("Organization", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		wrapped(widget.NewLabel(org)),
	}
	if info != "" {
		rows = append(rows, help(info))
	}
	rows = append(rows, widget.NewLabelWithStyle("Signed in as", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewHBox(NewAvatar(me, 32, false), widget.NewLabel(me.Label())),
		help("Light or dark follows your system's appearance."))
	return container.NewVBox(rows...)
}

// newPrivacySettings is the E2EE switch, greyed out with the reason when
// the policy does not allow it (and then showing off, the effective
// state, whatever the saved choice), and "only encrypted calls".
func newPrivacySettings(act SettingsActions, _ *SettingsPage) fyne.CanvasObject {
	allowed, reason := act.E2EEPolicy()
	sw := NewSwitch(E2EESwitchLabel, nil)
	sw.On = allowed && act.E2EECalls()
	only := NewSwitch(E2EEOnlySwitchLabel, nil)
	only.On = act.E2EEOnly()
	// "Only" means nothing without E2EE itself, so it follows the switch.
	follow := func(on bool) {
		if on {
			only.Enable()
		} else {
			only.Disable()
		}
	}
	// The guard is the user's own: the policy never changes or greys it
	// out. While the policy does not allow E2EE and the guard is on, every
	// call is refused, and the screen says so.
	blocked := wrapped(widget.NewLabelWithStyle(app.GuardBlockedNotice, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	blocked.Importance = widget.DangerImportance
	showBlocked := func() { setVisible(blocked, app.GuardBlocked(allowed, act.E2EECalls(), only.On)) }
	sw.OnChanged = func(on bool) {
		act.SetE2EECalls(on)
		follow(on)
		showBlocked()
	}
	only.OnChanged = func(on bool) {
		act.SetE2EEOnly(on)
		showBlocked()
	}
	follow(act.E2EECalls())
	showBlocked()
	policy := wrapped(widget.NewLabel(reason))
	policy.Importance = widget.WarningImportance
	if !allowed {
		sw.Disable()
	} else {
		policy.Hide()
	}
	return container.NewVBox(sw, policy,
		help("Both people in a one-to-one call must turn this on. While a call is end-to-end "+
			"encrypted, recording, live captions, transfer, park, merge, moving the call to another device "+
			"and adding people are unavailable."),
		widget.NewSeparator(), only, blocked,
		help("Calls that cannot be end-to-end encrypted are refused instead of going ahead without the lock."))
}

func newNotificationSettings(act SettingsActions, _ *SettingsPage) fyne.CanvasObject {
	sw := NewSwitch(NotificationsLabel, act.SetNotifications)
	sw.On = act.Notifications()
	return container.NewVBox(sw, help("Incoming calls ring and show on top of the window either way."))
}

func newAccountSettings(act SettingsActions, _ *SettingsPage) fyne.CanvasObject {
	me, org, _ := act.Account()
	out := widget.NewButtonWithIcon("Sign out", theme.LogoutIcon(), act.SignOut)
	out.Importance = widget.DangerImportance
	return container.NewVBox(
		container.NewHBox(NewAvatar(me, 40, false), container.NewVBox(
			widget.NewLabelWithStyle(me.Label(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			truncated(me.ID+" · "+org, fyne.TextStyle{}))),
		container.NewHBox(out),
		help("Signing out ends this device's session on the server; your settings stay on this computer."))
}
