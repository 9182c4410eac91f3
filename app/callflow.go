package app

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"time"

	"github.com/parley-voip/parley/crypto/e2ee"
	"github.com/parley-voip/parley/crypto/identity"
	"github.com/parley-voip/parley/media"
	"github.com/parley-voip/parley/media/rtc"
	"github.com/parley-voip/parley/media/tone"
	"github.com/parley-voip/parley/signaling"
)

// call is the Run goroutine's record of the current call.
type call struct {
	info CallInfo
	// wantE2EE is this side's choice, fixed when it invited or accepted:
	// the switch on and allowed. remoteE2EE is the other side's.
	wantE2EE   bool
	remoteE2EE bool
	accepted   bool
	accepting  bool // accept waits for the policy (whenPolicyKnown)
	// peerKey is the device key that signed the completed handshake.
	peerKey    identity.PublicKey
	peer       *rtc.Peer
	hs         *e2ee.Handshake
	cipher     *e2ee.MediaCipher // E2EE media keys, closed when the call ends
	stream     *media.Stream
	service    bool // media through the organization's media service (callservice.go)
	offers     int  // offers from the service answered so far
	ringTimer  *time.Timer
	setupTimer *time.Timer // from accept to media: a stuck set-up ends
	recovery   *recovery   // the connection was lost and is being restored
}

// e2ee reports whether both sides chose E2EE for this call.
func (k *call) e2ee() bool { return k.wantE2EE && k.remoteE2EE }

func newCallID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (c *Client) busy() bool { return c.call != nil && !c.call.info.Ended() }

func (c *Client) dial(id string) {
	if c.busy() && !c.setHeldAside() {
		c.log.Warn("dial while in a call", "to", id)
		return
	}
	peer, ok := c.contacts[id]
	if !ok {
		peer = Contact{ID: id, Name: id}
	}
	if !c.policyKnown {
		if c.pendingDial == "" {
			c.pendingDial = id
			c.whenPolicyKnown(func() {
				id := c.pendingDial
				c.pendingDial = ""
				c.dial(id)
			})
		}
		return
	}
	k := &call{
		info:     CallInfo{ID: newCallID(), Peer: peer, Outgoing: true, State: CallDialing},
		wantE2EE: c.e2eeChoice(),
	}
	k.info.WantedE2EE = c.cfg.Settings.E2EECalls()
	c.call = k
	if c.e2eeOnly() && !k.wantE2EE {
		// Refused here: the invite is never sent.
		k.info.NotE2EE = c.notE2EECause(k)
		c.endCall(EndE2EERequired, "", false)
		return
	}
	c.audioOn()
	k.ringTimer = c.after(c.cfg.RingTimeout, k, func() {
		if k.info.State == CallDialing || k.info.State == CallRinging {
			c.sendCall(signaling.TypeHangup, func(m *signaling.Message) { m.Reason = signaling.ReasonHangup })
			c.endCall(EndNoAnswer, "", false)
		}
	})
	c.send(&signaling.Message{Type: signaling.TypeInvite, To: id, CallID: k.info.ID, E2EE: k.wantE2EE})
	c.notifyCall()
}

// watchSetup ends a call that was answered but has no media after
// SetupTimeout: a lost message or an ICE failure must not leave both people
// looking at "Connecting…" or "Securing the call…" for ever. A handshake
// that never completed is an E2EE failure, shown as such.
func (c *Client) watchSetup(k *call) {
	k.setupTimer = c.after(c.cfg.SetupTimeout, k, func() {
		switch k.info.State {
		case CallSecuring:
			c.e2eeFailed(errors.New("the key agreement did not complete in time"))
		case CallConnecting:
			c.sendCall(signaling.TypeHangup, func(m *signaling.Message) { m.Reason = signaling.ReasonError })
			c.endCall(EndConnectionFailed, "", false)
		}
	})
}

// after runs f on the Run goroutine after d, if k is still the current call.
func (c *Client) after(d time.Duration, k *call, f func()) *time.Timer {
	return time.AfterFunc(d, func() {
		c.post(func() {
			if c.call == k {
				f()
			}
		})
	})
}

