package sealing

import (
	"crypto/rand"
	"errors"

	"golang.org/x/crypto/chacha20poly1305"
)

// KeySize is the size of a sealing key.
const KeySize = chacha20poly1305.KeySize

// Overhead is what Seal adds to a plaintext: the nonce and the tag.
const Overhead = chacha20poly1305.NonceSizeX + chacha20poly1305.Overhead

// ErrOpen: the sealed value is too short, or was sealed under another key
// or other associated data, or was altered.
var ErrOpen = errors.New("sealing: cannot open (wrong key, wrong context or damaged)")

// Seal appends nonce || ciphertext of plaintext under key and aad to dst.
func Seal(dst []byte, key *[KeySize]byte, aad, plaintext []byte) []byte {
	aead, err := chacha20poly1305.NewX(key[:])
	if err != nil {
		panic(err) // only on a wrong key size, which the array type rules out
	}
	n := len(dst)
	dst = append(dst, make([]byte, chacha20poly1305.NonceSizeX)...)
	_, _ = rand.Read(dst[n:])
	return aead.Seal(dst, dst[n:], plaintext, aad)
}

// Open is Seal's inverse; it appends the plaintext to dst.
func Open(dst []byte, key *[KeySize]byte, aad, sealed []byte) ([]byte, error) {
	aead, err := chacha20poly1305.NewX(key[:])
	if err != nil {
		panic(err)
	}
	if len(sealed) < Overhead {
		return nil, ErrOpen
	}
	n := chacha20poly1305.NonceSizeX
	out, err := aead.Open(dst, sealed[:n], sealed[n:], aad)
	if err != nil {
		return nil, ErrOpen
	}
	return out, nil
}
