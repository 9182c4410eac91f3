package vp8

// Limits. A 1080p keyframe at a sane bitrate is well under 1 MiB; a frame
// over MaxFrameSize or a keyframe declaring more than MaxWidth×MaxHeight is
// refused before libvpx allocates for it (a 16383×16383 keyframe header is
// a few bytes).
const (
	MaxFrameSize = 1 << 20
	MaxWidth     = 1920
	MaxHeight    = 1088
)

// IsKeyframe reports whether frame starts a VP8 keyframe (RFC 6386
// section 9.1: the frame tag's low bit is 0 and the start code 9d 01 2a
// follows the 3-byte tag).
func IsKeyframe(frame []byte) bool {
	return len(frame) >= 10 && frame[0]&1 == 0 && frame[3] == 0x9d && frame[4] == 0x01 && frame[5] == 0x2a
}

// keyframeSize is the picture size a keyframe declares (14 bits each,
// RFC 6386 section 9.1); ok is false for a delta frame.
func keyframeSize(frame []byte) (w, h int, ok bool) {
	if !IsKeyframe(frame) {
		return 0, 0, false
	}
	w = int(frame[6]) | int(frame[7]&0x3f)<<8
	h = int(frame[8]) | int(frame[9]&0x3f)<<8
	return w, h, true
}
