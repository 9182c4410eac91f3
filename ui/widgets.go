package ui

import (
	"fmt"
	"hash/fnv"
	"image/color"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
	"github.com/parley-voip/parley/assets"
)

// Icons beyond Fyne's theme, tinted like theme icons.
var (
	iconPhone  = theme.NewThemedResource(fyne.NewStaticResource("phone.svg", assets.PhoneSVG))
	iconHangup = theme.NewThemedResource(fyne.NewStaticResource("phone-hangup.svg", assets.PhoneHangupSVG))
	iconMic    = theme.NewThemedResource(fyne.NewStaticResource("mic.svg", assets.MicSVG))
	iconMicOff = theme.NewThemedResource(fyne.NewStaticResource("mic-off.svg", assets.MicOffSVG))
)

// ---- Switch ----

// Switch is an on/off switch: a track with a knob, and its label. Fyne has
// checkboxes only; settings that apply at once read better as switches.
type Switch struct {
	widget.DisableableWidget
	Text      string
	On        bool
	OnChanged func(on bool)
}

// NewSwitch makes a switch labelled text.
func NewSwitch(text string, changed func(bool)) *Switch {
	s := &Switch{Text: text, OnChanged: changed}
	s.ExtendBaseWidget(s)
	return s
}

// SetOn sets the switch without calling OnChanged.
func (s *Switch) SetOn(on bool) {
	s.On = on
	s.Refresh()
}

// Tapped flips the switch.
func (s *Switch) Tapped(*fyne.PointEvent) {
	if s.Disabled() {
		return
	}
	s.On = !s.On
	s.Refresh()
	if s.OnChanged != nil {
		s.OnChanged(s.On)
	}
}

// Cursor is the pointer over an enabled switch.
func (s *Switch) Cursor() desktop.Cursor {
	if s.Disabled() {
		return desktop.DefaultCursor
	}
	return desktop.PointerCursor
}

func (s *Switch) CreateRenderer() fyne.WidgetRenderer {
	r := &switchRenderer{s: s, track: canvas.NewRectangle(color.Transparent), knob: canvas.NewCircle(color.White),
		label: widget.NewLabel(s.Text)}
	r.label.Wrapping = fyne.TextWrapWord
	r.Refresh()
	return r
}

const switchW, switchH = 40, 22

type switchRenderer struct {
	s     *Switch
	track *canvas.Rectangle
	knob  *canvas.Circle
	label *widget.Label
}

func (r *switchRenderer) Layout(size fyne.Size) {
	y := (size.Height - switchH) / 2
	r.track.Move(fyne.NewPos(0, y))
	r.track.Resize(fyne.NewSize(switchW, switchH))
	x := float32(2)
	if r.s.On {
		x = switchW - switchH + 2
	}
	r.knob.Move(fyne.NewPos(x, y+2))
	r.knob.Resize(fyne.NewSize(switchH-4, switchH-4))
	r.label.Move(fyne.NewPos(switchW+theme.Padding(), 0))
	r.label.Resize(fyne.NewSize(size.Width-switchW-theme.Padding(), size.Height))
}

func (r *switchRenderer) MinSize() fyne.Size {
	l := r.label.MinSize()
	return fyne.NewSize(switchW+theme.Padding()+l.Width, fyne.Max(l.Height, switchH))
}

func (r *switchRenderer) Refresh() {
	r.label.SetText(r.s.Text)
	r.track.CornerRadius = switchH / 2
	switch {
	case r.s.Disabled():
		r.track.FillColor = theme.Color(theme.ColorNameDisabledButton)
		r.label.Importance = widget.LowImportance
	case r.s.On:
		r.track.FillColor = theme.Color(theme.ColorNamePrimary)
		r.label.Importance = widget.MediumImportance
	default:
		r.track.FillColor = theme.Color(theme.ColorNameInputBorder)
		r.label.Importance = widget.MediumImportance
	}
	r.knob.FillColor = color.White
	r.label.Refresh()
	r.Layout(r.s.Size())
	canvas.Refresh(r.s)
}

func (r *switchRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.track, r.knob, r.label}
}
func (r *switchRenderer) Destroy() {}

// ---- IconButton with a tooltip ----

// IconButton is a button showing only an icon; Tooltip says what it does,
// shown while the pointer rests on it (and read by tests).
type IconButton struct {
	widget.Button
	Tooltip string
	tip     *widget.PopUp
}