func (c *Client) accept() {
	k := c.call
	if k == nil || k.info.State != CallIncoming || k.accepting {
		return
	}
	if !c.policyKnown {
		// The choice needs the policy: decided without it, the call
		// would go out without E2EE although both sides may allow it.
		k.accepting = true
		c.whenPolicyKnown(func() {
			k.accepting = false
			if c.call == k {
				c.accept()
			}
		})
		return
	}
	k.wantE2EE = c.e2eeChoice()
	k.info.WantedE2EE = c.cfg.Settings.E2EECalls()
	if c.e2eeOnly() && !k.e2ee() {
		c.refuseUnencrypted(k, signaling.TypeDecline)
		return
	}
	k.accepted = true
	c.stopTones()
	k.info.State = CallConnecting
	c.decided(k)
	c.watchSetup(k)
	// Our choice, and our decision for the call, which the caller checks
	// against its own before it makes the offer.
	c.sendCall(signaling.TypeAccept, func(m *signaling.Message) { m.E2EE, m.E2EECall = k.wantE2EE, k.e2ee() })
	c.notifyCall()
	if k.info.Group && c.useService(k) {
		// Added to a call in progress: nobody offers, we join.
		c.joinService(k)
	}
}

func (c *Client) decline() {
	k := c.call
	if k == nil || k.info.State != CallIncoming {
		return
	}
	c.sendCall(signaling.TypeDecline, func(m *signaling.Message) { m.Reason = signaling.ReasonDeclined })
	c.endCall(EndDeclined, "", false)
}

// sendCall sends a message of the current call to the other party.
func (c *Client) sendCall(t signaling.Type, fill func(*signaling.Message)) {
	k := c.call
	m := &signaling.Message{Type: t, CallID: k.info.ID, To: k.info.Peer.ID}
	if fill != nil {
		fill(m)
	}
	c.send(m)
}

func (c *Client) handleCallMessage(m *signaling.Message) {
	if m.Type == signaling.TypeInvite {
		c.incoming(m)
		return
	}
	k := c.call
	if k == nil || k.info.ID != m.CallID || k.info.Ended() || m.From != k.info.Peer.ID {
		c.log.Debug("message for another call", "type", m.Type, "call", m.CallID)
		return
	}
	switch m.Type {
	case signaling.TypeRinging:
		if k.info.Outgoing && k.info.State == CallDialing {
			k.info.State = CallRinging
			c.playTone(tone.Ringback)
			c.notifyCall()
		}
	case signaling.TypeAccept:
		c.accepted(k, m)
	case signaling.TypeDecline:
		switch m.Reason {
		case signaling.ReasonBusy:
			c.endCall(EndBusy, "", false)
		case signaling.ReasonE2EERequired:
			k.info.NotE2EE = NotE2EEPeerRequires
			c.endCall(EndE2EERequired, "", false)
		case signaling.ReasonNoAnswer:
			c.endCall(EndNoAnswer, "", false)
		default:
			c.endCall(EndDeclined, "", false)
		}
	case signaling.TypeMediaState:
		c.peerMediaState(k, m)
	case signaling.TypeOffer:
		if !c.restartOffered(k, m) {
			c.offered(k, m)
		}
	case signaling.TypeProceed:
		c.proceed(k, m)
	case signaling.TypeAnswer:
		if !c.restartAnswered(k, m) {
			c.answered(k, m)
		}
	case signaling.TypeCandidate:
		if k.peer == nil || m.Candidate == nil {
			return
		}
		cand := rtc.Candidate{Candidate: m.Candidate.Candidate, SDPMid: m.Candidate.SDPMid, SDPMLineIndex: m.Candidate.SDPMLineIndex}
		if err := k.peer.AddRemoteCandidate(cand); err != nil {
			c.log.Warn("bad remote candidate", "err", err)
		}
	case signaling.TypeKeyAgreement:
		c.keyAgreement(k, m.Data)
	case signaling.TypeHangup:
		switch {
		case m.Reason == signaling.ReasonPeerGone || m.Reason == signaling.ReasonPeerLost:
			c.endCall(EndPeerGone, "", false)
		case m.Reason == signaling.ReasonE2EEFailed:
			c.endCall(EndE2EEFailed, "", false)
		case m.Reason == signaling.ReasonE2EERequired:
			k.info.NotE2EE = NotE2EEPeerRequires
			c.endCall(EndE2EERequired, "", false)
		case m.Reason == signaling.ReasonE2EEMismatch:
			c.endCall(EndE2EEMismatch, "", false)
		case m.Reason == signaling.ReasonAnsweredElsewhere && !k.info.Outgoing:
			// Also when this device's own accept was on its way: the
			// server took the other one first.
			c.endCall(EndAnsweredElsewhere, "", false)
		case m.Reason == signaling.ReasonDeclinedElsewhere && !k.info.Outgoing:
			c.endCall(EndDeclinedElsewhere, "", false)
		case m.Reason == signaling.ReasonNoAnswer && k.info.Outgoing:
			c.endCall(EndNoAnswer, "", false)
		case k.info.State == CallIncoming:
			c.endCall(EndCancelled, "", false)
		default:
			c.endCall(EndRemoteHangup, "", false)
		}
	}
}

