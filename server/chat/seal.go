package chat

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"

	"golang.org/x/crypto/chacha20poly1305"
)

// record is what the associated data binds a ciphertext to.
type record struct {
	id        int64
	sender    string
	recipient string
	callID    string
	sentMS    int64
}

// aad encodes r unambiguously: a version byte, fixed-width integers and
// length-prefixed strings.
func (r record) aad(keyID string) []byte {
	b := []byte{1}
	b = binary.BigEndian.AppendUint64(b, uint64(r.id))
	b = binary.BigEndian.AppendUint64(b, uint64(r.sentMS))
	for _, s := range []string{keyID, r.sender, r.recipient, r.callID} {
		b = binary.BigEndian.AppendUint16(b, uint16(len(s)))
		b = append(b, s...)
	}
	return b
}

// seal encrypts text for r under k: nonce || ciphertext. XChaCha20's
// 192-bit random nonces never collide in practice, so one key can seal any
// number of messages.
func seal(k Key, r record, text string) []byte {
	return sealBytes(k, r.aad(k.id), []byte(text))
}

// open is seal's inverse.
func open(k Key, r record, body []byte) (string, error) {
	pt, err := openBytes(k, r.aad(k.id), body)
	if err != nil {
		return "", fmt.Errorf("%w: message %d: %s", ErrDecrypt, r.id, err)
	}
	return string(pt), nil
}

// sealBytes is the one AEAD construction of everything sealed at rest.
func sealBytes(k Key, aad, pt []byte) []byte {
	aead, err := chacha20poly1305.NewX(k.k[:])
	if err != nil {
		panic(err) // only on a wrong key size, which Key rules out
	}
	out := make([]byte, chacha20poly1305.NonceSizeX, chacha20poly1305.NonceSizeX+len(pt)+aead.Overhead())
	_, _ = rand.Read(out)
	return aead.Seal(out, out, pt, aad)
}

// openBytes is sealBytes's inverse; its error says why, without secrets.
func openBytes(k Key, aad, body []byte) ([]byte, error) {
	aead, err := chacha20poly1305.NewX(k.k[:])
	if err != nil {
		panic(err)
	}
	if len(body) < chacha20poly1305.NonceSizeX+aead.Overhead() {
		return nil, fmt.Errorf("body too short")
	}
	n := chacha20poly1305.NonceSizeX
	pt, err := aead.Open(nil, body[:n], body[n:], aad)
	if err != nil {
		return nil, fmt.Errorf("authentication failed")
	}
	return pt, nil
}
