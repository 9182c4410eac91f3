package app

import (
	"fmt"
	"time"

	"github.com/parley-voip/parley/signaling"
)

// Call control on the media service (docs/server-api.md, "Call control"):
// transfer (blind, safe, consult then complete), park and pick up, move
// the call to another of this user's devices or join it there as a
// companion. The server does the work; the client asks (Transfer, Park,
// PickUp, MoveHere), follows the call-control notices into what every
// party's screen says (CallInfo.ControlText) and who is on the other end,
// answers the invites that ring a transfer's target or ring this user
// back, and joins the media of a call it takes over. The states and rows
// are in callstate.go; the end reasons in callend.go.

// TransferMode is how a transfer treats a target that does not answer.
type TransferMode = signaling.TransferMode

// Transfer modes (signaling.TransferBlind, TransferSafe); a consult
// transfer is CompleteConsult.
const (
	TransferBlind = signaling.TransferBlind
	TransferSafe  = signaling.TransferSafe
)

// PickupCodeLen is how many digits a pickup code has.
const PickupCodeLen = signaling.PickupCodeLen

// Texts call control shows.
const (
	TextMovedHere = "Moved to this device"
	TextCompanion = "Added this device — listening here, your microphone is off on it"
)

// controlRequest is a transfer, park, pickup or move this client sent,
// by message id, until the server acts or refuses it.
type controlRequest struct {
	t      signaling.Type
	callID string
}

// name is how call control names a user: the name it was given, else a
// contact's, else the id.
func (c *Client) name(id, given string) string {
	if given != "" {
		return given
	}
	if ct, ok := c.contacts[id]; ok && ct.Name != "" {
		return ct.Name
	}
	return id
}

// contact is the Contact of id for a call's other end.
func (c *Client) contact(id, given string) Contact {
	if ct, ok := c.contacts[id]; ok {
		return ct
	}
	return Contact{ID: id, Name: c.name(id, given)}
}

// failedText says why a transfer's target did not take the call.
func failedText(target string, why signaling.Reason) string {
	switch why {
	case signaling.ReasonBusy:
		return target + " is busy"
	case signaling.ReasonUnreachable:
		return target + " is not signed in"
	case signaling.ReasonDeclined:
		return target + " declined"
	case signaling.ReasonNoAnswer:
		return target + " did not answer"
	}
	return target + " could not take the call"
}

// ringbackWhy is the first half of a ring back's text: why the call comes
// back (a safe transfer's target did not take it, or nobody picked up).
func ringbackWhy(n *signaling.CallControl, target string) string {
	if n.Target == "" {
		return "Nobody picked up the parked call"
	}
	return failedText(target, n.Reason)
}

// inviteText is what an incoming call rung by call control says.
func (c *Client) inviteText(n *signaling.CallControl, from Contact) string {
	if n.State == signaling.StateRingback {
		return ringbackWhy(n, c.name(n.Target, n.TargetName)) + " — back to your call with " + from.Label()
	}
	return "Transferred by " + c.name(n.By, n.ByName)
}

// noticeText is what a call-control notice about a call of mine says on
// my screen; me is this user's id.
func (c *Client) noticeText(n *signaling.CallControl) string {
	me := c.cfg.Me.ID
	by, target, party := c.name(n.By, n.ByName), c.name(n.Target, n.TargetName), c.name(n.Party, n.PartyName)
	switch n.State {
	case signaling.StateTransferring:
		if n.By == me {
			return "Transferring to " + target + "…"
		}
		return by + " is transferring you to " + target + "…"
	case signaling.StateTransferred:
		switch me {
		case n.By:
			return "You transferred " + party + " to " + target
		case n.Target:
			return by + " transferred " + party + " to you"
		}
		return by + " transferred you to " + target
	case signaling.StateTransferFailed:
		return failedText(target, n.Reason)
	case signaling.StateRingback:
		return ringbackWhy(n, target) + " — calling " + by + " back…"
	case signaling.StateParked:
		if n.Code != "" {
			return "Parked — pickup code " + n.Code
		}
		return by + " parked the call — you are on hold"
	case signaling.StatePickedUp:
		switch me {
		case n.Target:
			return "You picked up the call with " + party
		case n.By:
			if n.Party != me {
				return target + " picked up your parked call with " + party
			}
		}
		if n.Target == n.By {
			return "Back with " + by
		}
		return target + " picked up"
	case signaling.StateMoved:
		return TextMovedHere
	case signaling.StateCompanion:
		return TextCompanion
	}
	return ""
}

