package rtc

// MaxFrameSize bounds one encoded (and possibly SFrame-sealed) audio frame so
// that its RTP packet fits a 1200-byte path MTU after SRTP overhead. A 20 ms
// Opus frame at 510 kbit/s, the codec's maximum, is 1275 bytes, so callers
// must keep the bitrate sane; speech at 32 kbit/s is about 80 bytes.
const MaxFrameSize = 1100

// Frame is one received RTP packet's audio frame.
type Frame struct {
	// Payload is the encoded (maybe sealed) frame. It aliases the Peer's
	// receive buffer and is valid only until the next ReadFrame.
	Payload   []byte
	Seq       uint16
	Timestamp uint32
	SSRC      uint32
	// Marker is the RTP marker bit: for audio, the first packet after a
	// pause in transmission (DTX), RFC 3551 section 4.1.
	Marker bool
}
