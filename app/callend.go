package app

import (
	"time"

	"github.com/parley-voip/parley/signaling"
)

// How a call ends: one path (end) and one table between end reasons and
// the reasons on the wire (endWire).

// origin is who ended a call, which decides whether the other side is told.
type origin uint8

const (
	// byUs: this side ended it; the other side is told, with the wire
	// reason of endWire.
	byUs origin = iota
	// byPeer: the other side or the server ended it; nothing is sent back.
	byPeer
	// noOneToTell: the server link is gone, or the invite never went out.
	noOneToTell
)

// ending is why a call ends.
type ending struct {
	reason EndReason
	detail string // extra context for EndError
	by     origin
}

// endWire is the one table between end reasons and the wire. sent is the
// reason this side sends when it ends a call for the reason ("": it never
// does; the reason only comes from the other side or the server); while a
// callee's phone rings, a reason marked declines goes as a decline, the
// others as a hangup (which the server takes for the user turning the call
// down on every device). from is the wire reason that, from the other
// side, ends a call with it. A call ended by us with sent reads on the
// other side as peerEnded says (our hangup is their "remote hangup").
var endWire = map[EndReason]struct {
	sent, from signaling.Reason
	declines   bool
}{
	EndHangup:            {sent: signaling.ReasonHangup},
	EndRemoteHangup:      {from: signaling.ReasonHangup},
	EndDeclined:          {sent: signaling.ReasonDeclined, from: signaling.ReasonDeclined, declines: true},
	EndBusy:              {sent: signaling.ReasonBusy, from: signaling.ReasonBusy, declines: true}, // to an invite while busy
	EndUnreachable:       {from: signaling.ReasonUnreachable},
	EndUnknownUser:       {}, // only as a server error (endCode)
	EndPeerGone:          {from: signaling.ReasonPeerGone},
	EndNoAnswer:          {sent: signaling.ReasonNoAnswer, from: signaling.ReasonNoAnswer},
	EndCancelled:         {sent: signaling.ReasonNoAnswer, declines: true}, // the callee's ring timed out
	EndConnectionFailed:  {sent: signaling.ReasonError},
	EndE2EEFailed:        {sent: signaling.ReasonE2EEFailed, from: signaling.ReasonE2EEFailed},
	EndE2EERequired:      {sent: signaling.ReasonE2EERequired, from: signaling.ReasonE2EERequired, declines: true},
	EndE2EEMismatch:      {sent: signaling.ReasonE2EEMismatch, from: signaling.ReasonE2EEMismatch},
	EndError:             {sent: signaling.ReasonError, from: signaling.ReasonError}, // shown as a remote hangup
	EndAnsweredElsewhere: {from: signaling.ReasonAnsweredElsewhere},
	EndDeclinedElsewhere: {from: signaling.ReasonDeclinedElsewhere},
	// Call control: the server ends this device's part when it hands the
	// call on (callcontrol.go); a failed transfer ends the other party's
	// call with the target's reason (controlEnded).
	EndTransferred: {from: signaling.ReasonTransferred},
	EndParked:      {from: signaling.ReasonParked},
	EndMoved:       {from: signaling.ReasonMoved},
	// Only after a transfer-failed notice (controlEnded).
	EndTransferFailed: {},
}

// wireAliases are wire reasons that read as another's end reason.
var wireAliases = map[signaling.Reason]EndReason{
	signaling.ReasonPeerLost: EndPeerGone, // the other side's link dropped
}

// toWire is the message that tells the other side this side ended a call
// in state s for r: a decline for a reason that declines while a callee's
// phone rings, else a hangup; ok is false when r is never sent.
func toWire(r EndReason, s CallState, who role) (t signaling.Type, reason signaling.Reason, ok bool) {
	w := endWire[r]
	if w.sent == "" {
		return "", "", false
	}
	t = signaling.TypeHangup
	if w.declines && who == callee && s == CallIncoming {
		t = signaling.TypeDecline
	}
	return t, w.sent, true
}

