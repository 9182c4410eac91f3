package app

import (
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/parley-voip/parley/signaling"
)

// newLocalChatID names a message I type; it goes out as the chat's id, so
// the server's chat-ack (or error) refers back to it, and stays unique
// across reconnects and devices.
func newLocalChatID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails
	return "chat-" + hex.EncodeToString(b[:])
}

// SendChat sends text to the contact with id to. It shows at once as
// pending, becomes sent when the server has stored it and failed (with
// Retry) when the server could not; a lost link sends it again by itself
// after reconnecting. It returns the message's local id.
func (c *Client) SendChat(to, text string) string {
	m := ChatMessage{LocalID: newLocalChatID(), From: c.cfg.Me.ID, To: to, Text: text,
		Sent: time.Now(), Mine: true, State: ChatPending}
	c.book.add(m)
	if !c.post(c.flushChats) {
		c.book.update(m.LocalID, noLink)
	}
	return m.LocalID
}

// SendCallChat sends text to the other party of the current call, as
// in-call chat. When the call has just ended it goes to the same person as
// a 1:1 message. ErrNoCall when there has been no call; ErrClosed when the
// Client has stopped (the caller keeps the text).
func (c *Client) SendCallChat(text string) error {
	sent := make(chan error, 1)
	if !c.post(func() {
		k := c.call
		if k == nil {
			sent <- ErrNoCall
			return
		}
		m := ChatMessage{LocalID: newLocalChatID(), From: c.cfg.Me.ID, To: k.info.Peer.ID, Text: text,
			Sent: time.Now(), Mine: true, State: ChatPending, TypedInCall: k.info.ID}
		if !k.ended() {
			m.CallID = k.info.ID
		}
		c.book.add(m)
		c.flushChats()
		sent <- nil
	}) {
		return ErrClosed
	}
	select {
	case err := <-sent:
		return err
	case <-c.stopped:
		return ErrClosed
	}
}

// RetryChat sends a failed message again.
func (c *Client) RetryChat(localID string) {
	ok := c.book.update(localID, func(m *ChatMessage) {
		if m.State == ChatFailed {
			m.State, m.Problem = ChatPending, ""
		}
	})
	if ok && !c.post(c.flushChats) {
		c.book.update(localID, noLink)
	}
}

// OpenChat marks the conversation with peer as the one on screen: its
// messages are read, and ones arriving while it stays open are not counted
// as unread. "" closes it.
func (c *Client) OpenChat(peer string) {
	c.book.setOpen(peer)
	c.post(func() {
		c.markOpenRead()
		c.publishContacts()
	})
}

// Conversation returns the chat with peer as it stands.
func (c *Client) Conversation(peer string) Conversation { return c.book.snapshot(peer) }

func noLink(m *ChatMessage) {
	if m.State == ChatPending {
		m.State, m.Problem = ChatFailed, problemNoLink
	}
}

// flushChats sends every pending message not yet sent on this link.
func (c *Client) flushChats() {
	if c.conn == nil {
		return // not signed in yet: Run flushes once it is
	}
	for _, m := range c.book.toSend() {
		w := &signaling.Message{Type: signaling.TypeChat, ID: m.LocalID, Text: m.Text}
		k := c.call
		switch {
		case m.CallID != "" && k != nil && k.info.ID == m.CallID && !k.ended():
			w.CallID = m.CallID
		case m.CallID != "":
			// The call is over: the server would refuse the call id, so
			// the message goes to the same person 1:1.
			c.book.update(m.LocalID, func(x *ChatMessage) { x.CallID = "" })
			w.To = m.To
		default:
			w.To = m.To
		}
		c.send(w)
	}
}

// linkUp runs once the server has welcomed this link: my chosen status and
// everything that waited for a link go out.
func (c *Client) linkUp() {
	if st := c.book.chosenStatus(); st != PresenceOnline {
		c.send(&signaling.Message{Type: signaling.TypeStatus, Status: st.status()})
	}
	c.book.linkUp()
	c.flushChats()
	c.subscribePresence()
	go c.countMissedSinceSeen(c.ctx)
	go c.loadConversations(c.ctx)
}

func (c *Client) handleChat(m *signaling.Message) {
	if m.Chat == nil {
		return // a client-form chat: the server never sends one
	}
	if c.book.received(fromWire(*m.Chat, c.cfg.Me.ID)) {
		c.publishContacts()
	}
	c.markOpenRead() // a message shown in the open conversation is read
}

func (c *Client) handleChatAck(m *signaling.Message) {
	rec := m.Chat
	if rec == nil {
		return
	}
	c.book.update(m.Ref, func(x *ChatMessage) {
		x.ID, x.Sent, x.State, x.Problem = rec.ID, time.UnixMilli(rec.Sent), ChatSent, ""
		x.To, x.CallID = rec.To, rec.CallID
	})
}

// chatFailed handles an error answering one of my chat messages; false
// when m is about something else.
func (c *Client) chatFailed(m *signaling.Message) bool {
	if m.Error == nil || m.Error.Ref == "" {
		return false
	}
	return c.book.update(m.Error.Ref, func(x *ChatMessage) {
		x.State, x.Problem = ChatFailed, chatProblem(m.Error)
	})
}

func chatProblem(e *signaling.ErrorInfo) string {
	switch e.Code {
	case signaling.CodeStoreFailed:
		return "The server could not store it"
	case signaling.CodeUnknownUser:
		return "There is no such person in your organization"
	case signaling.CodeRateLimited:
		return "Too many messages at once"
	case signaling.CodeUnknownCall:
		return "The call has ended"
	}
	if e.Message != "" {
		return "Refused: " + e.Message
	}
	return "Refused by the server (" + string(e.Code) + ")"
}
