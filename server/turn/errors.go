package turn

import "errors"

var (
	// ErrInvalidConfig wraps every Config.Validate failure.
	ErrInvalidConfig = errors.New("turn: invalid config")
	// ErrMalformedUsername: a username is not "<expiry>:<user id>" within
	// MaxUsernameLen bytes.
	ErrMalformedUsername = errors.New("turn: malformed username")
	// ErrExpired: a credential's expiry has passed.
	ErrExpired = errors.New("turn: credential expired")
	// ErrNoUser: a credential was asked for an empty user id.
	ErrNoUser = errors.New("turn: no user id")
)
