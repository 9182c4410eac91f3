package server

import (
	"slices"
	"strings"
	"time"

	"github.com/parley-voip/parley/signaling"
)

// Presence by subscription (protocol version 2). A connection watches the
// ids it last subscribed to (or, in a small organization, everyone
// connected: All). A user's change marks them dirty; PresenceCoalesce
// later one flush sends each watcher one frame with the changes of the
// users it watches, so a burst costs one frame per watcher and a change
// costs as many frames as the user has watchers, not the number of
// connections.
type presenceState struct {
	watchers  map[string]map[*conn]struct{} // watched user id → watching connections
	all       map[*conn]struct{}            // connections watching everyone
	published map[string]signaling.Status   // last status flushed; absent: offline
	dirty     map[string]struct{}           // changed since the last flush
	timer     *time.Timer                   // the next flush, nil when none is due
}

// presenceChunk bounds the entries per frame, far below both
// MaxPresenceUsers and the client's read limit.
const presenceChunk = 2000

func newPresenceState() presenceState {
	return presenceState{
		watchers:  make(map[string]map[*conn]struct{}),
		all:       make(map[*conn]struct{}),
		published: make(map[string]signaling.Status),
		dirty:     make(map[string]struct{}),
	}
}

// statusOf is a user's presence over every node: in a call on any device
// beats the status they chose, which beats available. Guarded by h.mu.
func (h *hub) statusOf(userID string) signaling.Status {
	st := h.localStatus(userID)
	for _, n := range h.cluster.remote {
		if e, ok := n.users[userID]; ok && statusRank(e.Status) > statusRank(st) {
			st = e.Status
		}
	}
	return st
}

// entry is userID's presence line now. Guarded by h.mu.
func (h *hub) entry(userID string) signaling.PresenceEntry {
	return h.entryWith(userID, h.statusOf(userID))
}

// publishedEntry is userID's presence line as last flushed: snapshots
// use it so that they agree with the changes that follow them (a change
// not yet flushed reaches the new subscriber with the next flush).
func (h *hub) publishedEntry(userID string) signaling.PresenceEntry {
	st, ok := h.presence.published[userID]
	if !ok {
		st = signaling.StatusOffline
	}
	return h.entryWith(userID, st)
}

func (h *hub) entryWith(userID string, st signaling.Status) signaling.PresenceEntry {
	e := h.localEntryWith(userID, st)
	if e.Name == "" && st != signaling.StatusOffline {
		for _, n := range h.cluster.remote {
			if r, ok := n.users[userID]; ok && r.Name != "" {
				e.Name = r.Name
				break
			}
		}
	}
	return e
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

// changed marks userID's presence as possibly changed; the flush sends it
// if it did. Guarded by h.mu.
func (h *hub) changed(userID string) {
	p := &h.presence
	p.dirty[userID] = struct{}{}
	if p.timer == nil && !h.closed {
		p.timer = h.after(h.cfg.PresenceCoalesce, h.flushPresence)
	}
}

// flushPresence sends the changes since the last flush to their watchers.
// Guarded by h.mu (it runs from the timer, through h.after).
func (h *hub) flushPresence() {
	p := &h.presence
	p.timer = nil
	var changes []signaling.PresenceEntry
	ids := make([]string, 0, len(p.dirty))
	for id := range p.dirty {
		ids = append(ids, id)
		e := h.entry(id)
		last, ok := p.published[id]
		if !ok {
			last = signaling.StatusOffline
		}
		if e.Status == last {
			continue
		}
		if e.Status == signaling.StatusOffline {
			delete(p.published, id)
		} else {
			p.published[id] = e.Status
		}
		changes = append(changes, e)
	}
	clear(p.dirty)
	h.publishLocalPresence(ids)
	if len(changes) == 0 {
		return
	}
	sortEntries(changes)
	if len(p.all) > 0 {
		frames := h.presenceFrames(changes, "")
		for c := range p.all {
			for _, b := range frames {
				c.enqueue(outbound{data: b})
			}
		}
	}
	per := map[*conn][]signaling.PresenceEntry{}
	for _, e := range changes {
		for c := range p.watchers[e.ID] {
			per[c] = append(per[c], e)
		}
	}
	for c, list := range per {
		for _, b := range h.presenceFrames(list, "") {
			c.enqueue(outbound{data: b})
		}
	}
}

// presenceFrames encodes users as presence messages of at most
// presenceChunk entries; ref marks a snapshot (its first frame).
func (h *hub) presenceFrames(users []signaling.PresenceEntry, ref string) [][]byte {
	var out [][]byte
	for start := 0; start < len(users) || start == 0; start += presenceChunk {
		end := min(start+presenceChunk, len(users))
		m := &signaling.Message{Type: signaling.TypePresence, Users: users[start:end]}
		if start == 0 {
			m.Ref = ref
		}
		b, err := signaling.Encode(m)
		if err != nil {
			h.log.Error("encoding presence", "err", err)
			return out
		}
		out = append(out, b)
		if end == len(users) {
			break
		}
	}
	return out
}

// subscribe replaces what c watches with m's ids (or everyone: always
// when local, else while at most PresenceAllLimit users are connected) and
// answers with a snapshot of them: presence with ref m.ID, offline ids
// included (all: everyone connected).
func (h *hub) subscribe(c *conn, m *signaling.Message, local bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if m.All && !local && len(h.users) > h.cfg.PresenceAllLimit {
		c.sendError(signaling.CodeNotAllowed, "too many people online to watch everyone: subscribe to ids", m.ID, "")
		return
	}
	h.unwatch(c)
	var snap []signaling.PresenceEntry
	p := &h.presence
	if m.All {
		p.all[c] = struct{}{}
		c.watchAll = true
		snap = make([]signaling.PresenceEntry, 0, len(p.published))
		for id := range p.published {
			snap = append(snap, h.publishedEntry(id))
		}
	} else {
		c.watching = make([]string, 0, len(m.IDs))
		for _, id := range m.IDs {
			set := p.watchers[id]
			if set == nil {
				set = make(map[*conn]struct{})
				p.watchers[id] = set
			}
			if _, dup := set[c]; dup {
				continue
			}
			set[c] = struct{}{}
			c.watching = append(c.watching, id)
			snap = append(snap, h.publishedEntry(id))
		}
	}
	sortEntries(snap)
	ref := m.ID
	if ref == "" {
		ref = "subscribe"
	}
	for _, b := range h.presenceFrames(snap, ref) {
		c.enqueue(outbound{data: b})
	}
}

// unwatch drops c's subscriptions. Guarded by h.mu.
func (h *hub) unwatch(c *conn) {
	p := &h.presence
	for _, id := range c.watching {
		if set := p.watchers[id]; set != nil {
			delete(set, c)
			if len(set) == 0 {
				delete(p.watchers, id)
			}
		}
	}
	c.watching = nil
	if c.watchAll {
		delete(p.all, c)
		c.watchAll = false
	}
}

func sortEntries(users []signaling.PresenceEntry) {
	slices.SortFunc(users, func(a, b signaling.PresenceEntry) int { return strings.Compare(a.ID, b.ID) })
}
