package ui

import (
	"image/color"
	"sort"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
)

// ChatActions are what a conversation can ask for.
type ChatActions interface {
	SendChat(to, text string)
	RetryChat(localID string)
	LoadEarlierChat(peer string)
	CloseChat() // back to the list
	Call(contactID string)
}

// TimeFormat is how a message's time shows.
const TimeFormat = "15:04"

// chatItem is one row of a conversation: a day separator, a message, or a
// call event from the history.
type chatItem struct {
	day  time.Time // separator when set
	msg  *app.ChatMessage
	call *CallRecord
}

func (it chatItem) when() time.Time {
	switch {
	case it.msg != nil:
		return it.msg.Sent
	case it.call != nil:
		return it.call.Start
	}
	return it.day
}

// chatItems merges messages and call events by time, with a separator
// before each new day.
func chatItems(msgs []app.ChatMessage, calls []CallRecord) []chatItem {
	var items []chatItem
	for i := range msgs {
		items = append(items, chatItem{msg: &msgs[i]})
	}
	for i := range calls {
		items = append(items, chatItem{call: &calls[i]})
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].when().Before(items[j].when()) })
	var out []chatItem
	var last time.Time
	for _, it := range items {
		t := it.when().Local()
		d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.Local)
		if !d.Equal(last) {
			out = append(out, chatItem{day: d})
			last = d
		}
		out = append(out, it)
	}
	return out
}

// dayLabel is a separator's text: Today, Yesterday, or the date.
func dayLabel(d, now time.Time) string {
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.Local)
	switch {
	case d.Equal(today):
		return "Today"
	case d.Equal(today.AddDate(0, 0, -1)):
		return "Yesterday"
	case d.Year() == now.Year():
		return d.Format("Monday 2 January")
	}
	return d.Format("2 January 2006")
}

// callEventText is how a call shows inside the conversation.
func callEventText(r CallRecord) string {
	switch r.Outcome {
	case OutcomeMissed:
		return "Missed call"
	case OutcomeDeclined:
		return "Call declined"
	case OutcomeAnsweredElsewhere:
		return "Answered on another device"
	case OutcomeFailed:
		return "Call did not connect"
	}
	s := "Call · " + durationText(r.Duration)
	if r.E2EE {
		s += " · end-to-end encrypted"
	}
	return s
}

func durationText(d time.Duration) string {
	switch {
	case d < time.Minute:
		return (d.Round(time.Second)).String()
	case d < time.Hour:
		return itoa(int(d.Round(time.Minute)/time.Minute)) + " min"
	}
	h := int(d / time.Hour)
	return itoa(h) + " h " + itoa(int((d-time.Duration(h)*time.Hour)/time.Minute)) + " min"
}

// messageList shows chat items as bubbles, mine on the right, each row as
// tall as its wrapped text (widget.List rows would otherwise all take the
// template's height, and a wrapped line would be drawn under the next row).
type messageList struct {
	widget.BaseWidget
	items  []chatItem
	sender func(app.ChatMessage) string
	retry  func(localID string)
	box    *fyne.Container
	scroll *container.Scroll
	rows   []fyne.CanvasObject
}

func newMessageList(sender func(app.ChatMessage) string, retry func(string)) *messageList {
	l := &messageList{sender: sender, retry: retry, box: container.NewVBox()}
	l.scroll = container.NewVScroll(l.box)
	l.ExtendBaseWidget(l)
	return l
}

func (l *messageList) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(l.scroll)
}

// MinSize is small: the list scrolls, it never grows the window.
func (l *messageList) MinSize() fyne.Size { return fyne.NewSize(120, 80) }

// SetItems shows items and scrolls to the newest.
func (l *messageList) SetItems(items []chatItem) {
	l.items = items
	l.rows = l.rows[:0]
	for _, it := range items {
		l.rows = append(l.rows, l.row(it))
	}
	l.box.Objects = l.rows
	l.box.Refresh()
	l.scroll.ScrollToBottom()
}

