package rtc

import "errors"

// Sentinel errors; callers tell cases apart with errors.Is. Errors caused by
// remote input (SDP, candidates) wrap one of these, so a malformed message
// from the network ends the negotiation with a typed error, never a panic.
var (
	ErrClosed        = errors.New("rtc: peer closed")
	ErrInvalidConfig = errors.New("rtc: invalid config")
	ErrSDPTooLarge   = errors.New("rtc: session description too large")
	ErrMalformedSDP  = errors.New("rtc: malformed session description")
	ErrNoFingerprint = errors.New("rtc: session description has no dtls fingerprint")
	// ErrCertificateMismatch: the certificate the peer presented in the
	// DTLS handshake does not hash to the fingerprint its session
	// description committed to (the one the E2EE transcript binds).
	ErrCertificateMismatch = errors.New("rtc: remote dtls certificate does not match its fingerprint")
	// ErrNoRemoteCertificate: DTLS has not completed, so there is no
	// certificate to check yet.
	ErrNoRemoteCertificate = errors.New("rtc: no remote dtls certificate yet")
	ErrNoAudio             = errors.New("rtc: session description has no audio section")
	ErrCandidateTooLarge   = errors.New("rtc: ice candidate too large")
	ErrMalformedCandidate  = errors.New("rtc: malformed ice candidate")
	ErrTooManyCandidates   = errors.New("rtc: too many queued ice candidates")
	ErrWrongState          = errors.New("rtc: call not valid in this negotiation state")
	// ErrFingerprintChanged: an ICE restart's description carries another
	// DTLS fingerprint than the first negotiation; a restart keeps the
	// DTLS session, so this is refused.
	ErrFingerprintChanged = errors.New("rtc: dtls fingerprint changed in a renegotiation")
	ErrFrameTooLarge      = errors.New("rtc: frame too large for one rtp packet")
	ErrMalformedRTP       = errors.New("rtc: malformed rtp packet")
)
