package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
)

// ChatActions are what a chat pane can ask for.
type ChatActions interface {
	SendChat(to, text string)
	RetryChat(localID string)
	LoadEarlierChat(peer string)
	CloseChat() // back to contacts
}

// TimeFormat is how a message's time shows.
const TimeFormat = "15:04"

// ChatPane is the conversation with one contact: the messages with time
// and sender, a Retry on any that failed, and an entry with Send.
type ChatPane struct {
	act     ChatActions
	me      app.Contact
	peer    app.Contact
	msgs    []app.ChatMessage
	title   *widget.Label
	earlier *widget.Button
	list    *widget.List
	entry   *widget.Entry
	send    *widget.Button
	root    fyne.CanvasObject
}

// NewChatPane builds the pane for me's conversation with peer.
func NewChatPane(act ChatActions, me, peer app.Contact) *ChatPane {
	p := &ChatPane{act: act, me: me, peer: peer}
	p.title = widget.NewLabelWithStyle("Chat with "+peer.Label(), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	back := widget.NewButtonWithIcon("Contacts", theme.NavigateBackIcon(), act.CloseChat)
	p.earlier = widget.NewButton("Load earlier messages", func() { act.LoadEarlierChat(peer.ID) })
	p.list = newMessageList(func() []app.ChatMessage { return p.msgs }, p.sender, act.RetryChat)
	p.entry = widget.NewEntry()
	p.entry.SetPlaceHolder("Type a message")
	p.entry.OnSubmitted = func(string) { p.submit() }
	p.send = widget.NewButtonWithIcon("Send", theme.MailSendIcon(), p.submit)
	top := container.NewVBox(container.NewBorder(nil, nil, back, nil, p.title), p.earlier)
	bottom := container.NewBorder(nil, nil, nil, p.send, p.entry)
	p.root = container.NewBorder(top, bottom, nil, nil, p.list)
	p.earlier.Hide()
	return p
}

// Object is the pane's canvas object.
func (p *ChatPane) Object() fyne.CanvasObject { return p.root }

// Peer is whom the pane talks to.
func (p *ChatPane) Peer() app.Contact { return p.peer }

// Update shows the conversation c.
func (p *ChatPane) Update(c app.Conversation) {
	p.msgs = c.Messages
	setVisible(p.earlier, c.MoreHistory && len(c.Messages) > 0)
	p.list.Refresh()
	if n := len(p.msgs); n > 0 {
		p.list.ScrollToBottom()
	}
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

// newMessageList lists messages as "time  sender" over the text, with the
// delivery state of mine and a Retry button on failed ones.
func newMessageList(msgs func() []app.ChatMessage, sender func(app.ChatMessage) string, retry func(string)) *widget.List {
	return widget.NewList(
		func() int { return len(msgs()) },
		func() fyne.CanvasObject {
			head := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			text := widget.NewLabel("")
			text.Wrapping = fyne.TextWrapWord
			return container.NewBorder(nil, nil, nil, widget.NewButton("Retry", nil), container.NewVBox(head, text))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			m := msgs()[i]
			row := o.(*fyne.Container)
			labels := row.Objects[0].(*fyne.Container)
			head := m.Sent.Format(TimeFormat) + "  " + sender(m)
			if m.Mine && m.State != app.ChatSent {
				head += " · " + m.State.String()
				if m.Problem != "" {
					head += ": " + m.Problem
				}
			}
			labels.Objects[0].(*widget.Label).SetText(head)
			labels.Objects[1].(*widget.Label).SetText(m.Text)
			btn := row.Objects[1].(*widget.Button)
			btn.OnTapped = func() { retry(m.LocalID) }
			setVisible(btn, m.State == app.ChatFailed)
		},
	)
}
