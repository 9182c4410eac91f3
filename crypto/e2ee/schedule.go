package e2ee

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
)

// Key schedule labels (HKDF-Expand info strings).
const (
	confirmInitiatorLabel = "parley-e2ee/v2 confirm initiator"
	confirmResponderLabel = "parley-e2ee/v2 confirm responder"
	mediaIRLabel          = "parley-e2ee/v2 media initiator to responder"
	mediaRILabel          = "parley-e2ee/v2 media responder to initiator"
)

// baseKeySize is the length of every SFrame base key Parley derives: 256
// bits, enough for every RFC 9605 suite (SFrame expands it with HKDF).
const baseKeySize = 32

// keySchedule holds the secrets derived from one handshake.
type keySchedule struct {
	confirmI, confirmR [32]byte
	mediaIR, mediaRI   [baseKeySize]byte
}

// deriveKeys runs HKDF-SHA-256 over ssX25519 || ssMLKEM with the transcript
// hash as salt. Concatenating both shared secrets into one extract makes
// every output depend on both: an attacker must break X25519 and ML-KEM to
// learn any key. The salt binds the keys to the whole transcript, including
// the KEM ciphertext and both public keys, as hybrid combiners such as
// X-Wing do.
func deriveKeys(ssX25519, ssMLKEM []byte, th *[hashSize]byte) (*keySchedule, error) {
	secret := make([]byte, 0, len(ssX25519)+len(ssMLKEM))
	secret = append(secret, ssX25519...)
	secret = append(secret, ssMLKEM...)
	defer clear(secret)
	prk, err := hkdf.Extract(sha256.New, secret, th[:])
	if err != nil {
		return nil, err
	}
	defer clear(prk)
	var ks keySchedule
	for _, out := range []struct {
		label string
		dst   []byte
	}{
		{confirmInitiatorLabel, ks.confirmI[:]},
		{confirmResponderLabel, ks.confirmR[:]},
		{mediaIRLabel, ks.mediaIR[:]},
		{mediaRILabel, ks.mediaRI[:]},
	} {
		k, err := hkdf.Expand(sha256.New, prk, out.label, len(out.dst))
		if err != nil {
			ks.erase()
			return nil, err
		}
		copy(out.dst, k)
		clear(k)
	}
	return &ks, nil
}

func (ks *keySchedule) erase() {
	clear(ks.confirmI[:])
	clear(ks.confirmR[:])
	clear(ks.mediaIR[:])
	clear(ks.mediaRI[:])
}

// confirmationMAC is HMAC-SHA-256(key, th). Each role has its own key, so
// one side's MAC can never be reflected back as the other's.
func confirmationMAC(key *[32]byte, th *[hashSize]byte) [macSize]byte {
	m := hmac.New(sha256.New, key[:])
	m.Write(th[:])
	var out [macSize]byte
	m.Sum(out[:0])
	return out
}