func (c *Client) incoming(m *signaling.Message) {
	if c.busy() {
		reply := &signaling.Message{Type: signaling.TypeDecline, CallID: m.CallID, To: m.From, Reason: signaling.ReasonBusy}
		c.send(reply)
		return
	}
	peer, ok := c.contacts[m.From]
	if !ok {
		peer = Contact{ID: m.From, Name: m.From}
	}
	k := &call{
		info:       CallInfo{ID: m.CallID, Peer: peer, State: CallIncoming, Group: m.Group},
		remoteE2EE: m.E2EE,
	}
	k.info.WantedE2EE = c.cfg.Settings.E2EECalls()
	c.call = k
	// Before the policy is known only the caller's flag can be judged; the
	// accept checks again with it.
	if c.e2eeOnly() && (!m.E2EE || c.policyKnown && !c.policy.E2EEAllowed) {
		c.refuseUnencrypted(k, signaling.TypeDecline)
		return
	}
	k.ringTimer = c.after(c.cfg.RingTimeout, k, func() {
		if k.info.State == CallIncoming {
			// Not "declined": the server ends the call on my other
			// devices only when the user declines, and a call nobody
			// answered is missed, not declined, in the history.
			c.sendCall(signaling.TypeDecline, func(m *signaling.Message) { m.Reason = signaling.ReasonNoAnswer })
			c.endCall(EndCancelled, "", false)
		}
	})
	c.audioOn()
	c.ring()
	c.sendCall(signaling.TypeRinging, nil)
	c.notifyCall()
}

// accepted: the callee answered. The caller makes the offer.
func (c *Client) accepted(k *call, m *signaling.Message) {
	if !k.info.Outgoing || (k.info.State != CallDialing && k.info.State != CallRinging) {
		return
	}
	k.remoteE2EE = m.E2EE
	if m.E2EECall != k.e2ee() {
		c.e2eeMismatch(k, "the callee's decision differs from ours")
		return
	}
	if c.e2eeOnly() && !k.e2ee() {
		c.refuseUnencrypted(k, signaling.TypeHangup)
		return
	}
	c.decided(k)
	k.info.State = CallConnecting
	c.stopTones()
	c.watchSetup(k)
	c.notifyCall()
	if c.useService(k) {
		// Our decision, which the callee checks as it would the offer's.
		c.sendCall(signaling.TypeProceed, func(m *signaling.Message) { m.E2EECall = k.e2ee() })
		c.joinService(k)
		return
	}
	if err := c.newPeer(k); err != nil {
		c.fail(err)
		return
	}
	offer, err := k.peer.CreateOffer(c.ctx)
	if err != nil {
		c.fail(err)
		return
	}
	c.sendCall(signaling.TypeOffer, func(m *signaling.Message) { m.SDP, m.E2EECall = offer, k.e2ee() })
}

// offered: the callee answers the caller's SDP and, for E2EE, gets ready
// for the caller's commitment.
func (c *Client) offered(k *call, m *signaling.Message) {
	if k.info.Outgoing || !k.accepted || k.peer != nil {
		return
	}
	if m.E2EECall != k.e2ee() {
		c.e2eeMismatch(k, "the caller's decision differs from ours")
		return
	}
	if err := c.newPeer(k); err != nil {
		c.fail(err)
		return
	}
	answer, err := k.peer.AcceptOffer(c.ctx, m.SDP)
	if err != nil {
		c.fail(err)
		return
	}
	c.sendCall(signaling.TypeAnswer, func(m *signaling.Message) { m.SDP = answer })
	if !k.e2ee() {
		c.startMedia(k, nil)
		return
	}
	hs, err := c.newHandshake(k, e2ee.Responder)
	if err != nil {
		c.e2eeFailed(err)
		return
	}
	k.hs = hs
	k.info.State = CallSecuring
	c.notifyCall()
}

