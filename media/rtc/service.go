package rtc

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"
)

// A Peer made with Config.Service connects to the organization's media
// service instead of another client: the service makes every offer (at
// once, and again whenever the call's participants change), the peer
// answers each on the same connection (AnswerService), and every remote
// track — one per other participant — is read; ReadFrame returns their
// frames interleaved, told apart by Frame.SSRC, for the media engine to
// decode and mix.

// serviceQueue bounds the received packets waiting for ReadFrame (a
// quarter second of a ten-person call).
const serviceQueue = 128

type servicePacket struct {
	buf []byte
	n   int
}

// AnswerService applies an offer from the media service and returns the
// answer. The first offer starts the connection; later ones renegotiate
// it and must keep the same DTLS certificate fingerprint.
func (p *Peer) AnswerService(ctx context.Context, offer string) (string, error) {
	if !p.service {
		return "", fmt.Errorf("%w: not a media service peer", ErrWrongState)
	}
	if err := p.usable(ctx); err != nil {
		return "", err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.offered {
		return "", fmt.Errorf("%w: the service's offer crossed ours", ErrWrongState)
	}
	prev, renegotiation := p.remoteFP, p.remoteSet
	parsed, err := parseSDP(offer)
	if err != nil {
		return "", fmt.Errorf("rtc: service offer: %w", err)
	}
	fp, err := fingerprintOf(parsed)
	if err != nil {
		return "", fmt.Errorf("rtc: service offer: %w", err)
	}
	if renegotiation && !fp.Equal(prev) {
		return "", fmt.Errorf("%w: the service's certificate changed in a renegotiation", ErrCertificateMismatch)
	}
	if err := p.applyRemote(webrtc.SDPTypeOffer, offer); err != nil {
		return "", err
	}
	p.attachServiceVideo()
	answer, err := p.pc.CreateAnswer(nil)
	if err != nil {
		return "", fmt.Errorf("rtc: create answer: %w", err)
	}
	lfp, err := p.applyLocal(answer)
	if err != nil {
		return "", err
	}
	p.localFP = lfp
	for _, e := range p.sender.GetParameters().HeaderExtensions {
		if e.URI == sdp.AudioLevelURI {
			p.levelID.Store(uint32(e.ID))
		}
	}
	return answer.SDP, nil
}

// SetAudioLevel sets the RFC 6464 audio level the next frames carry (a
// media service peer only): dBov is the level below overload, 0..127
// (127: silence); voice marks speech.
func (p *Peer) SetAudioLevel(dBov int, voice bool) {
	v := uint32(min(127, max(0, dBov)))
	if voice {
		v |= 0x80
	}
	p.level.Store(v)
}

// addLevel puts the audio level extension on pkt, without allocating.
func (p *Peer) addLevel(pkt *rtp.Packet) {
	id := p.levelID.Load()
	if id == 0 {
		return
	}
	p.levelBuf[0] = byte(p.level.Load())
	// The packetizer starts every header without extensions; reusing the
	// array keeps SetExtension's append from allocating.
	pkt.Extensions = p.levelExt[:0]
	if err := pkt.SetExtension(uint8(id), p.levelBuf[:]); err != nil {
		p.log.Debug("rtc: audio level", "err", err)
	}
}

// readServiceTrack copies one remote track's packets into the queue
// ReadFrame serves, dropping them when it is full.
func (p *Peer) readServiceTrack(t *webrtc.TrackRemote) {
	for {
		var sp servicePacket
		select {
		case sp.buf = <-p.free:
		case <-p.done:
			return
		}
		n, _, err := t.Read(sp.buf)
		if err != nil {
			p.free <- sp.buf
			return
		}
		sp.n = n
		select {
		case p.frames <- sp:
		default:
			p.free <- sp.buf
		}
	}
}

// readServiceFrame is ReadFrame for a media service peer.
func (p *Peer) readServiceFrame() (Frame, error) {
	for {
		p.mu.Lock()
		deadline, changed := p.deadline, p.deadlineSet
		p.mu.Unlock()
		var expired <-chan time.Time
		var timer *time.Timer
		if !deadline.IsZero() {
			wait := time.Until(deadline)
			if wait <= 0 {
				return Frame{}, fmt.Errorf("rtc: read frame: %w", os.ErrDeadlineExceeded)
			}
			timer = time.NewTimer(wait)
			expired = timer.C
		}
		var sp servicePacket
		got := false
		select {
		case sp = <-p.frames:
			got = true
		case <-p.done:
		case <-changed:
		case <-expired:
		}
		if timer != nil {
			timer.Stop()
		}
		if p.closed() {
			return Frame{}, ErrClosed
		}
		if !got {
			continue
		}
		if p.lastBuf != nil {
			p.free <- p.lastBuf
		}
		p.lastBuf = sp.buf
		if !p.certOK.Load() {
			continue
		}
		return p.frameOf(sp.buf[:sp.n])
	}
}

// MultiSource reports whether frames may come from several senders
// (a media service peer): the engine then decodes each SSRC on its own
// and mixes them.
func (p *Peer) MultiSource() bool { return p.service }
