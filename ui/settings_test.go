package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
)

type settingsBackend struct {
	settings *app.Settings
	allowed  bool
	reason   string
	closed   int
}

func (b *settingsBackend) E2EECalls() bool            { return b.settings.E2EECalls() }
func (b *settingsBackend) SetE2EECalls(on bool)       { b.settings.SetE2EECalls(on) }
func (b *settingsBackend) E2EEPolicy() (bool, string) { return b.allowed, b.reason }
func (b *settingsBackend) CloseSettings()             { b.closed++ }

func findCheck(t *testing.T, o fyne.CanvasObject) *widget.Check {
	return findCheckLabeled(t, o, E2EESwitchLabel)
}

func findCheckLabeled(t *testing.T, o fyne.CanvasObject, label string) *widget.Check {
	var found *widget.Check
	walk(t, o, func(o fyne.CanvasObject) {
		if c, ok := o.(*widget.Check); ok && c.Text == label {
			found = c
		}
	})
	return found
}

// walk visits o and everything rendered inside it.
func walk(t *testing.T, o fyne.CanvasObject, f func(fyne.CanvasObject)) {
	f(o)
	switch v := o.(type) {
	case *fyne.Container:
		for _, c := range v.Objects {
			walk(t, c, f)
		}
	case fyne.Widget:
		for _, c := range test.TempWidgetRenderer(t, v).Objects() {
			walk(t, c, f)
		}
	}
}

func TestSettingsSwitchOffByDefaultAndPersists(t *testing.T) {
	test.NewTempApp(t)
	prefs := app.NewMemoryPreferences()
	b := &settingsBackend{settings: app.NewSettings(prefs), allowed: true}
	obj := NewSettings(b)
	sw := findCheck(t, obj)
	if sw == nil {
		t.Fatal("no E2EE switch on the Settings screen")
	}
	if sw.Checked {
		t.Fatal("E2EE must be off by default")
	}
	if sw.Disabled() {
		t.Fatal("switch disabled although policy allows it")
	}
	only := findCheckLabeled(t, obj, E2EEOnlySwitchLabel)
	if !only.Disabled() {
		t.Fatal(`"only allow E2EE calls" must be greyed out while E2EE is off`)
	}
	test.Tap(sw)
	if !b.settings.E2EECalls() {
		t.Fatal("turning the switch on was not saved")
	}
	if only.Disabled() {
		t.Fatal(`"only allow E2EE calls" must be available once E2EE is on`)
	}
	test.Tap(only)
	if !b.settings.E2EEOnly() {
		t.Fatal(`"only allow E2EE calls" was not saved`)
	}
	// A new screen over the same preferences shows the saved state.
	if again := findCheck(t, NewSettings(b)); !again.Checked {
		t.Fatal("switch state not restored from preferences")
	}
	w := test.NewTempWindow(t, NewSettings(b))
	w.Resize(fyne.NewSize(480, 320))
	test.AssertRendersToMarkup(t, "settings_on.xml", w.Canvas())
}

func TestSettingsSwitchGreyedByPolicy(t *testing.T) {
	test.NewTempApp(t)
	const reason = "Your organization has not enabled end-to-end encrypted calls"
	b := &settingsBackend{settings: app.NewSettings(app.NewMemoryPreferences()), reason: reason}
	obj := NewSettings(b)
	sw := findCheck(t, obj)
	if !sw.Disabled() {
		t.Fatal("switch must be greyed out when policy does not allow E2EE")
	}
	found := false
	walk(t, obj, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && l.Text == reason && l.Visible() {
			found = true
		}
	})
	if !found {
		t.Fatal("the policy reason is not shown")
	}
}

func (b *settingsBackend) E2EEOnly() bool      { return b.settings.E2EEOnly() }
func (b *settingsBackend) SetE2EEOnly(on bool) { b.settings.SetE2EEOnly(on) }