func (l *messageList) row(it chatItem) fyne.CanvasObject {
	switch {
	case it.msg == nil && it.call == nil:
		t := widget.NewLabelWithStyle(dayLabel(it.day, time.Now()), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
		t.Importance = widget.LowImportance
		t.SizeName = theme.SizeNameCaptionText
		return t
	case it.call != nil:
		t := widget.NewLabel(callEventText(*it.call) + " · " + it.call.Start.Local().Format(TimeFormat))
		t.Importance = widget.LowImportance
		if it.call.Outcome == OutcomeMissed {
			t.Importance = widget.DangerImportance
		}
		// Truncated, not wider than the list: a wide row would push the
		// right-hand bubbles out of view.
		t.Truncation = fyne.TextTruncateEllipsis
		t.Alignment = fyne.TextAlignCenter
		return t
	}
	return newBubble(*it.msg, l.sender(*it.msg), l.retry)
}

// bubble is one message: text on a rounded background, mine right-aligned
// in the brand colour, with time and, for mine, the delivery state.
type bubble struct {
	widget.BaseWidget
	msg   app.ChatMessage
	bg    *canvas.Rectangle
	text  *widget.Label
	meta  *widget.Label
	retry *widget.Button
}

func newBubble(m app.ChatMessage, sender string, retry func(string)) *bubble {
	b := &bubble{msg: m}
	b.bg = canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	b.bg.CornerRadius = 10
	b.text = widget.NewLabel(m.Text)
	b.text.Wrapping = fyne.TextWrapWord
	meta := m.Sent.Local().Format(TimeFormat)
	if !m.Mine {
		meta = sender + " · " + meta
	} else {
		meta += " · " + m.State.String()
		if m.Problem != "" {
			meta += ": " + m.Problem
		}
		b.bg.FillColor = mineColor()
	}
	b.meta = widget.NewLabel(meta)
	b.meta.SizeName = theme.SizeNameCaptionText
	b.meta.Importance = widget.LowImportance
	b.meta.Wrapping = fyne.TextWrapWord
	if m.State == app.ChatFailed {
		b.meta.Importance = widget.DangerImportance
		b.retry = widget.NewButtonWithIcon("Retry", theme.ViewRefreshIcon(), func() { retry(m.LocalID) })
	}
	b.ExtendBaseWidget(b)
	return b
}

func mineColor() color.Color {
	c := color.NRGBA(Brand)
	c.A = 0x33
	return c
}

// bubbleShare is the widest a bubble may be, of the row.
const bubbleShare = 0.78

func (b *bubble) CreateRenderer() fyne.WidgetRenderer {
	objs := []fyne.CanvasObject{b.bg, b.text, b.meta}
	if b.retry != nil {
		objs = append(objs, b.retry)
	}
	return &bubbleRenderer{b: b, objs: objs}
}

type bubbleRenderer struct {
	b    *bubble
	objs []fyne.CanvasObject
}

// width is the bubble's width in a row of w: the text's natural width,
// at most bubbleShare of the row.
func (r *bubbleRenderer) width(w float32) float32 {
	max := w * bubbleShare
	natural := fyne.MeasureText(r.b.msg.Text, theme.TextSize(), fyne.TextStyle{}).Width + 2*theme.InnerPadding() + 4
	meta := fyne.MeasureText(r.b.meta.Text, theme.CaptionTextSize(), fyne.TextStyle{}).Width + 2*theme.InnerPadding() + 4
	return fyne.Min(max, fyne.Max(fyne.Max(natural, meta), 60))
}

func (r *bubbleRenderer) heights(w float32) (text, meta float32) {
	r.b.text.Resize(fyne.NewSize(w, r.b.text.MinSize().Height))
	r.b.meta.Resize(fyne.NewSize(w, r.b.meta.MinSize().Height))
	return r.b.text.MinSize().Height, r.b.meta.MinSize().Height
}

func (r *bubbleRenderer) Layout(size fyne.Size) {
	w := r.width(size.Width)
	x := float32(0)
	if r.b.msg.Mine {
		x = size.Width - w
	}
	th, mh := r.heights(w)
	r.b.bg.Move(fyne.NewPos(x, 0))
	r.b.bg.Resize(fyne.NewSize(w, th+mh-theme.InnerPadding()))
	r.b.text.Move(fyne.NewPos(x, 0))
	r.b.text.Resize(fyne.NewSize(w, th))
	r.b.meta.Move(fyne.NewPos(x, th-theme.InnerPadding()))
	r.b.meta.Resize(fyne.NewSize(w, mh))
	if r.b.retry != nil {
		rs := r.b.retry.MinSize()
		rx := x - rs.Width - theme.Padding()
		if !r.b.msg.Mine {
			rx = x + w + theme.Padding()
		}
		r.b.retry.Move(fyne.NewPos(rx, (th-rs.Height)/2))
		r.b.retry.Resize(rs)
	}
}

// MinSize is the height of the wrapped text at the bubble's width in the
// row it was last laid out in.
func (r *bubbleRenderer) MinSize() fyne.Size {
	w := r.b.Size().Width
	if w <= 0 {
		w = 300
	}
	th, mh := r.heights(r.width(w))
	return fyne.NewSize(60, th+mh-theme.InnerPadding())
}

func (r *bubbleRenderer) Refresh()                     { r.Layout(r.b.Size()) }
func (r *bubbleRenderer) Objects() []fyne.CanvasObject { return r.objs }
func (r *bubbleRenderer) Destroy()                     {}

// ChatPane is the conversation with one contact: bubbles with day
// separators and call events, Load earlier, and an entry with Send.
type ChatPane struct {
	act     ChatActions
	peer    app.Contact
	title   *widget.Label
	avatar  *Avatar
	earlier *widget.Button
	list    *messageList
	entry   *widget.Entry
	send    *IconButton
	call    *IconButton
	root    fyne.CanvasObject
}

// NewChatPane builds the pane for the conversation with peer.
func NewChatPane(act ChatActions, peer app.Contact) *ChatPane {
	p := &ChatPane{act: act, peer: peer}
	p.title = truncated(peer.Label(), fyne.TextStyle{Bold: true})
	p.avatar = NewAvatar(peer, 32, true)
	back := NewIconButton(theme.NavigateBackIcon(), "Back to the list", act.CloseChat)
	back.Importance = widget.LowImportance
	p.call = NewIconButton(iconPhone, "Call "+peer.Label(), func() { act.Call(p.peer.ID) })
	p.earlier = widget.NewButton("Load earlier messages", func() { act.LoadEarlierChat(p.peer.ID) })
	p.earlier.Importance = widget.LowImportance
	p.list = newMessageList(p.sender, act.RetryChat)
	p.entry = widget.NewEntry()
	p.entry.SetPlaceHolder("Type a message")
	p.entry.OnSubmitted = func(string) { p.submit() }
	p.send = NewIconButton(theme.MailSendIcon(), "Send", p.submit)
	p.send.Importance = widget.HighImportance
	head := container.NewBorder(nil, nil, container.NewHBox(back, p.avatar), p.call, p.title)
	top := container.NewVBox(head, widget.NewSeparator(), container.NewCenter(p.earlier))
	bottom := container.NewBorder(nil, nil, nil, p.send, p.entry)
	p.root = container.NewBorder(top, bottom, nil, nil, p.list)
	p.earlier.Hide()
	return p
}

// Object is the pane's canvas object.
func (p *ChatPane) Object() fyne.CanvasObject { return p.root }

// Peer is whom the pane talks to.
func (p *ChatPane) Peer() app.Contact { return p.peer }

// SetPeer follows the peer's presence and name.
func (p *ChatPane) SetPeer(c app.Contact) {
	p.peer = c
	p.title.SetText(c.Label())
	p.avatar.SetContact(c)
	if c.Presence.Reachable() {
		p.call.Enable()
	} else {
		p.call.Disable()
	}
}

// Update shows the conversation c with the calls made with its peer.
func (p *ChatPane) Update(c app.Conversation, calls []CallRecord) {
	setVisible(p.earlier, c.MoreHistory && len(c.Messages) > 0)
	p.list.SetItems(chatItems(c.Messages, calls))
}

func (p *ChatPane) submit() {
	if p.entry.Text == "" {
		return
	}
	p.act.SendChat(p.peer.ID, p.entry.Text)
	p.entry.SetText("")
}

func (p *ChatPane) sender(m app.ChatMessage) string {
	if m.Mine {
		return "You"
	}
	return p.peer.Label()
}
