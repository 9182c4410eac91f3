package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
)

// Texts of the captions area and control; tests look for them.
const (
	TextCaptionsOn  = "Live captions on"
	TextCaptionsOff = "Turn off captions"
)

// captionsView shows a call's live captions above the toolbar: that they
// are on (or paused, and why) and the latest lines with the speaker's
// name. The More menu's Live captions entry turns them on and off.
type captionsView struct {
	state *widget.Label
	lines *widget.Label
	box   *fyne.Container
}

func newCaptionsView() *captionsView {
	v := &captionsView{
		state: wrapped(widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Italic: true})),
		lines: wrapped(widget.NewLabel("")),
	}
	v.box = container.NewVBox(v.state, v.lines)
	return v
}

// captionText is the lines as the screen shows them: "Name: text", a
// partial line ending in "…".
func captionText(lines []app.CaptionLine) string {
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(l.Name + ": " + l.Text)
		if !l.Final {
			b.WriteString(" …")
		}
	}
	return b.String()
}

// update shows c while the call is live.
func (v *captionsView) update(c app.Captions, live bool) {
	state := ""
	switch {
	case c.Paused:
		state = c.Reason
	case c.On:
		state = TextCaptionsOn
	}
	v.state.SetText(state)
	v.lines.SetText(captionText(c.Lines))
	setVisible(v.lines, len(c.Lines) > 0)
	setVisible(v.box, live && (state != "" || len(c.Lines) > 0))
}

// ownCaptionsReason reports whether f is Live captions ruled out for a
// reason of their own (not installed on this server, not allowed by
// policy) rather than one every feature shares, so the More menu lists
// it with the reason.
func ownCaptionsReason(f app.FeatureState) bool {
	return f.Feature == app.FeatureCaptions && !f.Available && f.Reason != "" &&
		f.Reason != app.ReasonE2EE && f.Reason != app.ReasonNoMediaRelay && f.Reason != app.ReasonNotBuilt
}
