package server

import (
	"slices"
	"time"

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
// must not act on the new one's calls). An invite rings every device of
// the callee (ringing); the first to accept becomes the callee and the
// others stop. An accepted call outlives a party's connection by
// ResumeGrace: that side is nil (detached) until the party's new
// connection sends resume.
type call struct {
	id                 string
	caller, callee     *conn   // nil while detached; callee nil until accepted
	ringing            []*conn // the callee's devices still ringing, until accept
	rung               bool    // the caller has been told it rings
	callerID, calleeID string  // the parties' user ids, fixed for the call
	state              callState
	facts              callFacts // for the parties' call history
	// remoteCaller: this node's side of a call placed on another node;
	// remoteCallee: accepted by a device on another node (cluster.go).
	remoteCaller, remoteCallee bool

	ring  *time.Timer // ends an unanswered invite (RingTimeout)
	grace *time.Timer // ends the call if a detached party does not resume
	held  []*signaling.Message

	// Through the media service (media.go).
	e2ee    bool                  // the callee's accept decided an E2EE call
	group   bool                  // people were added or a call merged in: hangup is leave
	added   []*conn               // parties beyond caller and callee (accepted)
	invited []*conn               // added, not yet accepted
	members map[string]*mediaLink // user id → its connection to the media service
	heldBy  string                // user id of the party holding the call

	// Call control (callctl.go): the vacant place while a transfer or
	// park is under way; vacancy is the user id whose place the media
	// service keeps, heir who takes it with their media-join; moving is
	// the media of a device the call moved away from, until the heir's
	// join replaces it; companions are devices listening in.
	ctl            *control
	vacancy, heir  string
	moving         *mediaLink
	companions     []*conn
	companionLinks map[*conn]*mediaLink
}

// party reports whether c takes part in k: its caller, its callee, or a
// device of the callee still ringing.
func (k *call) party(c *conn) bool {
	return c == k.caller || c == k.callee || slices.Contains(k.ringing, c)
}

// peer is the other side of c's call (nil while detached, and for the
// caller until a device accepted).
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
	case m.Control != nil:
		c.sendError(signaling.CodeNotAllowed, "only the server rings for call control", m.ID, m.CallID)
		return
	case c.call != nil && !c.holds(c.call):
		c.sendError(signaling.CodeBusy, "you are already in a call", m.ID, m.CallID)
		return
	case h.calls[m.CallID] != nil:
		c.sendError(signaling.CodeDuplicateCall, "call id in use", m.ID, m.CallID)
		return
	}
	k := &call{id: m.CallID, caller: c, callerID: c.user.ID, calleeID: m.To, state: callRinging,
		remoteCaller: c.relay != nil}
	k.facts.start = time.Now()
	devices := h.users[m.To]
	var nodes []string // the callee's other nodes, rung from a local caller only
	if !k.remoteCaller {
		nodes = h.remoteNodesOf(m.To)
	}
	if len(devices)+len(nodes) == 0 && k.remoteCaller {
		// The callee left this node since its node rang it: a refusal
		// of this node's devices, which the caller's side understands.
		c.send(&signaling.Message{Type: signaling.TypeDecline, From: m.To, To: c.user.ID,
			CallID: m.CallID, Reason: signaling.ReasonUnreachable})
		return
	}
	if len(devices)+len(nodes) == 0 {
		c.sendError(signaling.CodeUnreachable, m.To+" is not connected", m.ID, m.CallID)
		h.record(k, signaling.TypeDecline, signaling.ReasonUnreachable)
		return
	}
	// One call per person: a device in a call (or ringing) makes the user
	// busy, and the caller is told so at once.
	if slices.ContainsFunc(devices, func(d *conn) bool { return d.call != nil }) {
		c.send(&signaling.Message{
			Type: signaling.TypeDecline, From: m.To, To: c.user.ID,
			CallID: m.CallID, Reason: signaling.ReasonBusy,
		})
		h.record(k, signaling.TypeDecline, signaling.ReasonBusy)
		return
	}
	if c.call != nil {
		// c holds its call: it waits in heldCall, to resume or merge.
		c.heldCall, c.call = c.call, nil
	}
	k.ringing = slices.Clone(devices)
	for _, n := range nodes {
		k.ringing = append(k.ringing, h.proxy(k.id, m.To, n, true))
	}
	h.calls[k.id] = k
	c.call = k
	k.ring = h.after(h.cfg.RingTimeout, func() { h.ringTimedOut(k) })
	for _, d := range k.ringing {
		d.call = k
		h.forward(c, d, m)
	}
}

