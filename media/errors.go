package media

import "errors"

// Sentinel errors of the engine.
var (
	ErrInvalidConfig = errors.New("media: invalid config")
	ErrClosed        = errors.New("media: engine closed")
	ErrStarted       = errors.New("media: engine already started")
	ErrAttached      = errors.New("media: a stream is already attached")
	// ErrNoReopen: no reopener could replace a lost device (DeviceEvent.Err).
	ErrNoReopen = errors.New("media: cannot reopen audio device")
)