// handleCallControl follows a call-control notice: for a call of mine, the
// screen's text and, when someone else took the other end, the peer; for
// the consult call a transfer completed, the call's new id; a pickup or
// move I asked for, the call it gives me; anything else (the code of a
// call I parked, another device's transfer) is a notice.
func (c *Client) handleCallControl(m *signaling.Message) {
	n := m.Control
	if n == nil {
		return
	}
	k := c.controlledCall(m)
	switch {
	case (k == nil || k.ended()) && c.takesOver(n.State):
		// Also when this device's part of that call ended before (it
		// rang here and was answered elsewhere; this user parked it).
		c.takeOver(m)
		return
	case k == nil || k.ended():
		c.controlNotice(k, m)
		return
	}
	if c.step(k, evControl) != nil {
		return
	}
	k.notice = n.State
	k.info.ControlText = c.noticeText(n)
	switch n.State {
	case signaling.StateTransferred:
		if n.Consult != "" && n.Consult == k.info.ID {
			// The consult target: its call with the transferor is now
			// the transferred party's call.
			k.info.ID = m.CallID
			k.info.Peer = c.contact(n.Party, n.PartyName)
		} else if n.Target != c.cfg.Me.ID && n.By != c.cfg.Me.ID {
			k.info.Peer = c.contact(n.Target, n.TargetName)
		}
	case signaling.StatePickedUp:
		if n.Target != c.cfg.Me.ID {
			k.info.Peer = c.contact(n.Target, n.TargetName)
		}
	}
	c.notifyCall()
}

// controlledCall is the live call m is about: the current or the held
// one by id, or the current one when m says its consult call became
// m.CallID.
func (c *Client) controlledCall(m *signaling.Message) *call {
	for _, k := range []*call{c.call, c.aside} {
		if k != nil && (k.info.ID == m.CallID || m.Control.Consult != "" && k.info.ID == m.Control.Consult) {
			return k
		}
	}
	return nil
}

// takesOver reports whether a notice of state s gives this device a call
// it asked for (pickup, move-call), now that none is under way here.
func (c *Client) takesOver(s signaling.ControlState) bool {
	if c.busy() {
		return false
	}
	for _, r := range c.ctlReqs {
		switch {
		case r.t == signaling.TypePickup && s == signaling.StatePickedUp,
			r.t == signaling.TypeMoveCall && (s == signaling.StateMoved || s == signaling.StateCompanion):
			return true
		}
	}
	return false
}

// takeOver starts the call a pickup or move gave this device: accepted
// already, it joins the media service as a call does after its accept.
func (c *Client) takeOver(m *signaling.Message) {
	n := m.Control
	for id, r := range c.ctlReqs {
		if r.t == signaling.TypePickup || r.t == signaling.TypeMoveCall {
			delete(c.ctlReqs, id)
		}
	}
	k := &call{
		info:   CallInfo{ID: m.CallID, Peer: c.contact(n.Party, n.PartyName)},
		state:  CallConnecting,
		notice: n.State,
	}
	k.info.ControlText = c.noticeText(n)
	if n.State == signaling.StateCompanion {
		// Listening only: the server does not forward this device's
		// microphone, and the device keeps it off too.
		k.info.Companion, k.info.Muted = true, true
	}
	c.call = k
	c.audioOn()
	c.watchSetup(k)
	c.joinService(k)
	c.notifyCall()
}