// ringTimedOut ends k if nobody answered it: both parties hear no-answer
// and the callee is free for other calls. Guarded by h.mu.
func (h *hub) ringTimedOut(k *call) {
	if h.calls[k.id] != k || k.state != callRinging {
		return
	}
	h.tellEnded(k, signaling.ReasonNoAnswer)
	h.endCall(k, signaling.TypeHangup, signaling.ReasonNoAnswer)
}

// tellEnded sends hangup with reason to every attached party of k and to
// the callee's devices still ringing.
func (h *hub) tellEnded(k *call, reason signaling.Reason) {
	h.stopRinging(k, nil, reason)
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
	if k != nil && k.ctl != nil && slices.Contains(k.ctl.ringing, c) {
		h.controlAnswer(k, c, m)
		return
	}
	if k != nil && k.isCompanion(c) {
		if m.Type == signaling.TypeHangup {
			h.leaveCompanion(k, c)
		} else {
			c.sendError(signaling.CodeNotAllowed, "a companion device only listens", m.ID, m.CallID)
		}
		return
	}
	if k != nil && (k.isAdded(c) || k.group && k.isParty(c)) {
		h.groupRelay(c, k, m)
		return
	}
	if k == nil || !k.party(c) {
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
	if k.state == callRinging {
		h.relayRinging(k, c, m)
		return
	}
	if m.Type == signaling.TypeOffer {
		k.facts.offerE2EE = m.E2EECall
	}
	if peer := k.peer(c); peer != nil {
		h.forward(c, peer, m)
	} else if m.Type != signaling.TypeHangup && len(k.held) < maxHeld {
		out := *m
		out.ID, out.From, out.To = "", c.user.ID, k.peerID(c)
		k.held = append(k.held, &out)
	}
	if m.Type == signaling.TypeHangup {
		h.endCall(k, m.Type, m.Reason)
	}
}

// relayRinging handles the messages of a call not yet accepted: the
// caller may only cancel (hangup, to every ringing device); a ringing
// device's accept takes the call and stops the others ("answered
// elsewhere"); a decline by the user declines on every device; an
// automatic refusal of one device (busy, E2EE required, its own ring
// timeout) only stops that one, and reaches the caller when it was the
// last. Guarded by h.mu.
func (h *hub) relayRinging(k *call, c *conn, m *signaling.Message) {
	switch {
	case c == k.caller: // hangup: the caller gave up; endCall tells the devices
		h.endCall(k, m.Type, m.Reason)
	case m.Type == signaling.TypeRinging:
		if !k.rung {
			k.rung = true
			h.forward(c, k.caller, m)
		}
	case m.Type == signaling.TypeAccept:
		k.ringing = slices.DeleteFunc(k.ringing, func(d *conn) bool { return d == c })
		h.stopRinging(k, c, signaling.ReasonAnsweredElsewhere)
		k.callee, k.state, k.remoteCallee = c, callActive, c.relay != nil
		k.facts.answered, k.facts.device, k.facts.acceptE2EE = time.Now(), c.device, m.E2EECall
		k.e2ee = m.E2EECall
		if k.ring != nil {
			k.ring.Stop()
		}
		h.forward(c, k.caller, m)
		h.changed(k.callerID)
		h.changed(k.calleeID)
	case m.Type == signaling.TypeHangup || m.Reason == "" || m.Reason == signaling.ReasonDeclined:
		// The user turned it down on this device: on all of them.
		k.ringing = slices.DeleteFunc(k.ringing, func(d *conn) bool { return d == c })
		h.stopRinging(k, c, signaling.ReasonDeclinedElsewhere)
		c.call = nil
		h.forward(c, k.caller, m)
		h.endCall(k, signaling.TypeDecline, signaling.ReasonDeclined)
	default: // this device refused by itself
		k.ringing = slices.DeleteFunc(k.ringing, func(d *conn) bool { return d == c })
		c.call = nil
		if len(k.ringing) == 0 {
			h.forward(c, k.caller, m)
			h.endCall(k, m.Type, m.Reason)
		}
	}
}

// stopRinging ends the ringing on the callee's devices but except, with
// hangup reason, and forgets them. Guarded by h.mu.
func (h *hub) stopRinging(k *call, except *conn, reason signaling.Reason) {
	for _, d := range k.ringing {
		if d == except {
			continue
		}
		d.send(&signaling.Message{
			Type: signaling.TypeHangup, From: k.callerID, To: d.user.ID,
			CallID: k.id, Reason: reason,
		})
		if d.call == k {
			d.call = nil
		}
	}
	k.ringing = nil
}

// refuse says why c may not send t in the call's current state, or "".
func (k *call) refuse(c *conn, t signaling.Type) string {
	switch t {
	case signaling.TypeInvite:
		return "call already exists"
	case signaling.TypeRinging, signaling.TypeAccept, signaling.TypeDecline:
		if c == k.caller {
			return "only the callee sends " + string(t)
		}
		if k.state != callRinging {
			return "call already accepted"
		}
	case signaling.TypeOffer, signaling.TypeProceed, signaling.TypeAnswer, signaling.TypeCandidate, signaling.TypeKeyAgreement,
		signaling.TypeMediaState:
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

// endCall removes k, frees its parties (ringing devices are told reason)
// and records it in their call history as ended by message type t with
// reason; for ResumeGrace its id cannot be resumed (a party back too late
// must not recreate it). Guarded by h.mu.
func (h *hub) endCall(k *call, t signaling.Type, reason signaling.Reason) {
	delete(h.calls, k.id)
	h.forgetProxies(k.id)
	h.record(k, t, reason)
	if h.onGone != nil {
		h.onGone(k.id)
	}
	h.stopRinging(k, nil, reason)
	h.dropControl(k)
	k.stopTimers()
	for _, c := range k.companions {
		c.send(&signaling.Message{Type: signaling.TypeHangup, To: c.user.ID, CallID: k.id, Reason: reason})
	}
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
	if k.ctl != nil && slices.Contains(k.ctl.ringing, c) {
		h.ringingGone(k, c)
		return
	}
	if k.isCompanion(c) {
		h.leaveCompanion(k, c)
		return
	}
	if k.group || k.isAdded(c) {
		h.leaveGroup(c, k)
		return
	}
	c.call = nil
	if slices.Contains(k.ringing, c) {
		// One of the callee's ringing devices went: the others ring on;
		// when it was the last, the caller hears peer-gone.
		k.ringing = slices.DeleteFunc(k.ringing, func(d *conn) bool { return d == c })
		if len(k.ringing) == 0 {
			k.caller.send(&signaling.Message{
				Type: signaling.TypeHangup, From: k.calleeID, To: k.callerID,
				CallID: k.id, Reason: signaling.ReasonPeerGone,
			})
			h.endCall(k, signaling.TypeHangup, signaling.ReasonPeerGone)
		}
		return
	}
	if k.state != callActive || h.cfg.ResumeGrace < 0 {
		// The caller of a ringing call (endCall tells the ringing
		// devices), or a party of an accepted call without a grace.
		if peer := k.peer(c); peer != nil {
			peer.send(&signaling.Message{
				Type: signaling.TypeHangup, From: c.user.ID, To: peer.user.ID,
				CallID: k.id, Reason: signaling.ReasonPeerGone,
			})
		}
		h.endCall(k, signaling.TypeHangup, signaling.ReasonPeerGone)
		return
	}
	c.log.Info("call held for a resume", "call", k.id, "grace", h.cfg.ResumeGrace)
	if l := k.members[c.user.ID]; l != nil {
		l.detach() // its media goes on; the service's signals wait for the resume
	}
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
		h.endCall(k, signaling.TypeHangup, signaling.ReasonPeerLost)
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
		// The history learns of it from here: start and duration count
		// from the resume, and who called whom is who resumed first.
		k.facts.start = time.Now()
		k.facts.answered = k.facts.start
		h.calls[k.id] = k
		c.call = k
		c.log.Info("call resumed after a restart, waiting for the peer", "call", k.id)
		h.holdForResume(k)
		h.changed(c.user.ID)
		return
	}
	// A party on another node that resumes here: its node went (maybe
	// before this one noticed), so its stand-in is detached.
	if k.caller != nil && k.caller.relay != nil && k.callerID == c.user.ID {
		k.caller, k.remoteCaller = nil, false
	}
	if k.callee != nil && k.callee.relay != nil && k.calleeID == c.user.ID {
		k.callee, k.remoteCallee = nil, false
	}
	switch {
	case k.state != callActive, k.ctl != nil && k.ctl.by.ID == c.user.ID: // a place left for a transfer or park
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
	if l := k.members[c.user.ID]; l != nil {
		l.attach(c) // the service's signals follow the new connection
	}
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
	if h.onJoined != nil {
		h.onJoined(c, k.id)
	}
	h.changed(c.user.ID)
}
