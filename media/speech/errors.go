package speech

import "errors"

var (
	// ErrModel: a model file is missing or the library refused it.
	ErrModel = errors.New("speech: cannot load the model")
	// ErrDecode: the library failed to start, feed or end an utterance.
	ErrDecode = errors.New("speech: recognizer failed")
	// ErrClosed: the Recognizer was closed.
	ErrClosed = errors.New("speech: recognizer closed")
)
