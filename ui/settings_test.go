package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
	"github.com/parley-voip/parley/media/audio"
)

type settingsBackend struct {
	settings *app.Settings
	allowed  bool
	reason   string
	closed   int

	capture, playback string
	signedOut         int
}

func (b *settingsBackend) E2EECalls() bool            { return b.settings.E2EECalls() }
func (b *settingsBackend) SetE2EECalls(on bool)       { b.settings.SetE2EECalls(on) }
func (b *settingsBackend) E2EEPolicy() (bool, string) { return b.allowed, b.reason }
func (b *settingsBackend) SignOut()                   { b.signedOut++ }
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

func (b *settingsBackend) AudioOptions() app.AudioOptions {
	return app.AudioOptions{
		Devices: audio.DeviceList{Backend: "test",
			Capture:  []audio.Endpoint{{ID: "01", Name: "Headset mic"}, {ID: "02", Name: "Built-in mic", Default: true}},
			Playback: []audio.Endpoint{{ID: "03", Name: "Headset"}}},
		CaptureID:        b.capture,
		PlaybackID:       b.playback,
		EchoCancellation: b.settings.EchoCancellation(),
		NoiseSuppression: b.settings.NoiseSuppression(),
	}
}

func (b *settingsBackend) SetAudioDevices(capture, playback string) error {
	b.capture, b.playback = capture, playback
	return nil
}

func (b *settingsBackend) SetEchoCancellation(on bool) { b.settings.SetEchoCancellation(on) }
func (b *settingsBackend) SetNoiseSuppression(on bool) { b.settings.SetNoiseSuppression(on) }

func TestAudioSettings(t *testing.T) {
	test.NewTempApp(t)
	b := &settingsBackend{settings: app.NewSettings(app.NewMemoryPreferences()), allowed: true, capture: "01"}
	obj := NewSettings(b)
	var selects []*widget.Select
	walk(t, obj, func(o fyne.CanvasObject) {
		if s, ok := o.(*widget.Select); ok {
			selects = append(selects, s)
		}
	})
	if len(selects) != 2 {
		t.Fatalf("want microphone and speaker lists, found %d selects", len(selects))
	}
	mic, speaker := selects[0], selects[1]
	if mic.Selected != "Headset mic" || speaker.Selected != systemDefault {
		t.Fatalf("selected %q / %q, want the saved mic and the system default speaker", mic.Selected, speaker.Selected)
	}
	mic.SetSelected("Built-in mic")
	speaker.SetSelected("Headset")
	if b.capture != "02" || b.playback != "03" {
		t.Fatalf("switched to %q/%q, want ids 02/03", b.capture, b.playback)
	}
	echo := findCheckLabeled(t, obj, "Echo cancellation")
	if !echo.Checked {
		t.Fatal("echo cancellation must be on by default")
	}
	test.Tap(echo)
	if b.settings.EchoCancellation() {
		t.Fatal("turning echo cancellation off was not saved")
	}
}