// NewIconButton makes an icon button.
func NewIconButton(icon fyne.Resource, tooltip string, tapped func()) *IconButton {
	b := &IconButton{Tooltip: tooltip}
	b.Icon, b.OnTapped = icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// MouseIn shows the tooltip.
func (b *IconButton) MouseIn(e *desktop.MouseEvent) {
	b.Button.MouseIn(e)
	c := fyne.CurrentApp().Driver().CanvasForObject(b)
	if c == nil || b.Tooltip == "" {
		return
	}
	l := widget.NewLabel(b.Tooltip)
	b.tip = widget.NewPopUp(l, c)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b)
	at := fyne.NewPos(pos.X, pos.Y+b.Size().Height+2)
	if w := c.Size().Width; at.X+l.MinSize().Width > w {
		at.X = w - l.MinSize().Width - theme.Padding()
	}
	if at.Y+l.MinSize().Height > c.Size().Height {
		at.Y = pos.Y - l.MinSize().Height - 2
	}
	b.tip.ShowAtPosition(at)
}

// MouseOut hides the tooltip.
func (b *IconButton) MouseOut() {
	b.Button.MouseOut()
	b.hideTip()
}

// Tapped hides the tooltip and taps.
func (b *IconButton) Tapped(e *fyne.PointEvent) {
	b.hideTip()
	b.Button.Tapped(e)
}

func (b *IconButton) hideTip() {
	if b.tip != nil {
		b.tip.Hide()
		b.tip = nil
	}
}

// ---- Avatar ----

// avatarColors are the backgrounds of initials; a user keeps one colour
// (chosen from the user id) on every screen and device.
var avatarColors = []color.NRGBA{
	{0x2f, 0x5f, 0xd0, 0xff}, {0x1f, 0x8a, 0x5b, 0xff}, {0xb0, 0x3a, 0x2e, 0xff}, {0x8e, 0x44, 0xad, 0xff},
	{0xc2, 0x6a, 0x00, 0xff}, {0x00, 0x7c, 0x89, 0xff}, {0x6d, 0x4c, 0x41, 0xff}, {0xad, 0x14, 0x57, 0xff},
}

// AvatarColor is the colour of id's avatar.
func AvatarColor(id string) color.NRGBA {
	h := fnv.New32a()
	_, _ = h.Write([]byte(id))
	return avatarColors[h.Sum32()%uint32(len(avatarColors))]
}

// Initials are up to two letters of a name: first and last word.
func Initials(name string) string {
	words := strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	switch len(words) {
	case 0:
		return "?"
	case 1:
		r := []rune(words[0])
		return strings.ToUpper(string(r[:1]))
	}
	a, b := []rune(words[0]), []rune(words[len(words)-1])
	return strings.ToUpper(string(a[:1]) + string(b[:1]))
}

// presenceColor is the dot beside an avatar.
func presenceColor(p app.Presence) color.Color {
	switch p {
	case app.PresenceOnline:
		return color.NRGBA{0x2e, 0xa0, 0x43, 0xff}
	case app.PresenceBusy, app.PresenceInCall:
		return color.NRGBA{0xd1, 0x34, 0x38, 0xff}
	case app.PresenceAway:
		return color.NRGBA{0xe8, 0xa3, 0x17, 0xff}
	}
	return color.NRGBA{0x9a, 0x9a, 0x9a, 0xff}
}

// Avatar is a person's initials on their colour, with a presence dot.
type Avatar struct {
	widget.BaseWidget
	contact  app.Contact
	size     float32
	presence bool // draw the dot
}

// NewAvatar makes an avatar of side size; dot draws the presence dot.
func NewAvatar(c app.Contact, size float32, dot bool) *Avatar {
	a := &Avatar{contact: c, size: size, presence: dot}
	a.ExtendBaseWidget(a)
	return a
}

// SetContact shows c.
func (a *Avatar) SetContact(c app.Contact) {
	a.contact = c
	a.Refresh()
}

func (a *Avatar) CreateRenderer() fyne.WidgetRenderer {
	r := &avatarRenderer{a: a, bg: canvas.NewCircle(color.Black), text: canvas.NewText("", color.White),
		ring: canvas.NewCircle(color.Transparent), dot: canvas.NewCircle(color.Black)}
	r.text.TextStyle.Bold = true
	r.text.Alignment = fyne.TextAlignCenter
	r.Refresh()
	return r
}

