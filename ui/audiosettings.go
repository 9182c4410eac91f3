package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
	"github.com/parley-voip/parley/media/audio"
)

// AudioActions back Settings → Audio.
type AudioActions interface {
	AudioOptions() app.AudioOptions
	SetAudioDevices(capture, playback string) error
	SetEchoCancellation(on bool)
	SetNoiseSuppression(on bool)
}

// systemDefault is the first choice of each device list: follow the
// system's default device, even when it changes.
const systemDefault = "System default"

// newAudioSettings builds the Audio card: microphone and speaker, echo
// cancellation and noise suppression. Changes apply at once, in a call too.
func newAudioSettings(act AudioActions) fyne.CanvasObject {
	o := act.AudioOptions()
	problem := widget.NewLabel(o.Problem)
	problem.Wrapping = fyne.TextWrapWord
	problem.Importance = widget.WarningImportance
	setVisible(problem, o.Problem != "")

	mic := deviceSelect(o.Devices.Capture, o.CaptureID)
	speaker := deviceSelect(o.Devices.Playback, o.PlaybackID)
	apply := func(string) {
		err := act.SetAudioDevices(mic.id(), speaker.id())
		problem.SetText("")
		if err != nil {
			problem.SetText(err.Error())
		}
		setVisible(problem, err != nil)
	}
	mic.OnChanged, speaker.OnChanged = apply, apply

	echo := widget.NewCheck("Echo cancellation", act.SetEchoCancellation)
	echo.Checked = o.EchoCancellation
	noise := widget.NewCheck("Noise suppression", act.SetNoiseSuppression)
	noise.Checked = o.NoiseSuppression

	form := widget.NewForm(
		widget.NewFormItem("Microphone", mic.Select),
		widget.NewFormItem("Speaker", speaker.Select),
	)
	return widget.NewCard("Audio", "", container.NewVBox(form, echo, noise, problem))
}

// devicePicker is a Select over device names that knows their ids.
type devicePicker struct {
	*widget.Select
	ids map[string]string // label → id
}

func deviceSelect(eps []audio.Endpoint, selected string) devicePicker {
	p := devicePicker{ids: map[string]string{systemDefault: ""}}
	labels := []string{systemDefault}
	current := systemDefault
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
