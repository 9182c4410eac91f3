package server

import (
	"github.com/parley-voip/parley/signaling"
)

// transfer hands c's place in its call m.CallID to someone else: blind
// and safe ring the target while the other party hears music (control
// state ctlRinging, callctl.go); consult joins the call c holds with its
// consult call in one step. Guarded by h.mu.
func (h *hub) transfer(c *conn, m *signaling.Message) error {
	k := h.calls[m.CallID]
	if m.Control.Mode == signaling.TransferConsult {
		return h.completeConsult(c, k, m.Control.Consult)
	}
	if err := h.controllable(c, k); err != nil {
		return err
	}
	target := m.Control.Target
	if target == c.user.ID || target == k.peerID(c) {
		return ErrTransferSelf
	}
	tu := signaling.User{ID: target}
	if ds := h.users[target]; len(ds) > 0 {
		tu.Name = ds[0].user.Name
	}
	ctl := &control{state: ctlRinging, mode: m.Control.Mode, target: tu}
	stayer := k.peer(c)
	note := &signaling.CallControl{State: signaling.StateTransferring, Mode: ctl.mode, By: c.user.ID, ByName: c.user.Name,
		Target: tu.ID, TargetName: tu.Name, Party: stayer.user.ID, PartyName: stayer.user.Name}
	c.send(controlMessage(k.id, note))
	stayer.send(controlMessage(k.id, note))
	h.vacate(k, c, ctl, signaling.ReasonTransferred)
	h.ring(k, target, &signaling.CallControl{State: signaling.StateTransferring, Mode: ctl.mode, By: c.user.ID, ByName: c.user.Name})
	return nil
}

// completeConsult ends a consult transfer: c holds k (with A) and is in
// its consult call with C; A and C are connected on the tracks that
// carried c, k goes on between them, and c leaves both calls.
func (h *hub) completeConsult(c *conn, k *call, consult string) error {
	k2 := h.calls[consult]
	if err := h.controllable(c, k); err != nil {
		return err
	}
	if err := h.controllable(c, k2); err != nil {
		if err == ErrNotInCall {
			return ErrNotConsulting
		}
		return err
	}
	if k == k2 || c.heldCall != k || c.call != k2 || !c.holds(k) || len(k.companions)+len(k2.companions) > 0 {
		return ErrNotConsulting
	}
	a, other := k.peer(c), k2.peer(c)
	if err := h.sfu.Splice(c.user.ID, k.id, k2.id); err != nil {
		return mediaErr(err)
	}
	s := k.sideOf(c)
	delete(k.members, c.user.ID)
	delete(k2.members, c.user.ID)
	if l := k2.members[other.user.ID]; l != nil {
		if k.members == nil {
			k.members = make(map[string]*mediaLink)
		}
		k.members[other.user.ID] = l
		delete(k2.members, other.user.ID)
	}
	k2.caller, k2.callee = nil, nil
	c.call, c.heldCall = nil, nil
	k.heldBy = ""
	k.fill(s, other)
	h.endCall(k2, signaling.TypeHangup, signaling.ReasonTransferred)
	note := &signaling.CallControl{State: signaling.StateTransferred, Mode: signaling.TransferConsult, By: c.user.ID, ByName: c.user.Name,
		Target: other.user.ID, TargetName: other.user.Name, Party: a.user.ID, PartyName: a.user.Name}
	a.send(controlMessage(k.id, note))
	// The target learns its call's new id (Consult: the one it was) before
	// anything else about it.
	toC := *note
	toC.Consult = k2.id
	other.send(controlMessage(k.id, &toC))
	for _, id := range []string{k.id, k2.id} {
		c.send(&signaling.Message{Type: signaling.TypeHangup, To: c.user.ID, CallID: id, Reason: signaling.ReasonTransferred})
	}
	h.tellUser(c.user.ID, controlMessage(k.id, note))
	h.changed(c.user.ID)
	h.changed(other.user.ID)
	return nil
}
