package ui

import (
	"image"
	"image/color"
	"math"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
)

// VideoActions are the call screen's video controls and pictures. The
// call screen uses them when its CallActions implement them too (Main
// does, passing them on to a Controller that has them).
type VideoActions interface {
	SetCamera(on bool)
	SetScreenShare(on bool)
	// VideoFrame is the latest picture of a feed and its number, which
	// grows with every new one (app.Client.VideoFrame).
	VideoFrame(key string) (*image.YCbCr, uint64)
}

// Texts of the video controls; tests look for them.
const (
	TextCameraOn     = "Turn camera on"
	TextCameraOff    = "Turn camera off"
	TextShareScreen  = "Share your screen"
	TextStopSharing  = "Stop sharing"
	TextYou          = "You"
	TextSharesScreen = "%s's screen"
)

// videoFrameInterval is how often the video area looks for new pictures:
// the cameras' 30 fps. A tile whose feed has no new picture is not
// redrawn; nothing runs while no tile is shown.
const videoFrameInterval = time.Second / 30

// videoTile shows one feed: one canvas.Image, whose picture is replaced
// only when the feed has a newer one.
type videoTile struct {
	feed  app.VideoFeed
	img   *canvas.Image
	name  *widget.Label
	frame *canvas.Rectangle // the speaker's highlight
	seq   uint64
	root  *fyne.Container
}

func newVideoTile() *videoTile {
	t := &videoTile{}
	t.img = canvas.NewImageFromImage(nil)
	t.img.FillMode = canvas.ImageFillContain
	t.img.ScaleMode = canvas.ImageScaleFastest
	t.name = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	t.frame = canvas.NewRectangle(color.Transparent)
	t.frame.StrokeWidth = 3
	bg := canvas.NewRectangle(color.Black)
	t.root = container.NewStack(bg, t.img, container.NewVBox(layout.NewSpacer(), t.name), t.frame)
	return t
}

// pull takes the feed's picture if it is new; it reports whether it did.
func (t *videoTile) pull(act VideoActions) bool {
	img, seq := act.VideoFrame(t.feed.Key)
	if img == nil || seq == t.seq {
		return false
	}
	t.seq = seq
	t.img.Image = img
	t.img.Refresh()
	return true
}

// videoArea is the call's pictures: the others' in a grid filling the
// call area (the speaker highlighted in a group call), this user's own in
// a small self view in the corner, and in an E2EE call the security code
// over them (the lock stays above).
type videoArea struct {
	act    VideoActions
	remote []*videoTile
	self   *videoTile
	grid   *fyne.Container
	selfAt *fyne.Container
	code   *widget.Label
	codeAt *fyne.Container // the code on a dark band, readable over any picture
	root   *fyne.Container
	stop   chan struct{}
	// interval is how often the ticker polls (videoFrameInterval); 0
	// runs none (tests poll themselves).
	interval time.Duration
}

func newVideoArea(act VideoActions) *videoArea {
	v := &videoArea{act: act, self: newVideoTile(), interval: videoFrameInterval}
	v.grid = container.NewGridWithColumns(1)
	v.self.root.Resize(fyne.NewSize(160, 90))
	selfBox := container.NewGridWrap(fyne.NewSize(160, 90), v.self.root)
	v.selfAt = container.NewVBox(layout.NewSpacer(), container.NewHBox(layout.NewSpacer(), selfBox))
	v.code = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Monospace: true})
	v.codeAt = container.NewCenter(container.NewStack(canvas.NewRectangle(color.NRGBA{A: 170}), v.code))
	v.root = container.NewStack(v.grid, v.selfAt, container.NewVBox(v.codeAt))
	v.root.Hide()
	return v
}

// update lays out c's feeds; it reports whether any remote picture shows
// (the call screen then hides the avatar and the big code).
func (v *videoArea) update(c app.CallInfo) bool {
	var remote []app.VideoFeed
	var self *app.VideoFeed
	for i, f := range c.Video {
		if f.Self {
			if self == nil || f.Kind == app.VideoCamera {
				self = &c.Video[i]
			}
			continue
		}
		remote = append(remote, f)
	}
	live := c.State == app.CallActive && v.act != nil
	if !live {
		remote, self = nil, nil
	}
	for len(v.remote) < len(remote) {
		v.remote = append(v.remote, newVideoTile())
	}
	v.remote = v.remote[:len(remote)]
	objs := make([]fyne.CanvasObject, len(remote))
	speaking := map[string]bool{}
	for _, p := range c.Participants {
		speaking[p.ID] = p.Speaking
	}
	for i, f := range remote {
		t := v.remote[i]
		if t.feed.Key != f.Key {
			t.seq = 0
		}
		t.feed = f
		t.name.SetText(feedLabel(c, f))
		t.frame.StrokeColor = color.Transparent
		if len(remote) > 1 && speaking[f.From] {
			t.frame.StrokeColor = theme.Color(theme.ColorNamePrimary)
		}
		t.frame.Refresh()
		objs[i] = t.root
	}
	cols := max(1, int(math.Ceil(math.Sqrt(float64(len(remote))))))
	v.grid.Layout = layout.NewGridLayoutWithColumns(cols)
	v.grid.Objects = objs
	v.grid.Refresh()
	setVisible(v.selfAt, self != nil)
	if self != nil {
		if v.self.feed.Key != self.Key {
			v.self.seq = 0
		}
		v.self.feed = *self
		v.self.name.SetText(TextYou)
	}
	showCode := len(remote) > 0 && c.E2EE
	v.code.SetText(TextCodeCaption + "  " + strings.Join(c.CodeGroups[:], " "))
	setVisible(v.codeAt, showCode)
	on := len(remote) > 0 || self != nil
	setVisible(v.root, on)
	v.run(on)
	return len(remote) > 0
}

