package e2ee

import (
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/binary"
)

// ratchetLabel is the HKDF-Expand info prefix of the media ratchet.
const ratchetLabel = "parley-e2ee/v2 ratchet"

// ratchet derives the base key of epoch from the base key of epoch-1:
// HKDF-Expand(SHA-256, prev, label || epoch || direction, 32). HKDF-Expand
// is one-way, so a key captured in epoch n reveals nothing about epochs
// before n once they are erased (forward secrecy within the call). The
// epoch and direction in the info make every step's input distinct even if
// two keys were ever equal.
func ratchet(prev *[baseKeySize]byte, epoch, dir uint64) ([baseKeySize]byte, error) {
	info := make([]byte, 0, len(ratchetLabel)+9)
	info = append(info, ratchetLabel...)
	info = binary.BigEndian.AppendUint64(info, epoch)
	info = append(info, byte(dir))
	var next [baseKeySize]byte
	k, err := hkdf.Expand(sha256.New, prev[:], string(info), baseKeySize)
	if err != nil {
		return next, err
	}
	copy(next[:], k)
	clear(k)
	return next, nil
}
