package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"

	"github.com/parley-voip/parley/app"
)

// TextRecording is the call screen's recording indicator.
const TextRecording = "● Recording"

// recordingRed is the indicator's colour: people must see they are
// recorded.
var recordingRed = color.NRGBA{R: 0xd3, G: 0x1f, B: 0x1f, A: 0xff}

// RecordingLabel is the red "Recording" indicator of a call screen: shown
// while app.CallInfo.Recording, hidden otherwise. It lives in its own file
// so the call screen (being redesigned) places it with one line:
// add Object() to the header and call Update from CallScreen.Update.
type RecordingLabel struct {
	text *canvas.Text
}

// NewRecordingLabel starts hidden.
func NewRecordingLabel() *RecordingLabel {
	t := canvas.NewText(TextRecording, recordingRed)
	t.TextStyle = fyne.TextStyle{Bold: true}
	t.Hide()
	return &RecordingLabel{text: t}
}

// Object is the widget to place.
func (r *RecordingLabel) Object() fyne.CanvasObject { return r.text }

// Update shows the label while c is being recorded.
func (r *RecordingLabel) Update(c app.CallInfo) {
	if c.Recording && !c.Ended() {
		r.text.Show()
	} else {
		r.text.Hide()
	}
	r.text.Refresh()
}

// Visible reports whether the indicator shows.
func (r *RecordingLabel) Visible() bool { return r.text.Visible() }
