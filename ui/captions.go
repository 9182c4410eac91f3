package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
)

// CaptionsActions turns a call's live captions on or off. The call screen
// offers the switch when its actions implement it.
type CaptionsActions interface {
	SetCaptions(on bool)
}

// Texts of the captions area; tests look for them.
const (
	TextCaptionsOn  = "Live captions on"
	TextCaptionsOff = "Turn off captions"
)

// captionsView shows a call's live captions: who turned them on, the
// latest lines with the speaker's name, a paused notice.
type captionsView struct {
	state *widget.Label
	lines *widget.Label
	box   *fyne.Container
}

func newCaptionsView() *captionsView {
	v := &captionsView{
		state: widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Italic: true}),
		lines: widget.NewLabel(""),
	}
	v.state.Wrapping = fyne.TextWrapWord
	v.lines.Wrapping = fyne.TextWrapWord
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

// update shows c. f is the feature's state: when captions are unavailable
// for a reason of their own (not installed, policy), the area says so; the
// reasons every feature shares (E2EE, no media service) are the feature
// note's.
func (v *captionsView) update(c app.Captions, f app.FeatureState, live bool) {
	own := !f.Available && f.Reason != "" && f.Reason != app.ReasonE2EE && f.Reason != app.ReasonNoMediaRelay
	state := ""
	switch {
	case c.Paused:
		state = c.Reason
	case c.On:
		state = TextCaptionsOn
	case own:
		state = f.Feature.Name() + ": " + f.Reason
	}
	v.state.SetText(state)
	v.lines.SetText(captionText(c.Lines))
	setVisible(v.lines, len(c.Lines) > 0)
	setVisible(v.box, live && (state != "" || len(c.Lines) > 0))
}

// captionsButton is the Live captions control: enabled when the feature
// is available and the actions can switch it, labelled by what it does.
func captionsButton(act CallActions, f app.FeatureState, c app.Captions) *widget.Button {
	ca, ok := act.(CaptionsActions)
	label := f.Feature.Name()
	if c.On {
		label = TextCaptionsOff
	}
	b := widget.NewButton(label, func() {
		if ok {
			ca.SetCaptions(!c.On)
		}
	})
	if !ok || !f.Available {
		b.Disable()
	}
	return b
}
