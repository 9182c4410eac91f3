package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"fyne.io/fyne/v2/widget"
	"github.com/parley-voip/parley/app"
)

// The app's Softphone is what Main offers transcripts and the media
// service's controls (live captions among them) through.
var (
	_ TranscriptSource = (*app.Softphone)(nil)
	_ groupController  = (*app.Softphone)(nil)
)

// TestCallsTranscript: a Calls entry whose call had live captions has a
// Transcript button (the others do not); it downloads the transcript and
// shows its lines in a dialog that can save them.
func TestCallsTranscript(t *testing.T) {
	f := newFake()
	f.history = sampleHistory()
	f.history[0].CallID, f.history[0].Transcript = "c-captioned", true
	f.transcripts = map[string]string{"c-captioned": "[00:00:02] Alice Archer: he was not an ill disposed young man\n"}
	m, w := signedIn(t, f, WindowSize)
	m.Navigate(PageCalls)
	calls := m.pages[PageCalls].(*CallsPage)
	var shown []*IconButton
	walk(t, calls.list, func(x fyne.CanvasObject) {
		if b, ok := x.(*IconButton); ok && b.Tooltip == TextTranscript && b.Visible() {
			shown = append(shown, b)
		}
	})
	if len(shown) != 1 {
		t.Fatalf("%d transcript buttons shown, want 1 (one call had captions)", len(shown))
	}
	test.Tap(shown[0])
	m.bg.Wait()
	if len(f.transcriptOf) != 1 || f.transcriptOf[0] != "c-captioned" {
		t.Fatalf("transcripts asked for %v", f.transcriptOf)
	}
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no transcript dialog")
	}
	var text string
	var save bool
	walk(t, top, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, "ill disposed") {
			text = l.Text
		}
		if b, ok := o.(*widget.Button); ok && b.Text == "Save…" {
			save = true
		}
	})
	if text != f.transcripts["c-captioned"] || !save {
		t.Fatalf("dialog shows %q, save button %v", text, save)
	}
}
