package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
)

// CallActions are the controls of the call screen.
type CallActions interface {
	Accept()
	Decline()
	Hangup()
	SetMuted(bool)
	CloseCall() // back to contacts after the call ended
	// MarkVerified records that the code was compared: the peer's device
	// key is verified from now on.
	MarkVerified()
}

// Texts the call screen shows; tests look for them.
const (
	TextE2EE           = "End-to-end encrypted"
	TextInTransit      = "Encrypted in transit"
	TextCodeCaption    = "Security code"
	TextCodeHelp       = "Read this code to each other. If it differs, someone may be listening in."
	TextE2EEFailedHelp = "No audio was sent. Call again; if it happens again, tell your administrator."
	// TextNotE2EE replaces TextInTransit when this user wanted E2EE and
	// the call is not; the line under it says why.
	TextNotE2EE = "Not end-to-end encrypted"
	// TextVerified shows beside the lock when the peer's device key was
	// verified in an earlier call.
	TextVerified = "Verified"
	// TextMarkVerified is the button beside the code.
	TextMarkVerified = "Mark as verified"
	// TextVerifiedHelp replaces TextCodeHelp for a verified device.
	TextVerifiedHelp = "You verified this device in an earlier call: there is no need to compare the code again."
	// TextMismatchSentHelp: the call ended on a mismatch after this side
	// had sent audio (it had decided "not E2EE").
	TextMismatchSentHelp = "Audio had already been sent, protected in transit only. Call again; if it happens again, tell your administrator."
)

// CallScreen renders one call: peer, state, the E2EE lock and security
// code (or "Encrypted in transit"), feature availability and controls.
type CallScreen struct {
	act CallActions

	lock       *canvas.Image
	badge      *widget.Label
	why        *widget.Label // why a call this user wanted E2EE is not
	verified   *widget.Label // "Verified" beside the lock
	keyChanged *widget.Label // the peer's key changed since verification
	markVerify *widget.Button
	codeHelp   *widget.Label
	peer       *widget.Label
	state      *widget.Label
	failed     *widget.Label
	failedHelp *widget.Label
	codeBox    *fyne.Container
	codeParts  [5]*canvas.Text
	features   *fyne.Container
	featNote   *widget.Label
	captions   *captionsView

	accept, decline, hangup, back *widget.Button
	mute                          *widget.Check
	mic, speaker                  *widget.ProgressBar
	meters                        *fyne.Container

	root fyne.CanvasObject
}