// answered: the caller has both fingerprints now and opens the handshake
// with its commitment.
func (c *Client) answered(k *call, m *signaling.Message) {
	if !k.info.Outgoing || k.peer == nil || k.hs != nil || k.stream != nil {
		return
	}
	if err := k.peer.AcceptAnswer(m.SDP); err != nil {
		c.fail(err)
		return
	}
	if !k.e2ee() {
		c.startMedia(k, nil)
		return
	}
	hs, err := c.newHandshake(k, e2ee.Initiator)
	if err != nil {
		c.e2eeFailed(err)
		return
	}
	k.hs = hs
	commit, err := hs.Start()
	if err != nil {
		c.e2eeFailed(err)
		return
	}
	k.info.State = CallSecuring
	c.sendCall(signaling.TypeKeyAgreement, func(m *signaling.Message) { m.Data = commit })
	c.notifyCall()
}

// fail ends the call after a local error, telling the other side.
func (c *Client) fail(err error) {
	c.log.Warn("call failed", "err", err)
	c.sendCall(signaling.TypeHangup, func(m *signaling.Message) { m.Reason = signaling.ReasonError })
	c.endCall(EndError, err.Error(), false)
}

func (c *Client) handleServerError(m *signaling.Message) {
	if m.Error == nil {
		return
	}
	k := c.call
	if k == nil || k.info.Ended() || (m.CallID != "" && m.CallID != k.info.ID) {
		c.log.Warn("server error", "code", m.Error.Code, "msg", m.Error.Message)
		return
	}
	switch m.Error.Code {
	case signaling.CodeUnreachable:
		c.endCall(EndUnreachable, "", false)
	case signaling.CodeUnknownUser:
		c.endCall(EndUnknownUser, "", false)
	case signaling.CodeBusy:
		c.endCall(EndBusy, "", false)
	case signaling.CodeUnknownCall:
		// The server no longer knows the call: the other side is gone.
		c.endCall(EndPeerGone, "", false)
	default:
		c.log.Warn("server error", "code", m.Error.Code, "msg", m.Error.Message)
	}
}

// endCall tears the call down and shows why. tell sends a hangup first.
func (c *Client) endCall(r EndReason, detail string, tell bool) {
	k := c.call
	if k == nil || k.info.Ended() {
		return
	}
	if tell {
		c.sendCall(signaling.TypeHangup, func(m *signaling.Message) { m.Reason = signaling.ReasonHangup })
	}
	for _, t := range []*time.Timer{k.ringTimer, k.setupTimer} {
		if t != nil {
			t.Stop()
		}
	}
	c.stopTones()
	c.stopMedia(k)
	c.audioOff()
	if k.peer != nil {
		_ = k.peer.Close()
	}
	k.hs = nil
	k.info.State = CallEnded
	k.info.End = r
	k.info.EndDetail = detail
	k.info.Features = nil
	c.notifyCall()
	c.backToHeld()
}

func (c *Client) notifyCall() {
	if c.call != nil {
		info := c.callInfo()
		info.PeerWantsE2EE = c.call.remoteE2EE
		c.cfg.Listener.CallChanged(info)
	}
}

// Call dials the contact with the given id.
func (c *Client) Call(id string) { c.post(func() { c.dial(id) }) }

// Accept answers the incoming call.
func (c *Client) Accept() { c.post(c.accept) }

// Decline turns the incoming call down.
func (c *Client) Decline() { c.post(c.decline) }

// Hangup ends the current call (or cancels the one ringing).
func (c *Client) Hangup() {
	c.post(func() {
		if c.call == nil || c.call.info.Ended() {
			return
		}
		c.sendCall(signaling.TypeHangup, func(m *signaling.Message) { m.Reason = signaling.ReasonHangup })
		c.endCall(EndHangup, "", false)
	})
}
