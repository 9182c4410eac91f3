package fingerprint

import (
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"fmt"
	"strings"
)

// Hash is a hash function a fingerprint may use.
type Hash uint8

// The accepted hash functions; the zero value is none.
const (
	SHA256 Hash = iota + 1
	SHA384
	SHA512
)

// String is the RFC 8122 (IANA "Hash Function Textual Names") name.
func (h Hash) String() string {
	switch h {
	case SHA256:
		return "sha-256"
	case SHA384:
		return "sha-384"
	case SHA512:
		return "sha-512"
	}
	return fmt.Sprintf("Hash(%d)", uint8(h))
}

// Size is the digest length in bytes.
func (h Hash) Size() int {
	switch h {
	case SHA256:
		return sha256.Size
	case SHA384:
		return sha512.Size384
	case SHA512:
		return sha512.Size
	}
	return 0
}

func (h Hash) sum(der []byte) [maxDigest]byte {
	var out [maxDigest]byte
	switch h {
	case SHA256:
		s := sha256.Sum256(der)
		copy(out[:], s[:])
	case SHA384:
		s := sha512.Sum384(der)
		copy(out[:], s[:])
	case SHA512:
		s := sha512.Sum512(der)
		copy(out[:], s[:])
	}
	return out
}

// weakHashes are the other names of the IANA registry RFC 8122 refers to.
var weakHashes = map[string]bool{"md2": true, "md5": true, "sha-1": true, "sha-224": true}

const maxDigest = sha512.Size

// MaxSize bounds the text Parse accepts: "sha-512 " and 64 hex pairs with
// colons, with room for surrounding white space.
const MaxSize = 256

// Fingerprint is a certificate digest under a named hash. The zero value is
// no fingerprint (IsZero). It is comparable; Equal compares in constant
// time.
type Fingerprint struct {
	hash   Hash
	digest [maxDigest]byte // the first hash.Size() bytes are used
}

// Parse reads an SDP fingerprint value: "hash-func SP fingerprint" (RFC
// 8122 section 5), the hash name case-insensitive, the digest as pairs of
// hex digits (either case) separated by colons and exactly as long as the
// hash's output. Surrounding white space is ignored.
func Parse(s string) (Fingerprint, error) {
	if len(s) > MaxSize {
		return Fingerprint{}, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(s), MaxSize)
	}
	name, hexPart, ok := strings.Cut(strings.TrimSpace(s), " ")
	if !ok {
		return Fingerprint{}, fmt.Errorf("%w: want \"hash-func HEX:HEX:...\"", ErrMalformed)
	}
	var f Fingerprint
	switch name = strings.ToLower(name); name {
	case "sha-256":
		f.hash = SHA256
	case "sha-384":
		f.hash = SHA384
	case "sha-512":
		f.hash = SHA512
	default:
		if weakHashes[name] {
			return Fingerprint{}, fmt.Errorf("%w: %s", ErrWeakHash, name)
		}
		return Fingerprint{}, fmt.Errorf("%w: %.16q", ErrUnknownHash, name)
	}
	n := f.hash.Size()
	if len(hexPart) != 3*n-1 {
		return Fingerprint{}, fmt.Errorf("%w: %s digest of %d characters, want %d", ErrMalformed, name, len(hexPart), 3*n-1)
	}
	for i := range n {
		if i > 0 && hexPart[3*i-1] != ':' {
			return Fingerprint{}, fmt.Errorf("%w: expected ':' at %d", ErrMalformed, 3*i-1)
		}
		hi, ok1 := unhex(hexPart[3*i])
		lo, ok2 := unhex(hexPart[3*i+1])
		if !ok1 || !ok2 {
			return Fingerprint{}, fmt.Errorf("%w: non-hex digit in octet %d", ErrMalformed, i)
		}
		f.digest[i] = hi<<4 | lo
	}
	return f, nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// FromCertificate is the fingerprint of a DER-encoded certificate under h.
// It panics if h is not one of the accepted hashes (a programming error).
func FromCertificate(h Hash, der []byte) Fingerprint {
	if h.Size() == 0 {
		panic(fmt.Sprintf("fingerprint: unsupported hash %v", h))
	}
	return Fingerprint{hash: h, digest: h.sum(der)}
}

// Matches reports whether der is the certificate f names: its digest under
// f's hash equals f, compared in constant time. The zero Fingerprint
// matches nothing.
func (f Fingerprint) Matches(der []byte) bool {
	if f.IsZero() || len(der) == 0 {
		return false
	}
	return f.Equal(FromCertificate(f.hash, der))
}

// Hash is the hash function f uses.
func (f Fingerprint) Hash() Hash { return f.hash }

// IsZero reports whether f is the zero value.
func (f Fingerprint) IsZero() bool { return f.hash == 0 }

// Equal compares hash and digest in constant time.
func (f Fingerprint) Equal(o Fingerprint) bool {
	return subtle.ConstantTimeByteEq(byte(f.hash), byte(o.hash))&
		subtle.ConstantTimeCompare(f.digest[:], o.digest[:]) == 1
}

// String is the canonical form, "sha-256 AB:CD:…": lower-case hash name,
// one space, upper-case hex. Both ends of a call produce byte-identical
// strings for the same certificate, whatever case their SDP used. The zero
// value prints as the empty string.
func (f Fingerprint) String() string {
	if f.IsZero() {
		return ""
	}
	const digits = "0123456789ABCDEF"
	n := f.hash.Size()
	var b strings.Builder
	b.Grow(8 + 3*n)
	b.WriteString(f.hash.String())
	b.WriteByte(' ')
	for i, c := range f.digest[:n] {
		if i > 0 {
			b.WriteByte(':')
		}
		b.WriteByte(digits[c>>4])
		b.WriteByte(digits[c&15])
	}
	return b.String()
}
