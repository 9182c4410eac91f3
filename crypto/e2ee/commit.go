package e2ee

import (
	"crypto/sha256"
	"encoding/binary"

	"github.com/parley-voip/parley/crypto/sframe"
)

// Commit is message 1, initiator → responder: the SFrame suite and the
// initiator's commitment to its hello, H(initiator hello).
type Commit struct {
	Suite      sframe.Suite
	Commitment [hashSize]byte
}

// ParseCommit decodes a Commit message strictly.
func ParseCommit(msg []byte) (*Commit, error) {
	r, err := openMessage(msg, TypeCommit)
	if err != nil {
		return nil, err
	}
	var m Commit
	var suite [2]byte
	if err := r.field("suite", suite[:]); err != nil {
		return nil, err
	}
	m.Suite = sframe.Suite(binary.BigEndian.Uint16(suite[:]))
	if err := r.field("commitment", m.Commitment[:]); err != nil {
		return nil, err
	}
	if err := r.end(); err != nil {
		return nil, err
	}
	return &m, nil
}

// Marshal encodes m; it is the inverse of ParseCommit.
func (m *Commit) Marshal() []byte {
	b := make([]byte, 0, CommitSize)
	b = appendHeader(b, TypeCommit)
	b = appendField(b, binary.BigEndian.AppendUint16(nil, uint16(m.Suite)))
	return appendField(b, m.Commitment[:])
}

// initiatorHello is what the initiator commits to and later reveals: its
// ephemeral X25519 public key, its long-term identity public key and a
// fresh nonce. The nonce makes the commitment hiding although the identity
// key is the same in every call.
type initiatorHello struct {
	x25519   [x25519Size]byte
	identity [identitySize]byte
	nonce    [nonceSize]byte
}

// commitLabel separates the commitment hash from every other hash in the
// protocol.
const commitLabel = "parley-e2ee/v2 commitment"

// commitment returns H(label || x25519 || identity || nonce) with a
// length-prefixed label; the values have fixed lengths, so the input is
// unambiguous.
func (h *initiatorHello) commitment() [hashSize]byte {
	d := sha256.New()
	d.Write(appendField(nil, []byte(commitLabel)))
	d.Write(h.x25519[:])
	d.Write(h.identity[:])
	d.Write(h.nonce[:])
	var out [hashSize]byte
	d.Sum(out[:0])
	return out
}
