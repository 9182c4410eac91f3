package jitter

import "errors"

// Push reports why a frame was not buffered; every case is also counted in
// Stats, so callers that only need counters may ignore the error.
var (
	ErrInvalidConfig = errors.New("jitter: invalid config")
	ErrLate          = errors.New("jitter: frame arrived after its playout slot")
	ErrDuplicate     = errors.New("jitter: duplicate frame")
	ErrTooLarge      = errors.New("jitter: frame payload too large")
	ErrTimestamp     = errors.New("jitter: frame timestamp inconsistent with its sequence number")
)
