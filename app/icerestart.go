package app

import (
	"time"

	"github.com/parley-voip/parley/media/rtc"
	"github.com/parley-voip/parley/signaling"
)

// How a call that lost its network recovers. When ICE reports the
// connection disconnected (nothing heard for rtc.Config's
// DisconnectedTimeout), the caller, who made the first offer, restarts ICE
// on the same peer connection (rtc.Peer.RestartICE): both sides gather
// again and look for a new path, while the DTLS session, and with it the
// E2EE keys, the lock and the security code, stay as they were. A restart
// made while the network was still down may find nothing, so it is made
// again: when ICE reports it failed, or after restartRetry, growing by half
// each time up to maxRestartRetry — a restart is never cut short before a
// relayed set-up on a loaded machine has had time to finish. It is never
// made again while the last offer is unanswered (the answer would cross
// it). A call that has not recovered within recoveryTimeout ends as
// EndConnectionFailed.
const (
	restartRetry    = 2 * time.Second
	maxRestartRetry = 8 * time.Second
	recoveryTimeout = 30 * time.Second
)

// recovery is a call's state between losing its connection and getting it
// back.
type recovery struct {
	retry    *time.Timer // the caller's next restart
	giveUp   *time.Timer
	interval time.Duration // until the next restart
	last     time.Time     // of the last restart
}

func (r *recovery) stop() {
	if r.retry != nil {
		r.retry.Stop()
	}
	r.giveUp.Stop()
}

// connectionChanged acts on the peer connection's state; on the Run
// goroutine.
func (c *Client) connectionChanged(k *call, s rtc.State) {
	if c.call != k || k.ended() {
		return
	}
	k.link = s
	switch s {
	case rtc.StateConnected:
		if c.step(k, evPathUp) != nil {
			return
		}
		c.recovered(k)
		c.mediaUp(k) // callmedia.go
	case rtc.StateDisconnected, rtc.StateFailed:
		if c.step(k, evConnLost) != nil {
			return
		}
		if k.state != CallActive {
			// Not set up yet: the set-up timer bounds a slow start, and a
			// set-up that failed is over.
			if s == rtc.StateFailed {
				c.endByUs(k, EndConnectionFailed)
			}
			return
		}
		if r := k.recovery; r != nil && s == rtc.StateFailed && k.accepts(evRestartICE) == nil && time.Since(r.last) > time.Second {
			c.restartICE(k) // this attempt is over: the next one now
			return
		}
		c.recover(k)
	}
}

// recover starts the recovery of a call whose media was flowing.
func (c *Client) recover(k *call) {
	if k.recovery != nil {
		return
	}
	k.recovery = &recovery{interval: restartRetry, giveUp: c.after(recoveryTimeout, k, func() {
		c.endByUs(k, EndConnectionFailed)
	})}
	k.info.Reconnecting = true
	c.notifyCall()
	// Through the media service the service makes the offers, and no ICE
	// restart of it is built yet: the connection may come back by itself
	// within the recovery time, else the call ends.
	if k.accepts(evRestartICE) == nil {
		c.restartICE(k)
	}
}

// restartICE sends a restart offer and schedules the next one.
func (c *Client) restartICE(k *call) {
	r := k.recovery
	if r == nil || c.step(k, evRestartICE) != nil {
		return
	}
	if r.retry != nil {
		r.retry.Stop()
	}
	again := func(d time.Duration) {
		r.retry = c.after(d, k, func() {
			if k.recovery == r {
				c.restartICE(k)
			}
		})
	}
	if k.peer.RestartPending() {
		again(r.interval)
		return
	}
	offer, err := k.peer.RestartICE(c.ctx)
	if err != nil {
		c.fail(k, err)
		return
	}
	r.last = time.Now()
	c.log.Info("ICE restart", "call", k.info.ID, "restarts", k.peer.Restarts())
	c.sendCall(signaling.TypeOffer, func(m *signaling.Message) { m.SDP, m.E2EECall = offer, k.e2ee() })
	again(r.interval)
	r.interval = min(r.interval*3/2, maxRestartRetry)
}

// recovered ends a recovery: the connection is up again.
func (c *Client) recovered(k *call) {
	if k.recovery == nil {
		return
	}
	k.recovery.stop()
	k.recovery = nil
	k.info.Reconnecting = false
	// The path is back: audio follows at once; the watchdog says again
	// if it does not.
	k.info.NoAudio = false
	c.notifyCall()
}

// restartOffered answers the caller's later offer on an established call
// (an offer in CallActive): an ICE restart, or a renegotiation that adds
// video (callvideo.go). An offer with another DTLS fingerprint
// is refused and ends the call: a restart never changes who the other end
// is.
func (c *Client) restartOffered(k *call, m *signaling.Message) {
	answer, err := k.peer.AcceptRestart(c.ctx, m.SDP)
	if err != nil {
		c.fail(k, err)
		return
	}
	c.sendCall(signaling.TypeAnswer, func(m *signaling.Message) { m.SDP = answer })
}

// restartAnswered applies the callee's answer to our restart or
// renegotiation offer (an answer in CallActive).
func (c *Client) restartAnswered(k *call, m *signaling.Message) {
	if !k.peer.RestartPending() {
		c.log.Debug("ignored an answer in a call with no offer pending", "call", k.info.ID)
		return
	}
	if err := k.peer.AcceptAnswer(m.SDP); err != nil {
		c.log.Warn("ICE restart or renegotiation answer refused", "err", err)
		return
	}
	c.renegotiate(k) // what changed while the offer was out (callvideo.go)
}
