package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/parley-voip/parley/signaling"
)

// Unread counts are the server's: it keeps my read mark per conversation
// (the newest message I have seen on any device). At sign-in, and after
// every reconnect, the Client fetches the conversation list (GET
// /api/chats) so messages that came while I was offline badge at once;
// opening a conversation sends chat-read, and the server tells all my
// devices the new mark, so reading on one clears the badge on the others.

// loadConversations fetches my conversations and sets each one's newest
// message and unread count. It runs off the Run goroutine.
func (c *Client) loadConversations(ctx context.Context) {
	api, token, err := c.cfg.apiSession(ctx)
	if err != nil {
		c.log.Debug("conversations at sign-in", "err", err)
		return
	}
	sums, err := api.conversations(ctx, token, c.cfg.Me.ID)
	if err != nil {
		c.log.Warn("conversations at sign-in", "err", err)
		return
	}
	c.post(func() {
		for _, s := range sums {
			c.book.summarize(s.Peer, fromWire(s.Last, c.cfg.Me.ID), s.Unread)
		}
		c.markOpenRead()
		c.publishContacts()
	})
}

// markOpenRead sends chat-read for the conversation on screen, if it holds
// a message newer than the mark this link last sent.
func (c *Client) markOpenRead() {
	if c.conn == nil {
		return
	}
	peer, upTo, ok := c.book.readMark()
	if !ok {
		return
	}
	c.send(&signaling.Message{Type: signaling.TypeChatRead, To: peer, Read: &signaling.ChatRead{UpTo: upTo}})
}

// handleChatRead applies a read mark one of my devices (this one too)
// stored: the conversation's unread count is the server's.
func (c *Client) handleChatRead(m *signaling.Message) {
	if m.Read == nil || m.To == "" {
		return
	}
	if c.book.readElsewhere(m.To, m.Read.Unread) {
		c.publishContacts()
	}
}

// summarize applies the server's view of peer's conversation: its newest
// message (added if this run has not seen it; the history cursor is left
// alone) and its unread count as of that message. Messages from peer that
// arrived here after it count on top. The open conversation reads 0.
func (b *chatBook) summarize(peer string, last ChatMessage, unread int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	c := b.conv(peer)
	have := false
	later := 0
	for _, m := range c.msgs {
		if m.ID == last.ID {
			have = true
		}
		if !m.Mine && m.ID != "" && idLess(last.ID, m.ID) {
			later++
		}
	}
	if !have {
		c.msgs = append(c.msgs, last)
	}
	c.unread = unread + later
	if b.open == peer {
		c.unread = 0
	}
	b.emitLocked(peer)
}

// readElsewhere sets peer's unread count from a stored read mark and
// reports whether it changed.
func (b *chatBook) readElsewhere(peer string, unread int) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	c := b.conv(peer)
	if b.open == peer || c.unread == unread {
		return false
	}
	c.unread = unread
	b.emitLocked(peer)
	return true
}

// readMark returns the open conversation and its newest stored message
// id, when that is newer than the mark last sent for it on this link.
func (b *chatBook) readMark() (peer, upTo string, ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.open == "" {
		return "", "", false
	}
	c := b.conv(b.open)
	for _, m := range c.msgs {
		if m.ID != "" && !m.Mine && (upTo == "" || idLess(upTo, m.ID)) {
			upTo = m.ID
		}
	}
	if upTo == "" || c.marked != "" && !idLess(c.marked, upTo) {
		return "", "", false
	}
	c.marked = upTo
	return b.open, upTo, true
}

// conversationsAnswer is GET /api/chats.
type conversationsAnswer struct {
	Conversations []signaling.ChatSummary `json:"conversations"`
}

// conversations fetches my conversation list.
func (a orgAPI) conversations(ctx context.Context, token, me string) ([]signaling.ChatSummary, error) {
	var raw json.RawMessage
	if err := a.do(ctx, http.MethodGet, "/api/chats", token, nil, &raw); err != nil {
		return nil, fmt.Errorf("conversations: %w", err)
	}
	return decodeConversations(raw, me)
}

// decodeConversations parses GET /api/chats (already bounded by
// maxAPIResponse): every newest message must pass the checks of a pushed
// chat message and be between me and its peer.
func decodeConversations(data []byte, me string) ([]signaling.ChatSummary, error) {
	var a conversationsAnswer
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, fmt.Errorf("%w: conversations: %w", ErrBadAnswer, err)
	}
	for _, s := range a.Conversations {
		l := s.Last
		m := signaling.Message{Type: signaling.TypeChat, Chat: &l}
		if err := m.Validate(); err != nil {
			return nil, fmt.Errorf("%w: conversation with %q: %w", ErrBadAnswer, s.Peer, err)
		}
		r := signaling.Message{Type: signaling.TypeChatRead, To: s.Peer, Read: &signaling.ChatRead{UpTo: l.ID, Unread: s.Unread}}
		if err := r.Validate(); err != nil || s.Peer == me {
			return nil, fmt.Errorf("%w: conversation with %q: unread %d", ErrBadAnswer, s.Peer, s.Unread)
		}
		if !(l.From == me && l.To == s.Peer || l.From == s.Peer && l.To == me) {
			return nil, fmt.Errorf("%w: message %s is not between %s and %s", ErrBadAnswer, l.ID, me, s.Peer)
		}
	}
	return a.Conversations, nil
}
