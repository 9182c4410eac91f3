package identity

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
)

// pemType is the PEM block type of the storage encoding (RFC 7468).
const pemType = "PRIVATE KEY"

// MaxPrivateKeySize bounds the input of ParsePrivateKey. An Ed25519 PKCS #8
// PEM block is 119 bytes; the limit leaves room for line-ending variants.
const MaxPrivateKeySize = 512

// PrivateKey is a device's identity key pair. It is opaque and never
// formats its secret.
type PrivateKey struct {
	k   ed25519.PrivateKey
	pub PublicKey
}

// Generate makes a new identity key from rand (crypto/rand.Reader when nil).
func Generate(rnd io.Reader) (*PrivateKey, error) {
	if rnd == nil {
		rnd = rand.Reader
	}
	var seed [ed25519.SeedSize]byte
	defer clear(seed[:])
	if _, err := io.ReadFull(rnd, seed[:]); err != nil {
		return nil, fmt.Errorf("identity: reading randomness: %w", err)
	}
	return fromSeed(seed[:]), nil
}

func fromSeed(seed []byte) *PrivateKey {
	k := ed25519.NewKeyFromSeed(seed)
	p := &PrivateKey{k: k}
	copy(p.pub.k[:], k[ed25519.SeedSize:])
	return p
}

// Marshal encodes the key for storage as a PKCS #8 PEM block (RFC 8410,
// RFC 7468), the format other tools read. The output is secret.
func (k *PrivateKey) Marshal() []byte {
	der, err := x509.MarshalPKCS8PrivateKey(k.k)
	if err != nil { // only for key types x509 does not know
		panic(err)
	}
	defer clear(der)
	return pem.EncodeToMemory(&pem.Block{Type: pemType, Bytes: der})
}

// ParsePrivateKey reads what Marshal wrote.
func ParsePrivateKey(b []byte) (*PrivateKey, error) {
	if len(b) > MaxPrivateKeySize {
		return nil, fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(b), MaxPrivateKeySize)
	}
	block, rest := pem.Decode(b)
	if block == nil || block.Type != pemType || len(block.Headers) != 0 {
		return nil, fmt.Errorf("%w: want one %q PEM block", ErrMalformed, pemType)
	}
	defer clear(block.Bytes)
	for _, c := range rest {
		if c != '\n' && c != '\r' && c != ' ' && c != '\t' {
			return nil, fmt.Errorf("%w: data after the PEM block", ErrMalformed)
		}
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	ek, ok := key.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("%w: %T", ErrWrongType, key)
	}
	defer clear(ek)
	return fromSeed(ek.Seed()), nil
}

// Public returns the public half.
func (k *PrivateKey) Public() PublicKey { return k.pub }

// Sign signs msg (Ed25519, RFC 8032: deterministic, no randomness needed).
func (k *PrivateKey) Sign(msg []byte) []byte { return ed25519.Sign(k.k, msg) }

// Erase overwrites the secret; Sign must not be called afterwards.
func (k *PrivateKey) Erase() { clear(k.k) }

// Format prints the public fingerprint and never the secret, whatever the
// verb.
func (k *PrivateKey) Format(f fmt.State, _ rune) {
	if k == nil {
		fmt.Fprint(f, "identity.PrivateKey(nil)")
		return
	}
	fmt.Fprintf(f, "identity.PrivateKey{public: %s}", k.pub.Fingerprint())
}
