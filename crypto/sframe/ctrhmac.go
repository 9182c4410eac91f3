package sframe

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
	"hash"
)

// ctrHMAC is the AES-CTR + HMAC AEAD of RFC 9605 section 4.5.1
// (encrypt-then-MAC, truncated tag). The first Nka bytes of sframe_key are
// the AES key, the remaining Nh bytes the HMAC key.
//
// The keystream is generated here block by block rather than with
// cipher.NewCTR because NewCTR allocates a stream per call, and the IV
// changes with every frame.
type ctrHMAC struct {
	nt     int
	block  cipher.Block
	mac    hash.Hash
	sum    [64]byte // HMAC output scratch (Nh <= 64)
	lens   [24]byte // aad_len || ct_len || tag_len
	iv     [aes.BlockSize]byte
	stream [8 * aes.BlockSize]byte
}

func newCTRHMAC(p *suiteParams, key []byte) (*ctrHMAC, error) {
	if len(key) != p.nka+p.nh {
		return nil, fmt.Errorf("%w: sframe_key is %d bytes, want %d", ErrKeySize, len(key), p.nka+p.nh)
	}
	block, err := aes.NewCipher(key[:p.nka])
	if err != nil {
		return nil, fmt.Errorf("sframe: aes: %w", err)
	}
	return &ctrHMAC{nt: p.nt, block: block, mac: hmac.New(p.newHash, key[p.nka:])}, nil
}

// tag is compute_tag: HMAC over the three lengths, the nonce, the AAD and
// the ciphertext, truncated to Nt. It returns a slice of c.sum.
func (c *ctrHMAC) tag(nonce *[nonceSize]byte, header, metadata, ct []byte) []byte {
	binary.BigEndian.PutUint64(c.lens[0:], uint64(len(header)+len(metadata)))
	binary.BigEndian.PutUint64(c.lens[8:], uint64(len(ct)))
	binary.BigEndian.PutUint64(c.lens[16:], uint64(c.nt))
	c.mac.Reset()
	c.mac.Write(c.lens[:])
	c.mac.Write(nonce[:])
	c.mac.Write(header)
	c.mac.Write(metadata)
	c.mac.Write(ct)
	return c.mac.Sum(c.sum[:0])[:c.nt]
}

// xorKeyStream XORs src with AES-CTR keystream starting at the counter
// block nonce || 0x00000000. Frames are at most MaxFrameSize (4096 blocks),
// so incrementing the low 32 bits never carries into the nonce.
func (c *ctrHMAC) xorKeyStream(dst, src []byte, nonce *[nonceSize]byte) {
	copy(c.iv[:nonceSize], nonce[:])
	blockCtr := uint32(0)
	for len(src) > 0 {
		n := 0
		for n < len(c.stream) && n < len(src) {
			binary.BigEndian.PutUint32(c.iv[nonceSize:], blockCtr)
			c.block.Encrypt(c.stream[n:n+aes.BlockSize], c.iv[:])
			blockCtr++
			n += aes.BlockSize
		}
		n = subtle.XORBytes(dst, src, c.stream[:n])
		dst, src = dst[n:], src[n:]
	}
}

func (c *ctrHMAC) seal(dst []byte, nonce *[nonceSize]byte, header, metadata, pt []byte) []byte {
	ret, out := sliceForAppend(dst, len(pt)+c.nt)
	ct := out[:len(pt)]
	c.xorKeyStream(ct, pt, nonce)
	copy(out[len(pt):], c.tag(nonce, header, metadata, ct))
	return ret
}

func (c *ctrHMAC) open(dst []byte, nonce *[nonceSize]byte, header, metadata, ct []byte) ([]byte, error) {
	inner, tag := ct[:len(ct)-c.nt], ct[len(ct)-c.nt:]
	if !hmac.Equal(c.tag(nonce, header, metadata, inner), tag) {
		return nil, ErrAuth
	}
	ret, out := sliceForAppend(dst, len(inner))
	c.xorKeyStream(out, inner, nonce)
	return ret, nil
}

func (c *ctrHMAC) erase() {
	c.mac.Reset()
	clear(c.sum[:])
	clear(c.stream[:])
	clear(c.iv[:])
	c.block, c.mac = nil, nil
}
