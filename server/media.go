package server

import (
	"errors"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/parley-voip/parley/server/sfu"
	"github.com/parley-voip/parley/signaling"
	"github.com/pion/webrtc/v4"
)

// WithMedia carries standard calls' media through svc (package sfu): the
// media-* messages, hold, mute, add-people and merge work only with it.
func WithMedia(svc *sfu.Service) Option {
	return func(s *Server) { s.media = svc }
}

// isParty reports whether c is in k (caller, callee or added).
func (k *call) isParty(c *conn) bool {
	return c != nil && (c == k.caller || c == k.callee || slices.Contains(k.added, c) || slices.Contains(k.companions, c))
}

func (k *call) isAdded(c *conn) bool {
	return c != nil && (slices.Contains(k.added, c) || slices.Contains(k.invited, c))
}

// conns are every connection of k, attached or invited.
func (k *call) conns() []*conn {
	out := []*conn{k.caller, k.callee}
	out = append(out, k.added...)
	out = append(out, k.companions...)
	return append(out, k.invited...)
}

// parties are k's attached, accepted parties.
func (k *call) parties() []*conn {
	var out []*conn
	for _, c := range append([]*conn{k.caller, k.callee}, k.added...) {
		if c != nil {
			out = append(out, c)
		}
	}
	return out
}

func (c *conn) holds(k *call) bool { return k != nil && k.heldBy == c.user.ID }

// mediaLink is a party's connection to the media service and the
// signaling connection its signals go to: a party whose link drops keeps
// its media, and its resume points the signals at the new connection.
type mediaLink struct {
	mem *sfu.Member
	to  atomic.Pointer[conn] // nil while the party is detached

	mu      sync.Mutex
	pending []*signaling.Message // kept while detached (up to maxHeld)
}

// detach keeps the service's signals until attach names the party's new
// connection. Guarded by h.mu.
func (l *mediaLink) detach() { l.to.Store(nil) }

// attach sends what was kept to c, and from now on everything.
func (l *mediaLink) attach(c *conn) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, m := range l.pending {
		c.send(m)
	}
	l.pending = nil
	l.to.Store(c)
}

// leaveMedia closes every connection of k to the media service.
func (k *call) leaveMedia() {
	for id, l := range k.members {
		l.mem.Leave()
		delete(k.members, id)
	}
	for c, l := range k.companionLinks {
		l.mem.Leave()
		delete(k.companionLinks, c)
	}
	if k.moving != nil {
		k.moving.mem.Leave()
		k.moving = nil
	}
}

// member is c's connection to k's media, or nil.
func (k *call) member(c *conn) *sfu.Member {
	if k.isCompanion(c) {
		if l := k.companionLinks[c]; l != nil {
			return l.mem
		}
		return nil
	}
	if l := k.members[c.user.ID]; l != nil {
		return l.mem
	}
	return nil
}

// leaveMediaOf closes c's connection to k's media.
func (k *call) leaveMediaOf(c *conn) {
	if l := k.members[c.user.ID]; l != nil {
		delete(k.members, c.user.ID)
		l.mem.Leave()
	}
}

