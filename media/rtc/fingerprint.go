package rtc

import (
	"fmt"
	"strings"

	"github.com/pion/sdp/v3"
)

// MaxSDPSize bounds a session description accepted from the network. A
// one-audio-section offer with a few candidates is 1–3 KiB.
const MaxSDPSize = 32 << 10

// fingerprintSizes are the certificate hashes accepted for the E2EE
// transcript, with their digest lengths. SHA-1 and MD5 are refused: the
// fingerprint stands in for the DTLS certificate, so it must be collision
// resistant.
var fingerprintSizes = map[string]int{"sha-256": 32, "sha-384": 48, "sha-512": 64}

// ParseFingerprint returns the DTLS certificate fingerprint a session
// description commits to, in canonical form ("sha-256 AB:CD:…", lowercase
// hash name, uppercase hex). It picks the same attribute pion verifies the
// DTLS handshake against: session level first, else the bundled media
// section, else the first media section that has one.
func ParseFingerprint(desc string) (string, error) {
	parsed, err := parseSDP(desc)
	if err != nil {
		return "", err
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

func fingerprintOf(desc *sdp.SessionDescription) (string, error) {
	raw, ok := desc.Attribute("fingerprint")
	if !ok {
		raw, ok = mediaFingerprint(desc)
	}
	if !ok {
		return "", ErrNoFingerprint
	}
	return canonicalFingerprint(raw)
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

// canonicalFingerprint validates "hash-func HEX:HEX:…" (RFC 8122 section 5)
// and returns it normalised, so both ends put byte-identical strings into
// the E2EE transcript whatever case the SDP used.
func canonicalFingerprint(raw string) (string, error) {
	hash, hexPart, ok := strings.Cut(strings.TrimSpace(raw), " ")
	if !ok {
		return "", fmt.Errorf("%w: no hash function", ErrMalformedFingerprint)
	}
	hash = strings.ToLower(hash)
	size, known := fingerprintSizes[hash]
	if !known {
		return "", fmt.Errorf("%w: %.16q", ErrWeakFingerprint, hash)
	}
	if len(hexPart) != 3*size-1 {
		return "", fmt.Errorf("%w: %s digest of %d characters", ErrMalformedFingerprint, hash, len(hexPart))
	}
	var b strings.Builder
	b.Grow(len(hash) + 1 + len(hexPart))
	b.WriteString(hash)
	b.WriteByte(' ')
	for i := 0; i < len(hexPart); i++ {
		c := hexPart[i]
		if i%3 == 2 {
			if c != ':' {
				return "", fmt.Errorf("%w: expected ':' at %d", ErrMalformedFingerprint, i)
			}
			b.WriteByte(c)
			continue
		}
		switch {
		case '0' <= c && c <= '9', 'A' <= c && c <= 'F':
		case 'a' <= c && c <= 'f':
			c -= 'a' - 'A'
		default:
			return "", fmt.Errorf("%w: non-hex byte at %d", ErrMalformedFingerprint, i)
		}
		b.WriteByte(c)
	}
	return b.String(), nil
}

func hasAudio(desc *sdp.SessionDescription) bool {
	for _, m := range desc.MediaDescriptions {
		if m.MediaName.Media == "audio" {
			return true
		}
	}
	return false
}
