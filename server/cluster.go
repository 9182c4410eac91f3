package server

import (
	"crypto/rand"
	"encoding/hex"
	"slices"
	"time"

	"github.com/coder/websocket"

	"github.com/parley-voip/parley/signaling"
)

// Several nodes. Every node keeps its own connections and, for a call
// with a party on another node, its own side of the call: the remote
// party is a proxy connection (conn.relay set) whose frames go to that
// node on the Bus, and whose messages from there run through this node's
// call state machine exactly as a local party's would. Each side thus
// enforces the state machine for its own users, and no node holds state
// for another's connections. Subjects:
//
//	parley.user.<id>   chat delivery, pushes (policy, call history) and sign-outs for a
//	                   user; subscribed by the nodes where they are connected
//	parley.node.<id>   call signaling with a party on that node, and
//	                   presence snapshots asked for by a starting node
//	parley.presence    each node's presence changes of its own users
//	                   (coalesced deltas), start-up hellos, heartbeats
const (
	subjectPresence = "parley.presence"
	proxyDevice     = "node:" // a proxy's device: node:<node id>
)

// clusterState is what a node knows of the others. Guarded by hub.mu.
type clusterState struct {
	userSubs map[string]func()           // local user id → unsubscribe its subject
	remote   map[string]*remoteNode      // node id → its users
	proxies  map[string][]*conn          // call id → its remote parties
	localPub map[string]signaling.Status // our users' status as last published
	unsubs   []func()
	beat     *time.Timer
	// shared: other nodes are on the bus (NATS). The media service is then
	// not offered: each node has its own, and the parties of a standard
	// call may be on different nodes.
	shared bool
}

type remoteNode struct {
	users map[string]signaling.PresenceEntry // online users only
	seen  time.Time
}

func newClusterState() clusterState {
	return clusterState{
		userSubs: make(map[string]func()),
		remote:   make(map[string]*remoteNode),
		proxies:  make(map[string][]*conn),
		localPub: make(map[string]signaling.Status),
	}
}

func newNodeID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// subjectToken makes an id usable as one token of a subject: ids of
// letters, digits, - and _ stay readable, anything else is hex. A
// collision only makes a node receive an envelope it then ignores
// (envelope.To names the user exactly).
func subjectToken(id string) string {
	for _, r := range id {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return "x" + hex.EncodeToString([]byte(id))
		}
	}
	return id
}

func subjectUser(id string) string   { return "parley.user." + subjectToken(id) }
func subjectNode(node string) string { return "parley.node." + node }

