package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/parley-voip/parley/app"
)

type captionsRecorder struct {
	callRecorder
	set []bool
}

func (r *captionsRecorder) SetCaptions(on bool) { r.set = append(r.set, on) }

func standardCall(captionsAvailable bool, reason string) app.CallInfo {
	c := app.CallInfo{ID: "c4", Peer: bob, State: app.CallActive, ViaService: true, Features: app.FeaturesOf(false, true)}
	c.Features[app.FeatureCaptions] = app.FeatureState{Feature: app.FeatureCaptions, Available: captionsAvailable, Reason: reason}
	return c
}

// TestCallScreenLiveCaptions: in a standard call where captions are
// available, the Live captions control turns them on; once on, the screen
// shows the lines with the speaker's name and the control turns them off.
func TestCallScreenLiveCaptions(t *testing.T) {
	test.NewTempApp(t)
	rec := &captionsRecorder{}
	s := NewCallScreen(rec)
	w := test.NewTempWindow(t, s.Object())
	w.Resize(WindowSize)
	c := standardCall(true, "")
	s.Update(c)
	if s.captions.box.Visible() {
		t.Fatal("captions area shown before captions are on")
	}
	on := buttons(t, s.Object(), app.FeatureCaptions.Name())
	if len(on) != 1 || on[0].Disabled() {
		t.Fatalf("Live captions control: %d found, want one enabled", len(on))
	}
	test.Tap(on[0])
	if len(rec.set) != 1 || !rec.set[0] {
		t.Fatalf("SetCaptions calls %v, want [true]", rec.set)
	}

	c.Captions = app.Captions{On: true, By: "bob", Lines: []app.CaptionLine{
		{Speaker: "alice", Name: "Alice", Text: "he was not an ill disposed young man", Final: true},
		{Speaker: "bob", Name: "Bob", Text: "unless to be", Final: false},
	}}
	s.Update(c)
	if !labelShown(t, s.Object(), TextCaptionsOn) {
		t.Fatal("no captions-on line")
	}
	if !labelShown(t, s.Object(), "Alice: he was not an ill disposed young man\nBob: unless to be …") {
		t.Fatalf("caption lines %q", s.captions.lines.Text)
	}
	off := buttons(t, s.Object(), TextCaptionsOff)
	if len(off) != 1 {
		t.Fatal("no control to turn captions off")
	}
	test.Tap(off[0])
	if len(rec.set) != 2 || rec.set[1] {
		t.Fatalf("SetCaptions calls %v, want [true false]", rec.set)
	}

	c.Captions.Paused, c.Captions.Reason = true, "Captions stopped: the captions service restarted."
	s.Update(c)
	if !labelShown(t, s.Object(), c.Captions.Reason) {
		t.Fatal("the paused notice is not shown")
	}
}

// TestCallScreenCaptionsNotInstalled: without the worker the control is
// greyed out and the screen says why.
func TestCallScreenCaptionsNotInstalled(t *testing.T) {
	test.NewTempApp(t)
	rec := &captionsRecorder{}
	s := NewCallScreen(rec)
	s.Update(standardCall(false, app.ReasonCaptionsNotInstalled))
	b := buttons(t, s.Object(), app.FeatureCaptions.Name())
	if len(b) != 1 || !b[0].Disabled() {
		t.Fatal("Live captions control should be shown disabled")
	}
	test.Tap(b[0])
	if len(rec.set) != 0 {
		t.Fatal("a disabled control turned captions on")
	}
	if want := "Live captions: " + app.ReasonCaptionsNotInstalled; !labelShown(t, s.Object(), want) || !s.captions.box.Visible() {
		t.Fatalf("captions area %q, want %q", s.captions.state.Text, want)
	}
}