// media handles the media service's messages from c. Guarded by h.mu.
func (h *hub) media(c *conn, m *signaling.Message) {
	k := h.calls[m.CallID]
	if k == nil || !k.isParty(c) {
		c.sendError(signaling.CodeUnknownCall, "no such call", m.ID, m.CallID)
		return
	}
	switch {
	case h.sfu == nil:
		c.sendError(signaling.CodeNotAllowed, "this server has no media service", m.ID, m.CallID)
		return
	case k.state != callActive:
		c.sendError(signaling.CodeNotAllowed, "call not accepted yet", m.ID, m.CallID)
		return
	}
	mem := k.member(c)
	if mem == nil && m.Type != signaling.TypeMediaJoin && m.Type != signaling.TypeAddPeople {
		c.sendError(signaling.CodeNotAllowed, "join the call's media first", m.ID, m.CallID)
		return
	}
	var err error
	switch m.Type {
	case signaling.TypeMediaJoin:
		if mem != nil {
			c.sendError(signaling.CodeNotAllowed, "already joined", m.ID, m.CallID)
			return
		}
		l := &mediaLink{}
		l.to.Store(c)
		req := sfu.JoinRequest{CallID: k.id, UserID: c.user.ID, Name: c.user.Name, E2EE: k.e2ee, Send: l.send,
			Companion: k.isCompanion(c)}
		heir := !req.Companion && k.heir == c.user.ID
		if heir {
			req.Replaces = k.vacancy // a transfer's target, a picker, a device the call moved to
		}
		if l.mem, err = h.sfu.Join(req); err == nil {
			switch {
			case req.Companion:
				if k.companionLinks == nil {
					k.companionLinks = make(map[*conn]*mediaLink)
				}
				k.companionLinks[c] = l
			default:
				if k.members == nil {
					k.members = make(map[string]*mediaLink)
				}
				k.members[c.user.ID] = l
			}
			if heir {
				k.heir, k.vacancy, k.moving = "", "", nil
			}
		}
	case signaling.TypeMediaAnswer:
		err = mem.Answer(m.SDP)
	case signaling.TypeMediaCandidate:
		err = mem.AddCandidate(webrtc.ICECandidateInit{
			Candidate: m.Candidate.Candidate, SDPMid: m.Candidate.SDPMid,
			SDPMLineIndex: m.Candidate.SDPMLineIndex, UsernameFragment: m.Candidate.UsernameFragment,
		})
	case signaling.TypeMute:
		mem.SetMuted(m.Muted)
	case signaling.TypeMediaVideo:
		err = mem.SetVideo(m.Video.Camera, m.Video.Screen)
	case signaling.TypeHold:
		if err = h.sfu.Hold(k.id, c.user.ID, m.Held); err == nil {
			switch {
			case m.Held:
				k.heldBy = c.user.ID
			case k.heldBy == c.user.ID:
				k.heldBy = ""
				if c.heldCall == k && c.call == nil {
					c.call, c.heldCall = k, nil // resumed with nothing else going on
				}
			}
		}
	case signaling.TypeAddPeople:
		h.addPeople(c, k, m)
		return
	case signaling.TypeMerge:
		err = h.merge(c, k, m)
	default:
		c.sendError(signaling.CodeNotAllowed, "only the server sends "+string(m.Type), m.ID, m.CallID)
		return
	}
	if err != nil {
		c.sendError(mediaCode(err), err.Error(), m.ID, m.CallID)
	}
}

// mediaCode is the one place that maps the media service's errors to wire
// codes.
func mediaCode(err error) signaling.ErrorCode {
	switch {
	case errors.Is(err, sfu.ErrBadSignal):
		return signaling.CodeMalformed
	case errors.Is(err, sfu.ErrNoSuchRoom), errors.Is(err, sfu.ErrNotParticipant):
		return signaling.CodeUnknownCall
	case errors.Is(err, sfu.ErrE2EE), errors.Is(err, sfu.ErrNotHeld),
		errors.Is(err, sfu.ErrAlreadyJoined), errors.Is(err, sfu.ErrRoomFull):
		return signaling.CodeNotAllowed
	}
	return signaling.CodeInternal
}

