package signaling

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Decode parses one frame with the MaxMessageBytes limit. See DecodeLimit.
func Decode(b []byte) (*Message, error) {
	return DecodeLimit(b, MaxMessageBytes)
}

// DecodeLimit parses one frame of at most limit bytes: a single JSON object
// with no unknown fields and no trailing data, valid for its type. Every
// error is a *DecodeError wrapping ErrTooLarge, ErrMalformed, ErrUnknownType
// or a *FieldError.
func DecodeLimit(b []byte, limit int) (*Message, error) {
	if len(b) > limit {
		return nil, &DecodeError{Err: fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(b), limit)}
	}
	var m Message
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return nil, &DecodeError{Ref: salvageRef(b), Err: fmt.Errorf("%w: %v", ErrMalformed, err)}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, &DecodeError{Ref: salvageRef(b), Err: fmt.Errorf("%w: trailing data", ErrMalformed)}
	}
	m.normalize()
	if err := m.Validate(); err != nil {
		// The reply points at the message only with an id that is itself
		// valid: an invalid one could not be encoded into error.ref.
		ref := m.ID
		if !validID(ref) {
			ref = ""
		}
		if errors.Is(err, ErrUnknownType) {
			err = fmt.Errorf("%w: %.64q", ErrUnknownType, m.Type)
		} else {
			err = fmt.Errorf("%w: %w", ErrMalformed, err)
		}
		return nil, &DecodeError{Ref: ref, Err: err}
	}
	return &m, nil
}

// Encode validates m and marshals it into one frame.
func Encode(m *Message) ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("signaling: encode %s: %w", m.Type, err)
	}
	b, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("signaling: encode %s: %w", m.Type, err)
	}
	return b, nil
}

// normalize makes empty collections nil, so that a decoded message equals
// the decoding of its own encoding (omitempty drops them).
func (m *Message) normalize() {
	if len(m.Users) == 0 {
		m.Users = nil
	}
	if len(m.Data) == 0 {
		m.Data = nil
	}
	if len(m.IDs) == 0 {
		m.IDs = nil
	}
	if len(m.Roster) == 0 {
		m.Roster = nil
	}
	if len(m.ICEServers) == 0 {
		m.ICEServers = nil
	}
}

// PeekID returns the id of the message in frame b without validating the
// rest, or "" when there is no valid one: the server uses it to point an
// error at a message it refuses to process (rate limiting).
func PeekID(b []byte) string { return salvageRef(b) }

// validID reports whether s may be sent as an id (error.ref included).
func validID(s string) bool {
	v := validator{}
	v.id("id", s)
	return v.err == nil
}

// salvageRef finds the id of a message that failed strict decoding, so the
// error reply can still point at it.
func salvageRef(b []byte) string {
	var probe struct {
		ID string `json:"id"`
	}
	// Only the first value: the frame may have been refused for trailing data.
	if json.NewDecoder(bytes.NewReader(b)).Decode(&probe) != nil || !validID(probe.ID) {
		return ""
	}
	return probe.ID
}
