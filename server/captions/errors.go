package captions

import "errors"

var (
	// ErrInvalidConfig wraps every Config.Validate failure.
	ErrInvalidConfig = errors.New("captions: invalid config")
	// ErrNotInstalled: no worker binary was found.
	ErrNotInstalled = errors.New("captions: worker not installed")
	// ErrWorker: the worker broke the protocol or did not become ready.
	ErrWorker = errors.New("captions: worker failed")
	// ErrNotFound: no transcript the user may read.
	ErrNotFound = errors.New("captions: no such transcript")
)