// controlNotice handles a notice about no live call of this device: the
// code of a call this user parked (also for the call that just ended
// here: its screen shows the code), or what happened to a call another
// of the user's devices handed on.
func (c *Client) controlNotice(k *call, m *signaling.Message) {
	n := m.Control
	text := c.noticeText(n)
	if n.State == signaling.StateParked && n.Code != "" {
		expires := time.UnixMilli(n.Expires)
		text = fmt.Sprintf("Call with %s parked — pickup code %s (until %s)",
			c.name(n.Party, n.PartyName), n.Code, expires.Format("15:04"))
		if k != nil && k.info.ID == m.CallID {
			k.info.PickupCode, k.info.PickupExpires = n.Code, expires
			k.info.ControlText = "pickup code " + n.Code
			c.notifyCall()
		}
	}
	if text != "" {
		c.cfg.Listener.Notice(text)
	}
}

// controlRefused handles the server refusing a control request of this
// client: a clear notice, and the call it was about back to Active. It
// reports whether m was such a refusal.
func (c *Client) controlRefused(m *signaling.Message) bool {
	if m.Error == nil || m.Error.Ref == "" {
		return false
	}
	r, ok := c.ctlReqs[m.Error.Ref]
	if !ok {
		return false
	}
	delete(c.ctlReqs, m.Error.Ref)
	c.cfg.Listener.Notice(refusalText(r.t, m.Error))
	for _, k := range []*call{c.call, c.aside} {
		if k != nil && k.info.ID == r.callID && k.accepts(evControlRefused) == nil {
			_ = c.step(k, evControlRefused)
			c.notifyCall()
		}
	}
	return true
}

// refusalText is the notice for a refused control request of type t.
func refusalText(t signaling.Type, e *signaling.ErrorInfo) string {
	what := map[signaling.Type]string{
		signaling.TypeTransfer: FeatureTransfer.Name(), signaling.TypePark: FeaturePark.Name(),
		signaling.TypePickup: "Pick up", signaling.TypeMoveCall: FeatureCompanion.Name(),
	}[t]
	switch e.Code {
	case signaling.CodeE2EECall:
		return what + ": " + ReasonE2EE
	case signaling.CodePolicy:
		if t == signaling.TypePark || t == signaling.TypePickup {
			return what + ": " + ReasonNoPark
		}
		return what + ": " + ReasonNoTransfer
	case signaling.CodeUnknownCode:
		return what + ": no parked call has that code (it may have been picked up or expired)"
	case signaling.CodeUnknownUser:
		return what + ": there is no such person in your organization"
	}
	if e.Message != "" {
		return what + ": " + e.Message
	}
	return what + ": " + string(e.Code)
}

// sendControl sends a control request, remembered for its refusal.
func (c *Client) sendControl(m *signaling.Message) {
	c.send(m)
	if c.ctlReqs == nil {
		c.ctlReqs = map[string]controlRequest{}
	}
	c.ctlReqs[m.ID] = controlRequest{t: m.Type, callID: m.CallID}
}

// controlUsable returns the current call when f is available in it and
// its state accepts ev; otherwise it tells the user why not.
func (c *Client) controlUsable(f Feature, ev callEvent) *call {
	k := c.call
	if k == nil || k.ended() {
		c.cfg.Listener.Notice(c.unavailable(f))
		return nil
	}
	fs := c.callFeatures(k)
	if st := fs[f]; !st.Available {
		c.cfg.Listener.Notice(f.Name() + ": " + st.Reason)
		return nil
	}
	if c.refused(k, k.accepts(ev)) {
		c.cfg.Listener.Notice(c.unavailable(f))
		return nil
	}
	return k
}

