package identity

import "errors"

// Parse errors; every error from ParsePublicKey, ParsePrivateKey and
// UnmarshalText wraps one of these.
var (
	// ErrTooLarge: the input is longer than the format allows; it is
	// refused before it is decoded.
	ErrTooLarge = errors.New("identity: key encoding too large")
	// ErrMalformed: the input does not follow the format.
	ErrMalformed = errors.New("identity: malformed key")
	// ErrWrongType: a well-formed key of another algorithm than Ed25519.
	ErrWrongType = errors.New("identity: not an ed25519 key")
	// ErrWeakKey: a public key of small order, for which anyone can make
	// signatures that verify. No honest device has one.
	ErrWeakKey = errors.New("identity: small-order public key")
)
