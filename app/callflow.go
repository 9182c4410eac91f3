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
	// state is where the call is: set only by step (callstate.go).
	state     CallState
	accepting bool // accept waits for the policy (whenPolicyKnown)
	// peerKey is the device key that signed the completed handshake.
	peerKey    identity.PublicKey
	peer       *rtc.Peer
	hs         *e2ee.Handshake
	cipher     *e2ee.MediaCipher // E2EE media keys, closed when the call ends
	stream     *media.Stream
	service    bool // media through the organization's media service (callservice.go)
	offers     int  // offers from the service answered so far
	ringTimer  *time.Timer
	setupTimer *time.Timer // from accept to Active: a stuck set-up ends
	recovery   *recovery   // the connection was lost and is being restored
	// link is the peer connection's state as last reported (connectionChanged).
	link  rtc.State
	watch mediaWatch // the media watchdog's view of the stream (mediawatch.go)
	// farewell is the decline or hangup that end sent; resent after a resume
	// when the link was down then (resume.go).
	farewell *signaling.Message
	// invite is the call control of an invite that rings a transfer's
	// target or rings this user back: accepted, the call joins the media
	// service at once (no proceed comes). notice is the state of the last
	// call-control notice about the call (callcontrol.go).
	invite *signaling.CallControl
	notice signaling.ControlState
}

// e2ee reports whether both sides chose E2EE for this call.
func (k *call) e2ee() bool { return k.wantE2EE && k.remoteE2EE }

func newCallID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (c *Client) busy() bool { return c.call != nil && !c.call.ended() }

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
		info:     CallInfo{ID: newCallID(), Peer: peer, Outgoing: true},
		state:    CallDialing,
		wantE2EE: c.e2eeChoice(),
	}
	k.info.WantedE2EE = c.cfg.Settings.E2EECalls()
	c.call = k
	if c.e2eeOnly() && !k.wantE2EE {
		// Refused here: the invite is never sent.
		k.info.NotE2EE = c.notE2EECause(k)
		c.end(k, ending{reason: EndE2EERequired, by: noOneToTell})
		return
	}
	c.audioOn()
	k.ringTimer = c.after(c.cfg.RingTimeout, k, func() { c.ringTimedOut(k) })
	c.send(&signaling.Message{Type: signaling.TypeInvite, To: id, CallID: k.info.ID, E2EE: k.wantE2EE})
	c.notifyCall()
}

// watchSetup ends a call that was answered but is not Active after
// SetupTimeout: a lost message or a network that lets no media through
// must not leave both people looking at "Connecting…" or "Securing the
// call…" for ever. A handshake that never completed is an E2EE failure,
// shown as such; one that completed (media attached) on a path that never
// came up is a connection failure.
func (c *Client) watchSetup(k *call) {
	k.setupTimer = c.after(c.cfg.SetupTimeout, k, func() {
		was := k.state
		if c.step(k, evSetupTimeout) != nil {
			return
		}
		if was == CallSecuring && k.stream == nil {
			c.e2eeFailed(k, errors.New("the key agreement did not complete in time"))
			return
		}
		c.endByUs(k, EndConnectionFailed)
	})
}

// ringTimedOut ends a call nobody answered within RingTimeout: for the
// caller, no answer; for the callee, a missed call. The callee says
// "no-answer", not "declined": the server ends the call on my other
// devices only when the user declines, and a call nobody answered is
// missed, not declined, in the history.
func (c *Client) ringTimedOut(k *call) {
	if c.step(k, evRingTimeout) != nil {
		return
	}
	if k.info.Outgoing {
		c.endByUs(k, EndNoAnswer)
		return
	}
	c.endByUs(k, EndCancelled)
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
	if k == nil || k.accepting || c.refused(k, k.accepts(evAccept)) {
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
		c.refuseUnencrypted(k)
		return
	}
	_ = c.step(k, evAccept)
	c.stopTones()
	c.decided(k)
	c.watchSetup(k)
	// Our choice, and our decision for the call, which the caller checks
	// against its own before it makes the offer.
	c.sendCall(signaling.TypeAccept, func(m *signaling.Message) { m.E2EE, m.E2EECall = k.wantE2EE, k.e2ee() })
	c.notifyCall()
	if (k.info.Group || k.invite != nil) && c.useService(k) {
		// Added to a call in progress, or rung by call control: nobody
		// offers, we join.
		c.joinService(k)
	}
}

