package app

import "errors"

var (
	// ErrInvalidConfig wraps every Config.Validate failure.
	ErrInvalidConfig = errors.New("invalid config")
	// ErrClosed is returned by actions on a Client that has stopped.
	ErrClosed = errors.New("client closed")
	// ErrInCall is returned when dialing while another call is under way.
	ErrInCall = errors.New("already in a call")
	// ErrNoCall is returned by call actions when there is no call to act on.
	ErrNoCall = errors.New("no call")
	// ErrUnknownContact is returned when dialing someone not in the directory.
	ErrUnknownContact = errors.New("unknown contact")
)

var (
	// ErrNoDirectory: this sign-in has no session for the organization's
	// HTTP API (someone who joined a local organization by name), so
	// directory search and chat history are not available.
	ErrNoDirectory = errors.New("no directory or history without a session")
	// ErrBadAnswer wraps a server answer the app cannot use.
	ErrBadAnswer = errors.New("unusable answer from the server")
)

var (
	// ErrIdentityKey wraps a failure to read or create this device's
	// identity key (LoadOrCreateIdentity).
	ErrIdentityKey = errors.New("device identity key")
	// ErrVerifiedStore wraps a failure to read or write the verified
	// contacts (OpenVerifiedContacts).
	ErrVerifiedStore = errors.New("verified contacts")
)

// ErrRefused matches every *RefusedError: an event the call's state does
// not accept (callstate.go), ignored without changing the call.
var ErrRefused = errors.New("not accepted in the call's state")
