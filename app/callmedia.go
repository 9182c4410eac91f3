package app

import (
	"time"

	"github.com/parley-voip/parley/media"
	"github.com/parley-voip/parley/media/rtc"
	"github.com/parley-voip/parley/media/tone"
	"github.com/parley-voip/parley/signaling"
)

func (c *Client) newPeer(k *call) error {
	return c.newPeerWith(k, c.peerConfig(), func(cand *signaling.Candidate) {
		c.sendCall(signaling.TypeCandidate, func(m *signaling.Message) { m.Candidate = cand })
	})
}

// newPeerWith makes k's peer from cfg; sendCandidate trickles each local
// candidate (on the Run goroutine, while k is the current call).
func (c *Client) newPeerWith(k *call, cfg rtc.Config, sendCandidate func(*signaling.Candidate)) error {
	p, err := rtc.NewPeer(cfg)
	if err != nil {
		return err
	}
	k.peer = p
	p.OnLocalCandidate(func(cand rtc.Candidate) {
		c.post(func() {
			if c.call != k || k.ended() {
				return
			}
			sendCandidate(&signaling.Candidate{Candidate: cand.Candidate, SDPMid: cand.SDPMid, SDPMLineIndex: cand.SDPMLineIndex})
		})
	})
	p.OnStateChange(func(s rtc.State) { c.post(func() { c.connectionChanged(k, s) }) })
	return nil
}

// startMedia attaches the call to the audio engine. cipher is nil for a
// call without E2EE; with E2EE it is only ever called after confirmation.
func (c *Client) startMedia(k *call, cipher media.FrameCipher) {
	if c.refused(k, k.accepts(evMediaUp)) {
		return
	}
	stream, err := c.engine.Attach(k.peer, cipher)
	if err != nil {
		c.fail(k, err)
		return
	}
	k.stream = stream
	go c.reportMedia(k.peer, stream)
	if k.info.Muted || k.info.Held { // chosen before media flowed
		stream.SetMuted(true)
		stream.SetDeafened(k.info.Held)
		c.sendMediaState(k)
	}
	if k.setupTimer != nil {
		k.setupTimer.Stop()
	}
	_ = c.step(k, evMediaUp)
	k.info.Started = time.Now()
	k.info.Features = c.callFeatures(k)
	c.notifyCall()
	go func() {
		select {
		case <-stream.FirstFrame():
			c.post(func() {
				if c.call == k && !k.ended() {
					k.info.AudioReceived = true
					c.notifyCall()
				}
			})
		case <-c.stopped:
		}
	}()
}

// stopMedia detaches the call from the audio engine and erases its keys:
// the media cipher is closed and the handshake erased (an unfinished one
// drops its ephemeral keys).
func (c *Client) stopMedia(k *call) {
	if k.stream != nil {
		c.engine.Detach()
		k.stream = nil
	}
	if k.cipher != nil {
		k.cipher.Close()
	}
	if k.hs != nil {
		k.hs.Erase()
	}
}

func (c *Client) playTone(k tone.Kind) {
	if err := c.engine.PlayTone(k); err != nil {
		c.log.Warn("tone", "err", err)
	}
}
