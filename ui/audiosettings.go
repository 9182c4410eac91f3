package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
	"github.com/parley-voip/parley/media/audio"
)

// AudioActions back Settings → Devices.
type AudioActions interface {
	AudioOptions() app.AudioOptions
	SetAudioDevices(capture, playback string) error
	// SetRingerDevice chooses the ringtone's output ("" = the speaker).
	SetRingerDevice(id string)
	SetEchoCancellation(on bool)
	SetNoiseSuppression(on bool)
	// Levels reads the microphone and speaker level meters.
	Levels() app.Levels
	// PlayTestSound plays a short tone on the chosen speaker.
	PlayTestSound()
}

// systemDefault is the first choice of each device list: follow the
// system's default device, even when it changes.
const systemDefault = "System default"

// sameAsSpeaker is the ringer's first choice: ring on the call's speaker.
const sameAsSpeaker = "Same as the speaker"

// meterInterval is how often level meters move: enough to see speech and
// silence come and go. Each move repaints the window: the call screen
// under Xvfb measured 2.4 % of a core at 200 ms and 4.0 % at 100 ms
// (BenchmarkCallScreenMeters in ui/realwindow, docs/media.md).
const meterInterval = 200 * time.Millisecond

// newDeviceSettings builds Settings → Devices: microphone, speaker and
// the ringer's output (the speaker, or another device for the ringtone
// alone), a live microphone meter, a test sound, echo cancellation and noise
// suppression. Changes apply at once, in a call too.
func newDeviceSettings(act SettingsActions, page *SettingsPage) fyne.CanvasObject {
	o := act.AudioOptions()
	problem := wrapped(widget.NewLabel(o.Problem))
	problem.Importance = widget.WarningImportance
	setVisible(problem, o.Problem != "")

	mic := deviceSelect(o.Devices.Capture, o.CaptureID, systemDefault)
	speaker := deviceSelect(o.Devices.Playback, o.PlaybackID, systemDefault)
	ringer := deviceSelect(o.Devices.Playback, o.RingerID, sameAsSpeaker)
	ringer.OnChanged = func(string) { act.SetRingerDevice(ringer.id()) }
	apply := func(string) {
		err := act.SetAudioDevices(mic.id(), speaker.id())
		problem.SetText("")
		if err != nil {
			problem.SetText("Could not switch the sound device. Pick another one, or check that it is plugged in.")
		}
		setVisible(problem, err != nil)
	}
	mic.OnChanged, speaker.OnChanged = apply, apply

	meter := newLevelMeter()
	test := widget.NewButtonWithIcon("Play a test sound", theme.MediaPlayIcon(), act.PlayTestSound)

	echo := NewSwitch("Echo cancellation", act.SetEchoCancellation)
	echo.On = o.EchoCancellation
	noise := NewSwitch("Noise suppression", act.SetNoiseSuppression)
	noise.On = o.NoiseSuppression

	form := widget.NewForm(
		widget.NewFormItem("Microphone", mic.Select),
		widget.NewFormItem("Level", meter),
		widget.NewFormItem("Speaker", speaker.Select),
		widget.NewFormItem("Ringer", ringer.Select),
		widget.NewFormItem("", container.NewHBox(test)),
	)
	page.stop = runMeter(func() float64 { return act.Levels().Mic }, meter)
	box := container.NewVBox(form, echo, noise, problem)
	if cam, ok := act.(CameraActions); ok {
		box.Add(widget.NewSeparator())
		box.Add(cameraSettings(cam, page)) // camerasettings.go
	}
	return box
}

// runMeter moves bar from read every meterInterval until the returned
// stop is called; bar redraws only when the level moves a step.
func runMeter(read func() float64, bar *levelMeter) (stop func()) {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(meterInterval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				v := read()
				onUI(func() { bar.SetLevel(v) })
			}
		}
	}()
	return func() { close(done) }
}

// devicePicker is a Select over device names that knows their ids.
type devicePicker struct {
	*widget.Select
	ids map[string]string // label → id
}

// deviceSelect lists eps after first, the choice of id "".
func deviceSelect(eps []audio.Endpoint, selected, first string) devicePicker {
	p := devicePicker{ids: map[string]string{first: ""}}
	labels := []string{first}
	current := first
	for _, ep := range eps {
		label := ep.Name
		if _, dup := p.ids[label]; dup || label == "" {
			label = ep.Name + " (" + ep.ID + ")"
		}
		p.ids[label] = ep.ID
		labels = append(labels, label)
		if ep.ID == selected && selected != "" {
			current = label
		}
	}
	p.Select = widget.NewSelect(labels, nil)
	p.Select.Selected = current
	return p
}

func (p devicePicker) id() string { return p.ids[p.Selected] }
