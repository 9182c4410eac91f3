package server

import (
	"github.com/parley-voip/parley/signaling"
)

type callState int

const (
	callRinging callState = iota // invited, not yet accepted
	callActive                   // accepted; media may flow
)

// call is a one-to-one call between two connections (not user ids: a user
// who reconnects gets a new connection, and the old one's late messages
// must not act on the new one's calls).
type call struct {
	id     string
	caller *conn
	callee *conn
	state  callState
}

func (k *call) peer(c *conn) *conn {
	if c == k.caller {
		return k.callee
	}
	return k.caller
}

// invite opens a call from c. Guarded by h.mu.
func (h *hub) invite(c *conn, m *signaling.Message) {
	switch {
	case m.To == c.user.ID:
		c.sendError(signaling.CodeNotAllowed, "cannot call yourself", m.ID, m.CallID)
		return
	case c.call != nil:
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
	k := &call{id: m.CallID, caller: c, callee: callee, state: callRinging}
	h.calls[k.id] = k
	c.call, callee.call = k, k
	h.forward(c, callee, m)
}

// relay passes a call message to the other party, enforcing who may send
// what in which state. Guarded by h.mu.
func (h *hub) relay(c *conn, m *signaling.Message) {
	k := h.calls[m.CallID]
	if k == nil || (c != k.caller && c != k.callee) {
		c.sendError(signaling.CodeUnknownCall, "no such call", m.ID, m.CallID)
		return
	}
	peer := k.peer(c)
	if m.To != "" && m.To != peer.user.ID {
		c.sendError(signaling.CodeUnknownCall, "call is not with "+m.To, m.ID, m.CallID)
		return
	}
	if reason := k.refuse(c, m.Type); reason != "" {
		c.sendError(signaling.CodeNotAllowed, reason, m.ID, m.CallID)
		return
	}
	h.forward(c, peer, m)
	switch m.Type {
	case signaling.TypeAccept:
		k.state = callActive
		h.broadcastPresence()
	case signaling.TypeDecline, signaling.TypeHangup:
		if h.endCall(k) {
			h.broadcastPresence()
		}
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
	case signaling.TypeOffer, signaling.TypeAnswer, signaling.TypeCandidate, signaling.TypeKeyAgreement,
		signaling.TypeMediaState:
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

// endCall removes k and reports whether presence changed (it had been
// accepted); the caller broadcasts, once, after all its changes.
func (h *hub) endCall(k *call) bool {
	delete(h.calls, k.id)
	k.caller.call, k.callee.call = nil, nil
	return k.state == callActive
}

// endCallOf ends c's call, if any, telling the other party why. It reports
// whether presence changed.
func (h *hub) endCallOf(c *conn, reason signaling.Reason) bool {
	k := c.call
	if k == nil {
		return false
	}
	peer := k.peer(c)
	peer.send(&signaling.Message{
		Type: signaling.TypeHangup, From: c.user.ID, To: peer.user.ID,
		CallID: k.id, Reason: reason,
	})
	return h.endCall(k)
}
