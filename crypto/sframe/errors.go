package sframe

import (
	"errors"
	"fmt"
)

// Sentinel errors. Errors returned by this package wrap one of them, so
// callers test with errors.Is; errors about a particular key are a *KeyError
// that also carries the KID.
var (
	// ErrShortHeader means the input ends before the SFrame header does.
	ErrShortHeader = errors.New("sframe: truncated header")
	// ErrMalformedHeader means a KID or CTR is not in its minimal encoding,
	// which RFC 9605 section 4.3 requires; accepting it would give one
	// (KID, CTR) pair several wire forms.
	ErrMalformedHeader = errors.New("sframe: malformed header")
	// ErrShortCiphertext means the input is too short to hold the
	// authentication tag after the header.
	ErrShortCiphertext = errors.New("sframe: ciphertext shorter than tag")
	// ErrUnknownKID means no key is installed for the frame's KID. RFC 9605
	// allows buffering such a frame until the key arrives.
	ErrUnknownKID = errors.New("sframe: unknown key id")
	// ErrKeyExists means AddKey was called for a KID that already has a key;
	// silently replacing a sending key would restart its counter and reuse
	// nonces.
	ErrKeyExists = errors.New("sframe: key id already in use")
	// ErrKeyUsage means a key bound to sending was used to decrypt, or the
	// other way round (RFC 9605 section 4.4.1: never both).
	ErrKeyUsage = errors.New("sframe: key used in the wrong direction")
	// ErrAuth means the authentication tag did not verify.
	ErrAuth = errors.New("sframe: authentication failed")
	// ErrReplay means a frame with this KID and CTR was already accepted.
	ErrReplay = errors.New("sframe: replayed frame")
	// ErrTooOld means the CTR is older than the replay window, so it can no
	// longer be told apart from a replay.
	ErrTooOld = errors.New("sframe: counter older than replay window")
	// ErrCounterExhausted means the sending counter of a KID would wrap; the
	// key must be replaced (ratcheted) before sending more.
	ErrCounterExhausted = errors.New("sframe: counter exhausted")
	// ErrUnsupportedSuite means the cipher suite is not one of RFC 9605's.
	ErrUnsupportedSuite = errors.New("sframe: unsupported cipher suite")
	// ErrKeySize means a base key is shorter than MinBaseKeySize or longer
	// than MaxBaseKeySize.
	ErrKeySize = errors.New("sframe: invalid base key size")
	// ErrTooLarge means a plaintext, ciphertext or metadata exceeds
	// MaxFrameSize or MaxMetadataSize.
	ErrTooLarge = errors.New("sframe: frame too large")
	// ErrBufferOverlap means the output would overwrite an input.
	ErrBufferOverlap = errors.New("sframe: output overlaps input")
)

// KeyError reports a failure tied to one KID, so that the caller can, for
// example, request or buffer for a missing key. Err is one of the sentinel
// errors above.
type KeyError struct {
	KID uint64
	Err error
}

func (e *KeyError) Error() string {
	return fmt.Sprintf("%v (kid %d)", e.Err, e.KID)
}

func (e *KeyError) Unwrap() error { return e.Err }

func keyError(kid uint64, err error) error {
	return &KeyError{KID: kid, Err: err}
}