// reasonFromWire is the end reason a wire reason names; ok is false for a
// reason this client does not know (hangup reasons are an open set).
func reasonFromWire(w signaling.Reason) (EndReason, bool) {
	if r, ok := wireAliases[w]; ok {
		return r, true
	}
	for r, x := range endWire {
		if x.from == w && w != "" {
			return r, true
		}
	}
	return EndNone, false
}

// peerEnded is why a call in state s ends when the other side (or the
// server) sends t (decline or hangup) with reason w.
func peerEnded(t signaling.Type, w signaling.Reason, s CallState, who role) EndReason {
	r, _ := reasonFromWire(w)
	if t == signaling.TypeDecline {
		switch r {
		case EndBusy, EndE2EERequired, EndNoAnswer, EndUnreachable:
			return r
		}
		return EndDeclined
	}
	switch {
	case r == EndPeerGone || r == EndE2EEFailed || r == EndE2EERequired || r == EndE2EEMismatch,
		r == EndTransferred || r == EndParked || r == EndMoved:
		return r
	case (r == EndAnsweredElsewhere || r == EndDeclinedElsewhere) && who == callee:
		// Also when this device's own accept was on its way: the server
		// took the other one first.
		return r
	case r == EndNoAnswer && who == caller:
		return r
	case s == CallIncoming:
		return EndCancelled // the caller gave up
	}
	// Also the other side's own failure (error), and busy or unreachable
	// on a hangup: it ended the call.
	return EndRemoteHangup
}

// controlEnded is why a call ends that the other side (or the server)
// ended for r after notice said what call control was doing: a transfer
// that failed (transfer-failed, then the hangup with the target's reason)
// ends as EndTransferFailed, whose message names the target and why.
func controlEnded(r EndReason, notice signaling.ControlState) EndReason {
	if notice == signaling.StateTransferFailed && r != EndHangup {
		return EndTransferFailed
	}
	return r
}

// endCode is why a call ends on a server error about it; ok is false for
// an error that does not end the call.
func endCode(code signaling.ErrorCode) (EndReason, bool) {
	switch code {
	case signaling.CodeUnreachable:
		return EndUnreachable, true
	case signaling.CodeUnknownUser:
		return EndUnknownUser, true
	case signaling.CodeBusy:
		return EndBusy, true
	case signaling.CodeUnknownCall:
		// The server no longer knows the call: the other side is gone.
		return EndPeerGone, true
	}
	return EndNone, false
}

// end is the one way a call ends: it tells the other side when this side
// ended it, stops the timers, tones and media, erases the keys, shows why,
// and goes back to a call held aside. A second end, or a late message
// after it, changes nothing.
func (c *Client) end(k *call, e ending) {
	if k == nil || k.accepts(evEnd) != nil {
		return
	}
	from := k.state
	_ = k.step(evEnd)
	if e.by == byUs {
		if t, w, ok := toWire(e.reason, from, k.role()); ok {
			k.farewell = &signaling.Message{Type: t, CallID: k.info.ID, To: k.info.Peer.ID, Reason: w}
			bye := *k.farewell
			c.send(&bye)
		}
	}
	for _, t := range []*time.Timer{k.ringTimer, k.setupTimer} {
		if t != nil {
			t.Stop()
		}
	}
	if k.recovery != nil {
		k.recovery.stop()
	}
	current := k == c.call
	if current {
		c.stopTones()
		c.stopMedia(k)
		c.audioOff()
	}
	if k.peer != nil {
		_ = k.peer.Close()
	}
	k.hs = nil
	k.info.End = e.reason
	k.info.EndDetail = e.detail
	k.info.Features = nil
	if k == c.aside {
		c.aside = nil
	}
	c.notifyCall()
	if current {
		c.backToHeld()
	}
}

// endByUs ends k for r, telling the other side.
func (c *Client) endByUs(k *call, r EndReason) { c.end(k, ending{reason: r}) }
