package opus

import "errors"

// Error is a libopus error code (opus_defines.h). Compare with errors.Is
// against the constants below; the values are libopus's own, part of its
// stable ABI since 1.0.
type Error int

// libopus error codes.
const (
	ErrBadArg         Error = -1
	ErrBufferTooSmall Error = -2
	ErrInternal       Error = -3
	ErrInvalidPacket  Error = -4
	ErrUnimplemented  Error = -5
	ErrInvalidState   Error = -6
	ErrAllocFail      Error = -7
)

func (e Error) Error() string {
	switch e {
	case ErrBadArg:
		return "opus: invalid argument"
	case ErrBufferTooSmall:
		return "opus: buffer too small"
	case ErrInternal:
		return "opus: internal error"
	case ErrInvalidPacket:
		return "opus: corrupted packet"
	case ErrUnimplemented:
		return "opus: request not implemented"
	case ErrInvalidState:
		return "opus: invalid state"
	case ErrAllocFail:
		return "opus: memory allocation failed"
	default:
		return "opus: unknown error"
	}
}

// Errors detected on the Go side, before libopus is called.
var (
	ErrClosed         = errors.New("opus: use of closed encoder or decoder")
	ErrPacketTooLarge = errors.New("opus: packet larger than MaxPacketSize")
	ErrEmptyPacket    = errors.New("opus: empty packet (use DecodePLC for a lost frame)")
	ErrFrameSize      = errors.New("opus: pcm length is not a valid opus frame size")
	ErrSampleRate     = errors.New("opus: sample rate must be 8000, 12000, 16000, 24000 or 48000")
	ErrChannels       = errors.New("opus: channels must be 1 or 2")
	ErrApplication    = errors.New("opus: unknown application")
	ErrBitrate        = errors.New("opus: bitrate out of range")
	ErrPacketLoss     = errors.New("opus: packet loss percent out of range 0..100")
	ErrComplexity     = errors.New("opus: complexity out of range 0..10")
	ErrShortBuffer    = errors.New("opus: destination buffer is empty")
)
