package rtc

import (
	"fmt"
	"strings"

	"github.com/parley-voip/parley/crypto/fingerprint"
	"github.com/pion/sdp/v3"
)

// MaxSDPSize bounds a session description accepted from the network. A
// one-audio-section offer with a few candidates is 1–3 KiB.
const MaxSDPSize = 32 << 10

// ParseFingerprint returns the DTLS certificate fingerprint a session
// description commits to (package crypto/fingerprint: SHA-256 or stronger).
// It picks the same attribute pion verifies the DTLS handshake against:
// session level first, else the bundled media section, else the first
// media section that has one.
func ParseFingerprint(desc string) (fingerprint.Fingerprint, error) {
	parsed, err := parseSDP(desc)
	if err != nil {
		return fingerprint.Fingerprint{}, err
	}
	return fingerprintOf(parsed)
}

func parseSDP(desc string) (*sdp.SessionDescription, error) {
	if len(desc) > MaxSDPSize {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrSDPTooLarge, len(desc), MaxSDPSize)
	}
	if desc == "" {
		return nil, fmt.Errorf("%w: empty", ErrMalformedSDP)
	}
	var parsed sdp.SessionDescription
	if err := parsed.UnmarshalString(desc); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformedSDP, err)
	}
	return &parsed, nil
}

func fingerprintOf(desc *sdp.SessionDescription) (fingerprint.Fingerprint, error) {
	raw, ok := desc.Attribute("fingerprint")
	if !ok {
		raw, ok = mediaFingerprint(desc)
	}
	if !ok {
		return fingerprint.Fingerprint{}, ErrNoFingerprint
	}
	fp, err := fingerprint.Parse(raw)
	if err != nil {
		return fingerprint.Fingerprint{}, fmt.Errorf("rtc: dtls fingerprint: %w", err)
	}
	return fp, nil
}

func mediaFingerprint(desc *sdp.SessionDescription) (string, bool) {
	if bundle := bundleMid(desc); bundle != "" {
		for _, m := range desc.MediaDescriptions {
			if mid, _ := m.Attribute("mid"); mid == bundle {
				return m.Attribute("fingerprint")
			}
		}
		return "", false
	}
	for _, m := range desc.MediaDescriptions {
		if fp, ok := m.Attribute("fingerprint"); ok {
			return fp, true
		}
	}
	return "", false
}

func bundleMid(desc *sdp.SessionDescription) string {
	group, ok := desc.Attribute("group")
	if !ok {
		return ""
	}
	fields := strings.Fields(group)
	if len(fields) < 2 || fields[0] != "BUNDLE" {
		return ""
	}
	return fields[1]
}

func hasAudio(desc *sdp.SessionDescription) bool {
	for _, m := range desc.MediaDescriptions {
		if m.MediaName.Media == "audio" {
			return true
		}
	}
	return false
}
