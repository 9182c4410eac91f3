package app

import "github.com/parley-voip/parley/signaling"

// Mute and hold, on this side and as the other side reports them
// (signaling.TypeMediaState). Muting sends silence; holding sends silence
// too, stops playing the other side (the person holding hears nothing of
// the call) and tells the other side, which shows "On hold" and hears
// silence; a call through the media service is held there instead, and
// the others hear music (holdOnService). Both are per call: the next call
// starts unmuted and not held.

// SetHeld puts the current call on hold or resumes it.
func (c *Client) SetHeld(on bool) {
	c.post(func() {
		k := c.call
		if k == nil || k.info.Held == on || c.step(k, evHold) != nil {
			return
		}
		if k.service {
			c.holdOnService(k, on)
			return
		}
		k.info.Held = on
		c.applyMediaState(k)
	})
}

// applyMediaState makes the stream follow mute and hold, tells the other
// side once the call is accepted, and reports the change.
func (c *Client) applyMediaState(k *call) {
	if k.stream != nil {
		k.stream.SetMuted(k.info.Muted || k.info.Held)
		k.stream.SetDeafened(k.info.Held)
	}
	c.sendMediaState(k)
	c.notifyCall()
}

// sendMediaState tells the other side, once the call is accepted (the
// server refuses it before); startMedia sends a state chosen earlier.
func (c *Client) sendMediaState(k *call) {
	if !k.underWay() || c.conn == nil {
		return
	}
	c.send(&signaling.Message{Type: signaling.TypeMediaState, CallID: k.info.ID, To: k.info.Peer.ID,
		Media: &signaling.MediaState{Muted: k.info.Muted, Held: k.info.Held,
			Camera: k.video.on[VideoCamera], Screen: k.video.on[VideoScreen]}})
}

// peerMediaState records what the other side says about its mute and hold.
func (c *Client) peerMediaState(k *call, m *signaling.Message) {
	if m.Media == nil {
		return
	}
	k.info.PeerMuted, k.info.PeerHeld = m.Media.Muted, m.Media.Held
	c.peerVideo(k, m.Media) // callvideo.go
	c.notifyCall()
}

// SetHeld puts the current call on hold or resumes it.
func (s *Softphone) SetHeld(on bool) { s.withClient(func(c *Client) { c.SetHeld(on) }) }
