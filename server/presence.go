package server

import (
	"bytes"
	"slices"
	"strings"

	"github.com/parley-voip/parley/signaling"
)

// statusOf is a connected user's presence: in a call on any device beats
// the status they chose, which beats available. Guarded by h.mu.
func (h *hub) statusOf(userID string) signaling.Status {
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

// presence lists every connected user, sorted by id so that clients can
// diff successive lists; offline users are absent. Guarded by h.mu.
func (h *hub) presence() []signaling.PresenceEntry {
	users := make([]signaling.PresenceEntry, 0, len(h.users))
	for id, list := range h.users {
		name := list[len(list)-1].user.Name
		users = append(users, signaling.PresenceEntry{ID: id, Name: name, Status: h.statusOf(id)})
	}
	slices.SortFunc(users, func(a, b signaling.PresenceEntry) int { return strings.Compare(a.ID, b.ID) })
	return users
}

// presenceOf returns the status of each id, for the HTTP directory.
func (h *hub) presenceOf(ids []string) []signaling.Status {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]signaling.Status, len(ids))
	for i, id := range ids {
		out[i] = h.statusOf(id)
	}
	return out
}

// broadcastPresence pushes the full list to every connection when it
// changed; when it did not (another device of an online user connected),
// only newcomer, if any, gets it. The list is encoded once; larger
// organizations will want deltas instead. Guarded by h.mu.
func (h *hub) broadcastPresence(newcomer ...*conn) {
	m := &signaling.Message{Type: signaling.TypePresence, Users: h.presence()}
	b, err := signaling.Encode(m)
	if err != nil {
		h.log.Error("encoding presence", "err", err)
		return
	}
	if bytes.Equal(b, h.lastPresence) {
		for _, c := range newcomer {
			c.enqueue(outbound{data: b})
		}
		return
	}
	h.lastPresence = b
	for _, c := range h.devices {
		c.enqueue(outbound{data: b})
	}
}
