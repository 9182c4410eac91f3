package e2ee

import (
	"crypto/rand"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/parley-voip/parley/crypto/fingerprint"
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

	// DTLS certificate fingerprints from the SDP offer and answer (the
	// initiator's is in the offer). Their canonical form goes into the
	// transcript, so both sides bind byte-identical strings whatever case
	// their SDP used.
	InitiatorFingerprint fingerprint.Fingerprint
	ResponderFingerprint fingerprint.Fingerprint

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
	if c.InitiatorFingerprint.IsZero() || c.ResponderFingerprint.IsZero() {
		return fmt.Errorf("%w: both dtls fingerprints are required", ErrInvalidConfig)
	}
	if c.Identity == nil {
		return fmt.Errorf("%w: no identity key", ErrInvalidConfig)
	}
	if c.Suite != 0 && !c.Suite.Valid() {
		return fmt.Errorf("%w: sframe suite 0x%04x", ErrInvalidConfig, uint16(c.Suite))
	}
	return nil
}

// withDefaults returns a validated copy with defaults applied.
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
	return c, nil
}
