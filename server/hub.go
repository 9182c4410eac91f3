package server

import (
	"log/slog"
	"sync"

	"github.com/coder/websocket"

	"github.com/parley-voip/parley/signaling"
)

// hub is the server's in-memory state: who is connected and which calls
// exist. Every method takes mu and only enqueues on connections, so the
// critical sections are short and never wait on the network.
type hub struct {
	log *slog.Logger

	mu     sync.Mutex
	conns  map[string]*conn // user id → its one live connection
	calls  map[string]*call // call id → call
	closed bool
}

func newHub(log *slog.Logger) *hub {
	return &hub{
		log:   log,
		conns: make(map[string]*conn),
		calls: make(map[string]*call),
	}
}

// register makes c the user's connection, replacing (and closing) an older
// one, welcomes it and tells everyone.
func (h *hub) register(c *conn, version string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return ErrShuttingDown
	}
	if old := h.conns[c.user.ID]; old != nil {
		old.log.Info("replaced by a new connection")
		h.endCallOf(old, signaling.ReasonPeerGone)
		old.closeWith(signaling.CloseReplaced, "replaced by a new connection")
	}
	h.conns[c.user.ID] = c
	user := c.user
	c.send(&signaling.Message{Type: signaling.TypeWelcome, User: &user, ServerVersion: version})
	h.broadcastPresence()
	return nil
}

// unregister forgets c (unless it was already replaced) and ends its call.
func (h *hub) unregister(c *conn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	changed := h.endCallOf(c, signaling.ReasonPeerGone)
	if h.conns[c.user.ID] == c {
		delete(h.conns, c.user.ID)
		changed = true
	}
	if changed {
		h.broadcastPresence()
	}
}

// handle dispatches one decoded message from c.
func (h *hub) handle(c *conn, m *signaling.Message) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case m.Type == signaling.TypeHello:
		c.sendError(signaling.CodeNotAllowed, "already signed in", m.ID, "")
	case m.Type.FromServerOnly():
		c.sendError(signaling.CodeNotAllowed, "only the server sends "+string(m.Type), m.ID, "")
	case m.Type == signaling.TypeInvite:
		h.invite(c, m)
	case m.Type.IsCallMessage():
		h.relay(c, m)
	default:
		// Decode only yields known types; a new type reaching here was
		// added to signaling without a handler.
		c.sendError(signaling.CodeUnknownType, "no handler for "+string(m.Type), m.ID, "")
	}
}

// shutdown closes every connection and refuses new ones.
func (h *hub) shutdown() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for _, c := range h.conns {
		c.closeWith(websocket.StatusGoingAway, "server shutting down")
	}
}

func (h *hub) stats() (online, calls int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.conns), len(h.calls)
}