func (c *Client) decline() {
	k := c.call
	if k == nil || c.step(k, evDecline) != nil {
		return
	}
	c.endByUs(k, EndDeclined)
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

// callEvents are the events the other side's call messages are.
var callEvents = map[signaling.Type]callEvent{
	signaling.TypeRinging:      evRinging,
	signaling.TypeAccept:       evAccepted,
	signaling.TypeDecline:      evDeclined,
	signaling.TypeMediaState:   evPeerMedia,
	signaling.TypeOffer:        evOffer,
	signaling.TypeProceed:      evProceed,
	signaling.TypeAnswer:       evAnswer,
	signaling.TypeCandidate:    evCandidate,
	signaling.TypeKeyAgreement: evKeyAgreement,
	signaling.TypeHangup:       evRemoteHangup,
}

// step applies ev to k (call.step). A refused event changes nothing and is
// logged here, the one place; a key-agreement message is the exception:
// refused, it fails the call (strictEvents).
func (c *Client) step(k *call, ev callEvent) error {
	was := k.state
	err := k.step(ev)
	if err != nil {
		c.refused(k, err)
		if strictEvents[ev] && was != CallEnded {
			c.unexpectedKeyAgreement(k)
		}
	}
	return err
}

// refused logs an event k's state did not accept; it reports whether err
// is one.
func (c *Client) refused(k *call, err error) bool {
	if err == nil {
		return false
	}
	c.log.Debug("ignored", "call", k.info.ID, "err", err)
	return true
}

func (c *Client) handleCallMessage(m *signaling.Message) {
	if m.Type == signaling.TypeInvite {
		c.incoming(m)
		return
	}
	k := c.call
	ev, ok := callEvents[m.Type]
	// From is empty on what the server itself says about the call (a
	// control ring that stopped, a consult transfer that ended this side).
	if !ok || k == nil || k.info.ID != m.CallID || m.From != "" && m.From != k.info.Peer.ID {
		c.log.Debug("message for another call", "type", m.Type, "call", m.CallID)
		return
	}
	was := k.state
	if c.step(k, ev) != nil {
		return
	}
	switch ev {
	case evRinging:
		c.playTone(tone.Ringback)
		c.notifyCall()
	case evAccepted:
		c.accepted(k, m)
	case evDeclined, evRemoteHangup:
		r := controlEnded(peerEnded(m.Type, m.Reason, was, k.role()), k.notice)
		if r == EndE2EERequired {
			k.info.NotE2EE = NotE2EEPeerRequires
		}
		c.end(k, ending{reason: r, by: byPeer})
	case evPeerMedia:
		c.peerMediaState(k, m)
	case evOffer, evAnswer:
		c.description(k, m, was == CallActive)
	case evProceed:
		c.proceed(k, m)
	case evCandidate:
		if k.peer == nil || m.Candidate == nil {
			return
		}
		cand := rtc.Candidate{Candidate: m.Candidate.Candidate, SDPMid: m.Candidate.SDPMid, SDPMLineIndex: m.Candidate.SDPMLineIndex}
		if err := k.peer.AddRemoteCandidate(cand); err != nil {
			c.log.Warn("bad remote candidate", "err", err)
		}
	case evKeyAgreement:
		c.keyAgreement(k, m.Data)
	}
}

func (c *Client) incoming(m *signaling.Message) {
	if c.busy() {
		// Refused as a call that rang here would be: not a call of ours.
		t, w, _ := toWire(EndBusy, CallIncoming, callee)
		c.send(&signaling.Message{Type: t, CallID: m.CallID, To: m.From, Reason: w})
		return
	}
	peer, ok := c.contacts[m.From]
	if !ok {
		peer = Contact{ID: m.From, Name: m.From}
	}
	k := &call{
		info:       CallInfo{ID: m.CallID, Peer: peer, Group: m.Group},
		state:      CallIncoming,
		remoteE2EE: m.E2EE,
		invite:     m.Control,
	}
	if m.Control != nil {
		k.info.ControlText = c.inviteText(m.Control, peer)
	}
	k.info.WantedE2EE = c.cfg.Settings.E2EECalls()
	c.call = k
	// Before the policy is known only the caller's flag can be judged; the
	// accept checks again with it.
	if c.e2eeOnly() && (!m.E2EE || c.policyKnown && !c.policy.E2EEAllowed) {
		c.refuseUnencrypted(k)
		return
	}
	k.ringTimer = c.after(c.cfg.RingTimeout, k, func() { c.ringTimedOut(k) })
	c.audioOn()
	c.ring()
	c.sendCall(signaling.TypeRinging, nil)
	c.notifyCall()
}

// description handles an offer or answer: the set-up's while the call
// connects, an ICE restart's once it is active (icerestart.go).
func (c *Client) description(k *call, m *signaling.Message, restart bool) {
	switch {
	case m.Type == signaling.TypeOffer && restart:
		c.restartOffered(k, m)
	case m.Type == signaling.TypeOffer:
		c.offered(k, m)
	case restart:
		c.restartAnswered(k, m)
	default:
		c.answered(k, m)
	}
}

// accepted: the callee answered. The caller makes the offer.
func (c *Client) accepted(k *call, m *signaling.Message) {
	k.remoteE2EE = m.E2EE
	if m.E2EECall != k.e2ee() {
		c.e2eeMismatch(k, "the callee's decision differs from ours")
		return
	}
	if c.e2eeOnly() && !k.e2ee() {
		c.refuseUnencrypted(k)
		return
	}
	c.decided(k)
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
		c.fail(k, err)
		return
	}
	offer, err := k.peer.CreateOffer(c.ctx)
	if err != nil {
		c.fail(k, err)
		return
	}
	c.sendCall(signaling.TypeOffer, func(m *signaling.Message) { m.SDP, m.E2EECall = offer, k.e2ee() })
}

