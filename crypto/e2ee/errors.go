package e2ee

import "errors"

// Handshake errors. Every error returned by Handshake.Start or
// Handshake.Handle wraps one of these and ends the handshake (later calls
// return an error wrapping ErrAborted and the first cause), except
// ErrDuplicate and ErrLate, which are not fatal: see IsIgnorable.
var (
	// ErrDuplicate (not fatal): an exact copy of a message this side has
	// already processed, as a relay with at-least-once delivery produces.
	// Handle ignores it in every state: nothing changes, no reply.
	ErrDuplicate = errors.New("duplicate message")
	// ErrLate (not fatal): a message other than an exact duplicate arrived
	// after this side completed. A completed handshake cannot be changed by
	// any message, so Handle ignores it and the keys stay as they are. The
	// error also wraps what was wrong with the message, if anything.
	ErrLate = errors.New("message after the handshake completed")
	// ErrMalformed: a message does not follow the encoding, or carries an
	// invalid public value.
	ErrMalformed = errors.New("malformed message")
	// ErrTooLarge: a message is longer than MaxMessageSize.
	ErrTooLarge = errors.New("message too large")
	// ErrUnexpectedMessage: a message arrived out of order or from the wrong
	// role, or the API was called in the wrong state.
	ErrUnexpectedMessage = errors.New("unexpected message")
	// ErrReplayed: before completion, a second, different message of a
	// type this side has already processed.
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

// IsIgnorable reports whether err from Handle leaves the handshake as it
// was (ErrDuplicate, ErrLate): the caller drops the message, may count it,
// and carries on.
func IsIgnorable(err error) bool {
	return errors.Is(err, ErrDuplicate) || errors.Is(err, ErrLate)
}

// Media errors, returned by MediaCipher.
var (
	// ErrUnknownEpoch: a frame's KID belongs to an epoch that is neither
	// the current one, the previous one within its grace, nor a next one
	// within MaxEpochSkip.
	ErrUnknownEpoch = errors.New("frame from unknown key epoch")
	// ErrWrongDirection: a frame's KID is one this side sends with, which
	// means a reflected frame.
	ErrWrongDirection = errors.New("frame key id of the wrong direction")
	// ErrWrongTrack: a frame's KID belongs to another track of the call
	// (a camera frame offered to the screen track's cipher, say).
	ErrWrongTrack = errors.New("frame key id of another track")
	// ErrEpochExhausted: the ratchet ran out of epochs (MaxEpoch rekeys).
	ErrEpochExhausted = errors.New("key epochs exhausted")
	// ErrErased: the keys are gone: the Result was erased (NewMediaCipher
	// erases it), the Handshake was erased, or the MediaCipher was closed.
	ErrErased = errors.New("key material erased")
)
