package rtc

import (
	"fmt"
	"strings"

	"github.com/pion/ice/v4"
	"github.com/pion/webrtc/v4"
)

// Size limits for candidates from the network. A real candidate line is
// about 100–200 bytes; a mid is a short token ("0").
const (
	MaxCandidateSize = 1024
	MaxMidSize       = 64
)

// Candidate is one trickled ICE candidate, shaped like the browser's
// RTCIceCandidateInit (and webrtc.ICECandidateInit) so it can go over
// signaling as JSON unchanged.
type Candidate struct {
	Candidate     string  `json:"candidate"`
	SDPMid        *string `json:"sdpMid,omitempty"`
	SDPMLineIndex *uint16 `json:"sdpMLineIndex,omitempty"`
}

// Validate checks a candidate received from the network before it is queued
// or handed to pion. The empty candidate means end of candidates and is valid.
func (c Candidate) Validate() error {
	if len(c.Candidate) > MaxCandidateSize {
		return fmt.Errorf("%w: %d bytes, limit %d", ErrCandidateTooLarge, len(c.Candidate), MaxCandidateSize)
	}
	if c.SDPMid != nil && len(*c.SDPMid) > MaxMidSize {
		return fmt.Errorf("%w: sdpMid of %d bytes", ErrMalformedCandidate, len(*c.SDPMid))
	}
	value := strings.TrimPrefix(c.Candidate, "candidate:")
	if value == "" {
		return nil
	}
	if _, err := ice.UnmarshalCandidate(value); err != nil {
		return fmt.Errorf("%w: %w", ErrMalformedCandidate, err)
	}
	return nil
}

func (c Candidate) toPion() webrtc.ICECandidateInit {
	return webrtc.ICECandidateInit{Candidate: c.Candidate, SDPMid: c.SDPMid, SDPMLineIndex: c.SDPMLineIndex}
}

func candidateFromPion(c webrtc.ICECandidateInit) Candidate {
	return Candidate{Candidate: c.Candidate, SDPMid: c.SDPMid, SDPMLineIndex: c.SDPMLineIndex}
}