// offered: the callee answers the caller's SDP and, for E2EE, gets ready
// for the caller's commitment.
func (c *Client) offered(k *call, m *signaling.Message) {
	if k.peer != nil {
		return // a second offer before the media: the first one stands
	}
	if m.E2EECall != k.e2ee() {
		c.e2eeMismatch(k, "the caller's decision differs from ours")
		return
	}
	if err := c.newPeer(k); err != nil {
		c.fail(k, err)
		return
	}
	answer, err := k.peer.AcceptOffer(c.ctx, m.SDP)
	if err != nil {
		c.fail(k, err)
		return
	}
	c.sendCall(signaling.TypeAnswer, func(m *signaling.Message) { m.SDP = answer })
	if !k.e2ee() {
		c.startMedia(k, nil)
		return
	}
	hs, err := c.newHandshake(k, e2ee.Responder)
	if err != nil {
		c.e2eeFailed(k, err)
		return
	}
	k.hs = hs
	_ = c.step(k, evSecuring)
	c.notifyCall()
}

// answered: the caller has both fingerprints now and opens the handshake
// with its commitment.
func (c *Client) answered(k *call, m *signaling.Message) {
	if k.peer == nil {
		return // an answer to an offer never made
	}
	if err := k.peer.AcceptAnswer(m.SDP); err != nil {
		c.fail(k, err)
		return
	}
	if !k.e2ee() {
		c.startMedia(k, nil)
		return
	}
	hs, err := c.newHandshake(k, e2ee.Initiator)
	if err != nil {
		c.e2eeFailed(k, err)
		return
	}
	k.hs = hs
	commit, err := hs.Start()
	if err != nil {
		c.e2eeFailed(k, err)
		return
	}
	_ = c.step(k, evSecuring)
	c.sendCall(signaling.TypeKeyAgreement, func(m *signaling.Message) { m.Data = commit })
	c.notifyCall()
}

// fail ends the call after a local error, telling the other side.
func (c *Client) fail(k *call, err error) {
	c.log.Warn("call failed", "err", err)
	c.end(k, ending{reason: EndError, detail: err.Error()})
}

func (c *Client) handleServerError(m *signaling.Message) {
	if m.Error == nil {
		return
	}
	k := c.call
	if k == nil || k.ended() || (m.CallID != "" && m.CallID != k.info.ID) {
		c.log.Warn("server error", "code", m.Error.Code, "msg", m.Error.Message)
		return
	}
	r, ends := endCode(m.Error.Code)
	if !ends {
		c.log.Warn("server error", "code", m.Error.Code, "msg", m.Error.Message)
		return
	}
	if c.step(k, evServerError) == nil {
		c.end(k, ending{reason: r, by: byPeer})
	}
}

func (c *Client) notifyCall() {
	c.callElsewhere()
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
func (c *Client) Hangup() { c.post(c.hangup) }

// hangup ends the current call for this user, telling the other side.
func (c *Client) hangup() {
	if k := c.call; k != nil && c.step(k, evHangup) == nil {
		c.endByUs(k, EndHangup)
	}
}
