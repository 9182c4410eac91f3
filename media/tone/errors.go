package tone

import "errors"

var (
	// ErrKind is an unknown Kind.
	ErrKind = errors.New("tone: unknown kind")
	// ErrVolume is a volume outside 0..1.
	ErrVolume = errors.New("tone: volume out of range 0..1")
	// ErrCadence is a Cadence that cannot be played.
	ErrCadence = errors.New("tone: invalid cadence")
)
