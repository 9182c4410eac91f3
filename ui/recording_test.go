package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/parley-voip/parley/app"
)

// TestRecordingLabel: red "Recording" while the call is recorded, gone
// when it stops or the call ends.
func TestRecordingLabel(t *testing.T) {
	newTestApp(t)
	r := NewRecordingLabel()
	w := test.NewTempWindow(t, r.Object())
	c := plainCall()
	r.Update(c)
	if r.Visible() {
		t.Fatal("shown before recording")
	}
	c.Recording, c.RecordingBy = true, "Bob"
	r.Update(c)
	if !r.Visible() || r.text.Text != TextRecording || r.text.Color != recordingRed {
		t.Fatalf("recording: visible %v, %q %v", r.Visible(), r.text.Text, r.text.Color)
	}
	w.Canvas().Refresh(r.Object())
	c.State = app.CallEnded
	r.Update(c)
	if r.Visible() {
		t.Fatal("shown after the call ended")
	}
	c.State, c.Recording = app.CallActive, false
	r.Update(c)
	if r.Visible() {
		t.Fatal("shown after the recording stopped")
	}
}
