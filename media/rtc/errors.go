package rtc

import "errors"

// Sentinel errors; callers tell cases apart with errors.Is. Errors caused by
// remote input (SDP, candidates) wrap one of these, so a malformed message
// from the network ends the negotiation with a typed error, never a panic.
var (
	ErrClosed               = errors.New("rtc: peer closed")
	ErrInvalidConfig        = errors.New("rtc: invalid config")
	ErrSDPTooLarge          = errors.New("rtc: session description too large")
	ErrMalformedSDP         = errors.New("rtc: malformed session description")
	ErrNoFingerprint        = errors.New("rtc: session description has no dtls fingerprint")
	ErrMalformedFingerprint = errors.New("rtc: malformed dtls fingerprint")
	ErrWeakFingerprint      = errors.New("rtc: dtls fingerprint hash not accepted")
	ErrNoAudio              = errors.New("rtc: session description has no audio section")
	ErrCandidateTooLarge    = errors.New("rtc: ice candidate too large")
	ErrMalformedCandidate   = errors.New("rtc: malformed ice candidate")
	ErrTooManyCandidates    = errors.New("rtc: too many queued ice candidates")
	ErrWrongState           = errors.New("rtc: call not valid in this negotiation state")
	ErrFrameTooLarge        = errors.New("rtc: frame too large for one rtp packet")
	ErrMalformedRTP         = errors.New("rtc: malformed rtp packet")
)