// send turns the service's signals into messages to the party's current
// connection. It runs on the service's goroutines: conn.send only queues.
func (l *mediaLink) send(sig sfu.Signal) {
	m := &signaling.Message{CallID: sig.CallID}
	switch {
	case sig.SDP != "":
		m.Type, m.SDP = signaling.TypeMediaOffer, sig.SDP
	case sig.Candidate != nil:
		m.Type = signaling.TypeMediaCandidate
		m.Candidate = &signaling.Candidate{Candidate: sig.Candidate.Candidate, SDPMid: sig.Candidate.SDPMid,
			SDPMLineIndex: sig.Candidate.SDPMLineIndex, UsernameFragment: sig.Candidate.UsernameFragment}
	case sig.Roster != nil:
		m.Type = signaling.TypeRoster
		for _, st := range sig.Roster {
			m.Roster = append(m.Roster, signaling.RosterEntry{ID: st.UserID, Name: st.Name, Speaking: st.Speaking, Muted: st.Muted, Held: st.Held,
				Camera: st.Camera, Screen: st.Screen})
		}
	default:
		return
	}
	if c := l.to.Load(); c != nil {
		c.send(m)
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if c := l.to.Load(); c != nil { // attached meanwhile
		c.send(m)
	} else if len(l.pending) < maxHeld {
		l.pending = append(l.pending, m)
	}
}

// addPeople invites m.IDs into k, a standard call c is in, which becomes a
// group call. Guarded by h.mu.
func (h *hub) addPeople(c *conn, k *call, m *signaling.Message) {
	if k.e2ee {
		c.sendError(signaling.CodeNotAllowed, "people cannot be added to an end-to-end encrypted call", m.ID, m.CallID)
		return
	}
	for _, id := range m.IDs {
		// The newest device of id rings (as its other devices may be elsewhere).
		var callee *conn
		devices := h.users[id]
		if len(devices) > 0 {
			callee = devices[len(devices)-1]
		}
		switch {
		case id == c.user.ID || slices.ContainsFunc(k.conns(), func(x *conn) bool { return x != nil && x.user.ID == id }):
			c.sendError(signaling.CodeNotAllowed, id+" is in the call already", m.ID, m.CallID)
			continue
		case callee == nil:
			c.sendError(signaling.CodeUnreachable, id+" is not connected", m.ID, m.CallID)
			continue
		case slices.ContainsFunc(devices, func(d *conn) bool { return d.call != nil }):
			c.sendError(signaling.CodeBusy, id+" is in another call", m.ID, m.CallID)
			continue
		}
		k.group = true
		k.invited = append(k.invited, callee)
		callee.call = k
		callee.send(&signaling.Message{Type: signaling.TypeInvite, From: c.user.ID, To: id, CallID: k.id, Group: true})
	}
}

// groupRelay handles the call messages of a group call: an invitee rings,
// accepts or declines (its inviter is not told: the roster shows who
// joined), and a hangup is that party leaving. Guarded by h.mu.
func (h *hub) groupRelay(c *conn, k *call, m *signaling.Message) {
	invited := slices.Contains(k.invited, c)
	switch m.Type {
	case signaling.TypeRinging:
	case signaling.TypeAccept:
		if !invited {
			c.sendError(signaling.CodeNotAllowed, "call already accepted", m.ID, m.CallID)
			return
		}
		k.invited = slices.DeleteFunc(k.invited, func(x *conn) bool { return x == c })
		k.added = append(k.added, c)
		h.changed(c.user.ID)
	case signaling.TypeDecline, signaling.TypeHangup:
		h.leaveGroup(c, k)
	default:
		c.sendError(signaling.CodeNotAllowed, string(m.Type)+" is not used in a group call", m.ID, m.CallID)
	}
}

// leaveGroup takes c out of k; k ends when nobody is left. Guarded by h.mu.
func (h *hub) leaveGroup(c *conn, k *call) {
	k.leaveMediaOf(c)
	switch {
	case c == k.caller:
		k.caller = nil
	case c == k.callee:
		k.callee = nil
	}
	k.added = slices.DeleteFunc(k.added, func(x *conn) bool { return x == c })
	k.invited = slices.DeleteFunc(k.invited, func(x *conn) bool { return x == c })
	if c.call == k {
		c.call = nil
	}
	if c.heldCall == k {
		c.heldCall = nil
	}
	h.changed(c.user.ID)
	if len(k.parties()) == 0 {
		for _, x := range k.invited {
			x.send(&signaling.Message{Type: signaling.TypeHangup, From: c.user.ID, To: x.user.ID, CallID: k.id, Reason: signaling.ReasonHangup})
			x.call = nil
		}
		k.invited = nil
		h.endCall(k, signaling.TypeHangup, signaling.ReasonHangup)
	}
}

// merge joins the call c holds (m.Merge) into k, the call c is in: the
// held call's other parties move to k and are told (merged). Guarded by h.mu.
func (h *hub) merge(c *conn, k *call, m *signaling.Message) error {
	hk := h.calls[m.Merge]
	switch {
	case hk == nil || !hk.isParty(c) || c.heldCall != hk || c.call != k:
		return sfu.ErrNotParticipant
	case !c.holds(hk):
		return sfu.ErrNotHeld
	case k.e2ee || hk.e2ee:
		return sfu.ErrE2EE
	}
	// The moved parties learn their new call id before the service's
	// offers for it, which follow on the same connection.
	for _, x := range hk.parties() {
		if x != c {
			x.send(&signaling.Message{Type: signaling.TypeMerged, CallID: k.id, Merge: hk.id})
		}
	}
	if err := h.sfu.Merge(c.user.ID, hk.id, k.id); err != nil {
		return err
	}
	delete(hk.members, c.user.ID)
	k.group = true
	for _, x := range hk.parties() {
		if x == c {
			continue
		}
		k.added = append(k.added, x)
		if l := hk.members[x.user.ID]; l != nil {
			if k.members == nil {
				k.members = make(map[string]*mediaLink)
			}
			k.members[x.user.ID] = l
			delete(hk.members, x.user.ID)
		}
		x.call = k
	}
	hk.caller, hk.callee, hk.added = nil, nil, nil
	c.heldCall = nil
	h.endCall(hk, signaling.TypeHangup, signaling.ReasonHangup)
	return nil
}
