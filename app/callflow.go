package app

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"time"

	"github.com/parley-voip/parley/crypto/e2ee"
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
	peer       *rtc.Peer
	hs         *e2ee.Handshake
	stream     *media.Stream
	ringTimer  *time.Timer
	setupTimer *time.Timer // from accept to media: a stuck set-up ends
}

// e2ee reports whether both sides chose E2EE for this call.
func (k *call) e2ee() bool { return k.wantE2EE && k.remoteE2EE }

func newCallID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (c *Client) busy() bool { return c.call != nil && !c.call.info.Ended() }

// e2eeChoice is this user's side of the E2EE decision: the Privacy switch,
// where the organization's policy allows it. It is read when the call is
// placed or answered; a change applies to later calls.
func (c *Client) e2eeChoice() bool { return c.policy.E2EEAllowed && c.cfg.Settings.E2EECalls() }

// e2eeRequired reports "only allow E2EE calls" in force for this user.
func (c *Client) e2eeRequired() bool { return c.e2eeChoice() && c.cfg.Settings.E2EEOnly() }

// reasonE2EERequired is the decline/hangup reason when one side refuses a
// call that would not be end-to-end encrypted.
const reasonE2EERequired signaling.Reason = "e2ee-required"

func (c *Client) dial(id string) {
	if c.busy() {
		c.log.Warn("dial while in a call", "to", id)
		return
	}
	peer, ok := c.contacts[id]
	if !ok {
		peer = Contact{ID: id, Name: id}
	}
	k := &call{
		info:     CallInfo{ID: newCallID(), Peer: peer, Outgoing: true, State: CallDialing},
		wantE2EE: c.e2eeChoice(),
	}
	c.call = k
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
	if k == nil || k.info.State != CallIncoming {
		return
	}
	k.accepted = true
	k.wantE2EE = c.e2eeChoice()
	c.engine.StopTone()
	k.info.State = CallConnecting
	k.info.E2EENegotiated = k.e2ee()
	c.watchSetup(k)
	c.sendCall(signaling.TypeAccept, func(m *signaling.Message) { m.E2EE = k.wantE2EE })
	c.notifyCall()
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
		case reasonE2EERequired:
			c.endCall(EndE2EERequired, "", false)
		default:
			c.endCall(EndDeclined, "", false)
		}
	case signaling.TypeOffer:
		c.offered(k, m)
	case signaling.TypeAnswer:
		c.answered(k, m)
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
		case m.Reason == signaling.ReasonPeerGone:
			c.endCall(EndPeerGone, "", false)
		case m.Reason == signaling.ReasonE2EEFailed:
			c.endCall(EndE2EEFailed, "", false)
		case m.Reason == reasonE2EERequired:
			c.endCall(EndE2EERequired, "", false)
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
		info:       CallInfo{ID: m.CallID, Peer: peer, State: CallIncoming},
		remoteE2EE: m.E2EE,
	}
	c.call = k
	if c.e2eeRequired() && !m.E2EE {
		c.sendCall(signaling.TypeDecline, func(m *signaling.Message) { m.Reason = reasonE2EERequired })
		c.endCall(EndE2EERequired, "", false)
		return
	}
	k.ringTimer = c.after(c.cfg.RingTimeout, k, func() {
		if k.info.State == CallIncoming {
			c.sendCall(signaling.TypeDecline, func(m *signaling.Message) { m.Reason = signaling.ReasonDeclined })
			c.endCall(EndCancelled, "", false)
		}
	})
	c.playTone(tone.Ringtone)
	c.sendCall(signaling.TypeRinging, nil)
	c.notifyCall()
}

// accepted: the callee answered. The caller makes the offer.
func (c *Client) accepted(k *call, m *signaling.Message) {
	if !k.info.Outgoing || (k.info.State != CallDialing && k.info.State != CallRinging) {
		return
	}
	k.remoteE2EE = m.E2EE
	if c.e2eeRequired() && !k.e2ee() {
		c.sendCall(signaling.TypeHangup, func(m *signaling.Message) { m.Reason = reasonE2EERequired })
		c.endCall(EndE2EERequired, "", false)
		return
	}
	k.info.E2EENegotiated = k.e2ee()
	k.info.State = CallConnecting
	c.engine.StopTone()
	c.watchSetup(k)
	c.notifyCall()
	if err := c.newPeer(k); err != nil {
		c.fail(err)
		return
	}
	offer, err := k.peer.CreateOffer(c.ctx)
	if err != nil {
		c.fail(err)
		return
	}
	c.sendCall(signaling.TypeOffer, func(m *signaling.Message) { m.SDP = offer })
}

