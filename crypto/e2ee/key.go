package e2ee

import (
	"crypto/subtle"
	"fmt"
)

// Directions, the low bit of every KID.
const (
	dirInitiatorToResponder = 0
	dirResponderToInitiator = 1
)

// MaxEpoch is the last ratchet epoch: the KID is track<<58 | epoch<<1 |
// direction (track.go), so the epoch has 57 bits and the KID stays below
// 2^62. At one epoch a minute that is 2^57 minutes.
const MaxEpoch = 1<<57 - 1

// kidFor returns the SFrame KID of one direction in one epoch of the audio
// track (track 0). Small epochs give small KIDs, which SFrame encodes in
// the header's first byte.
func kidFor(epoch uint64, dir uint64) uint64 { return epoch<<1 | dir }

// MediaKey is one direction's SFrame base key in one epoch. It is opaque:
// the key bytes never leave the package, and formatting prints only the KID.
type MediaKey struct {
	kid uint64
	key [baseKeySize]byte
}

// KID is the SFrame key id the key is used under.
func (k *MediaKey) KID() uint64 { return k.kid }

// Epoch is the ratchet epoch of the key (0 right after the handshake).
func (k *MediaKey) Epoch() uint64 { return kidEpoch(k.kid) }

// Equal reports whether k and o are the same key under the same KID,
// comparing the key bytes in constant time.
func (k *MediaKey) Equal(o *MediaKey) bool {
	if k == nil || o == nil {
		return k == o
	}
	kidEq := subtle.ConstantTimeEq(int32(k.kid>>32), int32(o.kid>>32)) &
		subtle.ConstantTimeEq(int32(uint32(k.kid)), int32(uint32(o.kid)))
	return kidEq&subtle.ConstantTimeCompare(k.key[:], o.key[:]) == 1
}

// Format prints the KID and never the key, whatever the verb.
func (k *MediaKey) Format(f fmt.State, _ rune) {
	if k == nil {
		fmt.Fprint(f, "e2ee.MediaKey(nil)")
		return
	}
	fmt.Fprintf(f, "e2ee.MediaKey{kid: %d, key: redacted}", k.kid)
}

func (k *MediaKey) erase() { clear(k.key[:]) }
