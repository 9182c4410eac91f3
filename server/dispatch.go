package server

import (
	"context"
	"errors"

	"github.com/parley-voip/parley/server/accounts"
	"github.com/parley-voip/parley/signaling"
)

// dispatch handles one decoded message from c. Messages that need the
// database (chat, invite checks) are handled here, outside the hub's lock;
// the rest goes to the hub.
func (s *Server) dispatch(ctx context.Context, c *conn, m *signaling.Message) {
	switch m.Type {
	case signaling.TypeStatus:
		if !m.Status.Settable() {
			c.sendError(signaling.CodeNotAllowed, "status "+string(m.Status)+" is set by the server", m.ID, "")
			return
		}
		s.hub.setStatus(c, m.Status)
	case signaling.TypeSubscribe:
		// Everyone, in one subscription, only where everyone is few: the
		// walking skeleton and the loopback-only local organization.
		s.hub.subscribe(c, m, s.accounts == nil || s.autoProvision)
	case signaling.TypeChat:
		s.handleChat(ctx, c, m)
	case signaling.TypeChatRead:
		s.handleChatRead(ctx, c, m)
	case signaling.TypeRecordStart, signaling.TypeRecordStop:
		s.handleRecord(ctx, c, m)
	case signaling.TypeTransfer, signaling.TypePark, signaling.TypePickup, signaling.TypeMoveCall:
		s.handleControl(ctx, c, m)
	case signaling.TypeInvite:
		if !s.userExists(ctx, c, m, m.To) {
			return
		}
		s.hub.handle(c, m)
	default:
		if h, ok := s.handlers[m.Type]; ok {
			s.runHandler(ctx, c, h, m)
			return
		}
		s.hub.handle(c, m)
	}
}

// userExists checks id against the directory (organization mode) and tells
// c when it is not an enabled user. Without a directory every id exists.
func (s *Server) userExists(ctx context.Context, c *conn, m *signaling.Message, id string) bool {
	if s.directory == nil {
		return true
	}
	u, err := s.directory.User(ctx, id)
	switch {
	case errors.Is(err, accounts.ErrNotFound) || err == nil && !u.Enabled:
		c.sendError(signaling.CodeUnknownUser, "no user "+id, m.ID, m.CallID)
		return false
	case err != nil:
		c.log.Error("directory lookup", "err", err)
		c.sendError(signaling.CodeInternal, "internal error", m.ID, m.CallID)
		return false
	}
	return true
}
