package server

import "errors"

var (
	// ErrInvalidConfig wraps every Config.Validate failure.
	ErrInvalidConfig = errors.New("server: invalid config")
	// ErrTooManyConnections: the user already has Config.MaxConnsPerUser
	// signaling connections; the new one is closed with
	// signaling.CloseTooManyConnections.
	ErrTooManyConnections = errors.New("server: too many connections for this user")
	// ErrShuttingDown: the server no longer accepts connections.
	ErrShuttingDown = errors.New("server: shutting down")
	// ErrUnauthorized is what an Authenticator returns (wrapped) to refuse
	// a hello; the client receives error code "unauthorized".
	ErrUnauthorized = errors.New("server: unauthorized")
	// ErrNoAuthenticator: New was given no way to authenticate hellos
	// (WithAccounts, WithAuthenticator, or in tests WithTrustedClaims).
	ErrNoAuthenticator = errors.New("server: no authenticator configured; use WithAccounts or WithAuthenticator (WithTrustedClaims is for tests)")
	// ErrPlainNotLoopback: plain HTTP was asked for on an address others
	// can reach; give a certificate (WithTLS) or listen on loopback.
	ErrPlainNotLoopback = errors.New("server: plain HTTP is only allowed on loopback; configure TLS")
	// ErrProvisionNotLoopback: WithAutoProvision on an address others can
	// reach.
	ErrProvisionNotLoopback = errors.New("server: auto-provisioning is only allowed on loopback")
	// ErrBadEnvelope: a message from another node on the Bus could not be
	// parsed; it is logged and dropped.
	ErrBadEnvelope = errors.New("server: bad message from another node")
)

// Refusals of call control (transfer, park, pickup, move-call); callctl.go
// maps each to its wire code and sentence.
var (
	// ErrNotInCall: the sender is not a party of that call.
	ErrNotInCall = errors.New("server: not a party of the call")
	// ErrE2EECall: the call is end-to-end encrypted; the media service,
	// which call control needs, never carries it.
	ErrE2EECall = errors.New("server: the call is end-to-end encrypted")
	// ErrNoMediaService: the server has no media service.
	ErrNoMediaService = errors.New("server: no media service")
	// ErrTransferPolicy, ErrParkPolicy: the sender's policy does not allow it.
	ErrTransferPolicy = errors.New("server: policy does not allow transfer")
	ErrParkPolicy     = errors.New("server: policy does not allow park")
	// ErrCallNotReady: the call is not one control can act on now (not
	// accepted, a group call, the other party not connected, a transfer
	// or park already under way).
	ErrCallNotReady = errors.New("server: the call cannot be transferred or parked now")
	// ErrTransferSelf: the target is the sender or already in the call.
	ErrTransferSelf = errors.New("server: transfer to someone in the call")
	// ErrNotConsulting: a consult transfer needs the call held by the
	// sender and the consult call the sender is in, both of two people.
	ErrNotConsulting = errors.New("server: not a consult call")
	// ErrUnknownCode: no parked call has that pickup code.
	ErrUnknownCode = errors.New("server: no parked call with that code")
	// ErrTooManyGuesses: the user tried Config.PickupGuesses wrong codes.
	ErrTooManyGuesses = errors.New("server: too many wrong pickup codes")
	// ErrDeviceBusy: the device that would take the call is in a call.
	ErrDeviceBusy = errors.New("server: this device is in a call")
	// ErrNothingToMove: the user has no call on another device to move.
	ErrNothingToMove = errors.New("server: no call on another device")
)
