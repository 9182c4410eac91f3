package server

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/parley-voip/parley/server/policy"
	"github.com/parley-voip/parley/server/sfu"
	"github.com/parley-voip/parley/signaling"
)

// Call control: transfer (transfer.go), park and pickup (park.go), move to
// another device (devicemove.go), for standard calls through the media
// service. While a transfer or park is under way, the place of the one
// who acted (the transferor, the parker) is vacant: the media service
// plays the hold music to the one who stays on the track that carried the
// leaver, and whoever takes the place (the target, the picker, the
// transferor rung back) gets that track, so the stayer's connection is
// not renegotiated. This file is the state machine of that vacant place.

// ctlState is where a vacant place stands; a call without a control under
// way has none (k.ctl nil).
type ctlState uint8

const (
	ctlRinging  ctlState = iota // a transfer's target rings
	ctlParked                   // waiting for a pickup by code
	ctlRingback                 // the transferor or parker rings again
)

func (s ctlState) String() string {
	return [...]string{"ringing the target", "parked", "ringing back"}[s]
}

// ctlEvent is what can happen to a vacant place.
type ctlEvent uint8

const (
	evAnswer  ctlEvent = iota // a ringing device accepted
	evRefuse                  // the ringing user declined, is busy or offline
	evTimeout                 // the ring time or the park time ran out
	evPickup                  // someone gave the pickup code
)

// ctlAccepts is the table of what each state accepts; every other event
// is refused and changes nothing.
var ctlAccepts = map[ctlState][]ctlEvent{
	ctlRinging:  {evAnswer, evRefuse, evTimeout},
	ctlParked:   {evPickup, evTimeout},
	ctlRingback: {evAnswer, evRefuse, evTimeout},
}

// control is a call's vacant place and what fills it.
type control struct {
	state  ctlState
	mode   signaling.TransferMode // "" for a park
	side   side                   // the place: k's caller or callee
	by     signaling.User         // who left it (transferor, parker)
	target signaling.User         // transfer: who is rung
	code   string                 // park: the pickup code
	// ringing are the devices rung (the target's, or by's for a ring
	// back); timer ends the ring or the park.
	ringing []*conn
	timer   *time.Timer
}

// side names one of a one-to-one call's two places.
type side uint8

const (
	sideCaller side = iota
	sideCallee
)

func (k *call) sideOf(c *conn) side {
	if c == k.caller {
		return sideCaller
	}
	return sideCallee
}

// at is the connection in place s (nil while vacant or detached).
func (k *call) at(s side) *conn {
	if s == sideCaller {
		return k.caller
	}
	return k.callee
}

// stayer is the party who waits while k's place is vacant.
func (k *call) stayer() *conn { return k.at(1 - k.ctl.side) }

// fill puts c in place s: the call is with c from now on.
func (k *call) fill(s side, c *conn) {
	if s == sideCaller {
		k.caller, k.callerID, k.remoteCaller = c, c.user.ID, false
	} else {
		k.callee, k.calleeID, k.remoteCallee = c, c.user.ID, false
	}
	c.call = k
}

// step feeds ev to k's control: the one place the state changes. It
// reports whether the state accepted ev. Guarded by h.mu.
func (h *hub) step(k *call, ev ctlEvent, c *conn, reason signaling.Reason) bool {
	ctl := k.ctl
	if ctl == nil || !slices.Contains(ctlAccepts[ctl.state], ev) {
		return false
	}
	switch {
	case ev == evAnswer || ev == evPickup:
		h.takePlace(k, c)
	case ctl.state == ctlRinging && ctl.mode == signaling.TransferSafe,
		ctl.state == ctlParked:
		if ctl.state == ctlParked {
			delete(h.parked, ctl.code)
			reason = signaling.ReasonNoAnswer
		}
		h.ringBack(k, reason)
	default: // a blind transfer's target, or the ring back, did not take it
		h.failControl(k, reason)
	}
	return true
}

