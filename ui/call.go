package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
)

// CallActions are the controls of the call screen.
type CallActions interface {
	Hangup()
	SetMuted(bool)
	SetHeld(bool)
	// MarkVerified records that the code was compared: the peer's device
	// key is verified from now on.
	MarkVerified()
	AudioOptions() app.AudioOptions
	SetAudioDevices(capture, playback string) error
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
	TextYouAreMuted      = "You're muted"
	TextYouHold          = "On hold — resume to talk"
	TextPeerHolds        = "%s put the call on hold"
	TextPeerMuted        = "%s is muted"
	// TextNoAudio: an active call whose audio stopped arriving (the media
	// watchdog, or ICE lost the path) while it is being recovered.
	TextNoAudio = "No audio is reaching you — reconnecting…"
)

// CallScreen renders one call: avatar, name, state and a running timer,
// the E2EE lock and security code (or "Encrypted in transit"), mute and
// hold indicators both ways, live captions, and the toolbar.
type CallScreen struct {
	act  CallActions
	call app.CallInfo

	lock       *canvas.Image
	badge      *widget.Label
	why        *widget.Label // why a call this user wanted E2EE is not
	verified   *widget.Label // "Verified" beside the lock
	keyChanged *widget.Label // the peer's key changed since verification
	markVerify *widget.Button
	codeHelp   *widget.Label
	avatar     *Avatar
	peer       *widget.Label
	state      *widget.Label
	notes      *widget.Label // muted / held, this side and the other
	noAudio    *widget.Label // TextNoAudio while the call's audio is lost
	failed     *widget.Label
	failedHelp *widget.Label
	codeBox    *fyne.Container
	codeParts  [5]*canvas.Text
	recording  *RecordingLabel
	captions   *captionsView

	mute, hold, devices, chat, more, hangup *IconButton
	close                                   *widget.Button // after an E2EE alarm only
	// moreItems are the More menu's entries: the media-service features,
	// unavailable with the reason in an E2EE call.
	moreItems []*fyne.MenuItem
	toolbar   *fyne.Container
	video     *videoArea   // the call's pictures (video.go)
	vbtn      videoButtons // camera and screen share (video.go)
	middle    fyne.CanvasObject

	mic, speaker *levelMeter
	meters       *fyne.Container
	timerRedraws int // how often the call timer redrew, for tests

	root fyne.CanvasObject
}

