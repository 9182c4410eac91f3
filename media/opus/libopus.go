package opus

/*
#cgo pkg-config: opus
#include <opus.h>
*/
import "C"

import "unsafe"

// codeError maps a negative libopus return code to an Error.
func codeError(code C.int) error {
	switch code {
	case C.OPUS_BAD_ARG:
		return ErrBadArg
	case C.OPUS_BUFFER_TOO_SMALL:
		return ErrBufferTooSmall
	case C.OPUS_INTERNAL_ERROR:
		return ErrInternal
	case C.OPUS_INVALID_PACKET:
		return ErrInvalidPacket
	case C.OPUS_UNIMPLEMENTED:
		return ErrUnimplemented
	case C.OPUS_INVALID_STATE:
		return ErrInvalidState
	case C.OPUS_ALLOC_FAIL:
		return ErrAllocFail
	default:
		return Error(code)
	}
}

// cApplication maps Application to libopus's constant.
func cApplication(a Application) C.int {
	switch a {
	case Audio:
		return C.OPUS_APPLICATION_AUDIO
	case LowDelay:
		return C.OPUS_APPLICATION_RESTRICTED_LOWDELAY
	default:
		return C.OPUS_APPLICATION_VOIP
	}
}

// Version is the libopus version string, e.g. "libopus 1.3.1".
func Version() string {
	return C.GoString(C.opus_get_version_string())
}

// pcmPtr and bytePtr hand a Go slice to C. cgo allows it because the backing
// arrays hold no Go pointers and C does not keep them past the call.
func pcmPtr(pcm []int16) *C.opus_int16 { return (*C.opus_int16)(unsafe.Pointer(unsafe.SliceData(pcm))) }

func bytePtr(b []byte) *C.uchar { return (*C.uchar)(unsafe.Pointer(unsafe.SliceData(b))) }
