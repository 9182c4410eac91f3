package wire

import "errors"

var (
	// ErrFrameTooLarge: a frame header announces more than MaxPayload bytes.
	ErrFrameTooLarge = errors.New("wire: frame too large")
	// ErrTruncated: the stream ended inside a frame.
	ErrTruncated = errors.New("wire: truncated frame")
	// ErrUnknownType: a frame type this version does not know, or one that
	// belongs to the other direction.
	ErrUnknownType = errors.New("wire: unknown frame type")
	// ErrMalformed: a known frame whose payload does not fit its layout.
	ErrMalformed = errors.New("wire: malformed frame")
	// ErrText: hypothesis or error text that is not UTF-8 or is too long.
	ErrText = errors.New("wire: invalid text")
)
