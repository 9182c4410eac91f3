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
