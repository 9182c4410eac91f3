package identity

import (
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"math/big"
	"strings"
)

// PublicKeySize is the length of an Ed25519 public key.
const PublicKeySize = ed25519.PublicKeySize

// SignatureSize is the length of an Ed25519 signature.
const SignatureSize = ed25519.SignatureSize

// textPrefix starts the text form of a public key; it names the algorithm so
// that a later key type cannot be mistaken for this one.
const textPrefix = "ed25519:"

// MaxTextSize bounds the text form accepted by ParsePublicKey: the prefix and
// 43 characters of unpadded base64url.
const MaxTextSize = len(textPrefix) + 43

// PublicKey is a device's Ed25519 identity public key. The zero value is no
// key (IsZero). It is comparable, so it can key a map; compare two keys
// with Equal where timing matters.
type PublicKey struct {
	k [PublicKeySize]byte
}

// PublicKeyFromBytes checks a 32-byte wire encoding: it must be a canonical
// encoding of a curve point that is not of small order.
func PublicKeyFromBytes(b []byte) (PublicKey, error) {
	if len(b) != PublicKeySize {
		return PublicKey{}, fmt.Errorf("%w: %d bytes, want %d", ErrMalformed, len(b), PublicKeySize)
	}
	var k PublicKey
	copy(k.k[:], b)
	if err := k.check(); err != nil {
		return PublicKey{}, err
	}
	return k, nil
}

// ParsePublicKey reads the text form String writes ("ed25519:" and the 32
// bytes in unpadded base64url).
func ParsePublicKey(s string) (PublicKey, error) {
	if len(s) > MaxTextSize {
		return PublicKey{}, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(s), MaxTextSize)
	}
	alg, enc, ok := strings.Cut(s, ":")
	if !ok {
		return PublicKey{}, fmt.Errorf("%w: no algorithm prefix", ErrMalformed)
	}
	if alg+":" != textPrefix {
		return PublicKey{}, fmt.Errorf("%w: algorithm %q", ErrWrongType, alg)
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(enc)
	if err != nil {
		return PublicKey{}, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	return PublicKeyFromBytes(b)
}

// Bytes returns a copy of the 32-byte key.
func (k PublicKey) Bytes() []byte { return append([]byte(nil), k.k[:]...) }

// IsZero reports whether k is the zero value.
func (k PublicKey) IsZero() bool { return k == PublicKey{} }

// Equal compares two keys in constant time.
func (k PublicKey) Equal(o PublicKey) bool {
	return subtle.ConstantTimeCompare(k.k[:], o.k[:]) == 1
}

// String is the storage and log form, "ed25519:" and unpadded base64url.
// A public key is not secret.
func (k PublicKey) String() string {
	if k.IsZero() {
		return textPrefix + "none"
	}
	return textPrefix + base64.RawURLEncoding.EncodeToString(k.k[:])
}

// fingerprintLabel separates the fingerprint hash from every other hash.
const fingerprintLabel = "parley identity fingerprint v1\x00"

// Fingerprint is a short form to show to people: the first 128 bits of
// SHA-256(label || key) as eight groups of four hex digits.
func (k PublicKey) Fingerprint() string {
	d := sha256.Sum256(append([]byte(fingerprintLabel), k.k[:]...))
	h := hex.EncodeToString(d[:16])
	var b strings.Builder
	for i := 0; i < len(h); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(h[i : i+4])
	}
	return b.String()
}

// MarshalText implements encoding.TextMarshaler with String's form.
func (k PublicKey) MarshalText() ([]byte, error) {
	if k.IsZero() {
		return nil, fmt.Errorf("%w: zero key", ErrMalformed)
	}
	return []byte(k.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler with ParsePublicKey.
func (k *PublicKey) UnmarshalText(b []byte) error {
	p, err := ParsePublicKey(string(b))
	if err != nil {
		return err
	}
	*k = p
	return nil
}

// Verify reports whether sig is k's signature of msg.
func (k PublicKey) Verify(msg, sig []byte) bool {
	if len(sig) != SignatureSize || k.IsZero() {
		return false
	}
	return ed25519.Verify(k.k[:], msg, sig)
}

// fieldPrime is 2^255 - 19.
var fieldPrime = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))

