package e2ee

import "errors"

// Handshake errors. Every error returned by Handshake.Start or
// Handshake.Handle wraps one of these and ends the handshake: later calls
// return an error wrapping ErrAborted and the first cause.
var (
	// ErrMalformed: a message does not follow the encoding, or carries an
	// invalid public value.
	ErrMalformed = errors.New("malformed message")
	// ErrTooLarge: a message is longer than MaxMessageSize.
	ErrTooLarge = errors.New("message too large")
	// ErrUnexpectedMessage: a message arrived out of order or from the wrong
	// role, or the API was called in the wrong state.
	ErrUnexpectedMessage = errors.New("unexpected message")
	// ErrReplayed: a message type this side has already processed arrived
	// again.
	ErrReplayed = errors.New("replayed message")
	// ErrCommitmentMismatch: the initiator's revealed values do not match its
	// commitment.
	ErrCommitmentMismatch = errors.New("commitment mismatch")
	// ErrConfirmationFailed: the peer's key confirmation MAC is wrong, so the
	// two sides did not derive the same keys. The call may be intercepted.
	ErrConfirmationFailed = errors.New("key confirmation failed")
	// ErrIdentitySignature: the peer's identity key did not sign this
	// transcript. The keys were agreed with whoever holds the ephemeral
	// keys, but not with the device the identity key names: the call may be
	// intercepted by someone presenting another device's identity.
	ErrIdentitySignature = errors.New("identity signature invalid")
	// ErrVersion: a message carries a protocol version this side does not
	// speak.
	ErrVersion = errors.New("unsupported protocol version")
	// ErrSuite: the initiator committed to an SFrame suite other than the
	// one this side expects.
	ErrSuite = errors.New("sframe suite mismatch")
	// ErrAborted: the handshake already failed.
	ErrAborted = errors.New("handshake aborted")
	// ErrNotDone: Result was called before the handshake completed.
	ErrNotDone = errors.New("handshake not done")
	// ErrInvalidConfig: Config.Validate rejected the configuration.
	ErrInvalidConfig = errors.New("invalid config")
)

// Media errors, returned by MediaCipher.
var (
	// ErrUnknownEpoch: a frame's KID belongs to an epoch that is neither
	// the current one, the previous one within its grace, nor a next one
	// within MaxEpochSkip.
	ErrUnknownEpoch = errors.New("frame from unknown key epoch")
	// ErrWrongDirection: a frame's KID is one this side sends with, which
	// means a reflected frame.
	ErrWrongDirection = errors.New("frame key id of the wrong direction")
	// ErrEpochExhausted: the ratchet ran out of epochs (2^62 rekeys).
	ErrEpochExhausted = errors.New("key epochs exhausted")
	// ErrErased: the keys are gone: the Result was erased before
	// NewMediaCipher, or the MediaCipher was closed.
	ErrErased = errors.New("key material erased")
)