// takePlace gives k's vacant place to c, who answered or picked up: c's
// media joins on the vacancy (media-join), and everyone is told.
func (h *hub) takePlace(k *call, c *conn) {
	ctl := k.ctl
	h.stopControl(k, c, signaling.ReasonAnsweredElsewhere)
	k.fill(ctl.side, c)
	k.heir = c.user.ID
	stayer := k.stayer()
	k.ctl = nil
	state := signaling.StateTransferred
	if ctl.state != ctlRinging {
		state = signaling.StatePickedUp
	}
	note := &signaling.CallControl{State: state, By: ctl.by.ID, ByName: ctl.by.Name,
		Target: c.user.ID, TargetName: c.user.Name, Mode: ctl.mode, Code: ctl.code}
	if stayer != nil {
		note.Party, note.PartyName = stayer.user.ID, stayer.user.Name
		stayer.send(controlMessage(k.id, note))
	}
	if ctl.state == ctlParked {
		c.send(controlMessage(k.id, note)) // the picker learns the call id
	}
	if ctl.state != ctlRingback {
		// The devices of the one who left stop showing the transfer or
		// the code (the picker may be one of them).
		for _, d := range h.users[ctl.by.ID] {
			if d != c {
				d.send(controlMessage(k.id, note))
			}
		}
	}
	h.changed(c.user.ID)
}

// ringBack rings the one who left k's place (safe transfer failed, park
// not picked up); the stayer keeps the music.
func (h *hub) ringBack(k *call, why signaling.Reason) {
	ctl := k.ctl
	h.stopControl(k, nil, why)
	ctl.state = ctlRingback
	if st := k.stayer(); st != nil {
		st.send(controlMessage(k.id, &signaling.CallControl{State: signaling.StateRingback,
			By: ctl.by.ID, ByName: ctl.by.Name, Target: ctl.target.ID, TargetName: ctl.target.Name, Reason: why}))
	}
	h.ring(k, ctl.by.ID, &signaling.CallControl{State: signaling.StateRingback, By: ctl.by.ID,
		Target: ctl.target.ID, TargetName: ctl.target.Name, Reason: why})
}

// ring rings every device of user for k's vacant place, from the stayer;
// an offline or busy user is refused at once (step). The invite carries
// note, which says why it rings.
func (h *hub) ring(k *call, user string, note *signaling.CallControl) {
	devices := h.users[user]
	switch {
	case len(devices) == 0:
		h.step(k, evRefuse, nil, signaling.ReasonUnreachable)
		return
	case slices.ContainsFunc(devices, func(d *conn) bool { return d.call != nil }):
		h.step(k, evRefuse, nil, signaling.ReasonBusy)
		return
	}
	st := k.stayer()
	if st != nil {
		note.Party, note.PartyName = st.user.ID, st.user.Name
	}
	ctl := k.ctl
	ctl.ringing = slices.Clone(devices)
	for _, d := range ctl.ringing {
		d.call = k
		inv := &signaling.Message{Type: signaling.TypeInvite, To: user, CallID: k.id, Control: note}
		if st != nil {
			inv.From = st.user.ID
		}
		d.send(inv)
	}
	ctl.timer = h.after(h.cfg.ControlRingTimeout, func() {
		if h.calls[k.id] == k && k.ctl == ctl {
			h.step(k, evTimeout, nil, signaling.ReasonNoAnswer)
		}
	})
}

// controlAnswer handles a ringing device's reply to a control invite: an
// accept takes the place; the user's decline (on any device) refuses it;
// one device's own refusal (busy, E2EE only) stops that device, and
// refuses when it was the last. Guarded by h.mu.
func (h *hub) controlAnswer(k *call, c *conn, m *signaling.Message) {
	ctl := k.ctl
	switch {
	case m.Type == signaling.TypeRinging:
	case m.Type == signaling.TypeAccept:
		ctl.ringing = slices.DeleteFunc(ctl.ringing, func(d *conn) bool { return d == c })
		h.step(k, evAnswer, c, "")
	case m.Type == signaling.TypeHangup || m.Type == signaling.TypeDecline && (m.Reason == "" || m.Reason == signaling.ReasonDeclined):
		ctl.ringing = slices.DeleteFunc(ctl.ringing, func(d *conn) bool { return d == c })
		c.call = nil
		h.stopControl(k, nil, signaling.ReasonDeclinedElsewhere)
		h.step(k, evRefuse, nil, signaling.ReasonDeclined)
	case m.Type == signaling.TypeDecline:
		ctl.ringing = slices.DeleteFunc(ctl.ringing, func(d *conn) bool { return d == c })
		c.call = nil
		if len(ctl.ringing) == 0 {
			h.step(k, evRefuse, nil, m.Reason)
		}
	default:
		c.sendError(signaling.CodeNotAllowed, "answer the call first", m.ID, m.CallID)
	}
}