// NewCallScreen builds an empty call screen; Update fills it. onClose
// leaves a call that ended with an E2EE alarm; onChat toggles the chat.
func NewCallScreen(act CallActions, onChat, onClose func()) *CallScreen {
	s := &CallScreen{act: act}
	s.lock = canvas.NewImageFromResource(lockShieldResource)
	s.lock.FillMode = canvas.ImageFillContain
	s.lock.SetMinSize(fyne.NewSize(32, 32))
	s.badge = widget.NewLabel("")
	// Secondary notes are set in the regular face, dimmed, not italic:
	// each text style costs a parsed font (the theme's and the system's
	// fallback), about 4 MiB of heap for italic alone (docs/media.md).
	s.why = wrapped(widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{}))
	s.why.Importance = widget.LowImportance
	s.verified = widget.NewLabelWithStyle(TextVerified, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.verified.Importance = widget.SuccessImportance
	s.keyChanged = wrapped(widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true}))
	s.keyChanged.Importance = widget.DangerImportance
	s.markVerify = widget.NewButtonWithIcon(TextMarkVerified, theme.ConfirmIcon(), act.MarkVerified)
	s.avatar = NewAvatar(app.Contact{}, 88, false)
	s.peer = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	s.peer.SizeName = theme.SizeNameSubHeadingText
	s.peer.Truncation = fyne.TextTruncateEllipsis
	s.state = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{})
	s.notes = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	s.notes.Importance = widget.WarningImportance
	s.noAudio = wrapped(widget.NewLabelWithStyle(TextNoAudio, fyne.TextAlignCenter, fyne.TextStyle{Bold: true}))
	s.noAudio.Importance = widget.DangerImportance
	s.failed = wrapped(widget.NewLabelWithStyle(app.E2EEFailedMessage, fyne.TextAlignCenter, fyne.TextStyle{Bold: true}))
	s.failed.Importance = widget.DangerImportance
	s.failedHelp = wrapped(widget.NewLabelWithStyle(TextE2EEFailedHelp, fyne.TextAlignCenter, fyne.TextStyle{}))
	s.failedHelp.Importance = widget.LowImportance

	digits := container.NewHBox()
	for i := range s.codeParts {
		t := canvas.NewText("0000", theme.Color(theme.ColorNameForeground))
		t.TextSize = 22
		t.TextStyle = fyne.TextStyle{Monospace: true}
		s.codeParts[i] = t
		digits.Add(t)
	}
	s.codeHelp = wrapped(widget.NewLabelWithStyle(TextCodeHelp, fyne.TextAlignCenter, fyne.TextStyle{}))
	s.codeHelp.Importance = widget.LowImportance
	s.codeBox = container.NewVBox(
		widget.NewLabelWithStyle(TextCodeCaption, fyne.TextAlignCenter, fyne.TextStyle{}),
		container.NewCenter(digits), container.NewCenter(s.markVerify), s.codeHelp)

	s.mute = NewIconButton(iconMic, "Mute", func() { act.SetMuted(!s.call.Muted) })
	s.hold = NewIconButton(theme.MediaPauseIcon(), "Hold", func() { act.SetHeld(!s.call.Held) })
	s.devices = NewIconButton(theme.VolumeUpIcon(), "Microphone and speaker", s.showDevices)
	s.chat = NewIconButton(theme.MailComposeIcon(), "Chat", onChat)
	s.more = NewIconButton(theme.MoreHorizontalIcon(), "More", s.showMore)
	s.hangup = NewIconButton(iconHangup, "Hang up", act.Hangup)
	s.hangup.Importance = widget.DangerImportance
	s.close = widget.NewButtonWithIcon("Close", theme.CancelIcon(), onClose)
	s.vbtn = newVideoButtons(act, func() app.CallInfo { return s.call })
	// In rows as wide as fit (flow.go): a narrow window keeps every button.
	s.toolbar = container.New(&flowLayout{}, s.mute, s.vbtn.camera, s.vbtn.screen, s.hold, s.devices, s.chat, s.more, s.hangup, s.close)

	s.mic, s.speaker = newLevelMeter(), newLevelMeter()
	s.meters = container.NewGridWithColumns(2,
		container.NewBorder(nil, nil, widget.NewIcon(iconMic), nil, s.mic),
		container.NewBorder(nil, nil, widget.NewIcon(theme.VolumeUpIcon()), nil, s.speaker))

	s.recording = NewRecordingLabel()
	s.captions = newCaptionsView()
	top := container.NewVBox(container.NewHBox(s.lock, s.badge, s.verified, s.recording.Object()), s.why)
	middle := container.NewVBox(container.NewCenter(s.avatar), s.peer, s.state, s.noAudio, s.notes,
		s.failed, s.failedHelp, s.keyChanged, s.codeBox)
	bottom := container.NewVBox(s.captions.box, s.meters, s.toolbar)
	va, _ := act.(VideoActions)
	s.video = newVideoArea(va)
	s.middle = container.NewVScroll(container.NewVBox(layout.NewSpacer(), middle, layout.NewSpacer()))
	s.root = container.NewBorder(top, bottom, nil, nil, container.NewStack(s.middle, s.video.root))
	return s
}

// Object is the screen's canvas object.
func (s *CallScreen) Object() fyne.CanvasObject { return s.root }