// Transfer hands the current call to target (a user id): blind (this user
// leaves at once; if target does not take it, the other party's call
// ends) or safe (it rings this user back). Unavailable, with a notice, in
// an E2EE call or where the policy does not allow it.
func (c *Client) Transfer(target string, mode TransferMode) {
	c.post(func() {
		k := c.controlUsable(FeatureTransfer, evTransfer)
		if k == nil {
			return
		}
		_ = c.step(k, evTransfer)
		c.sendControl(&signaling.Message{Type: signaling.TypeTransfer, CallID: k.info.ID,
			Control: &signaling.CallControl{Mode: mode, Target: target}})
		c.notifyCall()
	})
}

// CompleteConsult completes a consult transfer: this user holds a call
// (HeldCall) and is in the current one with the person to transfer to;
// the two are connected and this user leaves both.
func (c *Client) CompleteConsult() {
	c.post(func() {
		k := c.controlUsable(FeatureTransfer, evTransfer)
		if k == nil {
			return
		}
		h := c.aside
		if h == nil || !h.service || h.ended() {
			c.cfg.Listener.Notice(FeatureTransfer.Name() + ": hold the call and call the person you transfer to first")
			return
		}
		_ = c.step(k, evTransfer)
		c.sendControl(&signaling.Message{Type: signaling.TypeTransfer, CallID: h.info.ID,
			Control: &signaling.CallControl{Mode: signaling.TransferConsult, Consult: k.info.ID}})
		c.notifyCall()
	})
}

// ReturnToHeld gives up a consult: the current call ends and the held one
// resumes.
func (c *Client) ReturnToHeld() {
	c.post(func() {
		h := c.aside
		if h == nil {
			return
		}
		c.hangup()
		if c.call == h && h.info.Held && c.step(h, evHold) == nil {
			c.holdOnService(h, false)
		}
	})
}

// Park parks the current call: the other party hears music, and every
// device of this user is told the pickup code.
func (c *Client) Park() {
	c.post(func() {
		k := c.controlUsable(FeaturePark, evPark)
		if k == nil {
			return
		}
		_ = c.step(k, evPark)
		c.sendControl(&signaling.Message{Type: signaling.TypePark, CallID: k.info.ID})
		c.notifyCall()
	})
}

// PickUp takes the call parked with code on this device.
func (c *Client) PickUp(code string) {
	c.post(func() {
		if c.busy() {
			c.cfg.Listener.Notice("Pick up: end your call on this device first")
			return
		}
		c.sendControl(&signaling.Message{Type: signaling.TypePickup, Control: &signaling.CallControl{Code: code}})
	})
}

// MoveHere moves this user's call from another of their devices to this
// one; AddThisDevice joins it here as well, as a companion that listens.
func (c *Client) MoveHere()      { c.post(func() { c.moveCall(false) }) }
func (c *Client) AddThisDevice() { c.post(func() { c.moveCall(true) }) }

func (c *Client) moveCall(companion bool) {
	if c.busy() {
		c.cfg.Listener.Notice(FeatureCompanion.Name() + ": you are in a call on this device")
		return
	}
	m := &signaling.Message{Type: signaling.TypeMoveCall}
	if companion {
		m.Control = &signaling.CallControl{Companion: true}
	}
	c.sendControl(m)
}

// Call control on the running client.
func (s *Softphone) Transfer(target string, mode TransferMode) {
	s.withClient(func(c *Client) { c.Transfer(target, mode) })
}
func (s *Softphone) CompleteConsult() { s.withClient((*Client).CompleteConsult) }
func (s *Softphone) ReturnToHeld()    { s.withClient((*Client).ReturnToHeld) }
func (s *Softphone) Park()            { s.withClient((*Client).Park) }
func (s *Softphone) PickUp(code string) {
	s.withClient(func(c *Client) { c.PickUp(code) })
}
func (s *Softphone) MoveHere()      { s.withClient((*Client).MoveHere) }
func (s *Softphone) AddThisDevice() { s.withClient((*Client).AddThisDevice) }
