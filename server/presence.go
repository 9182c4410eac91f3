package server

import (
	"slices"
	"strings"

	"github.com/parley-voip/parley/signaling"
)

// presence lists every connected user, sorted by id so that clients can
// diff successive lists. Guarded by h.mu.
func (h *hub) presence() []signaling.PresenceEntry {
	users := make([]signaling.PresenceEntry, 0, len(h.conns))
	for _, c := range h.conns {
		st := signaling.StatusOnline
		if c.call != nil && c.call.state == callActive {
			st = signaling.StatusInCall
		}
		users = append(users, signaling.PresenceEntry{ID: c.user.ID, Name: c.user.Name, Status: st})
	}
	slices.SortFunc(users, func(a, b signaling.PresenceEntry) int { return strings.Compare(a.ID, b.ID) })
	return users
}

// broadcastPresence pushes the full list to everyone. The list is encoded
// once; issue 4's larger organizations will want deltas instead. Guarded by
// h.mu.
func (h *hub) broadcastPresence() {
	m := &signaling.Message{Type: signaling.TypePresence, Users: h.presence()}
	b, err := signaling.Encode(m)
	if err != nil {
		h.log.Error("encoding presence", "err", err)
		return
	}
	for _, c := range h.conns {
		c.enqueue(outbound{data: b})
	}
}
