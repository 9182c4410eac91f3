package sframe

import (
	"crypto/hkdf"
	"encoding/binary"
	"fmt"
)

// Labels of RFC 9605 section 4.4.2; the KID (8 bytes) and the suite
// (2 bytes), both big-endian, follow.
const (
	keyLabelPrefix  = "SFrame 1.0 Secret key "
	saltLabelPrefix = "SFrame 1.0 Secret salt "
)

// deriveLabel returns prefix || uint64(kid) || uint16(suite).
func deriveLabel(prefix string, kid uint64, s Suite) []byte {
	l := make([]byte, 0, len(prefix)+10)
	l = append(l, prefix...)
	l = binary.BigEndian.AppendUint64(l, kid)
	return binary.BigEndian.AppendUint16(l, uint16(s))
}

// deriveKeySalt implements derive_key_salt of RFC 9605 section 4.4.2. The
// intermediate secret is wiped before returning; the caller owns the
// returned key and must wipe it when done.
func deriveKeySalt(s Suite, p *suiteParams, kid uint64, baseKey []byte) (key []byte, salt [nonceSize]byte, err error) {
	if len(baseKey) < MinBaseKeySize || len(baseKey) > MaxBaseKeySize {
		return nil, salt, fmt.Errorf("%w: %d bytes, want %d to %d", ErrKeySize, len(baseKey), MinBaseKeySize, MaxBaseKeySize)
	}
	secret, err := hkdf.Extract(p.newHash, baseKey, nil)
	if err != nil {
		return nil, salt, fmt.Errorf("sframe: hkdf extract: %w", err)
	}
	defer clear(secret)
	key, err = hkdf.Expand(p.newHash, secret, string(deriveLabel(keyLabelPrefix, kid, s)), p.nk)
	if err != nil {
		return nil, salt, fmt.Errorf("sframe: hkdf expand key: %w", err)
	}
	saltBytes, err := hkdf.Expand(p.newHash, secret, string(deriveLabel(saltLabelPrefix, kid, s)), nonceSize)
	if err != nil {
		clear(key)
		return nil, salt, fmt.Errorf("sframe: hkdf expand salt: %w", err)
	}
	copy(salt[:], saltBytes)
	clear(saltBytes)
	return key, salt, nil
}
