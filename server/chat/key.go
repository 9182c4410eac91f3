package chat

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"io"

	"github.com/parley-voip/parley/server/sealing"
)

// Key is one master key. It is opaque: the bytes never leave the package
// except through the key file, and it does not print.
type Key struct {
	id string
	k  [sealing.KeySize]byte
}

// NewKey makes a random key with a random id.
func NewKey() Key {
	var k Key
	_, _ = rand.Read(k.k[:])
	var id [4]byte
	_, _ = rand.Read(id[:])
	k.id = "k" + hex.EncodeToString(id[:])
	return k
}

// ID names the key in rows and in the key file; it is not secret.
func (k Key) ID() string { return k.id }

// Equal compares two keys in constant time.
func (k Key) Equal(o Key) bool {
	return subtle.ConstantTimeCompare(k.k[:], o.k[:]) == 1 && k.id == o.id
}

// Format prints only the key's id, whatever the verb, so that logging a
// Key by mistake leaks nothing.
func (k Key) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, "chat.Key("+k.id+")") }

// Seal encrypts plaintext under k, bound to aad (package sealing). Other
// packages that keep data at rest with the chat master keys (recordings
// wrap their file keys with it) seal through here, so the key bytes never
// leave this package.
func (k Key) Seal(aad, plaintext []byte) []byte { return sealing.Seal(nil, &k.k, aad, plaintext) }

// Open is Seal's inverse; it fails with sealing.ErrOpen.
func (k Key) Open(aad, sealed []byte) ([]byte, error) { return sealing.Open(nil, &k.k, aad, sealed) }
