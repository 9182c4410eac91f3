package sframe

import "fmt"

// Seal encrypts one frame statelessly: it derives the key and salt of kid
// from baseKey, encrypts plaintext with counter ctr and returns the SFrame
// ciphertext header || ciphertext || tag. It is meant for conformance
// checks; media uses Context, which derives keys once and manages counters.
// The caller must never use the same (baseKey, kid, ctr) twice.
func Seal(s Suite, baseKey []byte, kid, ctr uint64, metadata, plaintext []byte) ([]byte, error) {
	if len(plaintext) > MaxFrameSize || len(metadata) > MaxMetadataSize {
		return nil, fmt.Errorf("%w: plaintext %d bytes, metadata %d bytes", ErrTooLarge, len(plaintext), len(metadata))
	}
	k, err := newFrameKey(s, kid, baseKey)
	if err != nil {
		return nil, err
	}
	defer k.erase()
	hl := HeaderSize(kid, ctr)
	out := AppendHeader(make([]byte, 0, hl+len(plaintext)+k.p.nt), kid, ctr)
	return k.seal(out, ctr, out[:hl], metadata, plaintext), nil
}

// Open decrypts one SFrame ciphertext statelessly, deriving the key for the
// KID in its header from baseKey. It does no replay checking.
func Open(s Suite, baseKey []byte, metadata, sframeCiphertext []byte) (kid, ctr uint64, plaintext []byte, err error) {
	p, err := s.params()
	if err != nil {
		return 0, 0, nil, err
	}
	if len(sframeCiphertext) > maxCiphertextSize || len(metadata) > MaxMetadataSize {
		return 0, 0, nil, fmt.Errorf("%w: ciphertext %d bytes, metadata %d bytes", ErrTooLarge, len(sframeCiphertext), len(metadata))
	}
	kid, ctr, n, err := ParseHeader(sframeCiphertext)
	if err != nil {
		return 0, 0, nil, err
	}
	body := sframeCiphertext[n:]
	if len(body) < p.nt {
		return kid, ctr, nil, fmt.Errorf("%w: %d bytes after header, tag is %d", ErrShortCiphertext, len(body), p.nt)
	}
	k, err := newFrameKey(s, kid, baseKey)
	if err != nil {
		return kid, ctr, nil, err
	}
	defer k.erase()
	plaintext, err = k.open(make([]byte, 0, len(body)-p.nt), ctr, sframeCiphertext[:n], metadata, body)
	if err != nil {
		return kid, ctr, nil, keyError(kid, err)
	}
	return kid, ctr, plaintext, nil
}
