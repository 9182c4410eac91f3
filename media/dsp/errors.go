package dsp

import "errors"

// Sentinel errors of the package.
var (
	ErrInvalidConfig = errors.New("dsp: invalid config")
	ErrFrameSize     = errors.New("dsp: frame size differs from the configured one")
	ErrClosed        = errors.New("dsp: processor closed")
	ErrInit          = errors.New("dsp: speexdsp initialisation failed")
)
