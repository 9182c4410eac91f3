package e2ee

import (
	"crypto/rand"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/parley-voip/parley/crypto/identity"
	"github.com/parley-voip/parley/crypto/sframe"
)

// MaxIDLength bounds CallID, InitiatorID and ResponderID in bytes; it keeps
// every transcript field within its 16-bit length prefix.
const MaxIDLength = 1024

// Config describes one call's handshake. Everything in it is known to both
// sides before the handshake starts (from signaling and the SDP offer and
// answer) and is bound into the transcript, so the two sides must fill it
// with the same values; any difference changes the security code and fails
// key confirmation.
type Config struct {
	Role Role

	CallID      string
	InitiatorID string
	ResponderID string

	// DTLS certificate fingerprints as in SDP's a=fingerprint, for example
	// "sha-256 AB:CD:...". They are canonicalised (lower-case hash name,
	// upper-case hex) before use, because RFC 8122 makes the hash name
	// case-insensitive and the two sides may have received differently
	// cased copies.
	InitiatorFingerprint string
	ResponderFingerprint string

	// Suite is the SFrame suite for media; zero means
	// AES_128_GCM_SHA256_128.
	Suite sframe.Suite

	// Identity is this device's long-term identity key; required. Its
	// public half is sent in the handshake and the private half signs the
	// transcript, so the peer learns (Result.PeerIdentity) which device
	// took part. The handshake only reads it and never erases it.
	Identity *identity.PrivateKey

	// Rand supplies the X25519 scalars, the ML-KEM seed and the nonces; nil
	// means crypto/rand.Reader. ML-KEM encapsulation always draws from
	// crypto/rand (the standard library takes no reader there).
	Rand io.Reader
}

// Validate reports whether c can start a handshake. Zero Suite and nil Rand
// are valid; New fills in their defaults.
func (c *Config) Validate() error {
	if !c.Role.valid() {
		return fmt.Errorf("%w: role %v", ErrInvalidConfig, c.Role)
	}
	for _, f := range []struct{ name, v string }{
		{"call id", c.CallID},
		{"initiator id", c.InitiatorID},
		{"responder id", c.ResponderID},
	} {
		if f.v == "" || len(f.v) > MaxIDLength || !utf8.ValidString(f.v) {
			return fmt.Errorf("%w: %s must be 1..%d bytes of UTF-8", ErrInvalidConfig, f.name, MaxIDLength)
		}
	}
	if _, err := canonicalFingerprint(c.InitiatorFingerprint); err != nil {
		return fmt.Errorf("%w: initiator fingerprint: %w", ErrInvalidConfig, err)
	}
	if _, err := canonicalFingerprint(c.ResponderFingerprint); err != nil {
		return fmt.Errorf("%w: responder fingerprint: %w", ErrInvalidConfig, err)
	}
	if c.Identity == nil {
		return fmt.Errorf("%w: no identity key", ErrInvalidConfig)
	}
	if c.Suite != 0 && !c.Suite.Valid() {
		return fmt.Errorf("%w: sframe suite 0x%04x", ErrInvalidConfig, uint16(c.Suite))
	}
	return nil
}

// withDefaults returns a validated copy with defaults applied and the
// fingerprints canonicalised.
func (c Config) withDefaults() (Config, error) {
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	if c.Suite == 0 {
		c.Suite = defaultSuite
	}
	if c.Rand == nil {
		c.Rand = rand.Reader
	}
	c.InitiatorFingerprint, _ = canonicalFingerprint(c.InitiatorFingerprint)
	c.ResponderFingerprint, _ = canonicalFingerprint(c.ResponderFingerprint)
	return c, nil
}

// canonicalFingerprint parses an SDP fingerprint value ("hash-func HEX:HEX:…",
// RFC 8122 section 5) and returns it as "hash-func HH:HH:…" with a lower-case
// hash name and upper-case hex.
func canonicalFingerprint(s string) (string, error) {
	parts := strings.Fields(s)
	if len(parts) != 2 {
		return "", fmt.Errorf("want \"hash-func HEX:HEX:...\", got %d fields", len(parts))
	}
	alg := strings.ToLower(parts[0])
	if len(alg) > 16 {
		return "", fmt.Errorf("hash function name too long")
	}
	for _, r := range alg {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return "", fmt.Errorf("hash function name %q", alg)
		}
	}
	octets := strings.Split(parts[1], ":")
	if len(octets) < 16 || len(octets) > 64 {
		return "", fmt.Errorf("fingerprint has %d octets, want 16..64", len(octets))
	}
	for _, o := range octets {
		if len(o) != 2 || !isHex(o[0]) || !isHex(o[1]) {
			return "", fmt.Errorf("fingerprint octet %q", o)
		}
	}
	return alg + " " + strings.ToUpper(parts[1]), nil
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