// ringingGone takes c, a device rung by k's control whose connection
// went, out of the ring; the last one gone refuses. Guarded by h.mu.
func (h *hub) ringingGone(k *call, c *conn) {
	ctl := k.ctl
	ctl.ringing = slices.DeleteFunc(ctl.ringing, func(d *conn) bool { return d == c })
	c.call = nil
	if len(ctl.ringing) == 0 {
		h.step(k, evRefuse, nil, signaling.ReasonUnreachable)
	}
}

// failControl ends k: the place stays empty. The stayer hears why, and
// so do the devices still ringing.
func (h *hub) failControl(k *call, why signaling.Reason) {
	ctl := k.ctl
	h.stopControl(k, nil, why)
	if st := k.stayer(); st != nil {
		if ctl.mode != "" {
			st.send(controlMessage(k.id, &signaling.CallControl{State: signaling.StateTransferFailed, Mode: ctl.mode,
				By: ctl.by.ID, ByName: ctl.by.Name, Target: ctl.target.ID, TargetName: ctl.target.Name, Reason: why}))
		}
		st.send(&signaling.Message{Type: signaling.TypeHangup, From: ctl.by.ID, To: st.user.ID, CallID: k.id, Reason: why})
	}
	h.endCall(k, signaling.TypeHangup, why)
}

// stopControl stops k's ring (its devices but except hear reason) and
// timer. Guarded by h.mu.
func (h *hub) stopControl(k *call, except *conn, reason signaling.Reason) {
	ctl := k.ctl
	if ctl.timer != nil {
		ctl.timer.Stop()
		ctl.timer = nil
	}
	for _, d := range ctl.ringing {
		if d == except {
			continue
		}
		d.send(&signaling.Message{Type: signaling.TypeHangup, To: d.user.ID, CallID: k.id, Reason: reason})
		if d.call == k {
			d.call = nil
		}
	}
	ctl.ringing = nil
}

// dropControl forgets k's control as k ends (endCall).
func (h *hub) dropControl(k *call) {
	if k.ctl == nil {
		return
	}
	h.stopControl(k, nil, signaling.ReasonHangup)
	if k.ctl.state == ctlParked {
		// The parker's devices stop showing the code.
		delete(h.parked, k.ctl.code)
		h.tellUser(k.ctl.by.ID, &signaling.Message{Type: signaling.TypeHangup, To: k.ctl.by.ID, CallID: k.id, Reason: signaling.ReasonPeerGone})
	}
	k.ctl = nil
}

// vacate takes c out of its place in k: its media leaves a vacancy (the
// stayer hears music), its device's part ends with reason, and k.ctl
// records the place. Guarded by h.mu.
func (h *hub) vacate(k *call, c *conn, ctl *control, reason signaling.Reason) {
	ctl.side, ctl.by = k.sideOf(c), c.user
	if l := k.members[c.user.ID]; l != nil {
		delete(k.members, c.user.ID)
		if err := h.sfu.Vacate(k.id, c.user.ID); err != nil {
			l.mem.Leave()
		}
		k.vacancy = c.user.ID
	}
	if k.heldBy == c.user.ID {
		k.heldBy = ""
	}
	for _, d := range slices.Clone(k.companions) {
		if d.user.ID == c.user.ID { // the leaver's companion devices leave with it
			h.leaveCompanion(k, d)
			d.send(&signaling.Message{Type: signaling.TypeHangup, To: d.user.ID, CallID: k.id, Reason: reason})
		}
	}
	if ctl.side == sideCaller {
		k.caller = nil
	} else {
		k.callee = nil
	}
	c.call = nil
	if c.heldCall == k {
		c.heldCall = nil
	}
	k.ctl = ctl
	c.send(&signaling.Message{Type: signaling.TypeHangup, From: k.stayer().user.ID, To: c.user.ID, CallID: k.id, Reason: reason})
	h.changed(c.user.ID)
}

// controllable checks that c may transfer or park k: a party of its own
// accepted, standard, one-to-one call whose other party is there.
func (h *hub) controllable(c *conn, k *call) error {
	switch {
	case k == nil || c != k.caller && c != k.callee:
		return ErrNotInCall
	case k.e2ee:
		return ErrE2EECall
	case h.sfu == nil:
		return ErrNoMediaService
	case k.state != callActive || k.group || k.ctl != nil || k.peer(c) == nil:
		return ErrCallNotReady
	}
	return nil
}

