package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
)

// CallChatActions are what the in-call chat panel can ask for.
type CallChatActions interface {
	SendCallChat(text string) error
	RetryChat(localID string)
}

// CallChat wraps the call screen with a "Chat" toggle and, when on, a
// panel of the messages exchanged during this call with an entry.
type CallChat struct {
	act    CallChatActions
	call   app.CallInfo
	msgs   []app.ChatMessage
	toggle *widget.Button
	panel  *fyne.Container
	list   *widget.List
	entry  *widget.Entry
	root   fyne.CanvasObject
}

// NewCallChat builds the panel next to screen (the call screen's object).
func NewCallChat(act CallChatActions, screen fyne.CanvasObject) *CallChat {
	p := &CallChat{act: act}
	p.list = newMessageList(func() []app.ChatMessage { return p.msgs }, p.sender, act.RetryChat)
	p.entry = widget.NewEntry()
	p.entry.SetPlaceHolder("Message in this call")
	p.entry.OnSubmitted = func(string) { p.submit() }
	send := widget.NewButtonWithIcon("", theme.MailSendIcon(), p.submit)
	p.panel = container.NewBorder(
		widget.NewLabelWithStyle("Chat in this call", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewBorder(nil, nil, nil, send, p.entry), nil, nil, p.list)
	p.toggle = widget.NewButtonWithIcon("Chat", theme.MailComposeIcon(), func() { p.SetOpen(!p.panel.Visible()) })
	p.panel.Hide()
	bar := container.NewBorder(nil, nil, nil, p.toggle)
	p.root = container.NewBorder(bar, nil, nil, nil, container.New(&sidePanel{}, screen, p.panel))
	return p
}

// Object is the call screen with the panel.
func (p *CallChat) Object() fyne.CanvasObject { return p.root }

// Open reports whether the panel shows.
func (p *CallChat) Open() bool { return p.panel.Visible() }

// SetOpen shows or hides the panel.
func (p *CallChat) SetOpen(on bool) {
	setVisible(p.panel, on)
	p.root.Refresh()
}

// SetCall follows the current call; a new call starts with an empty panel.
func (p *CallChat) SetCall(c app.CallInfo) {
	if c.ID != p.call.ID {
		p.msgs = nil
		p.list.Refresh()
	}
	p.call = c
	setVisible(p.toggle, !c.Ended() || len(p.msgs) > 0)
}

// Update shows the conversation's messages of this call, if c is the
// conversation with the call's peer.
func (p *CallChat) Update(c app.Conversation) {
	if p.call.ID == "" || c.Peer != p.call.Peer.ID {
		return
	}
	p.msgs = c.InCall(p.call.ID)
	p.list.Refresh()
	if len(p.msgs) > 0 {
		p.list.ScrollToBottom()
	}
	if len(p.msgs) > 0 && !p.msgs[len(p.msgs)-1].Mine && !p.Open() {
		p.toggle.Importance = widget.HighImportance // something new to read
		p.toggle.Refresh()
	}
}

func (p *CallChat) submit() {
	if p.entry.Text == "" {
		return
	}
	if err := p.act.SendCallChat(p.entry.Text); err == nil {
		p.entry.SetText("") // on failure the text stays to send again
	}
}

func (p *CallChat) sender(m app.ChatMessage) string {
	if m.Mine {
		return "You"
	}
	return p.call.Peer.Label()
}

// sidePanel lays out the call screen with the chat panel on its right
// third when the panel is visible.
type sidePanel struct{}

func (sidePanel) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := objs[0].MinSize()
	if objs[1].Visible() {
		m := objs[1].MinSize()
		s = fyne.NewSize(s.Width+m.Width+theme.Padding(), fyne.Max(s.Height, m.Height))
	}
	return s
}

func (sidePanel) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	screen, panel := objs[0], objs[1]
	if !panel.Visible() {
		screen.Move(fyne.NewPos(0, 0))
		screen.Resize(size)
		return
	}
	w := size.Width / 3
	screen.Move(fyne.NewPos(0, 0))
	screen.Resize(fyne.NewSize(size.Width-w-theme.Padding(), size.Height))
	panel.Move(fyne.NewPos(size.Width-w, 0))
	panel.Resize(fyne.NewSize(w, size.Height))
}
