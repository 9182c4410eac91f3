package sframe

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"fmt"
)

// frameKey is the state derived from one (suite, KID, base key): the AEAD
// ready for use and the salt. Building it once per KID is what keeps the
// per-frame path free of allocation. It is not safe for concurrent use;
// Context serialises access per KID.
type frameKey struct {
	p    *suiteParams
	key  []byte // sframe_key; held only so that erase can wipe it
	salt [nonceSize]byte
	gcm  cipher.AEAD // AES-GCM suites
	ctr  *ctrHMAC    // AES-CTR+HMAC suites
	aad  []byte      // scratch for header || metadata, reused across frames
	// nonceBuf lives here rather than on the stack because it is passed
	// through the cipher.AEAD interface, which would move it to the heap.
	// Its first 4 bytes are the salt's; saltLow is the rest, which the
	// counter is XORed into.
	nonceBuf [nonceSize]byte
	saltLow  uint64
}

// newFrameKey derives sframe_key and sframe_salt for kid and prepares the
// AEAD.
func newFrameKey(s Suite, kid uint64, baseKey []byte) (*frameKey, error) {
	p, err := s.params()
	if err != nil {
		return nil, err
	}
	key, salt, err := deriveKeySalt(s, p, kid, baseKey)
	if err != nil {
		return nil, err
	}
	return newFrameKeyFromKey(p, key, salt)
}

// newFrameKeyFromKey prepares the AEAD from an already derived sframe_key,
// taking ownership of key.
func newFrameKeyFromKey(p *suiteParams, key []byte, salt [nonceSize]byte) (*frameKey, error) {
	k := &frameKey{p: p, key: key, salt: salt, nonceBuf: salt}
	k.saltLow = binary.BigEndian.Uint64(salt[nonceSize-8:])
	if p.nka == 0 {
		block, err := aes.NewCipher(key)
		if err != nil {
			k.erase()
			return nil, fmt.Errorf("sframe: aes: %w", err)
		}
		if k.gcm, err = cipher.NewGCM(block); err != nil {
			k.erase()
			return nil, fmt.Errorf("sframe: gcm: %w", err)
		}
		return k, nil
	}
	var err error
	if k.ctr, err = newCTRHMAC(p, key); err != nil {
		k.erase()
		return nil, err
	}
	return k, nil
}

// nonce returns sframe_salt XOR CTR, the CTR taken as a 12-byte big-endian
// integer (RFC 9605 section 4.4.3), so only the last 8 bytes change. The
// result is in k.nonceBuf, valid until the next call.
func (k *frameKey) nonce(ctr uint64) *[nonceSize]byte {
	binary.BigEndian.PutUint64(k.nonceBuf[nonceSize-8:], k.saltLow^ctr)
	return &k.nonceBuf
}

// joinAAD returns header || metadata without allocating once the scratch
// buffer has grown; with no metadata (Parley's case) it is the header
// itself.
func (k *frameKey) joinAAD(header, metadata []byte) []byte {
	if len(metadata) == 0 {
		return header
	}
	k.aad = append(append(k.aad[:0], header...), metadata...)
	return k.aad
}

// seal appends ciphertext || tag to dst, using the nonce for ctr. header
// and metadata form the AAD.
func (k *frameKey) seal(dst []byte, ctr uint64, header, metadata, plaintext []byte) []byte {
	nonce := k.nonce(ctr)
	if k.gcm != nil {
		return k.gcm.Seal(dst, nonce[:], plaintext, k.joinAAD(header, metadata))
	}
	return k.ctr.seal(dst, nonce, header, metadata, plaintext)
}

// open verifies and decrypts ciphertext || tag, appending the plaintext to
// dst. The caller has checked that ct is at least a tag long.
func (k *frameKey) open(dst []byte, ctr uint64, header, metadata, ct []byte) ([]byte, error) {
	nonce := k.nonce(ctr)
	if k.gcm != nil {
		out, err := k.gcm.Open(dst, nonce[:], ct, k.joinAAD(header, metadata))
		if err != nil {
			return nil, ErrAuth
		}
		return out, nil
	}
	return k.ctr.open(dst, nonce, header, metadata, ct)
}

// erase overwrites the key material this package holds and drops the
// cipher objects. The AES key schedule and HMAC pads inside the standard
// library cannot be reached; they become garbage and are not wiped (see
// docs/sframe.md).
func (k *frameKey) erase() {
	clear(k.key)
	clear(k.salt[:])
	clear(k.nonceBuf[:])
	k.saltLow = 0
	clear(k.aad)
	k.key, k.aad, k.gcm = nil, nil, nil
	if k.ctr != nil {
		k.ctr.erase()
		k.ctr = nil
	}
}

// sliceForAppend extends in by n bytes, reusing its capacity when it can,
// and returns the whole slice and the new tail.
func sliceForAppend(in []byte, n int) (head, tail []byte) {
	if total := len(in) + n; cap(in) >= total {
		head = in[:total]
	} else {
		head = make([]byte, total)
		copy(head, in)
	}
	return head, head[len(in):]
}