func feedLabel(c app.CallInfo, f app.VideoFeed) string {
	name := f.From
	if f.From == c.Peer.ID {
		name = c.Peer.Label()
	}
	for _, p := range c.Participants {
		if p.ID == f.From && p.Name != "" {
			name = p.Name
		}
	}
	if f.Kind == app.VideoScreen {
		return strings.ReplaceAll(TextSharesScreen, "%s", name)
	}
	return name
}

// Poll takes every shown tile's new picture, if any; it reports how many
// tiles were redrawn. The area's ticker calls it while tiles show.
func (v *videoArea) Poll() int {
	if v.act == nil || !v.root.Visible() {
		return 0
	}
	n := 0
	for _, t := range v.remote {
		if t.pull(v.act) {
			n++
		}
	}
	if v.selfAt.Visible() && v.self.pull(v.act) {
		n++
	}
	return n
}

// run starts or stops the ticker that polls for pictures.
func (v *videoArea) run(on bool) {
	switch {
	case on && v.stop == nil && v.interval > 0:
		stop := make(chan struct{})
		v.stop = stop
		go func() {
			t := time.NewTicker(v.interval)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					onUIWait(func() {
						select {
						case <-stop:
						default:
							v.Poll()
						}
					})
				}
			}
		}()
	case !on && v.stop != nil:
		close(v.stop)
		v.stop = nil
	}
}

// videoButtons are the toolbar's camera toggle and screen-share button,
// disabled with the reason where they cannot be used.
type videoButtons struct {
	camera, screen *IconButton
}

func newVideoButtons(act CallActions, call func() app.CallInfo) videoButtons {
	v, _ := act.(VideoActions)
	b := videoButtons{
		camera: NewIconButton(theme.MediaVideoIcon(), TextCameraOn, func() {
			if v != nil {
				v.SetCamera(!call().Camera)
			}
		}),
		screen: NewIconButton(theme.ComputerIcon(), TextShareScreen, func() {
			if v != nil {
				v.SetScreenShare(!call().ScreenShare)
			}
		}),
	}
	return b
}

func (b videoButtons) update(c app.CallInfo, hasVideo bool) {
	live := c.State == app.CallActive
	setVisible(b.camera, live)
	setVisible(b.screen, live)
	set := func(btn *IconButton, on bool, onText, offText, why string) {
		btn.Tooltip, btn.Importance = onText, widget.MediumImportance
		if on {
			btn.Tooltip, btn.Importance = offText, widget.HighImportance
		}
		switch {
		case !hasVideo:
			btn.Tooltip = onText + " — " + app.ReasonNoVideoCodec
			btn.Disable()
		case why != "" && !on:
			btn.Tooltip = onText + " — " + why
			btn.Disable()
		default:
			btn.Enable()
		}
		btn.Refresh()
	}
	set(b.camera, c.Camera, TextCameraOn, TextCameraOff, c.CameraUnavailable)
	set(b.screen, c.ScreenShare, TextShareScreen, TextStopSharing, c.ScreenUnavailable)
}

// SetCamera turns the camera on or off, when the Controller can.
func (m *Main) SetCamera(on bool) {
	if v, ok := m.Controller.(VideoActions); ok {
		v.SetCamera(on)
	}
}

// SetScreenShare starts or stops sharing the screen, when the Controller
// can.
func (m *Main) SetScreenShare(on bool) {
	if v, ok := m.Controller.(VideoActions); ok {
		v.SetScreenShare(on)
	}
}

// VideoFrame is the Controller's picture of a feed.
func (m *Main) VideoFrame(key string) (*image.YCbCr, uint64) {
	if v, ok := m.Controller.(VideoActions); ok {
		return v.VideoFrame(key)
	}
	return nil, 0
}
