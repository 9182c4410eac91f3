package app

import (
	"slices"

	"github.com/parley-voip/parley/media/rtc"
	"github.com/parley-voip/parley/signaling"
)

// A standard call (not E2EE) on a server with a media service goes through
// the service from its first packet: after the accept, each side joins the
// call's media (media-join) instead of offering to the other, answers the
// service's offers on one peer connection — again whenever people join or
// leave — and decodes and mixes every other participant's audio. That is
// what makes adding people, hold with music and merge possible; an E2EE
// call keeps its direct path and never joins.

// Participant is one person in a call through the media service, as its
// roster says.
type Participant struct {
	ID, Name string
	Me       bool // this user
	Speaking bool
	Muted    bool
	Held     bool // holds the call
}

// welcomer is the signaling connection's answer to hello (signaling.Conn).
type welcomer interface{ Welcome() signaling.Welcome }

func (c *Client) noteWelcome(conn SignalConn) {
	if w, ok := conn.(welcomer); ok {
		c.mediaSvc = w.Welcome().Media
	}
}

// useService reports whether k goes through the media service.
func (c *Client) useService(k *call) bool { return c.mediaSvc && !k.e2ee() }

// joinService connects k's media to the service.
func (c *Client) joinService(k *call) {
	k.service = true
	k.info.ViaService = true
	cfg := c.peerConfig()
	cfg.Service = true
	err := c.newPeerWith(k, cfg, func(cand *signaling.Candidate) {
		c.send(&signaling.Message{Type: signaling.TypeMediaCandidate, CallID: k.info.ID, Candidate: cand})
	})
	if err != nil {
		c.fail(k, err)
		return
	}
	c.send(&signaling.Message{Type: signaling.TypeMediaJoin, CallID: k.info.ID})
}

// proceed: the caller takes the call through the media service. Its
// decision must be ours (not E2EE), as an offer's must, before we join.
func (c *Client) proceed(k *call, m *signaling.Message) {
	if m.E2EECall != k.e2ee() {
		c.e2eeMismatch(k, "the caller's decision differs from ours")
		return
	}
	if k.e2ee() || !c.mediaSvc {
		// An E2EE call never goes through the service.
		c.e2eeMismatch(k, "the caller sent an E2EE call to the media service")
		return
	}
	c.joinService(k)
}

// serviceCall is the current or held call with id, if it goes through the
// service.
func (c *Client) serviceCall(id string) *call {
	for _, k := range []*call{c.call, c.aside} {
		if k != nil && k.service && k.info.ID == id && !k.ended() {
			return k
		}
	}
	return nil
}

// serviceEvents are the events the media service's messages are.
var serviceEvents = map[signaling.Type]callEvent{
	signaling.TypeMediaOffer:     evServiceOffer,
	signaling.TypeMediaCandidate: evServiceCandidate,
	signaling.TypeRoster:         evRoster,
	signaling.TypeMerged:         evMerged,
}

func (c *Client) handleMediaMessage(m *signaling.Message) {
	id := m.CallID
	if m.Type == signaling.TypeMerged {
		id = m.Merge // the call merged into m.CallID
	}
	k := c.serviceCall(id)
	ev, ok := serviceEvents[m.Type]
	if !ok || k == nil || k.peer == nil {
		c.log.Debug("media message for another call", "type", m.Type, "call", m.CallID)
		return
	}
	if c.step(k, ev) != nil {
		return
	}
	switch ev {
	case evMerged:
		k.info.ID = m.CallID
		k.info.Group = true
		c.notifyCall()
	case evServiceOffer:
		answer, err := k.peer.AnswerService(c.ctx, m.SDP)
		if err != nil {
			if k == c.call {
				c.fail(k, err)
			}
			return
		}
		c.send(&signaling.Message{Type: signaling.TypeMediaAnswer, CallID: k.info.ID, SDP: answer})
		k.offers++
		if k == c.call && k.stream == nil {
			c.startMedia(k, nil)
			if k.stream != nil && k.info.Muted {
				k.stream.SetMuted(true)
			}
		}
	case evServiceCandidate:
		if m.Candidate == nil {
			return
		}
		cand := rtc.Candidate{Candidate: m.Candidate.Candidate, SDPMid: m.Candidate.SDPMid, SDPMLineIndex: m.Candidate.SDPMLineIndex}
		if err := k.peer.AddRemoteCandidate(cand); err != nil {
			c.log.Warn("bad media service candidate", "err", err)
		}
	case evRoster:
		k.info.Participants = k.info.Participants[:0:0]
		k.info.OnHold = false
		for _, r := range m.Roster {
			me := r.ID == c.cfg.Me.ID
			k.info.Participants = append(k.info.Participants, Participant{ID: r.ID, Name: r.Name, Me: me, Speaking: r.Speaking, Muted: r.Muted, Held: r.Held})
			if r.Held && !me {
				k.info.OnHold = true
			}
		}
		if len(m.Roster) > 2 {
			k.info.Group = true
		}
		c.notifyCall()
	}
}

// callFeatures are k's features: what its path allows, recording only
// where this user's policy allows it, captions where the server has the
// worker and the policy allows them.
func (c *Client) callFeatures(k *call) []FeatureState {
	fs := FeaturesOf(k.info.E2EE, k.service)
	if st := &fs[FeatureRecording]; st.Available && !c.policy.RecordingAllowed {
		st.Available, st.Reason = false, ReasonNoRecording
	}
	fs[FeatureCaptions] = c.captionsFeature(k)
	for f, reason := range map[Feature]string{FeatureTransfer: ReasonNoTransfer, FeatureCompanion: ReasonNoTransfer, FeaturePark: ReasonNoPark} {
		allowed := c.policy.TransferAllowed
		if f == FeaturePark {
			allowed = c.policy.ParkAllowed
		}
		if st := &fs[f]; st.Available && !allowed {
			st.Available, st.Reason = false, reason
		}
	}
	return fs
}

