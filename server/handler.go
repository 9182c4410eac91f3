package server

import (
	"context"
	"errors"

	"github.com/parley-voip/parley/signaling"
)

// Handler serves one message type outside the hub (live captions, for
// example): it runs on the sender's reader goroutine with the sender's
// user id, after the message has been validated. A returned
// *signaling.ServerError is sent to the sender as an error message (its
// Ref set to the message's id); any other error as CodeInternal. Handlers
// answer and notify other users through Server.Notify.
type Handler func(ctx context.Context, userID string, m *signaling.Message) error

// WithHandler routes messages of type t from clients to h. Types only the
// server sends cannot be routed.
func WithHandler(t signaling.Type, h Handler) Option {
	return func(s *Server) {
		if h == nil || t.FromServerOnly() {
			return
		}
		if s.handlers == nil {
			s.handlers = map[signaling.Type]Handler{}
		}
		s.handlers[t] = h
	}
}

// runHandler calls h for m and reports its failure to c.
func (s *Server) runHandler(ctx context.Context, c *conn, h Handler, m *signaling.Message) {
	err := h(ctx, c.user.ID, m)
	if err == nil {
		return
	}
	var se *signaling.ServerError
	if errors.As(err, &se) {
		c.sendError(se.Code, se.Message, m.ID, m.CallID)
		return
	}
	c.log.Error("handler", "type", m.Type, "err", err)
	c.sendError(signaling.CodeInternal, "internal error", m.ID, m.CallID)
}