type avatarRenderer struct {
	a             *Avatar
	bg, ring, dot *canvas.Circle
	text          *canvas.Text
}

func (r *avatarRenderer) Layout(size fyne.Size) {
	s := fyne.Min(size.Width, size.Height)
	off := fyne.NewPos((size.Width-s)/2, (size.Height-s)/2)
	r.bg.Move(off)
	r.bg.Resize(fyne.NewSquareSize(s))
	r.text.TextSize = s * 0.4
	ts := r.text.MinSize()
	r.text.Move(fyne.NewPos(off.X+(s-ts.Width)/2, off.Y+(s-ts.Height)/2))
	r.text.Resize(ts)
	d := s * 0.32
	p := fyne.NewPos(off.X+s-d, off.Y+s-d)
	r.dot.Move(p)
	r.dot.Resize(fyne.NewSquareSize(d))
	r.ring.Move(p.SubtractXY(1, 1))
	r.ring.Resize(fyne.NewSquareSize(d + 2))
}

func (r *avatarRenderer) MinSize() fyne.Size { return fyne.NewSquareSize(r.a.size) }

func (r *avatarRenderer) Refresh() {
	r.bg.FillColor = AvatarColor(r.a.contact.ID)
	r.text.Text = Initials(r.a.contact.Label())
	r.dot.FillColor = presenceColor(r.a.contact.Presence)
	r.ring.FillColor = theme.Color(theme.ColorNameBackground)
	r.dot.Hidden, r.ring.Hidden = !r.a.presence, !r.a.presence
	r.Layout(r.a.Size())
	canvas.Refresh(r.a)
}

func (r *avatarRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.text, r.ring, r.dot}
}
func (r *avatarRenderer) Destroy() {}

// ---- Badge ----

// Badge is a count on a coloured pill (unread messages, missed calls);
// hidden at zero.
type Badge struct {
	widget.BaseWidget
	Count int
}

// NewBadge makes a badge showing n.
func NewBadge(n int) *Badge {
	b := &Badge{Count: n}
	b.ExtendBaseWidget(b)
	return b
}

// SetCount shows n (hidden at zero).
func (b *Badge) SetCount(n int) {
	b.Count = n
	setVisible(b, n > 0)
	b.Refresh()
}

// Text is what the badge reads.
func (b *Badge) Text() string {
	if b.Count > 99 {
		return "99+"
	}
	return fmt.Sprint(b.Count)
}

func (b *Badge) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(color.NRGBA{0xd1, 0x34, 0x38, 0xff})
	t := canvas.NewText("", color.White)
	t.TextStyle.Bold = true
	t.TextSize = 11
	r := &badgeRenderer{b: b, bg: bg, text: t}
	r.Refresh()
	return r
}

type badgeRenderer struct {
	b    *Badge
	bg   *canvas.Rectangle
	text *canvas.Text
}

func (r *badgeRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	r.bg.CornerRadius = size.Height / 2
	ts := r.text.MinSize()
	r.text.Move(fyne.NewPos((size.Width-ts.Width)/2, (size.Height-ts.Height)/2))
	r.text.Resize(ts)
}

func (r *badgeRenderer) MinSize() fyne.Size {
	ts := r.text.MinSize()
	return fyne.NewSize(fyne.Max(18, ts.Width+10), 18)
}

func (r *badgeRenderer) Refresh() {
	r.text.Text = r.b.Text()
	r.text.Refresh()
	r.Layout(r.b.Size())
	canvas.Refresh(r.b)
}

func (r *badgeRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.bg, r.text} }
func (r *badgeRenderer) Destroy()                     {}

// ---- helpers ----

// compactRows stacks a list row's name and status line tightly: rows are
// two lines of text beside an avatar, not three padded labels. It is made
// when a row is, from the theme the app has then (a package variable would
// read the theme before the app exists).
func compactRows() fyne.Layout { return layout.NewCustomPaddedVBoxLayout(-2 * theme.InnerPadding()) }

// truncated is a one-line label that cuts long text with an ellipsis
// instead of widening (and growing) the window.
func truncated(text string, style fyne.TextStyle) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, style)
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

// wrapped sets l to wrap at word boundaries; used where the text may be
// long, inside a layout that gives it a width.
func wrapped(l *widget.Label) *widget.Label {
	l.Wrapping = fyne.TextWrapWord
	return l
}

func setVisible(o fyne.CanvasObject, v bool) {
	if v {
		o.Show()
	} else {
		o.Hide()
	}
}
