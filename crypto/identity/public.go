package identity

import (
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

// check refuses non-canonical encodings, non-points and points of small
// order. Go's Ed25519 verification is cofactorless and accepts any point,
// and for a point of small order a signature (R = [S]B) verifies for every
// message, so such a key would prove nothing.
//
// Decoding follows RFC 8032 section 5.1.3 without computing x: y must be
// below p, and x^2 = (y^2 - 1) / (d y^2 + 1) must be a square (the
// denominator is never zero, as -1/d is not a square), with x = 0 carrying
// a clear sign bit. The order is checked on the birationally equivalent
// Montgomery curve (RFC 7748 section 4.1), u = (1 + y) / (1 - y), kept
// projective as (1 + y : 1 - y) so no inversion is needed: the point has
// order dividing 8 exactly when three x-only doublings reach the point at
// infinity (Z = 0). y = 1 is the neutral element itself.
func (k PublicKey) check() error {
	var le [PublicKeySize]byte
	copy(le[:], k.k[:])
	le[31] &= 0x7f // the sign of x
	y := new(big.Int).SetBytes(reversed(le[:]))
	if y.Cmp(fieldPrime) >= 0 {
		return fmt.Errorf("%w: non-canonical encoding", ErrMalformed)
	}
	p := fieldPrime
	mod := func(v *big.Int) *big.Int { return v.Mod(v, p) }
	y2 := mod(new(big.Int).Mul(y, y))
	num := mod(new(big.Int).Sub(y2, big.NewInt(1)))
	den := mod(new(big.Int).Add(new(big.Int).Mul(curveD, y2), big.NewInt(1)))
	switch j := big.Jacobi(mod(new(big.Int).Mul(num, den)), p); {
	case j == -1:
		return fmt.Errorf("%w: not a curve point", ErrMalformed)
	case j == 0 && k.k[31]&0x80 != 0: // x = 0 with a sign (RFC 8032 step 4)
		return fmt.Errorf("%w: not a curve point (x = 0 with a sign)", ErrMalformed)
	}
	x := mod(new(big.Int).Add(big.NewInt(1), y))
	z := mod(new(big.Int).Sub(big.NewInt(1), y))
	if z.Sign() == 0 {
		return ErrWeakKey
	}
	for range 3 {
		// RFC 7748's ladder doubling: AA = (X+Z)^2, BB = (X-Z)^2,
		// E = AA - BB, X' = AA*BB, Z' = E*(AA + a24*E), a24 = 121665.
		aa := mod(new(big.Int).Exp(new(big.Int).Add(x, z), big.NewInt(2), p))
		bb := mod(new(big.Int).Exp(new(big.Int).Sub(x, z), big.NewInt(2), p))
		e := mod(new(big.Int).Sub(aa, bb))
		x = mod(new(big.Int).Mul(aa, bb))
		z = mod(new(big.Int).Mul(e, mod(new(big.Int).Add(aa, new(big.Int).Mul(a24, e)))))
	}
	if z.Sign() == 0 {
		return ErrWeakKey
	}
	return nil
}

var a24 = big.NewInt(121665)

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