// tellUser sends m to every device of user on this node. Guarded by h.mu.
func (h *hub) tellUser(user string, m *signaling.Message) {
	for _, d := range h.users[user] {
		d.send(m)
	}
}

func controlMessage(callID string, c *signaling.CallControl) *signaling.Message {
	return &signaling.Message{Type: signaling.TypeCallControl, CallID: callID, Control: c}
}

// controlRefusal is the one place that maps call control's refusals to
// the wire: the code and a sentence the app can show.
func controlRefusal(err error) (signaling.ErrorCode, string) {
	switch {
	case errors.Is(err, ErrNotInCall):
		return signaling.CodeUnknownCall, "no such call"
	case errors.Is(err, ErrE2EECall):
		return signaling.CodeE2EECall, "Unavailable in an end-to-end encrypted call"
	case errors.Is(err, ErrNoMediaService):
		return signaling.CodeNotAllowed, "Needs the organization server's media service"
	case errors.Is(err, ErrTransferPolicy):
		return signaling.CodePolicy, "Your organization's policy does not allow transferring calls"
	case errors.Is(err, ErrParkPolicy):
		return signaling.CodePolicy, "Your organization's policy does not allow parking calls"
	case errors.Is(err, ErrCallNotReady):
		return signaling.CodeNotAllowed, "The call cannot be transferred or parked now"
	case errors.Is(err, ErrTransferSelf):
		return signaling.CodeNotAllowed, "That person is in the call already"
	case errors.Is(err, ErrNotConsulting):
		return signaling.CodeNotAllowed, "Hold the call and call the person you transfer to first"
	case errors.Is(err, ErrUnknownCode):
		return signaling.CodeUnknownCode, "No parked call has that code"
	case errors.Is(err, ErrTooManyGuesses):
		return signaling.CodeRateLimited, "Too many wrong codes; try again later"
	case errors.Is(err, ErrDeviceBusy):
		return signaling.CodeBusy, "You are in a call on this device"
	case errors.Is(err, ErrNothingToMove):
		return signaling.CodeUnknownCall, "You have no call on another device"
	}
	return signaling.CodeInternal, "internal error"
}

func (c *conn) refuse(err error, m *signaling.Message) {
	code, text := controlRefusal(err)
	c.sendError(code, text, m.ID, m.CallID)
}

// Policies resolves a user's effective policy; *policy.Service implements
// it. Without WithPolicies every user may transfer and park.
type Policies interface {
	Effective(ctx context.Context, userID string) (policy.Effective, error)
}

// WithPolicies enforces the policy settings of call control (allow
// transfer, allow park) through p.
func WithPolicies(p Policies) Option {
	return func(s *Server) { s.policies = p }
}

// handleControl checks the sender's policy (outside the hub's lock: it
// reads the database) and the transfer target, then acts in the hub.
func (s *Server) handleControl(ctx context.Context, c *conn, m *signaling.Message) {
	need := ErrTransferPolicy
	if m.Type == signaling.TypePark || m.Type == signaling.TypePickup {
		need = ErrParkPolicy
	}
	if s.policies != nil {
		eff, err := s.policies.Effective(ctx, c.user.ID)
		if err != nil {
			c.log.Error("policy lookup", "err", err)
			c.sendError(signaling.CodeInternal, "internal error", m.ID, m.CallID)
			return
		}
		if need == ErrTransferPolicy && !eff.Policy.AllowTransfer || need == ErrParkPolicy && !eff.Policy.AllowPark {
			c.refuse(need, m)
			return
		}
	}
	if m.Type == signaling.TypeTransfer && m.Control.Target != "" && !s.userExists(ctx, c, m, m.Control.Target) {
		return
	}
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	var err error
	switch m.Type {
	case signaling.TypeTransfer:
		err = s.hub.transfer(c, m)
	case signaling.TypePark:
		err = s.hub.park(c, m)
	case signaling.TypePickup:
		err = s.hub.pickup(c, m)
	case signaling.TypeMoveCall:
		err = s.hub.moveCall(c, m)
	}
	if err != nil {
		c.refuse(err, m)
	}
}

// mediaErr maps the media service's refusals of a splice to call
// control's.
func mediaErr(err error) error {
	switch {
	case errors.Is(err, sfu.ErrE2EE):
		return ErrE2EECall
	case errors.Is(err, sfu.ErrNotOneToOne), errors.Is(err, sfu.ErrNotParticipant), errors.Is(err, sfu.ErrNoSuchRoom):
		return ErrNotConsulting
	}
	return err
}
