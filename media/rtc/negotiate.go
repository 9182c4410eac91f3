package rtc

import (
	"context"
	"fmt"

	"github.com/parley-voip/parley/crypto/fingerprint"
	"github.com/pion/webrtc/v4"
)

// CreateOffer starts negotiation as the caller: it creates and applies the
// local offer, starts ICE gathering (candidates go to OnLocalCandidate), and
// returns the offer SDP to send. Candidates are trickled, not waited for.
func (p *Peer) CreateOffer(ctx context.Context) (string, error) {
	if err := p.usable(ctx); err != nil {
		return "", err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.offered || p.remoteSet {
		return "", fmt.Errorf("%w: create offer after negotiation started", ErrWrongState)
	}
	offer, err := p.pc.CreateOffer(nil)
	if err != nil {
		return "", fmt.Errorf("rtc: create offer: %w", err)
	}
	fp, err := p.applyLocal(offer)
	if err != nil {
		return "", err
	}
	p.offered = true
	p.localFP = fp
	return offer.SDP, nil
}

// AcceptOffer answers a remote offer as the callee: it applies the offer,
// releases candidates queued before it, creates and applies the answer and
// returns it. A malformed or oversized offer yields ErrSDPTooLarge,
// ErrMalformedSDP, ErrNoAudio or a fingerprint error, and the Peer stays
// unchanged.
func (p *Peer) AcceptOffer(ctx context.Context, offer string) (string, error) {
	if err := p.usable(ctx); err != nil {
		return "", err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.offered || p.remoteSet {
		return "", fmt.Errorf("%w: offer received after negotiation started", ErrWrongState)
	}
	if err := p.applyRemote(webrtc.SDPTypeOffer, offer); err != nil {
		return "", err
	}
	if err := ctx.Err(); err != nil {
		return "", fmt.Errorf("rtc: accept offer: %w", err)
	}
	answer, err := p.pc.CreateAnswer(nil)
	if err != nil {
		return "", fmt.Errorf("rtc: create answer: %w", err)
	}
	fp, err := p.applyLocal(answer)
	if err != nil {
		return "", err
	}
	p.localFP = fp
	return answer.SDP, nil
}

// AcceptAnswer completes negotiation as the caller and releases the remote
// candidates queued until now. It also completes an ICE restart this side
// offered (RestartICE).
func (p *Peer) AcceptAnswer(answer string) error {
	if p.closed() {
		return ErrClosed
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.restarting {
		return p.acceptRestartAnswer(answer)
	}
	if !p.offered || p.remoteSet {
		return fmt.Errorf("%w: answer without a pending offer", ErrWrongState)
	}
	return p.applyRemote(webrtc.SDPTypeAnswer, answer)
}

// AddRemoteCandidate adds a candidate trickled by the remote side. It is
// validated at once (ErrCandidateTooLarge, ErrMalformedCandidate); before
// the remote description is applied it is queued (up to
// Config.MaxQueuedCandidates, then ErrTooManyCandidates), because signaling
// may deliver candidates ahead of the offer or answer that they belong to.
func (p *Peer) AddRemoteCandidate(c Candidate) error {
	if p.closed() {
		return ErrClosed
	}
	if err := c.Validate(); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.remoteSet {
		if len(p.pending) >= p.maxQueued {
			return fmt.Errorf("%w: limit %d", ErrTooManyCandidates, p.maxQueued)
		}
		p.pending = append(p.pending, c)
		return nil
	}
	if err := p.pc.AddICECandidate(c.toPion()); err != nil {
		return fmt.Errorf("%w: %w", ErrMalformedCandidate, err)
	}
	return nil
}

func (p *Peer) usable(ctx context.Context) error {
	if p.closed() {
		return ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("rtc: negotiation: %w", err)
	}
	return nil
}

// applyLocal sets a description we created and returns our fingerprint.
// Called with p.mu held.
func (p *Peer) applyLocal(desc webrtc.SessionDescription) (fingerprint.Fingerprint, error) {
	if err := p.pc.SetLocalDescription(desc); err != nil {
		return fingerprint.Fingerprint{}, fmt.Errorf("rtc: set local %s: %w", desc.Type, err)
	}
	fp, err := ParseFingerprint(desc.SDP)
	if err != nil {
		return fingerprint.Fingerprint{}, fmt.Errorf("rtc: own %s: %w", desc.Type, err)
	}
	return fp, nil
}

// applyRemote checks a description from the network, applies it and flushes
// the candidate queue. Called with p.mu held.
func (p *Peer) applyRemote(typ webrtc.SDPType, desc string) error {
	fp, err := checkRemote(typ, desc)
	if err != nil {
		return err
	}
	if err := p.pc.SetRemoteDescription(webrtc.SessionDescription{Type: typ, SDP: desc}); err != nil {
		return fmt.Errorf("rtc: remote %s: %w: %w", typ, ErrMalformedSDP, err)
	}
	p.remoteSet = true
	p.remoteFP = fp
	for _, c := range p.pending {
		// Each was validated on arrival; pion may still refuse one (say, a
		// stale ufrag). One bad candidate must not sink the others.
		if err := p.pc.AddICECandidate(c.toPion()); err != nil {
			p.log.Warn("rtc: queued remote candidate refused", "err", err)
		}
	}
	p.pending = nil
	return nil
}

// checkRemote checks a description from the network (size, syntax, an
// audio section, one fingerprint, ICE credentials) and returns its
// fingerprint.
func checkRemote(typ webrtc.SDPType, desc string) (fingerprint.Fingerprint, error) {
	parsed, err := parseSDP(desc)
	if err != nil {
		return fingerprint.Fingerprint{}, fmt.Errorf("rtc: remote %s: %w", typ, err)
	}
	if !hasAudio(parsed) {
		return fingerprint.Fingerprint{}, fmt.Errorf("rtc: remote %s: %w", typ, ErrNoAudio)
	}
	fp, err := fingerprintOf(parsed)
	if err != nil {
		return fingerprint.Fingerprint{}, fmt.Errorf("rtc: remote %s: %w", typ, err)
	}
	if err := checkICE(parsed); err != nil {
		return fingerprint.Fingerprint{}, fmt.Errorf("rtc: remote %s: %w", typ, err)
	}
	return fp, nil
}
