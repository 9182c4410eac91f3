package sfu

import "errors"

var (
	// ErrNoSuchRoom: the call is not on the service.
	ErrNoSuchRoom = errors.New("sfu: no such room")
	// ErrE2EE: the call is end-to-end encrypted; the service never carries one.
	ErrE2EE = errors.New("sfu: the call is end-to-end encrypted")
)