// offered: the callee answers the caller's SDP and, for E2EE, gets ready
// for the caller's commitment.
func (c *Client) offered(k *call, m *signaling.Message) {
	if k.info.Outgoing || !k.accepted || k.peer != nil {
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

func (c *Client) newHandshake(k *call, role e2ee.Role) (*e2ee.Handshake, error) {
	cfg := e2ee.Config{Role: role, CallID: k.info.ID}
	local, remote := k.peer.LocalFingerprint(), k.peer.RemoteFingerprint()
	if role == e2ee.Initiator {
		cfg.InitiatorID, cfg.ResponderID = c.cfg.Me.ID, k.info.Peer.ID
		cfg.InitiatorFingerprint, cfg.ResponderFingerprint = local, remote
	} else {
		cfg.InitiatorID, cfg.ResponderID = k.info.Peer.ID, c.cfg.Me.ID
		cfg.InitiatorFingerprint, cfg.ResponderFingerprint = remote, local
	}
	return e2ee.New(cfg)
}

func (c *Client) keyAgreement(k *call, data []byte) {
	if k.hs == nil {
		// A key-agreement message for a call that did not negotiate E2EE,
		// or before our side is ready: never let it pass silently.
		c.e2eeFailed(errors.New("unexpected key-agreement message"))
		return
	}
	reply, err := k.hs.Handle(data)
	if err != nil {
		c.e2eeFailed(err)
		return
	}
	if reply != nil {
		c.sendCall(signaling.TypeKeyAgreement, func(m *signaling.Message) { m.Data = reply })
	}
	if !k.hs.Done() || k.stream != nil {
		return
	}
	res, err := k.hs.Result()
	if err != nil {
		c.e2eeFailed(err)
		return
	}
	cipher, err := e2ee.NewMediaCipher(res)
	if err != nil {
		c.e2eeFailed(err)
		return
	}
	code := res.Code()
	k.info.E2EE = true
	k.info.Code = code.String()
	k.info.CodeGroups = code.Groups()
	c.startMedia(k, cipher)
}

// e2eeFailed ends the call loudly: no media has flowed, none will, and the
// other side is told so it shows the same warning.
func (c *Client) e2eeFailed(err error) {
	c.log.Warn("e2ee failed", "err", err)
	c.sendCall(signaling.TypeHangup, func(m *signaling.Message) { m.Reason = signaling.ReasonE2EEFailed })
	c.endCall(EndE2EEFailed, "", false)
}

// fail ends the call after a local error, telling the other side.
func (c *Client) fail(err error) {
	c.log.Warn("call failed", "err", err)
	c.sendCall(signaling.TypeHangup, func(m *signaling.Message) { m.Reason = signaling.ReasonError })
	c.endCall(EndError, err.Error(), false)
}

func (c *Client) newPeer(k *call) error {
	p, err := rtc.NewPeer(*c.cfg.RTC)
	if err != nil {
		return err
	}
	k.peer = p
	p.OnLocalCandidate(func(cand rtc.Candidate) {
		c.post(func() {
			if c.call != k || k.info.Ended() {
				return
			}
			c.sendCall(signaling.TypeCandidate, func(m *signaling.Message) {
				m.Candidate = &signaling.Candidate{Candidate: cand.Candidate, SDPMid: cand.SDPMid, SDPMLineIndex: cand.SDPMLineIndex}
			})
		})
	})
	p.OnStateChange(func(s rtc.State) {
		if s != rtc.StateFailed {
			return
		}
		c.post(func() {
			if c.call == k && !k.info.Ended() {
				c.sendCall(signaling.TypeHangup, func(m *signaling.Message) { m.Reason = signaling.ReasonError })
				c.endCall(EndConnectionFailed, "", false)
			}
		})
	})
	return nil
}

// startMedia attaches the call to the audio engine. cipher is nil for a
// call without E2EE; with E2EE it is only ever called after confirmation.
func (c *Client) startMedia(k *call, cipher media.FrameCipher) {
	stream, err := c.engine.Attach(k.peer, cipher)
	if err != nil {
		c.fail(err)
		return
	}
	k.stream = stream
	if k.setupTimer != nil {
		k.setupTimer.Stop()
	}
	k.info.State = CallActive
	k.info.Started = time.Now()
	k.info.Features = Features(k.info.E2EE)
	c.notifyCall()
	go func() {
		select {
		case <-stream.FirstFrame():
			c.post(func() {
				if c.call == k && !k.info.Ended() {
					k.info.AudioReceived = true
					c.notifyCall()
				}
			})
		case <-c.stopped:
		}
	}()
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
	c.engine.StopTone()
	if k.stream != nil {
		c.engine.Detach()
		k.stream = nil
	}
	if k.peer != nil {
		_ = k.peer.Close()
	}
	k.hs = nil
	k.info.State = CallEnded
	k.info.End = r
	k.info.EndDetail = detail
	k.info.Features = nil
	c.notifyCall()
}

func (c *Client) notifyCall() {
	if c.call != nil {
		c.cfg.Listener.CallChanged(c.call.info)
	}
}

func (c *Client) playTone(k tone.Kind) {
	if err := c.engine.PlayTone(k); err != nil {
		c.log.Warn("tone", "err", err)
	}
}