// Update shows c. The lock and the code appear only for a call whose E2EE
// handshake completed key confirmation and whose media path is up
// (Active); a failed handshake shows the warning and never the lock.
//
// Keys agreed over signaling do not make a call: until ICE and DTLS are
// done (and the certificate the other side presented matched the
// fingerprint the code covers) no audio can flow, the code cannot be read
// to each other, and the path may still fail, so the screen says
// "Connecting…" and shows neither lock nor code.
func (s *CallScreen) Update(c app.CallInfo) {
	s.call = c
	s.recording.Update(c)
	s.avatar.SetContact(c.Peer)
	s.peer.SetText(c.Peer.Label())
	alarm := c.End == app.EndE2EEFailed || c.End == app.EndE2EEMismatch
	switch {
	case alarm:
		s.state.SetText(c.State.String()) // the warning below says why
	case c.Ended():
		s.state.SetText(c.EndMessage())
	case c.State == app.CallActive:
		s.state.SetText(elapsed(c.Started, time.Now()))
	case c.State == app.CallSecuring && c.E2EE:
		s.state.SetText(app.CallConnecting.String()) // keys agreed, no path yet: the lock and code wait
	default:
		s.state.SetText(c.State.String())
	}
	s.notes.SetText(callNotes(c))
	setVisible(s.notes, s.notes.Text != "")
	setVisible(s.noAudio, c.State == app.CallActive && (c.NoAudio || c.Reconnecting))
	s.showGroup(c) // callfeatures.go
	if line := controlLine(c); line != "" {
		s.state.SetText(s.state.Text + " · " + line) // callcontrol.go
	}

	showSecure := c.E2EE && c.State == app.CallActive
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

	s.moreItems = s.moreItems[:0]
	for _, f := range c.Features {
		// In an E2EE call every media-service feature is listed as
		// unavailable, with the reason; otherwise only those the server
		// offers are.
		// Live captions are listed also when this server or policy
		// rules them out, with that reason.
		if !f.Available && !c.E2EE && !ownCaptionsReason(f) {
			continue
		}
		it := s.featureItem(f, c) // callfeatures.go
		if ctl := s.controlItems(f, c, it); ctl != nil {
			s.moreItems = append(s.moreItems, ctl...) // callcontrol.go
			continue
		}
		s.moreItems = append(s.moreItems, it)
	}

	live := c.State == app.CallActive
	s.captions.update(c.Captions, live) // captions.go
	connected := !c.Ended() && c.State != app.CallIncoming
	setVisible(s.mute, live)
	setVisible(s.hold, live)
	setVisible(s.devices, connected)
	setVisible(s.chat, live || (c.Ended() && !alarm))
	setVisible(s.more, live && len(s.moreItems) > 0)
	setVisible(s.hangup, connected)
	setVisible(s.close, c.Ended())
	setVisible(s.meters, live)
	_, hasVideo := s.act.(VideoActions)
	s.vbtn.update(c, hasVideo)
	// Remote video fills the call area; the lock and badge stay above it,
	// the code over it (video.go).
	setVisible(s.middle, !s.video.update(c))
	s.mute.Icon, s.mute.Tooltip, s.mute.Importance = iconMic, "Mute", widget.MediumImportance
	if c.Muted {
		s.mute.Icon, s.mute.Tooltip, s.mute.Importance = iconMicOff, "Unmute", widget.WarningImportance
	}
	s.mute.Refresh()
	s.hold.Icon, s.hold.Tooltip, s.hold.Importance = theme.MediaPauseIcon(), "Hold", widget.MediumImportance
	if c.Held {
		s.hold.Icon, s.hold.Tooltip, s.hold.Importance = theme.MediaPlayIcon(), "Resume", widget.WarningImportance
	}
	s.hold.Refresh()
}

// callNotes are the mute and hold lines of c.
func callNotes(c app.CallInfo) string {
	if c.State != app.CallActive {
		return ""
	}
	switch {
	case c.Held:
		return TextYouHold
	case c.PeerHeld:
		return fmt.Sprintf(TextPeerHolds, c.Peer.Label())
	case c.Muted && c.PeerMuted:
		return TextYouAreMuted + " · " + fmt.Sprintf(TextPeerMuted, c.Peer.Label())
	case c.Muted:
		return TextYouAreMuted
	case c.PeerMuted:
		return fmt.Sprintf(TextPeerMuted, c.Peer.Label())
	}
	return ""
}

