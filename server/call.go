package server

import (
	"slices"
	"time"

	"github.com/parley-voip/parley/server/sfu"
	"github.com/parley-voip/parley/signaling"
)

type callState int

const (
	callRinging callState = iota // invited, not yet accepted
	callActive                   // accepted; media may flow
)

// maxHeld bounds the messages kept for a party whose connection dropped,
// delivered when it resumes.
const maxHeld = 64

// call is a one-to-one call between two connections (not user ids: a user
// who reconnects gets a new connection, and the old one's late messages
// must not act on the new one's calls). An accepted call outlives a
// party's connection by ResumeGrace: that side is nil (detached) until the
// party's new connection sends resume.
type call struct {
	id                 string
	caller, callee     *conn  // nil while detached
	callerID, calleeID string // the parties' user ids, fixed for the call
	state              callState

	ring  *time.Timer // ends an unanswered invite (RingTimeout)
	grace *time.Timer // ends the call if a detached party does not resume
	held  []*signaling.Message

	// Through the media service (media.go).
	e2ee    bool                  // the callee's accept decided an E2EE call
	group   bool                  // people were added or a call merged in: hangup is leave
	added   []*conn               // parties beyond caller and callee (accepted)
	invited []*conn               // added, not yet accepted
	members map[*conn]*sfu.Member // connections to the media service
	heldBy  string                // user id of the party holding the call
}

// peer is the other side of c's call (nil while detached).
func (k *call) peer(c *conn) *conn {
	if c == k.caller {
		return k.callee
	}
	return k.caller
}

// peerID is the user id of the other party of c.
func (k *call) peerID(c *conn) string {
	if c == k.caller {
		return k.calleeID
	}
	return k.callerID
}

func (k *call) stopTimers() {
	for _, t := range []*time.Timer{k.ring, k.grace} {
		if t != nil {
			t.Stop()
		}
	}
}

// invite opens a call from c. Guarded by h.mu.
func (h *hub) invite(c *conn, m *signaling.Message) {
	switch {
	case m.To == c.user.ID:
		c.sendError(signaling.CodeNotAllowed, "cannot call yourself", m.ID, m.CallID)
		return
	case m.Group:
		c.sendError(signaling.CodeNotAllowed, "only the server invites into a group call", m.ID, m.CallID)
		return
	case c.call != nil && !c.holds(c.call):
		c.sendError(signaling.CodeBusy, "you are already in a call", m.ID, m.CallID)
		return
	case h.calls[m.CallID] != nil:
		c.sendError(signaling.CodeDuplicateCall, "call id in use", m.ID, m.CallID)
		return
	}
	callee := h.primary(m.To)
	if callee == nil {
		c.sendError(signaling.CodeUnreachable, m.To+" is not connected", m.ID, m.CallID)
		return
	}
	if callee.call != nil {
		c.send(&signaling.Message{
			Type: signaling.TypeDecline, From: callee.user.ID, To: c.user.ID,
			CallID: m.CallID, Reason: signaling.ReasonBusy,
		})
		return
	}
	if c.call != nil {
		// c holds its call: it waits in heldCall, to resume or merge.
		c.heldCall, c.call = c.call, nil
	}
	k := &call{id: m.CallID, caller: c, callee: callee, callerID: c.user.ID, calleeID: callee.user.ID, state: callRinging}
	h.calls[k.id] = k
	c.call, callee.call = k, k
	k.ring = h.after(h.cfg.RingTimeout, func() { h.ringTimedOut(k) })
	h.forward(c, callee, m)
}

// ringTimedOut ends k if nobody answered it: both parties hear no-answer
// and the callee is free for other calls. Guarded by h.mu.
func (h *hub) ringTimedOut(k *call) {
	if h.calls[k.id] != k || k.state != callRinging {
		return
	}
	h.tellEnded(k, signaling.ReasonNoAnswer)
	h.endCall(k)
}

// tellEnded sends hangup with reason to every attached party of k.
func (h *hub) tellEnded(k *call, reason signaling.Reason) {
	for _, c := range []*conn{k.caller, k.callee} {
		if c != nil {
			c.send(&signaling.Message{
				Type: signaling.TypeHangup, From: k.peerID(c), To: c.user.ID,
				CallID: k.id, Reason: reason,
			})
		}
	}
}

// relay passes a call message to the other party, enforcing who may send
// what in which state. Guarded by h.mu.
func (h *hub) relay(c *conn, m *signaling.Message) {
	k := h.calls[m.CallID]
	if k != nil && (k.isAdded(c) || k.group && k.isParty(c)) {
		h.groupRelay(c, k, m)
		return
	}
	if k == nil || (c != k.caller && c != k.callee) {
		c.sendError(signaling.CodeUnknownCall, "no such call", m.ID, m.CallID)
		return
	}
	if m.To != "" && m.To != k.peerID(c) {
		c.sendError(signaling.CodeUnknownCall, "call is not with "+m.To, m.ID, m.CallID)
		return
	}
	if reason := k.refuse(c, m.Type); reason != "" {
		c.sendError(signaling.CodeNotAllowed, reason, m.ID, m.CallID)
		return
	}
	if peer := k.peer(c); peer != nil {
		h.forward(c, peer, m)
	} else if m.Type != signaling.TypeHangup && len(k.held) < maxHeld {
		out := *m
		out.ID, out.From, out.To = "", c.user.ID, k.peerID(c)
		k.held = append(k.held, &out)
	}
	switch m.Type {
	case signaling.TypeAccept:
		k.state = callActive
		k.e2ee = m.E2EECall
		if k.ring != nil {
			k.ring.Stop()
		}
		h.changed(k.callerID)
		h.changed(k.calleeID)
	case signaling.TypeDecline, signaling.TypeHangup:
		h.endCall(k)
	}
}