// NewCallScreen builds an empty call screen; Update fills it.
func NewCallScreen(act CallActions) *CallScreen {
	s := &CallScreen{act: act}
	s.lock = canvas.NewImageFromResource(lockShieldResource)
	s.lock.FillMode = canvas.ImageFillContain
	s.lock.SetMinSize(fyne.NewSize(36, 36))
	s.badge = widget.NewLabel("")
	s.why = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	s.why.Wrapping = fyne.TextWrapWord
	s.verified = widget.NewLabelWithStyle(TextVerified, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.verified.Importance = widget.SuccessImportance
	s.keyChanged = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	s.keyChanged.Importance = widget.DangerImportance
	s.keyChanged.Wrapping = fyne.TextWrapWord
	s.markVerify = widget.NewButtonWithIcon(TextMarkVerified, theme.ConfirmIcon(), act.MarkVerified)
	s.peer = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	s.state = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{})
	s.failed = widget.NewLabelWithStyle(app.E2EEFailedMessage, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	s.failed.Importance = widget.DangerImportance
	s.failedHelp = widget.NewLabelWithStyle(TextE2EEFailedHelp, fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	s.failedHelp.Wrapping = fyne.TextWrapWord

	digits := container.NewHBox()
	for i := range s.codeParts {
		t := canvas.NewText("0000", theme.Color(theme.ColorNameForeground))
		t.TextSize = 24
		t.TextStyle = fyne.TextStyle{Monospace: true}
		s.codeParts[i] = t
		digits.Add(t)
	}
	help := widget.NewLabelWithStyle(TextCodeHelp, fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	help.Wrapping = fyne.TextWrapWord
	s.codeHelp = help
	s.codeBox = container.NewVBox(
		widget.NewLabelWithStyle(TextCodeCaption, fyne.TextAlignCenter, fyne.TextStyle{}),
		container.NewCenter(container.NewHBox(digits, s.markVerify)), help)

	s.features = container.NewGridWithColumns(4)
	s.featNote = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	s.featNote.Wrapping = fyne.TextWrapWord
	s.captions = newCaptionsView()

	s.accept = widget.NewButtonWithIcon("Accept", theme.ConfirmIcon(), act.Accept)
	s.accept.Importance = widget.SuccessImportance
	s.decline = widget.NewButtonWithIcon("Decline", theme.CancelIcon(), act.Decline)
	s.decline.Importance = widget.DangerImportance
	s.hangup = widget.NewButtonWithIcon("Hang up", theme.CancelIcon(), act.Hangup)
	s.hangup.Importance = widget.DangerImportance
	s.back = widget.NewButtonWithIcon("Back to contacts", theme.NavigateBackIcon(), act.CloseCall)
	s.mute = widget.NewCheck("Mute", act.SetMuted)
	s.mic, s.speaker = levelBar(), levelBar()
	s.meters = container.NewGridWithColumns(2,
		container.NewBorder(nil, nil, widget.NewLabel("Mic"), nil, s.mic),
		container.NewBorder(nil, nil, widget.NewLabel("Speaker"), nil, s.speaker))

	top := container.NewVBox(container.NewHBox(s.lock, s.badge, s.verified), s.why)
	middle := container.NewVBox(s.peer, s.state, s.failed, s.failedHelp, s.keyChanged, s.codeBox)
	bottom := container.NewVBox(s.captions.box, s.meters, s.featNote, s.features,
		container.NewCenter(container.NewHBox(s.mute, s.accept, s.decline, s.hangup, s.back)))
	s.root = container.NewBorder(top, bottom, nil, nil, container.NewCenter(middle))
	return s
}

// Object is the screen's canvas object.
func (s *CallScreen) Object() fyne.CanvasObject { return s.root }

// Update shows c. The lock and the code appear only for a call whose E2EE
// handshake completed key confirmation; a failed handshake shows the
// warning and never the lock.
func (s *CallScreen) Update(c app.CallInfo) {
	s.peer.SetText(c.Peer.Label())
	alarm := c.End == app.EndE2EEFailed || c.End == app.EndE2EEMismatch
	switch {
	case alarm:
		s.state.SetText(c.State.String()) // the warning below says why
	case c.Ended():
		s.state.SetText(c.EndMessage())
	default:
		s.state.SetText(c.State.String())
	}

	showSecure := c.E2EE && !c.Ended()
	setVisible(s.lock, showSecure)
	setVisible(s.codeBox, showSecure)
	switch {
	case showSecure:
		s.badge.SetText(TextE2EE)
		for i, g := range c.CodeGroups {
			s.codeParts[i].Text = g
			s.codeParts[i].Refresh()
		}
	case c.State == app.CallActive && c.WantedE2EE && c.NotE2EE != app.NotE2EENone:
		// Never the neutral "in transit" when this user asked for E2EE.
		s.badge.SetText(TextNotE2EE)
	case c.State == app.CallActive:
		s.badge.SetText(TextInTransit)
	default:
		s.badge.SetText("")
	}
	setVisible(s.verified, showSecure && c.Trust == app.TrustVerified)
	s.keyChanged.SetText(app.KeyChangedWarning(c.Peer.Label()))
	setVisible(s.keyChanged, showSecure && c.Trust == app.TrustChanged)
	setVisible(s.markVerify, showSecure && c.Trust != app.TrustVerified)
	if c.Trust == app.TrustVerified {
		s.codeHelp.SetText(TextVerifiedHelp)
	} else {
		s.codeHelp.SetText(TextCodeHelp)
	}
	notE2EE := c.State == app.CallActive && !c.E2EE && c.WantedE2EE && c.NotE2EE != app.NotE2EENone
	s.why.SetText(c.NotE2EE.Reason())
	setVisible(s.why, notE2EE)
	s.failed.SetText(c.EndMessage())
	help := TextE2EEFailedHelp
	if c.End == app.EndE2EEMismatch && !c.Started.IsZero() {
		help = TextMismatchSentHelp
	}
	s.failedHelp.SetText(help)
	setVisible(s.failed, alarm)
	setVisible(s.failedHelp, alarm)

	s.features.RemoveAll()
	note := ""
	live := c.State == app.CallActive
	captionsFeature := app.FeatureState{Feature: app.FeatureCaptions}
	for _, f := range c.Features {
		if f.Feature == app.FeatureCaptions {
			captionsFeature = f
			s.features.Add(captionsButton(s.act, f, c.Captions))
			note = f.Reason
			continue
		}
		// Every other feature needs the server media path, so none is
		// Available yet: the controls are there to say why not.
		b := widget.NewButton(f.Feature.Name(), nil)
		b.Disable()
		note = f.Reason
		s.features.Add(b)
	}
	s.captions.update(c.Captions, captionsFeature, live)
	s.featNote.SetText(note)
	setVisible(s.features, live)
	setVisible(s.featNote, live && note != "")

	incoming := c.State == app.CallIncoming
	setVisible(s.accept, incoming)
	setVisible(s.decline, incoming)
	setVisible(s.hangup, !incoming && !c.Ended())
	setVisible(s.mute, live)
	setVisible(s.meters, live)
	setVisible(s.back, c.Ended())
	s.mute.Checked = c.Muted
	s.mute.Refresh()
}

// SetLevels moves the level meters.
func (s *CallScreen) SetLevels(l app.Levels) {
	s.mic.SetValue(l.Mic)
	s.speaker.SetValue(l.Speaker)
}

func levelBar() *widget.ProgressBar {
	b := widget.NewProgressBar()
	b.TextFormatter = func() string { return "" }
	return b
}

func setVisible(o fyne.CanvasObject, v bool) {
	if v {
		o.Show()
	} else {
		o.Hide()
	}
}
