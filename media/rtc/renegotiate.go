package rtc

import (
	"context"
	"fmt"

	"github.com/pion/webrtc/v4"
)

// Renegotiation changes what an established direct connection carries —
// a camera or a shared screen turned on in the call — on the same peer
// connection, and the DTLS session, its fingerprints and with them the
// E2EE keys stay the call's, as across an ICE restart. As with ICE
// restarts, the side that made the first offer makes every later one
// (Renegotiate) and the other answers (AcceptRestart), so offers never
// cross: pion cannot roll an offer back, and two crossing offers would
// leave both sides stuck. The answering side adds its tracks
// (AddVideoTrack), asks the offerer, by its own signaling, to make room
// for them (ReceiveVideo), and they are attached when it answers the
// offer that follows: pion puts a new local track on a video section the
// offer opened. The far end may answer a video section with "recvonly":
// that direction stays audio only.

// Renegotiate makes an offer with the connection's current tracks on an
// established direct connection, as the side that made the first offer;
// the answer goes to AcceptAnswer. It refuses while an offer of ours (a
// restart or a renegotiation) is unanswered: NeedsRenegotiation then
// still says so once the answer is in.
func (p *Peer) Renegotiate(ctx context.Context) (string, error) {
	if err := p.usable(ctx); err != nil {
		return "", err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.service || !p.offered || !p.remoteSet || p.restarting {
		return "", fmt.Errorf("%w: renegotiate before the first negotiation completed, as the answerer, with an offer pending, or with the media service", ErrWrongState)
	}
	offer, err := p.offerAgain(nil, "renegotiation")
	if err != nil {
		return "", err
	}
	p.dirty = false
	return offer, nil
}

// NeedsRenegotiation reports whether tracks or video sections were added
// since the last offer this side made, and no offer of ours is pending.
func (p *Peer) NeedsRenegotiation() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.dirty && !p.restarting && p.offered
}

// ReceiveVideo makes room for the far end to send n video tracks: it
// makes sure the connection has at least n video sections, adding
// receive-only ones as needed (a section this side sends on receives as
// well), and when the far end sends on fewer than n of them now, marks a
// renegotiation due (NeedsRenegotiation): its new track goes on a
// section with the next offer. It reports whether it added a section.
func (p *Peer) ReceiveVideo(n int) (bool, error) {
	if !p.video || p.service {
		return false, fmt.Errorf("%w: receive video on a peer without Config.Video, or with the media service", ErrWrongState)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.remoteSet && p.remoteVideoSending() < n {
		p.dirty = true
	}
	have := 0
	for _, tr := range p.pc.GetTransceivers() {
		if tr.Kind() == webrtc.RTPCodecTypeVideo {
			have++
		}
	}
	added := false
	for ; have < n; have++ {
		if _, err := p.pc.AddTransceiverFromKind(webrtc.RTPCodecTypeVideo, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly}); err != nil {
			return added, fmt.Errorf("rtc: add video section: %w", err)
		}
		added = true
		if p.remoteSet {
			p.dirty = true
		}
	}
	return added, nil
}

// remoteVideoSending counts the video sections the far end sends on in
// its latest description. Called with p.mu held.
func (p *Peer) remoteVideoSending() int {
	rd := p.pc.RemoteDescription()
	if rd == nil {
		return 0
	}
	parsed, err := parseSDP(rd.SDP)
	if err != nil {
		return 0
	}
	n := 0
	for _, md := range parsed.MediaDescriptions {
		if md.MediaName.Media != "video" || md.MediaName.Port.Value == 0 {
			continue
		}
		_, recvonly := md.Attribute("recvonly")
		_, inactive := md.Attribute("inactive")
		if !recvonly && !inactive {
			n++
		}
	}
	return n
}
