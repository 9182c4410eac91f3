package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
)

// CallChatActions are what the in-call chat panel can ask for.
type CallChatActions interface {
	SendCallChat(text string) error
	RetryChat(localID string)
	// OpenChat and CloseChat mark the conversation as on screen (read)
	// while the panel is open.
	OpenChat(peer string)
	CloseChat()
}

// CallView is one call's screen with its chat panel beside it. Every call
// gets a new one, so nothing of the last call (an open panel, a highlight)
// carries over into the next.
type CallView struct {
	act    CallChatActions
	Screen *CallScreen
	call   app.CallInfo
	msgs   []app.ChatMessage
	seen   int // messages of the call already seen (panel open)
	panel  *fyne.Container
	list   *messageList
	entry  *entry
	root   fyne.CanvasObject
}

// CallViewActions back a CallView.
type CallViewActions interface {
	CallActions
	CallChatActions
}

// NewCallView builds the view of call c; onClose leaves a call that ended
// with an E2EE alarm.
func NewCallView(act CallViewActions, c app.CallInfo, onClose func()) *CallView {
	v := &CallView{act: act, call: c}
	v.Screen = NewCallScreen(act, func() { v.SetOpen(!v.Open()) }, onClose)
	v.list = newMessageList(v.sender, act.RetryChat)
	v.entry = newEntry()
	v.entry.SetPlaceHolder("Message in this call")
	v.entry.OnSubmitted = func(string) { v.submit() }
	send := NewIconButton(theme.MailSendIcon(), "Send", v.submit)
	closePanel := NewIconButton(theme.CancelIcon(), "Close the chat", func() { v.SetOpen(false) })
	closePanel.Importance = widget.LowImportance
	// An opaque background: in a narrow window the panel covers the
	// call screen, whose buttons must not take taps through it.
	v.panel = container.NewStack(canvas.NewRectangle(theme.Color(theme.ColorNameBackground)), container.NewBorder(
		container.NewBorder(nil, nil, nil, closePanel, widget.NewLabelWithStyle("Chat in this call", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})),
		container.NewBorder(nil, nil, nil, send, v.entry), nil, nil, v.list))
	v.panel.Hide()
	v.root = container.New(&sidePanel{}, v.Screen.Object(), v.panel)
	v.Screen.Update(c)
	return v
}

// Object is the call screen with the panel.
func (v *CallView) Object() fyne.CanvasObject { return v.root }

// ID is the call's id.
func (v *CallView) ID() string { return v.call.ID }

// Open reports whether the panel shows.
func (v *CallView) Open() bool { return v.panel.Visible() }

// SetOpen shows or hides the panel. While it shows, the conversation
// counts as read.
func (v *CallView) SetOpen(on bool) {
	setVisible(v.panel, on)
	if on {
		v.seen = len(v.msgs)
		v.Screen.SetChatUnread(false)
		v.act.OpenChat(v.call.Peer.ID)
	} else {
		v.act.CloseChat()
	}
	v.root.Refresh()
}

// SetCall follows the call.
func (v *CallView) SetCall(c app.CallInfo) {
	v.call = c
	v.Screen.Update(c)
}

// Update shows the conversation's messages of this call, if c is the
// conversation with the call's peer.
func (v *CallView) Update(c app.Conversation) {
	if c.Peer != v.call.Peer.ID {
		return
	}
	v.msgs = c.InCall(v.call.ID)
	v.list.SetItems(chatItems(v.msgs, nil))
	if v.Open() {
		v.seen = len(v.msgs)
		return
	}
	unread := false
	for _, m := range v.msgs[min(v.seen, len(v.msgs)):] {
		unread = unread || !m.Mine
	}
	v.Screen.SetChatUnread(unread)
}

func (v *CallView) submit() {
	if v.entry.Text == "" {
		return
	}
	if err := v.act.SendCallChat(v.entry.Text); err == nil {
		v.entry.SetText("") // on failure the text stays to send again
	}
}

func (v *CallView) sender(m app.ChatMessage) string {
	if m.Mine {
		return "You"
	}
	return v.call.Peer.Label()
}

// sidePanel lays out the call screen with the chat panel on its right
// when the panel is visible: a third of the width, all of it when the
// window is narrow. Its MinSize is the larger of the two, never their sum,
// so opening the panel cannot grow the window.
type sidePanel struct{}

func (sidePanel) MinSize(objs []fyne.CanvasObject) fyne.Size {
	s := objs[0].MinSize()
	if objs[1].Visible() {
		s = s.Max(objs[1].MinSize())
	}
	return s
}

// narrow is the width under which the panel covers the call screen.
const narrow = 560

func (sidePanel) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	screen, panel := objs[0], objs[1]
	screen.Move(fyne.NewPos(0, 0))
	if !panel.Visible() {
		screen.Resize(size)
		return
	}
	if size.Width < narrow {
		screen.Resize(size)
		panel.Move(fyne.NewPos(0, 0))
		panel.Resize(size)
		return
	}
	w := size.Width / 3
	screen.Resize(fyne.NewSize(size.Width-w-theme.Padding(), size.Height))
	panel.Move(fyne.NewPos(size.Width-w, 0))
	panel.Resize(fyne.NewSize(w, size.Height))
}
