package chat

import (
	"encoding/binary"
	"fmt"
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

// seal encrypts text for r under k (package sealing: XChaCha20-Poly1305,
// random 192-bit nonces, so one key can seal any number of messages).
func seal(k Key, r record, text string) []byte {
	return k.Seal(r.aad(k.id), []byte(text))
}

// open is seal's inverse.
func open(k Key, r record, body []byte) (string, error) {
	pt, err := k.Open(r.aad(k.id), body)
	if err != nil {
		return "", fmt.Errorf("%w: message %d", ErrDecrypt, r.id)
	}
	return string(pt), nil
}