// refuse says why c may not send t in the call's current state, or "".
func (k *call) refuse(c *conn, t signaling.Type) string {
	switch t {
	case signaling.TypeInvite:
		return "call already exists"
	case signaling.TypeRinging, signaling.TypeAccept, signaling.TypeDecline:
		if c != k.callee {
			return "only the callee sends " + string(t)
		}
		if k.state != callRinging {
			return "call already accepted"
		}
	case signaling.TypeOffer, signaling.TypeProceed, signaling.TypeAnswer, signaling.TypeCandidate, signaling.TypeKeyAgreement:
		if t == signaling.TypeProceed && c != k.caller {
			return "only the caller sends proceed"
		}
		if k.state != callActive {
			return "call not accepted yet"
		}
	}
	return ""
}

// forward sends a copy of m from one party to the other with From and To
// set by the server; the sender's message id means nothing to the receiver.
func (h *hub) forward(from, to *conn, m *signaling.Message) {
	out := *m
	out.ID = ""
	out.From = from.user.ID
	out.To = to.user.ID
	to.send(&out)
}

// endCall removes k and frees its parties; for ResumeGrace its id cannot
// be resumed (a party back too late must not recreate it). Guarded by h.mu.
func (h *hub) endCall(k *call) {
	delete(h.calls, k.id)
	k.stopTimers()
	if h.cfg.ResumeGrace > 0 {
		h.ended[k.id] = struct{}{}
		h.after(h.cfg.ResumeGrace, func() { delete(h.ended, k.id) })
	}
	for _, c := range k.conns() {
		if c != nil && c.call == k {
			c.call = nil
		}
		if c != nil && c.heldCall == k {
			c.heldCall = nil
		}
	}
	k.leaveMedia()
	if k.state == callActive {
		h.changed(k.callerID)
		h.changed(k.calleeID)
	}
}

// leaveCall runs when c's connection goes: an accepted call is held for
// ResumeGrace (c's side detached; the peer hears nothing unless the grace
// runs out), anything else ends with peer-gone. Guarded by h.mu.
func (h *hub) leaveCall(c *conn) {
	if hk := c.heldCall; hk != nil {
		c.heldCall = nil
		h.leaveGroup(c, hk)
	}
	k := c.call
	if k == nil {
		return
	}
	if k.group || k.isAdded(c) {
		h.leaveGroup(c, k)
		return
	}
	if mem := k.members[c]; mem != nil {
		delete(k.members, c)
		mem.Leave()
	}
	c.call = nil
	if k.state != callActive || h.cfg.ResumeGrace < 0 {
		if peer := k.peer(c); peer != nil {
			peer.send(&signaling.Message{
				Type: signaling.TypeHangup, From: c.user.ID, To: peer.user.ID,
				CallID: k.id, Reason: signaling.ReasonPeerGone,
			})
		}
		h.endCall(k)
		return
	}
	c.log.Info("call held for a resume", "call", k.id, "grace", h.cfg.ResumeGrace)
	if c == k.caller {
		k.caller = nil
	} else {
		k.callee = nil
	}
	h.holdForResume(k)
}

// holdForResume starts k's grace period unless it runs already.
func (h *hub) holdForResume(k *call) {
	if k.grace != nil {
		return
	}
	k.grace = h.after(h.cfg.ResumeGrace, func() {
		if h.calls[k.id] != k || (k.caller != nil && k.callee != nil) {
			return
		}
		h.tellEnded(k, signaling.ReasonPeerLost)
		h.endCall(k)
	})
}

// resume attaches c, after a reconnect, to its accepted call m.CallID with
// m.To. A call the hub does not know (the server restarted) is recreated
// from the claim, held until the peer resumes it too; claims must match
// (same call id, each naming the other). Guarded by h.mu.
func (h *hub) resume(c *conn, m *signaling.Message) {
	if c.call != nil {
		c.sendError(signaling.CodeBusy, "you are already in a call", m.ID, m.CallID)
		return
	}
	if m.To == c.user.ID {
		c.sendError(signaling.CodeNotAllowed, "cannot call yourself", m.ID, m.CallID)
		return
	}
	k := h.calls[m.CallID]
	if _, over := h.ended[m.CallID]; over && k == nil {
		c.sendError(signaling.CodeUnknownCall, "the call has ended", m.ID, m.CallID)
		return
	}
	if k == nil {
		k = &call{id: m.CallID, caller: c, callerID: c.user.ID, calleeID: m.To, state: callActive}
		h.calls[k.id] = k
		c.call = k
		c.log.Info("call resumed after a restart, waiting for the peer", "call", k.id)
		h.holdForResume(k)
		h.changed(c.user.ID)
		return
	}
	switch {
	case k.state != callActive:
		c.sendError(signaling.CodeUnknownCall, "no such call", m.ID, m.CallID)
		return
	case k.caller == nil && k.callerID == c.user.ID && k.calleeID == m.To:
		k.caller = c
	case k.callee == nil && k.calleeID == c.user.ID && k.callerID == m.To:
		k.callee = c
	default:
		c.sendError(signaling.CodeUnknownCall, "no such call", m.ID, m.CallID)
		return
	}
	c.call = k
	c.log.Info("call resumed", "call", k.id)
	if k.caller != nil && k.callee != nil && k.grace != nil {
		k.grace.Stop()
		k.grace = nil
	}
	for _, held := range k.held {
		if held.To == c.user.ID {
			c.send(held)
		}
	}
	k.held = slices.DeleteFunc(k.held, func(x *signaling.Message) bool { return x.To == c.user.ID })
	h.changed(c.user.ID)
}
