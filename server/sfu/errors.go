package sfu

import "errors"

// Sentinel errors; callers tell cases apart with errors.Is.
var (
	// ErrNoSuchRoom: the call is not on the service.
	ErrNoSuchRoom = errors.New("sfu: no such room")
	// ErrE2EE: the call is end-to-end encrypted; the service never carries one.
	ErrE2EE = errors.New("sfu: the call is end-to-end encrypted")
	// ErrInvalidConfig: Config.Validate refused the configuration.
	ErrInvalidConfig = errors.New("sfu: invalid config")
	// ErrRoomFull: the room has Config.MaxParticipants already.
	ErrRoomFull = errors.New("sfu: room is full")
	// ErrNotParticipant: the user is not in that call on the service.
	ErrNotParticipant = errors.New("sfu: not a participant of the call")
	// ErrAlreadyJoined: the user is in the call on the service already.
	ErrAlreadyJoined = errors.New("sfu: already in the call")
	// ErrNotHeld: merge needs the first call on hold by the user.
	ErrNotHeld = errors.New("sfu: call is not on hold")
	// ErrNotOneToOne: a consult transfer joins two calls of two
	// participants each.
	ErrNotOneToOne = errors.New("sfu: not a call of two")
	// ErrPortsExhausted: as many connections as Config.PortMin..PortMax has
	// ports are open; the next would gather no ICE candidate.
	ErrPortsExhausted = errors.New("sfu: every port of the media port range is in use")
	// ErrClosed: the service or the participant is closed.
	ErrClosed = errors.New("sfu: closed")
	// ErrBadSignal: an answer or candidate from the client was refused.
	ErrBadSignal = errors.New("sfu: bad answer or candidate")
	// Malformed RTP, by cause (counted, never forwarded).
	ErrRTPTooShort  = errors.New("sfu: rtp packet too short")
	ErrRTPTooLarge  = errors.New("sfu: rtp packet too large")
	ErrRTPVersion   = errors.New("sfu: rtp version is not 2")
	ErrRTPEmpty     = errors.New("sfu: rtp packet has no payload")
	ErrRTPNotOpus   = errors.New("sfu: rtp payload is not a valid opus packet")
	ErrRTPBadHeader = errors.New("sfu: malformed rtp header")
	ErrRTPWrongType = errors.New("sfu: unexpected rtp payload type")
	ErrRTPNotVP8    = errors.New("sfu: rtp payload is not a valid vp8 payload")
)
