package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/parley-voip/parley/app"
)

func captionsCall(available bool, reason string) app.CallInfo {
	c := serviceCall()
	c.Features[app.FeatureCaptions] = app.FeatureState{Feature: app.FeatureCaptions, Available: available, Reason: reason}
	return c
}

// TestCallScreenLiveCaptions: in a standard call where captions are
// available, the More menu's Live captions entry turns them on; once on,
// the screen shows the lines with the speaker's name and the entry turns
// them off; a paused notice replaces the on line.
func TestCallScreenLiveCaptions(t *testing.T) {
	newTestApp(t)
	rec := &groupRecorder{callRecorder: *newCallRecorder()}
	s := NewCallScreen(rec, func() {}, func() {})
	w := test.NewTempWindow(t, s.Object())
	w.Resize(WindowSize)
	c := captionsCall(true, "")
	s.Update(c)
	if s.captions.box.Visible() {
		t.Fatal("captions area shown before captions are on")
	}
	on := featureItems(s)[app.FeatureCaptions.Name()]
	if on == nil || on.Disabled {
		t.Fatalf("Live captions entry %v, want one enabled", on)
	}
	on.Action()
	if len(rec.captions) != 1 || !rec.captions[0] {
		t.Fatalf("SetCaptions calls %v, want [true]", rec.captions)
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
	off := featureItems(s)[TextCaptionsOff]
	if off == nil || off.Disabled {
		t.Fatal("no entry to turn captions off")
	}
	off.Action()
	if len(rec.captions) != 2 || rec.captions[1] {
		t.Fatalf("SetCaptions calls %v, want [true false]", rec.captions)
	}

	c.Captions.Paused, c.Captions.Reason = true, "Captions stopped: the captions service restarted."
	s.Update(c)
	if !labelShown(t, s.Object(), c.Captions.Reason) || labelShown(t, s.Object(), TextCaptionsOn) {
		t.Fatal("the paused notice is not shown in place of the on line")
	}
}

// TestCallScreenCaptionsNotInstalled: without the worker (or where policy
// forbids them) the More menu lists Live captions disabled, with the
// reason; in a call without the media service it is not offered.
func TestCallScreenCaptionsNotInstalled(t *testing.T) {
	newTestApp(t)
	rec := &groupRecorder{callRecorder: *newCallRecorder()}
	s := NewCallScreen(rec, func() {}, func() {})
	for _, reason := range []string{app.ReasonCaptionsNotInstalled, app.ReasonCaptionsPolicy} {
		s.Update(captionsCall(false, reason))
		it := featureItems(s)[app.FeatureCaptions.Name()]
		if it == nil || !it.Disabled || it.Label != app.FeatureCaptions.Name()+" — "+reason {
			t.Fatalf("Live captions entry %+v, want disabled with %q", it, reason)
		}
		if s.captions.box.Visible() {
			t.Fatal("captions area shown while captions are unavailable")
		}
	}
	if len(rec.captions) != 0 {
		t.Fatal("a disabled entry turned captions on")
	}
	direct := captionsCall(false, app.ReasonNoMediaRelay)
	s.Update(direct)
	if _, ok := featureItems(s)[app.FeatureCaptions.Name()]; ok {
		t.Fatal("Live captions offered in a call without the media service")
	}
}
