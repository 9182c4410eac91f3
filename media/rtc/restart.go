package rtc

import (
	"context"
	"fmt"

	"github.com/pion/webrtc/v4"
)

// An ICE restart (RFC 8445 section 2.4) renegotiates the ICE credentials
// on the same peer connection: both sides gather again and look for a new
// candidate pair, while the DTLS session, and so SRTP and every key
// derived from it, carries on. A restart therefore never changes the DTLS
// certificates: a restart offer or answer whose fingerprint differs from
// the one negotiated first is refused (ErrFingerprintChanged), so the
// fingerprints an E2EE handshake bound stay the call's.

// RestartICE starts an ICE restart as the side that made the first offer:
// it creates and applies a restart offer and returns it to send; the
// answer goes to AcceptAnswer. Calling it again before the answer makes a
// new offer (a restart may be retried while the network is down).
func (p *Peer) RestartICE(ctx context.Context) (string, error) {
	if err := p.usable(ctx); err != nil {
		return "", err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.offered || !p.remoteSet {
		return "", fmt.Errorf("%w: ICE restart before the first negotiation completed, or not the offerer", ErrWrongState)
	}
	if p.restarting {
		// Roll the unanswered offer back so a fresh one can be made.
		if err := p.pc.SetLocalDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeRollback}); err != nil {
			return "", fmt.Errorf("rtc: roll back restart offer: %w", err)
		}
	}
	offer, err := p.offerAgain(&webrtc.OfferOptions{ICERestart: true}, "restart")
	if err != nil {
		return "", err
	}
	p.restarts.Add(1)
	return offer, nil
}

// offerAgain creates and applies a later offer of ours (an ICE restart, a
// renegotiation), which must keep our fingerprint, and marks it pending.
// Called with p.mu held.
func (p *Peer) offerAgain(opts *webrtc.OfferOptions, what string) (string, error) {
	offer, err := p.pc.CreateOffer(opts)
	if err != nil {
		return "", fmt.Errorf("rtc: create %s offer: %w", what, err)
	}
	fp, err := p.applyLocal(offer)
	if err != nil {
		return "", err
	}
	if !fp.Equal(p.localFP) {
		return "", fmt.Errorf("%w: own %s offer", ErrFingerprintChanged, what)
	}
	p.restarting = true
	return offer.SDP, nil
}

// AcceptRestart answers the remote side's later offer — an ICE restart,
// or a renegotiation of the tracks (renegotiate.go) — on a peer that has
// completed its first negotiation as the answerer.
func (p *Peer) AcceptRestart(ctx context.Context, offer string) (string, error) {
	if err := p.usable(ctx); err != nil {
		return "", err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.offered || !p.remoteSet {
		return "", fmt.Errorf("%w: restart offer before the first negotiation completed, or to the offerer", ErrWrongState)
	}
	before := remoteUfrag(p.pc.RemoteDescription())
	if err := p.applyRemoteAgain(webrtc.SDPTypeOffer, offer); err != nil {
		return "", err
	}
	restart := remoteUfrag(p.pc.RemoteDescription()) != before
	answer, err := p.pc.CreateAnswer(nil)
	if err != nil {
		return "", fmt.Errorf("rtc: create restart answer: %w", err)
	}
	fp, err := p.applyLocal(answer)
	if err != nil {
		return "", err
	}
	if !fp.Equal(p.localFP) {
		return "", fmt.Errorf("%w: own restart answer", ErrFingerprintChanged)
	}
	if restart {
		p.restarts.Add(1)
	}
	return answer.SDP, nil
}

// remoteUfrag is the ICE username fragment of a description: a later offer
// that changes it is an ICE restart, one that keeps it only renegotiates
// the tracks.
func remoteUfrag(d *webrtc.SessionDescription) string {
	if d == nil {
		return ""
	}
	parsed, err := parseSDP(d.SDP)
	if err != nil {
		return ""
	}
	if u, ok := parsed.Attribute("ice-ufrag"); ok {
		return u
	}
	if m := iceSection(parsed); m != nil {
		u, _ := m.Attribute("ice-ufrag")
		return u
	}
	return ""
}

// acceptRestartAnswer completes a restart this side offered. Called with
// p.mu held.
func (p *Peer) acceptRestartAnswer(answer string) error {
	if err := p.applyRemoteAgain(webrtc.SDPTypeAnswer, answer); err != nil {
		return err
	}
	p.restarting = false
	return nil
}

// applyRemoteAgain applies a renegotiating description, which must keep
// the fingerprint first negotiated. Called with p.mu held.
func (p *Peer) applyRemoteAgain(typ webrtc.SDPType, desc string) error {
	fp, err := checkRemote(typ, desc)
	if err != nil {
		return err
	}
	if !fp.Equal(p.remoteFP) {
		return fmt.Errorf("rtc: remote restart %s: %w", typ, ErrFingerprintChanged)
	}
	if err := p.pc.SetRemoteDescription(webrtc.SessionDescription{Type: typ, SDP: desc}); err != nil {
		return fmt.Errorf("rtc: remote restart %s: %w: %w", typ, ErrMalformedSDP, err)
	}
	return nil
}

// RestartPending reports whether a restart offer awaits its answer.
func (p *Peer) RestartPending() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.restarting
}

// Restarts counts the ICE restarts this side offered or answered
// (renegotiations of the tracks are not counted).
func (p *Peer) Restarts() uint64 { return p.restarts.Load() }