// serviceMuted tells the service (for the roster) that this user muted.
func (c *Client) serviceMuted(on bool) {
	if k := c.call; k != nil && k.service && k.peer != nil {
		c.send(&signaling.Message{Type: signaling.TypeMute, CallID: k.info.ID, Muted: on})
	}
}

// callInfo is the current call's info with the call held aside.
func (c *Client) callInfo() CallInfo {
	info := c.call.snapshot()
	if c.aside != nil && c.aside != c.call {
		held := c.aside.snapshot()
		held.HeldCall = nil
		info.HeldCall = &held
	}
	return info
}

// snapshot is k's info for the UI, with its state.
func (k *call) snapshot() CallInfo {
	info := k.info
	info.State = k.state
	return info
}

// acceptsNow returns the current call if its state accepts ev, or nil.
func (c *Client) acceptsNow(ev callEvent) *call {
	if k := c.call; k != nil && !c.refused(k, k.accepts(ev)) {
		return k
	}
	return nil
}

// AddPeople invites ids into the current standard call, which becomes a
// group call; the audio goes on meanwhile. Unavailable (ignored, with a
// notice) in an E2EE call or without the media service.
func (c *Client) AddPeople(ids ...string) {
	c.post(func() {
		k := c.acceptsNow(evAddPeople)
		if k == nil {
			c.cfg.Listener.Notice(c.unavailable(FeatureAddParticipant))
			return
		}
		ids = slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return id == c.cfg.Me.ID })
		if len(ids) == 0 {
			return
		}
		c.send(&signaling.Message{Type: signaling.TypeAddPeople, CallID: k.info.ID, IDs: ids})
	})
}

// holdOnService puts a standard call on hold at the media service (the
// others hear music) or resumes it; SetHeld calls it for calls through the
// service.
func (c *Client) holdOnService(k *call, on bool) {
	c.send(&signaling.Message{Type: signaling.TypeHold, CallID: k.info.ID, Held: on})
	k.info.Held = on
	if k.stream != nil { // the service pauses the others to the holder too
		k.stream.SetDeafened(on)
		if !on { // a held call made current again attached muted (startMedia)
			k.stream.SetMuted(k.info.Muted)
		}
	}
	c.sendMediaState(k) // the other party's "On hold", as on the direct path
	c.notifyCall()
}

// Merge joins the call this user holds into the current one: one group
// call with everyone.
func (c *Client) Merge() {
	c.post(func() {
		k, h := c.acceptsNow(evMerge), c.aside
		if k == nil || h == nil || !h.service {
			c.cfg.Listener.Notice(c.unavailable(FeatureMerge))
			return
		}
		c.send(&signaling.Message{Type: signaling.TypeMerge, CallID: k.info.ID, Merge: h.info.ID})
		// The service closes this side's connection to the held call.
		if h.peer != nil {
			_ = h.peer.Close()
		}
		c.aside = nil
		k.info.Group = true
		c.notifyCall()
	})
}

// unavailable says why f cannot be used in the current call.
func (c *Client) unavailable(f Feature) string {
	reason := ReasonNoMediaRelay
	if k := c.call; k != nil && k.info.E2EE {
		reason = ReasonE2EE
	} else if c.mediaSvc {
		reason = "Needs a connected call"
	}
	return f.Name() + ": " + reason
}

// setHeldAside sets the current call aside when this user holds it, so
// another can be placed; it reports whether it did.
func (c *Client) setHeldAside() bool {
	k := c.call
	if k == nil || !k.info.Held || c.aside != nil || c.refused(k, k.accepts(evSetAside)) {
		return false
	}
	if k.stream != nil {
		c.engine.Detach()
		k.stream = nil
	}
	c.aside, c.call = k, nil
	return true
}

// backToHeld makes the held call current again once the other one ended.
func (c *Client) backToHeld() {
	h := c.aside
	if h == nil || c.call == nil || !c.call.ended() {
		return
	}
	c.aside, c.call = nil, h
	c.audioOn()          // end stopped the sound device with the other call
	c.startMedia(h, nil) // Active already: its timer runs on
	c.notifyCall()
}

// forHeldCall handles a call message for the held call: only its end
// matters (the other side hung up); it reports whether m was for it.
func (c *Client) forHeldCall(m *signaling.Message) bool {
	h := c.aside
	if h == nil || m.CallID != h.info.ID || m.Type == signaling.TypeInvite {
		return false
	}
	if m.Type == signaling.TypeHangup && c.step(h, evRemoteHangup) == nil {
		c.end(h, ending{reason: peerEnded(m.Type, m.Reason, h.state, h.role()), by: byPeer})
	}
	return true
}

// AddPeople, Hold and Merge on the running client.
func (s *Softphone) AddPeople(ids ...string) { s.withClient(func(c *Client) { c.AddPeople(ids...) }) }

// Hold puts the current call on hold or resumes it.

// Merge joins the held call into the current one.
func (s *Softphone) Merge() { s.withClient(func(c *Client) { c.Merge() }) }

// StartRecording asks the server to record the current call.
func (s *Softphone) StartRecording() { s.withClient(func(c *Client) { c.StartRecording() }) }

// StopRecording asks the server to stop recording the current call.
func (s *Softphone) StopRecording() { s.withClient(func(c *Client) { c.StopRecording() }) }
