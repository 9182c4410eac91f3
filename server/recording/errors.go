package recording

import "errors"

// Reasons a packet is dropped (counted in Stats) and the Opus parser's
// typed errors.
var (
	// ErrEmptyPacket: an RTP packet without payload.
	ErrEmptyPacket = errors.New("recording: empty Opus packet")
	// ErrPacketTooLarge: larger than MaxPacket bytes.
	ErrPacketTooLarge = errors.New("recording: Opus packet too large")
	// ErrMalformedPacket: the Opus framing (RFC 6716 section 3) is
	// inconsistent: frame lengths beyond the packet, a zero frame count,
	// more than 120 ms of audio.
	ErrMalformedPacket = errors.New("recording: malformed Opus packet")
)

// Service errors.
var (
	// ErrNotAllowed: the user's policy does not allow recording.
	ErrNotAllowed = errors.New("recording: not allowed by policy")
	// ErrNotParticipant: the user is not in the call (or the recording's).
	ErrNotParticipant = errors.New("recording: not a participant")
	// ErrNotStandardCall: the call is not on the media service (an E2EE
	// call, or one that has not reached it).
	ErrNotStandardCall = errors.New("recording: only a standard call can be recorded")
	// ErrAlreadyRecording: the call is being recorded.
	ErrAlreadyRecording = errors.New("recording: the call is already being recorded")
	// ErrNotRecording: stop without a recording in progress.
	ErrNotRecording = errors.New("recording: the call is not being recorded")
	// ErrNotFound: no such recording or track.
	ErrNotFound = errors.New("recording: not found")
	// ErrForbidden: only the starter and administrators may delete.
	ErrForbidden = errors.New("recording: only its starter or an administrator may delete it")
	// ErrCorrupt: a sealed track does not open (wrong key, truncated,
	// altered or reordered chunks).
	ErrCorrupt = errors.New("recording: stored track is damaged")
	// ErrInvalidConfig: a Config is unusable.
	ErrInvalidConfig = errors.New("recording: invalid config")
)
