package ui

import (
	"sort"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
)

// ChatsActions are what the Chat screen can ask for.
type ChatsActions interface {
	ChatActions
	OpenChat(contactID string)
}

// ChatsPage is the Chat screen: the conversations, newest first, with the
// last message and an unread badge; one open replaces the list until
// closed (a narrow window has no room for both).
type ChatsPage struct {
	act   ChatsActions
	convs []convRow
	list  *widget.List
	empty *widget.Label
	pane  *ChatPane
	stack *fyne.Container
	lists fyne.CanvasObject
}

type convRow struct {
	peer app.Contact
	last app.ChatMessage
}

// NewChatsPage builds the Chat screen.
func NewChatsPage(act ChatsActions) *ChatsPage {
	p := &ChatsPage{act: act, empty: truncated("No conversations yet. Start one from People.", fyne.TextStyle{})}
	p.empty.Alignment = fyne.TextAlignCenter
	p.list = widget.NewList(
		func() int { return len(p.convs) },
		func() fyne.CanvasObject {
			name := truncated("name", fyne.TextStyle{Bold: true})
			preview := truncated("preview", fyne.TextStyle{})
			preview.SizeName = theme.SizeNameCaptionText
			when := widget.NewLabel("00:00")
			when.SizeName = theme.SizeNameCaptionText
			right := container.NewVBox(when, container.NewCenter(NewBadge(0)))
			return container.NewBorder(nil, nil, NewAvatar(app.Contact{}, 36, true), right,
				container.New(compactRows(), name, preview))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) { p.fill(p.convs[i], o.(*fyne.Container)) },
	)
	p.list.OnSelected = func(i widget.ListItemID) {
		p.list.UnselectAll()
		if i < len(p.convs) {
			act.OpenChat(p.convs[i].peer.ID)
		}
	}
	p.lists = container.NewBorder(pageTitle("Chat"), nil, nil, nil,
		container.NewStack(p.list, container.NewVBox(p.empty)))
	p.stack = container.NewStack(p.lists)
	return p
}

func (p *ChatsPage) fill(r convRow, row *fyne.Container) {
	texts := row.Objects[0].(*fyne.Container)
	texts.Objects[0].(*widget.Label).SetText(r.peer.Label())
	prefix := ""
	if r.last.Mine {
		prefix = "You: "
	}
	texts.Objects[1].(*widget.Label).SetText(prefix + r.last.Text)
	row.Objects[1].(*Avatar).SetContact(r.peer)
	right := row.Objects[2].(*fyne.Container)
	right.Objects[0].(*widget.Label).SetText(whenText(r.last.Sent, time.Now()))
	right.Objects[1].(*fyne.Container).Objects[0].(*Badge).SetCount(r.peer.Unread)
}

// Object is the screen.
func (p *ChatsPage) Object() fyne.CanvasObject { return p.stack }

// Open shows the conversation with peer ("" closes it).
func (p *ChatsPage) Open(peer app.Contact, st *State) {
	if peer.ID == "" {
		p.pane = nil
		p.stack.Objects = []fyne.CanvasObject{p.lists}
		p.stack.Refresh()
		return
	}
	if p.pane == nil || p.pane.Peer().ID != peer.ID {
		p.pane = NewChatPane(p.act, peer)
		p.stack.Objects = []fyne.CanvasObject{p.pane.Object()}
		p.stack.Refresh()
	}
	p.Update(st)
}

// Pane is the open conversation, or nil.
func (p *ChatsPage) Pane() *ChatPane { return p.pane }

// Update shows st's conversations, and the open one.
func (p *ChatsPage) Update(st *State) {
	byID := map[string]app.Contact{}
	for _, c := range st.Contacts {
		byID[c.ID] = c
	}
	p.convs = p.convs[:0]
	for peer, c := range st.Convs {
		if len(c.Messages) == 0 {
			continue
		}
		ct, ok := byID[peer]
		if !ok {
			ct = app.Contact{ID: peer}
		}
		ct.Unread = c.Unread
		p.convs = append(p.convs, convRow{peer: ct, last: c.Messages[len(c.Messages)-1]})
	}
	sort.Slice(p.convs, func(i, j int) bool { return p.convs[i].last.Sent.After(p.convs[j].last.Sent) })
	setVisible(p.empty, len(p.convs) == 0)
	p.list.Refresh()
	if p.pane != nil {
		id := p.pane.Peer().ID
		if c, ok := byID[id]; ok {
			p.pane.SetPeer(c)
		}
		p.pane.Update(st.Convs[id], st.callsWith(id))
	}
}
