package turn

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
)

// MinSecretLen is the shortest shared secret Validate accepts.
const MinSecretLen = 16

// Secret is the key shared with every TURN server that accepts Parley's
// credentials (coturn's static-auth-secret). It never prints itself.
type Secret struct{ b []byte }

// NewSecret wraps the bytes of a configured secret (coturn takes the
// static-auth-secret line's bytes as they are).
func NewSecret(s string) Secret { return Secret{b: []byte(s)} }

// GenerateSecret returns 32 random bytes, base64 encoded so the same text
// can go into coturn's configuration.
func GenerateSecret() (Secret, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return Secret{}, fmt.Errorf("turn: generate secret: %w", err)
	}
	return NewSecret(base64.RawStdEncoding.EncodeToString(raw)), nil
}

// Len is the secret's length in bytes.
func (s Secret) Len() int { return len(s.b) }

// IsZero reports whether no secret is set.
func (s Secret) IsZero() bool { return len(s.b) == 0 }

// Equal compares two secrets in constant time.
func (s Secret) Equal(o Secret) bool { return subtle.ConstantTimeCompare(s.b, o.b) == 1 }

// Reveal returns the secret's text, for writing coturn's configuration.
func (s Secret) Reveal() string { return string(s.b) }

// String never shows the secret.
func (s Secret) String() string { return "turn.Secret(redacted)" }

// GoString never shows the secret.
func (s Secret) GoString() string { return s.String() }
