package signaling

import (
	"errors"
	"fmt"
)

// Sentinel errors; DecodeError and FieldError wrap them so callers can use
// errors.Is.
var (
	// ErrTooLarge: the frame exceeds the size limit.
	ErrTooLarge = errors.New("signaling: message too large")
	// ErrMalformed: the frame is not a single strict JSON envelope.
	ErrMalformed = errors.New("signaling: malformed message")
	// ErrUnknownType: the envelope's type is not one this version knows.
	ErrUnknownType = errors.New("signaling: unknown message type")
	// ErrMissingField: a field the type requires is absent or empty.
	ErrMissingField = errors.New("signaling: missing field")
	// ErrFieldNotAllowed: a field is present that the type does not carry.
	ErrFieldNotAllowed = errors.New("signaling: field not allowed for type")
	// ErrFieldTooLong: a field exceeds its length limit.
	ErrFieldTooLong = errors.New("signaling: field too long")
	// ErrInvalidField: a field's value is not acceptable (e.g. control
	// characters in an id, an unknown presence status).
	ErrInvalidField = errors.New("signaling: invalid field value")
	// ErrClosed: the connection is closed.
	ErrClosed = errors.New("signaling: connection closed")
	// ErrUnexpectedMessage: the server answered hello with something other
	// than welcome or error.
	ErrUnexpectedMessage = errors.New("signaling: unexpected message")
)

// FieldError reports which field of which message type failed validation.
type FieldError struct {
	Type  Type
	Field string // JSON name, e.g. "call_id" or "users[3].id"
	Err   error  // ErrMissingField, ErrFieldNotAllowed, ErrFieldTooLong or ErrInvalidField
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("%v: %s.%s", e.Err, e.Type, e.Field)
}

func (e *FieldError) Unwrap() error { return e.Err }

// DecodeError is returned by Decode for every rejected frame. Ref is the
// message's id when the envelope was readable enough to find one, so that the
// error reply can point at the offending message.
type DecodeError struct {
	Ref string
	Err error
}

func (e *DecodeError) Error() string {
	if e.Ref == "" {
		return e.Err.Error()
	}
	return fmt.Sprintf("%v (id %q)", e.Err, e.Ref)
}

func (e *DecodeError) Unwrap() error { return e.Err }

// Code maps the error to the wire error code sent back to the peer.
func (e *DecodeError) Code() ErrorCode {
	switch {
	case errors.Is(e.Err, ErrTooLarge):
		return CodeTooLarge
	case errors.Is(e.Err, ErrUnknownType):
		return CodeUnknownType
	default:
		return CodeMalformed
	}
}

// ServerError is an error message received from the server, returned by
// Dial when the server refuses the hello.
type ServerError struct {
	Code    ErrorCode
	Message string
	Ref     string
}

func (e *ServerError) Error() string {
	if e.Message == "" {
		return fmt.Sprintf("signaling: server error %s", e.Code)
	}
	return fmt.Sprintf("signaling: server error %s: %s", e.Code, e.Message)
}

// CloseError reports that the peer closed the WebSocket with a status code,
// e.g. 1009 after an oversized frame or 1008 after sustained abuse.
type CloseError struct {
	Code   int
	Reason string
}

func (e *CloseError) Error() string {
	return fmt.Sprintf("signaling: connection closed with status %d: %s", e.Code, e.Reason)
}

// Is makes errors.Is(err, ErrClosed) true for every CloseError.
func (e *CloseError) Is(target error) bool { return target == ErrClosed }
