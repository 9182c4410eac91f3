package app

import (
	"time"

	"github.com/parley-voip/parley/media"
	"github.com/parley-voip/parley/media/rtc"
	"github.com/parley-voip/parley/media/tone"
	"github.com/parley-voip/parley/signaling"
)

func (c *Client) newPeer(k *call) error {
	cfg := c.peerConfig()
	cfg.SealedVideo = k.e2ee() // every frame SFrame-sealed end to end (callvideo.go)
	return c.newPeerWith(k, cfg, func(cand *signaling.Candidate) {
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
	c.watchVideo(k, p)
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
// The call becomes Active when its path is up too (mediaUp).
func (c *Client) startMedia(k *call, cipher media.FrameCipher) {
	if c.refused(k, k.accepts(evAttach)) {
		return
	}
	stream, err := c.engine.Attach(k.peer, cipher)
	if err != nil {
		c.fail(k, err)
		return
	}
	_ = c.step(k, evAttach)
	k.stream = stream
	k.watch = mediaWatch{}
	go c.reportMedia(k, k.peer, stream)
	if k.info.Muted || k.info.Held { // chosen before media flowed
		stream.SetMuted(true)
		stream.SetDeafened(k.info.Held)
		c.sendMediaState(k)
	}
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
	if k.state == CallActive {
		// Back from being set aside: the call carries on.
		k.info.Features = c.callFeatures(k)
	}
	c.notifyCall()
	c.mediaUp(k)
}

// mediaUp makes k Active once its media is attached and its path is up
// (ICE connected, DTLS done and the certificate the other side presented
// matched the fingerprint its description gave, and with it the E2EE
// transcript): either may come first. The set-up timer stops and the call
// timer starts here.
func (c *Client) mediaUp(k *call) {
	if k.stream == nil || k.link != rtc.StateConnected || k.accepts(evMediaUp) != nil {
		return
	}
	_ = c.step(k, evMediaUp)
	if k.setupTimer != nil {
		k.setupTimer.Stop()
	}
	k.info.Started = time.Now()
	k.info.Features = c.callFeatures(k)
	c.notifyCall()
}

// stopMedia detaches the call from the audio engine and erases its keys:
// the media cipher is closed and the handshake erased (an unfinished one
// drops its ephemeral keys).
func (c *Client) stopMedia(k *call) {
	c.closeVideo(k)
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
