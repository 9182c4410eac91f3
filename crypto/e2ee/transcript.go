package e2ee

import (
	"crypto/sha256"
	"encoding/binary"
)

// Hash labels. Every hash and KDF input starts with its own label so that no
// value computed for one purpose can be mistaken for another.
const (
	codeLabel       = "parley-e2ee/v2 security code"
	transcriptLabel = "parley-e2ee/v2 transcript"
)

// encodeContext encodes the values both sides know before the handshake, each
// length-prefixed so that the encoding is injective (no two different
// contexts share an encoding, e.g. by moving bytes between user ids).
func encodeContext(c *Config) []byte {
	fpI, fpR := c.InitiatorFingerprint.String(), c.ResponderFingerprint.String()
	b := make([]byte, 0, 64+len(c.CallID)+len(c.InitiatorID)+len(c.ResponderID)+len(fpI)+len(fpR))
	b = appendField(b, []byte{Version})
	b = appendField(b, binary.BigEndian.AppendUint16(nil, uint16(c.Suite)))
	b = appendField(b, []byte(c.CallID))
	b = appendField(b, []byte(c.InitiatorID))
	b = appendField(b, []byte(c.ResponderID))
	b = appendField(b, []byte(fpI))
	return appendField(b, []byte(fpR))
}

// codeDigest hashes exactly the values that the commit ordering fixes: the
// context, the initiator's hello (committed before the responder chose
// anything) and the responder's hello (chosen before the initiator revealed),
// both identity keys included.
// The KEM ciphertext and the MACs are chosen later and must stay out of it,
// or a man in the middle could re-roll them until the codes match.
func codeDigest(ctx []byte, hi *initiatorHello, hr *ResponderHello) [hashSize]byte {
	d := sha256.New()
	d.Write(appendField(nil, []byte(codeLabel)))
	d.Write(appendField(nil, ctx))
	d.Write(hi.x25519[:])
	d.Write(hi.identity[:])
	d.Write(hi.nonce[:])
	d.Write(hr.X25519[:])
	d.Write(hr.Identity[:])
	d.Write(hr.EncapsulationKey[:])
	d.Write(hr.Nonce[:])
	var out [hashSize]byte
	d.Sum(out[:0])
	return out
}

// transcriptHash covers everything either side sent or assumed: the
// context, the Commit and ResponderHello exactly as they were on the wire,
// and the revealed hello with the KEM ciphertext (the Reveal without its
// signature and MAC, which are computed over this hash). It salts the key
// schedule and is what the identity signatures and the confirmation MACs
// authenticate.
func transcriptHash(ctx, commitMsg, helloMsg []byte, hi *initiatorHello, ct *[mlkemCTSize]byte) [hashSize]byte {
	d := sha256.New()
	d.Write(appendField(nil, []byte(transcriptLabel)))
	d.Write(appendField(nil, ctx))
	d.Write(appendField(nil, commitMsg))
	d.Write(appendField(nil, helloMsg))
	d.Write(hi.x25519[:])
	d.Write(hi.identity[:])
	d.Write(hi.nonce[:])
	d.Write(ct[:])
	var out [hashSize]byte
	d.Sum(out[:0])
	return out
}
