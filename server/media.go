package server

import (
	"errors"
	"slices"

	"github.com/parley-voip/parley/server/sfu"
	"github.com/parley-voip/parley/signaling"
	"github.com/pion/webrtc/v4"
)

// WithMedia carries standard calls' media through svc (package sfu): the
// media-* messages, hold, mute, add-people and merge work only with it.
func WithMedia(svc *sfu.Service) Option {
	return func(s *Server) { s.hub.sfu = svc }
}

// isParty reports whether c is in k (caller, callee or added).
func (k *call) isParty(c *conn) bool {
	return c != nil && (c == k.caller || c == k.callee || slices.Contains(k.added, c))
}

func (k *call) isAdded(c *conn) bool {
	return c != nil && (slices.Contains(k.added, c) || slices.Contains(k.invited, c))
}

// conns are every connection of k, attached or invited.
func (k *call) conns() []*conn {
	out := []*conn{k.caller, k.callee}
	out = append(out, k.added...)
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

// leaveMedia closes every connection of k to the media service.
func (k *call) leaveMedia() {
	for c, mem := range k.members {
		mem.Leave()
		delete(k.members, c)
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
	mem := k.members[c]
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
		mem, err = h.sfu.Join(sfu.JoinRequest{CallID: k.id, UserID: c.user.ID, Name: c.user.Name, E2EE: k.e2ee, Send: mediaSender(c)})
		if err == nil {
			if k.members == nil {
				k.members = make(map[*conn]*sfu.Member)
			}
			k.members[c] = mem
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

// mediaSender turns the service's signals for c into messages. It runs on
// the service's goroutines: c.send only queues.
func mediaSender(c *conn) func(sfu.Signal) {
	return func(sig sfu.Signal) {
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
				m.Roster = append(m.Roster, signaling.RosterEntry{ID: st.UserID, Name: st.Name, Speaking: st.Speaking, Muted: st.Muted, Held: st.Held})
			}
		default:
			return
		}
		c.send(m)
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
		callee := h.primary(id)
		switch {
		case id == c.user.ID || slices.ContainsFunc(k.conns(), func(x *conn) bool { return x != nil && x.user.ID == id }):
			c.sendError(signaling.CodeNotAllowed, id+" is in the call already", m.ID, m.CallID)
			continue
		case callee == nil:
			c.sendError(signaling.CodeUnreachable, id+" is not connected", m.ID, m.CallID)
			continue
		case callee.call != nil:
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
	if mem := k.members[c]; mem != nil {
		delete(k.members, c)
		mem.Leave()
	}
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
		h.endCall(k)
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
	if err := h.sfu.Merge(c.user.ID, hk.id, k.id); err != nil {
		return err
	}
	delete(hk.members, c)
	k.group = true
	for _, x := range hk.parties() {
		if x == c {
			continue
		}
		k.added = append(k.added, x)
		if mem := hk.members[x]; mem != nil {
			if k.members == nil {
				k.members = make(map[*conn]*sfu.Member)
			}
			k.members[x] = mem
			delete(hk.members, x)
		}
		x.call = k
		x.send(&signaling.Message{Type: signaling.TypeMerged, CallID: k.id, Merge: hk.id})
	}
	hk.caller, hk.callee, hk.added = nil, nil, nil
	c.heldCall = nil
	h.endCall(hk)
	return nil
}