// join subscribes the hub to its node's subject and to presence, asks
// the other nodes for their presence and starts the heartbeat (beat:
// the bus may have other nodes; a server's own LocalBus has none).
func (h *hub) join(beat bool) error {
	for _, s := range []string{subjectNode(h.node), subjectPresence} {
		un, err := h.bus.Subscribe(s, h.fromBus)
		if err != nil {
			return err
		}
		h.cluster.unsubs = append(h.cluster.unsubs, un)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.publish(subjectPresence, &envelope{Kind: kindHello})
	h.cluster.shared = beat
	if beat {
		h.cluster.beat = h.after(h.cfg.NodeTimeout/3, h.beat)
	}
	return nil
}

// alone reports whether no other node is known: what is for users on
// other nodes need not be published. A node that starts says hello and
// every node answers it at once, so this is brief. Guarded by h.mu.
func (h *hub) alone() bool { return len(h.cluster.remote) == 0 }

// leave tells the other nodes this one's users are gone and stops
// listening. Guarded by h.mu.
func (h *hub) leave() {
	h.publish(subjectPresence, &envelope{Kind: kindBye})
	if h.cluster.beat != nil {
		h.cluster.beat.Stop()
	}
	for _, un := range h.cluster.unsubs {
		un()
	}
	for _, un := range h.cluster.userSubs {
		un()
	}
	clear(h.cluster.userSubs)
}

// beat tells the others this node is alive and forgets nodes that have
// been silent for NodeTimeout (killed, or cut off). Guarded by h.mu.
func (h *hub) beat() {
	h.publish(subjectPresence, &envelope{Kind: kindBeat})
	now := time.Now()
	for id, n := range h.cluster.remote {
		if now.Sub(n.seen) > h.cfg.NodeTimeout {
			h.log.Warn("node silent, its users are offline", "node", id)
			h.dropNode(id)
		}
	}
	h.cluster.beat = h.after(h.cfg.NodeTimeout/3, h.beat)
}

// publish sends e from this node. Guarded by h.mu.
func (h *hub) publish(subject string, e *envelope) {
	e.Node = h.node
	if err := h.bus.Publish(subject, encodeEnvelope(e)); err != nil {
		h.log.Warn("publishing to the bus", "subject", subject, "kind", e.Kind, "err", err)
	}
}

// userArrived subscribes to userID's subject on their first local
// connection; userLeft unsubscribes after their last. Guarded by h.mu.
func (h *hub) userArrived(userID string) {
	if _, ok := h.cluster.userSubs[userID]; ok || h.closed {
		return
	}
	un, err := h.bus.Subscribe(subjectUser(userID), h.fromBus)
	if err != nil {
		h.log.Error("subscribing to a user's subject", "user", userID, "err", err)
		return
	}
	h.cluster.userSubs[userID] = un
}

func (h *hub) userLeft(userID string) {
	if un, ok := h.cluster.userSubs[userID]; ok {
		un()
		delete(h.cluster.userSubs, userID)
	}
}

// fromBus handles one envelope from another node.
func (h *hub) fromBus(data []byte) {
	e, err := decodeEnvelope(data)
	if err != nil {
		h.log.Warn("dropping a message from the bus", "err", err)
		return
	}
	if e.Node == h.node {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	n := h.cluster.remote[e.Node]
	if n == nil && e.Kind != kindBye {
		n = &remoteNode{users: make(map[string]signaling.PresenceEntry)}
		h.cluster.remote[e.Node] = n
		// A node we have not heard from: ask it for its users (its
		// hello asks for ours too, answered below; ours to it, when it
		// does not know us either, makes it answer and ask back once).
		h.publish(subjectNode(e.Node), &envelope{Kind: kindHello})
	}
	if n != nil {
		n.seen = time.Now()
	}
	switch e.Kind {
	case kindDeliver:
		for _, c := range h.users[e.To] {
			c.enqueue(outbound{data: e.Frame})
		}
	case kindKick:
		h.kickLocal(e.To, e.Device, websocket.StatusCode(e.Code), e.Reason)
	case kindCall:
		h.callFromBus(e)
	case kindRecord:
		if e.Record.User == e.To {
			h.pushCallRecordLocal(*e.Record)
		}
	case kindPresence:
		for _, u := range e.Users {
			if u.Status == signaling.StatusOffline {
				delete(n.users, u.ID)
			} else {
				n.users[u.ID] = u
			}
			h.changed(u.ID)
		}
	case kindHello:
		h.sendPresenceSnapshot(e.Node)
	case kindBye:
		h.dropNode(e.Node)
	}
}

// sendPresenceSnapshot tells node every local user's published status,
// in one envelope at least (so that it learns of this node). Guarded by
// h.mu.
func (h *hub) sendPresenceSnapshot(node string) {
	users := make([]signaling.PresenceEntry, 0, len(h.cluster.localPub))
	for id, st := range h.cluster.localPub {
		users = append(users, h.localEntryWith(id, st))
	}
	sortEntries(users)
	for start := 0; start < len(users) || start == 0; start += presenceChunk {
		end := min(start+presenceChunk, len(users))
		h.publish(subjectNode(node), &envelope{Kind: kindPresence, Users: users[start:end]})
		if end == len(users) {
			break
		}
	}
}

// dropNode forgets a node that left or went silent: its users are
// offline here unless connected elsewhere, and its parties of our calls
// are gone (a ringing call ends, an accepted one waits ResumeGrace for
// them to resume through another node). Guarded by h.mu.
func (h *hub) dropNode(id string) {
	n := h.cluster.remote[id]
	if n == nil {
		return
	}
	delete(h.cluster.remote, id)
	for u := range n.users {
		h.changed(u)
	}
	for _, list := range h.cluster.proxies {
		for _, px := range list {
			if px.device == proxyDevice+id {
				h.leaveCall(px)
			}
		}
	}
}

// remoteNodesOf lists the other nodes where userID is connected, sorted.
// Guarded by h.mu.
func (h *hub) remoteNodesOf(userID string) []string {
	var out []string
	for id, n := range h.cluster.remote {
		if _, ok := n.users[userID]; ok {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// proxy returns the stand-in for userID on node in call callID, made on
// first use. Guarded by h.mu.
func (h *hub) proxy(callID, userID, node string, create bool) *conn {
	for _, px := range h.cluster.proxies[callID] {
		if px.user.ID == userID && px.device == proxyDevice+node {
			return px
		}
	}
	if !create {
		return nil
	}
	px := &conn{
		user:    signaling.User{ID: userID},
		device:  proxyDevice + node,
		log:     h.log.With("user", userID, "node", node),
		cfg:     &h.cfg,
		closing: make(chan struct{}),
	}
	px.relay = func(b []byte) bool {
		h.publish(subjectNode(node), &envelope{Kind: kindCall, To: userID, Frame: b})
		return true
	}
	h.cluster.proxies[callID] = append(h.cluster.proxies[callID], px)
	return px
}

// callFromBus runs a call message of a party on another node through
// this node's side of the call. A node's errors to a remote party are
// not sent on (the party's own node answered it already); an invite
// makes this node's side. Guarded by h.mu.
func (h *hub) callFromBus(e envelope) {
	m, err := signaling.DecodeLimit(e.Frame, signaling.MaxServerMessageBytes)
	if err != nil {
		h.log.Warn("dropping a call message from the bus", "node", e.Node, "err", err)
		return
	}
	if m.Type.FromServerOnly() || !m.Type.IsCallMessage() && m.Type != signaling.TypeInvite {
		return
	}
	px := h.proxy(m.CallID, m.From, e.Node, m.Type == signaling.TypeInvite)
	if px == nil {
		return
	}
	h.handleLocked(px, m)
	if m.Type == signaling.TypeInvite && px.call == nil {
		// Refused here (busy, unreachable, a call id in use): no side.
		list := slices.DeleteFunc(h.cluster.proxies[m.CallID], func(x *conn) bool { return x == px })
		if len(list) == 0 {
			delete(h.cluster.proxies, m.CallID)
		} else {
			h.cluster.proxies[m.CallID] = list
		}
	}
}

// forgetProxies drops the remote parties of call callID. Guarded by h.mu.
func (h *hub) forgetProxies(callID string) {
	delete(h.cluster.proxies, callID)
}

// localStatus is a user's presence from this node's connections only.
// Guarded by h.mu.
func (h *hub) localStatus(userID string) signaling.Status {
	list := h.users[userID]
	if len(list) == 0 {
		return signaling.StatusOffline
	}
	for _, c := range list {
		if c.call != nil && c.call.state == callActive {
			return signaling.StatusInCall
		}
	}
	if st, ok := h.chosen[userID]; ok {
		return st
	}
	return signaling.StatusAvailable
}

// statusRank orders statuses for merging nodes' views of one user: in a
// call anywhere beats a chosen status, which beats available.
func statusRank(st signaling.Status) int {
	switch st {
	case signaling.StatusInCall:
		return 4
	case signaling.StatusBusy:
		return 3
	case signaling.StatusAway:
		return 2
	case signaling.StatusAvailable:
		return 1
	}
	return 0
}

// localEntryWith is userID's presence line as this node publishes it.
func (h *hub) localEntryWith(userID string, st signaling.Status) signaling.PresenceEntry {
	e := signaling.PresenceEntry{ID: userID, Status: st}
	if list := h.users[userID]; len(list) > 0 && st != signaling.StatusOffline {
		e.Name = list[len(list)-1].user.Name
	}
	return e
}

// publishLocalPresence sends the other nodes the changes of our own
// users among ids, one coalesced delta. Guarded by h.mu.
func (h *hub) publishLocalPresence(ids []string) {
	var delta []signaling.PresenceEntry
	for _, id := range ids {
		st := h.localStatus(id)
		last, ok := h.cluster.localPub[id]
		if !ok {
			last = signaling.StatusOffline
		}
		if st == last {
			continue
		}
		if st == signaling.StatusOffline {
			delete(h.cluster.localPub, id)
		} else {
			h.cluster.localPub[id] = st
		}
		delta = append(delta, h.localEntryWith(id, st))
	}
	sortEntries(delta)
	for start := 0; start < len(delta); start += presenceChunk {
		end := min(start+presenceChunk, len(delta))
		h.publish(subjectPresence, &envelope{Kind: kindPresence, Users: delta[start:end]})
	}
}

// kickLocal closes userID's connections on this node made with device
// ("" for all of them). Guarded by h.mu.
func (h *hub) kickLocal(userID, device string, code websocket.StatusCode, reason string) {
	for _, c := range h.users[userID] {
		if device == "" || c.device == device {
			c.closeAfterFlush(code, reason)
		}
	}
}