// check refuses non-canonical and small-order encodings. Go's Ed25519
// verification is cofactorless and accepts any point, and for a point of
// small order a signature (R = [S]B) verifies for every message, so such a
// key would prove nothing. The check maps the point's y coordinate to the
// birationally equivalent Montgomery u = (1+y)/(1-y) (RFC 7748 section 4.1)
// and lets X25519 decide: a small-order point maps to a small-order u (or to
// the point at infinity, y = 1), whose product with a clamped scalar is
// zero, which crypto/ecdh reports as an error.
func (k PublicKey) check() error {
	var le [PublicKeySize]byte
	copy(le[:], k.k[:])
	le[31] &= 0x7f // the sign of x
	y := new(big.Int).SetBytes(reversed(le[:]))
	if y.Cmp(fieldPrime) >= 0 {
		return fmt.Errorf("%w: non-canonical encoding", ErrMalformed)
	}
	if err := onCurve(k.k[:]); err != nil {
		return err
	}
	one := big.NewInt(1)
	den := new(big.Int).Sub(one, y)
	den.Mod(den, fieldPrime)
	if den.Sign() == 0 { // y = 1: the identity point
		return ErrWeakKey
	}
	u := new(big.Int).Add(one, y)
	u.Mul(u, new(big.Int).ModInverse(den, fieldPrime))
	u.Mod(u, fieldPrime)
	var ub [32]byte
	u.FillBytes(ub[:])
	pub, err := ecdh.X25519().NewPublicKey(reversed(ub[:]))
	if err != nil {
		return fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if _, err := smallOrderProbe.ECDH(pub); err != nil {
		return ErrWeakKey
	}
	return nil
}

// smallOrderProbe is a fixed X25519 scalar; any clamped scalar kills the
// small-order component, and its value is public.
var smallOrderProbe = func() *ecdh.PrivateKey {
	var s [32]byte
	s[0] = 9
	k, err := ecdh.X25519().NewPrivateKey(s[:])
	if err != nil {
		panic(err)
	}
	return k
}()

// onCurve decodes b as RFC 8032 section 5.1.3 does, steps 2 to 4: it
// recovers x^2 = (y^2 - 1) / (d y^2 + 1) and requires it to be a square
// (and x = 0 to come with a clear sign bit); otherwise b is not a point.
func onCurve(b []byte) error {
	var le [PublicKeySize]byte
	copy(le[:], b)
	le[31] &= 0x7f
	y := new(big.Int).SetBytes(reversed(le[:]))
	y2 := new(big.Int).Mul(y, y)
	y2.Mod(y2, fieldPrime)
	num := new(big.Int).Sub(y2, big.NewInt(1))
	num.Mod(num, fieldPrime)
	den := new(big.Int).Mul(curveD, y2)
	den.Add(den, big.NewInt(1))
	den.Mod(den, fieldPrime)
	x2 := new(big.Int).Mul(num, new(big.Int).ModInverse(den, fieldPrime))
	x2.Mod(x2, fieldPrime)
	switch {
	case x2.Sign() == 0 && b[31]&0x80 != 0:
		return fmt.Errorf("%w: not a curve point (x = 0 with a sign)", ErrMalformed)
	case x2.Sign() != 0 && big.Jacobi(x2, fieldPrime) != 1:
		return fmt.Errorf("%w: not a curve point", ErrMalformed)
	}
	return nil
}

// curveD is edwards25519's d = -121665/121666 mod p (RFC 8032 section 5.1).
var curveD = func() *big.Int {
	d := new(big.Int).ModInverse(big.NewInt(121666), fieldPrime)
	d.Mul(d, big.NewInt(-121665))
	return d.Mod(d, fieldPrime)
}()

func reversed(b []byte) []byte {
	out := make([]byte, len(b))
	for i := range b {
		out[len(b)-1-i] = b[i]
	}
	return out
}
