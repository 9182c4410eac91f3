package server

import (
	"slices"

	"github.com/parley-voip/parley/signaling"
)

// moveCall moves the user's call from another of their devices to c
// ("Move to this device"): c takes the place, its media joins replacing
// the first device's (media-join; the other party hears a short gap), and
// the first device's part ends with reason moved. With Control.Companion,
// c joins as well instead, as a companion: it hears the call, its
// microphone is not forwarded, the first device stays. Guarded by h.mu.
func (h *hub) moveCall(c *conn, m *signaling.Message) error {
	if c.call != nil {
		return ErrDeviceBusy
	}
	var k *call
	var old *conn
	for _, d := range h.users[c.user.ID] {
		if d != c && d.call != nil && (d == d.call.caller || d == d.call.callee) && d.call.state == callActive {
			k, old = d.call, d
		}
	}
	if k == nil {
		return ErrNothingToMove
	}
	if err := h.controllable(old, k); err != nil {
		return err
	}
	peer := k.peer(old)
	note := &signaling.CallControl{State: signaling.StateMoved, Party: peer.user.ID, PartyName: peer.user.Name}
	if m.Control != nil && m.Control.Companion {
		k.companions = append(k.companions, c)
		c.call = k
		note.State = signaling.StateCompanion
		c.send(controlMessage(k.id, note))
		return nil
	}
	if l := k.members[c.user.ID]; l != nil {
		// The first device's media stays until c's joins and replaces it.
		delete(k.members, c.user.ID)
		l.detach()
		k.moving = l
		k.vacancy = c.user.ID
	}
	k.fill(k.sideOf(old), c)
	k.heir = c.user.ID
	old.call = nil
	c.send(controlMessage(k.id, note))
	old.send(&signaling.Message{Type: signaling.TypeHangup, From: peer.user.ID, To: old.user.ID, CallID: k.id, Reason: signaling.ReasonMoved})
	h.changed(c.user.ID)
	return nil
}

func (k *call) isCompanion(c *conn) bool { return c != nil && slices.Contains(k.companions, c) }

// leaveCompanion takes the companion device c out of k.
func (h *hub) leaveCompanion(k *call, c *conn) {
	k.companions = slices.DeleteFunc(k.companions, func(x *conn) bool { return x == c })
	if l := k.companionLinks[c]; l != nil {
		delete(k.companionLinks, c)
		l.mem.Leave()
	}
	if c.call == k {
		c.call = nil
	}
}
