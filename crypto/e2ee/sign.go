package e2ee

import (
	"fmt"

	"github.com/parley-voip/parley/crypto/identity"
)

// Identity signature labels. Each role signs under its own label, so one
// side's signature can never be reflected back as the other's, and no
// signature made for this protocol is valid for any other use of the key.
const (
	signInitiatorLabel = "parley-e2ee/v2 identity signature initiator"
	signResponderLabel = "parley-e2ee/v2 identity signature responder"
)

// signedMessage is what an identity key signs: lp(label) || transcript hash.
func signedMessage(label string, th *[hashSize]byte) []byte {
	return append(appendField(nil, []byte(label)), th[:]...)
}

func signTranscript(k *identity.PrivateKey, label string, th *[hashSize]byte) [signatureSize]byte {
	var sig [signatureSize]byte
	copy(sig[:], k.Sign(signedMessage(label, th)))
	return sig
}

func verifyTranscript(pub identity.PublicKey, label string, th *[hashSize]byte, sig *[signatureSize]byte) error {
	if !pub.Verify(signedMessage(label, th), sig[:]) {
		return fmt.Errorf("%w: %s does not verify under %s", ErrIdentitySignature, label, pub)
	}
	return nil
}

// peerIdentity checks the peer's identity key as received on the wire.
func peerIdentity(b *[identitySize]byte) (identity.PublicKey, error) {
	pub, err := identity.PublicKeyFromBytes(b[:])
	if err != nil {
		return identity.PublicKey{}, fmt.Errorf("%w: identity key: %w", ErrMalformed, err)
	}
	return pub, nil
}
