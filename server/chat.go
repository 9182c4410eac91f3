package server

import (
	"context"
	"net/http"
	"strconv"

	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/server/httpx"

	"github.com/parley-voip/parley/signaling"
)

// ChatLog stores chat messages durably; package chat implements it.
type ChatLog interface {
	// PostOnce stores a message and returns it with its id and time. When
	// it returns nil the message survives a crash. key is the sender's id
	// for the message, unique per sender: a second PostOnce with the same
	// from and key stores nothing and returns the first message as stored.
	PostOnce(ctx context.Context, from, key, to, callID, text string) (signaling.ChatMessage, error)
	// History returns up to limit messages between a and b with ids below
	// before (0: the newest), newest first.
	History(ctx context.Context, a, b string, before int64, limit int) ([]signaling.ChatMessage, error)
	// Conversations lists me's conversations, newest first, each with its
	// newest message and unread count (limit 0: the most it serves).
	Conversations(ctx context.Context, me string, limit int) ([]signaling.ChatSummary, error)
	// MarkRead moves me's read mark of the conversation with peer forward
	// to upTo (clamped to peer's newest message to me) and returns the
	// mark and the unread count after it.
	MarkRead(ctx context.Context, me, peer string, upTo int64) (signaling.ChatRead, error)
}

// handleChat stores a chat message, acknowledges it to the sender and only
// then delivers it to every device of the recipient and the sender's other
// devices. A message that could not be stored is not delivered: the sender
// gets error store-failed and may retry.
func (s *Server) handleChat(ctx context.Context, c *conn, m *signaling.Message) {
	if m.Chat != nil {
		c.sendError(signaling.CodeNotAllowed, "only the server sends chat records", m.ID, "")
		return
	}
	if s.chat == nil {
		c.sendError(signaling.CodeNotAllowed, "chat needs the organization server", m.ID, m.CallID)
		return
	}
	to := m.To
	if m.CallID != "" {
		peer, ok := s.hub.callPeer(c, m.CallID)
		if !ok {
			c.sendError(signaling.CodeUnknownCall, "no such call", m.ID, m.CallID)
			return
		}
		to = peer
	} else if to == c.user.ID {
		c.sendError(signaling.CodeNotAllowed, "cannot chat with yourself", m.ID, "")
		return
	} else if !s.userExists(ctx, c, m, to) {
		return
	}
	// The client's id is the idempotency key: a resend after a lost ack
	// gets the original ack and stores nothing twice.
	rec, err := s.chat.PostOnce(ctx, c.user.ID, m.ID, to, m.CallID, m.Text)
	if err != nil {
		c.log.Error("storing chat", "err", err)
		c.sendError(signaling.CodeStoreFailed, "message not stored, retry", m.ID, m.CallID)
		return
	}
	ref := m.ID
	if ref == "" {
		ref = rec.ID
	}
	c.send(&signaling.Message{Type: signaling.TypeChatAck, Ref: ref, Chat: &rec})
	s.hub.deliverChat(c, rec)
}

// handleChatRead moves the sender's read mark of a conversation and tells
// every device of the sender (this one too) the mark and what is still
// unread. Only the sender's own mark can move: the message names the
// peer, never whose mark it is.
func (s *Server) handleChatRead(ctx context.Context, c *conn, m *signaling.Message) {
	if s.chat == nil {
		c.sendError(signaling.CodeNotAllowed, "chat needs the organization server", m.ID, "")
		return
	}
	upTo, err := strconv.ParseInt(m.Read.UpTo, 10, 64)
	if err != nil || m.Read.Unread != 0 || m.To == c.user.ID {
		c.sendError(signaling.CodeMalformed, "chat-read: to (another user) and read.up_to only", m.ID, "")
		return
	}
	r, err := s.chat.MarkRead(ctx, c.user.ID, m.To, upTo)
	if err != nil {
		c.log.Error("marking chat read", "err", err)
		c.sendError(signaling.CodeStoreFailed, "read mark not stored, retry", m.ID, "")
		return
	}
	s.hub.notify(c.user.ID, &signaling.Message{Type: signaling.TypeChatRead, To: m.To, Read: &r})
}

// maxConversations bounds GET /api/chats (as package chat does).
const maxConversations = 500

// handleConversations lists the caller's conversations with their newest
// message and unread count, newest first. Only ever the caller's own.
func (s *Server) handleConversations(w http.ResponseWriter, r *http.Request) {
	me, _ := accounts.UserFrom(r.Context())
	limit, err := pageLimit(r, maxConversations, maxConversations)
	if err != nil {
		httpx.WriteError(w, http.StatusBadRequest, "bad-request", err.Error())
		return
	}
	convs, err := s.chat.Conversations(r.Context(), me.ID, limit)
	if err != nil {
		s.cfg.Logger.Error("chat conversations", "err", err)
		httpx.WriteError(w, http.StatusInternalServerError, "internal", "internal error")
		return
	}
	if convs == nil {
		convs = []signaling.ChatSummary{}
	}
	httpx.WriteJSON(w, http.StatusOK, struct {
		Conversations []signaling.ChatSummary `json:"conversations"`
	}{convs})
}

// callPeer returns the other party of c's call callID.
func (h *hub) callPeer(c *conn, callID string) (string, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	k := h.calls[callID]
	if k == nil || (k.caller != c && k.callee != c) {
		return "", false
	}
	return k.peerID(c), true
}

// deliverChat sends rec to every device of its recipient and to the
// sender's devices other than from, on every node.
func (h *hub) deliverChat(from *conn, rec signaling.ChatMessage) {
	b, err := signaling.Encode(&signaling.Message{Type: signaling.TypeChat, Chat: &rec})
	if err != nil {
		h.log.Error("encoding chat", "err", err)
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, id := range []string{rec.To, rec.From} {
		for _, c := range h.users[id] {
			if c != from {
				c.enqueue(outbound{data: b})
			}
		}
		if !h.alone() {
			h.publish(subjectUser(id), &envelope{Kind: kindDeliver, To: id, Frame: b})
		}
	}
}