// elapsed is a call timer: m:ss, or h:mm:ss after an hour.
func elapsed(start, now time.Time) string {
	if start.IsZero() {
		return "0:00"
	}
	d := now.Sub(start).Truncate(time.Second)
	h, m, sec := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, sec)
	}
	return fmt.Sprintf("%d:%02d", m, sec)
}

// Tick moves the call timer; it redraws only when the shown time changes
// (once a second however often it is called).
func (s *CallScreen) Tick(now time.Time) {
	if s.call.State != app.CallActive {
		return
	}
	if t := elapsed(s.call.Started, now); t != s.state.Text {
		s.timerRedraws++
		s.state.SetText(t)
	}
}

// SetLevels moves the level meters; a meter that is hidden, or whose
// level did not move by a step, is not redrawn.
func (s *CallScreen) SetLevels(l app.Levels) {
	if !s.meters.Visible() {
		return // redraw only what is on show
	}
	s.mic.SetLevel(l.Mic)
	s.speaker.SetLevel(l.Speaker)
}

// SetChatUnread highlights the chat button while the panel is closed and
// the other side wrote.
func (s *CallScreen) SetChatUnread(on bool) {
	s.chat.Importance = widget.MediumImportance
	if on {
		s.chat.Importance = widget.HighImportance
	}
	s.chat.Refresh()
}

func (s *CallScreen) showMore() {
	showMenuBelow(s.more, fyne.NewMenu("", s.moreItems...))
}

// deviceMenu lists microphones and speakers; choosing one switches now.
func (s *CallScreen) deviceMenu() *fyne.Menu {
	o := s.act.AudioOptions()
	var items []*fyne.MenuItem
	pick := func(capture, playback string) func() {
		return func() { _ = s.act.SetAudioDevices(capture, playback) }
	}
	head := func(t string) *fyne.MenuItem { it := fyne.NewMenuItem(t, nil); it.Disabled = true; return it }
	items = append(items, head("Microphone"))
	items = append(items, checked(systemDefault, o.CaptureID == "", pick("", o.PlaybackID)))
	for _, ep := range o.Devices.Capture {
		items = append(items, checked(ep.Name, ep.ID == o.CaptureID, pick(ep.ID, o.PlaybackID)))
	}
	items = append(items, fyne.NewMenuItemSeparator(), head("Speaker"))
	items = append(items, checked(systemDefault, o.PlaybackID == "", pick(o.CaptureID, "")))
	for _, ep := range o.Devices.Playback {
		items = append(items, checked(ep.Name, ep.ID == o.PlaybackID, pick(o.CaptureID, ep.ID)))
	}
	return fyne.NewMenu("", items...)
}

func checked(label string, on bool, f func()) *fyne.MenuItem {
	it := fyne.NewMenuItem(label, f)
	it.Checked = on
	return it
}

func (s *CallScreen) showDevices() { showMenuBelow(s.devices, s.deviceMenu()) }

// showMenuBelow pops m up under (or above) o.
func showMenuBelow(o fyne.CanvasObject, m *fyne.Menu) {
	c := fyne.CurrentApp().Driver().CanvasForObject(o)
	if c == nil {
		return
	}
	pm := widget.NewPopUpMenu(m, c)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
	at := fyne.NewPos(pos.X, pos.Y+o.Size().Height)
	if h := pm.MinSize().Height; at.Y+h > c.Size().Height {
		at.Y = fyne.Max(0, pos.Y-h)
	}
	if w := pm.MinSize().Width; at.X+w > c.Size().Width {
		at.X = fyne.Max(0, c.Size().Width-w)
	}
	pm.ShowAtPosition(at)
}
