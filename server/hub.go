package server

import (
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/parley-voip/parley/server/calllog"
	"github.com/parley-voip/parley/server/sfu"
	"github.com/parley-voip/parley/signaling"
)

// hub is the server's in-memory state: who is connected from which devices,
// who watches whose presence and which calls exist. Every method takes mu
// and only enqueues on connections, so the critical sections are short and
// never wait on the network or the database.
type hub struct {
	log *slog.Logger
	cfg Config

	mu      sync.Mutex
	devices map[string]*conn            // Identity.Device → its live connection
	users   map[string][]*conn          // user id → connections, oldest first
	chosen  map[string]signaling.Status // user id → busy/away while connected
	calls   map[string]*call            // call id → call
	ended   map[string]struct{}         // calls ended in the last ResumeGrace: not resumable
	parked  map[string]*call            // pickup code → parked call (park.go)
	guesses guessLimiter                // wrong pickup codes per user
	seq     uint64
	closed  bool

	presence presenceState
	sfu      *sfu.Service // nil: no media service (media.go)

	// The other nodes, through bus (a LocalBus alone: one node).
	bus     Bus
	node    string
	cluster clusterState

	// onEnded receives the call history records of every call that ends
	// (Server.recordCall); nil without WithCallLog. Called under mu: it
	// must not block.
	onEnded func([]calllog.Record)
	// onGone is told the id of every call that ends, onJoined of a party
	// who rejoins a call (resume); nil without WithRecordings. Called
	// under mu.
	onGone   func(callID string)
	onJoined func(c *conn, callID string)
}

func newHub(cfg Config, bus Bus) *hub {
	cfg = cfg.withDefaults()
	return &hub{
		bus:      bus,
		node:     newNodeID(),
		cluster:  newClusterState(),
		log:      cfg.Logger,
		cfg:      cfg,
		devices:  make(map[string]*conn),
		users:    make(map[string][]*conn),
		chosen:   make(map[string]signaling.Status),
		calls:    make(map[string]*call),
		ended:    make(map[string]struct{}),
		parked:   make(map[string]*call),
		guesses:  newGuessLimiter(cfg.PickupGuesses),
		presence: newPresenceState(),
	}
}

// register adds c, replacing (and closing) an older connection of the same
// device, and welcomes it. A user at MaxConnsPerUser gets
// ErrTooManyConnections. The replaced connection's accepted call is held
// for the new one to resume.
func (h *hub) register(c *conn, version string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return ErrShuttingDown
	}
	old := h.devices[c.device]
	n := len(h.users[c.user.ID])
	if old != nil {
		n--
	}
	if n >= h.cfg.MaxConnsPerUser {
		return ErrTooManyConnections
	}
	if old != nil {
		old.log.Info("replaced by a new connection")
		h.leaveCall(old)
		old.closeWith(signaling.CloseReplaced, "replaced by a new connection")
		h.remove(old)
	}
	h.seq++
	c.seq = h.seq
	h.devices[c.device] = c
	h.users[c.user.ID] = append(h.users[c.user.ID], c)
	h.userArrived(c.user.ID)
	user := c.user
	c.send(&signaling.Message{Type: signaling.TypeWelcome, User: &user, ServerVersion: version,
		Protocol: signaling.ProtocolVersion, MediaService: h.sfu != nil && !h.cluster.shared})
	h.changed(c.user.ID)
	return nil
}

// remove forgets c (if still registered) and reports whether it was.
func (h *hub) remove(c *conn) bool {
	if h.devices[c.device] != c {
		return false
	}
	delete(h.devices, c.device)
	h.unwatch(c)
	list := slices.DeleteFunc(h.users[c.user.ID], func(x *conn) bool { return x == c })
	if len(list) == 0 {
		delete(h.users, c.user.ID)
		delete(h.chosen, c.user.ID)
		h.userLeft(c.user.ID)
	} else {
		h.users[c.user.ID] = list
	}
	h.changed(c.user.ID)
	return true
}

// unregister forgets c (unless it was already replaced); its call is held
// for a resume (accepted) or ended (ringing).
func (h *hub) unregister(c *conn) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.leaveCall(c)
	h.remove(c)
}

// handle dispatches one decoded call message from c.
func (h *hub) handle(c *conn, m *signaling.Message) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.handleLocked(c, m)
}

// handleLocked is handle under h.mu, also for a party on another node.
func (h *hub) handleLocked(c *conn, m *signaling.Message) {
	switch {
	case m.Type == signaling.TypeHello:
		c.sendError(signaling.CodeNotAllowed, "already signed in", m.ID, "")
	case m.Type.FromServerOnly():
		c.sendError(signaling.CodeNotAllowed, "only the server sends "+string(m.Type), m.ID, "")
	case m.Type == signaling.TypeInvite:
		h.invite(c, m)
	case m.Type == signaling.TypeResume:
		h.resume(c, m)
	case m.Type.IsCallMessage():
		h.relay(c, m)
	case m.Type.IsMediaMessage():
		h.media(c, m)
	default:
		// Decode only yields known types; a new type reaching here was
		// added to signaling without a handler.
		c.sendError(signaling.CodeUnknownType, "no handler for "+string(m.Type), m.ID, "")
	}
}

// setStatus records a user's chosen presence.
func (h *hub) setStatus(c *conn, st signaling.Status) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if st == signaling.StatusAvailable {
		delete(h.chosen, c.user.ID)
	} else {
		h.chosen[c.user.ID] = st
	}
	h.changed(c.user.ID)
}

// notify sends m to every device of userID, on every node, and reports
// how many of this node's got it.
func (h *hub) notify(userID string, m *signaling.Message) int {
	b, err := signaling.Encode(m)
	if err != nil {
		h.log.Error("encoding notification", "type", m.Type, "err", err)
		return 0
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, c := range h.users[userID] {
		if c.enqueue(outbound{data: b}) { // not to a connection being closed
			n++
		}
	}
	if !h.alone() {
		h.publish(subjectUser(userID), &envelope{Kind: kindDeliver, To: userID, Frame: b})
	}
	return n
}

// kick closes userID's connections made with device ("" for all of
// them), on every node.
func (h *hub) kick(userID, device string, code websocket.StatusCode, reason string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.kickLocal(userID, device, code, reason)
	if h.alone() {
		return
	}
	h.publish(subjectUser(userID), &envelope{Kind: kindKick, To: userID, Device: device, Code: int(code), Reason: reason})
}

// online lists users with at least one connection on any node, sorted.
func (h *hub) online() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]string, 0, len(h.users))
	for id := range h.users {
		out = append(out, id)
	}
	for _, n := range h.cluster.remote {
		for id := range n.users {
			if _, local := h.users[id]; !local {
				out = append(out, id)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// shutdown closes every connection, ends the timers and refuses new
// connections.
func (h *hub) shutdown() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.leave()
	h.closed = true
	for _, c := range h.devices {
		c.closeWith(websocket.StatusGoingAway, "server shutting down")
	}
	for _, k := range h.calls {
		k.stopTimers()
	}
	if t := h.presence.timer; t != nil {
		t.Stop()
	}
}

func (h *hub) stats() (online, calls int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.users), len(h.calls)
}

// after runs f under mu after d, unless the hub has shut down.
func (h *hub) after(d time.Duration, f func()) *time.Timer {
	return time.AfterFunc(d, func() {
		h.mu.Lock()
		defer h.mu.Unlock()
		if !h.closed {
			f()
		}
	})
}
