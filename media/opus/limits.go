package opus

const (
	// MaxPacketSize bounds the packets the Decoder accepts and the Encoder
	// produces. RFC 6716 §3.2.1 caps one frame at 1275 bytes; three frames'
	// worth is libopus's own recommended receive buffer (opus_demo) and far
	// above what a 20 ms voice frame at any sane bitrate needs.
	MaxPacketSize = 3 * 1275

	// MinBitrate and MaxBitrate are libopus's accepted range in bit/s.
	MinBitrate = 500
	MaxBitrate = 512000

	// MaxFrameSamples is the longest Opus packet, 120 ms, in samples per
	// channel at 48 kHz: a decode buffer this large accepts any valid packet.
	MaxFrameSamples = 48000 * 120 / 1000
)

// validFrameSize reports whether n samples per channel is an Opus frame
// duration the encoder accepts: 2.5, 5, 10, 20, 40 or 60 ms.
func validFrameSize(sampleRate, n int) bool {
	for _, tenths := range [...]int{25, 50, 100, 200, 400, 600} {
		if n == sampleRate*tenths/10000 {
			return true
		}
	}
	return false
}

// validSampleRate reports whether libopus can run at hz.
func validSampleRate(hz int) bool {
	switch hz {
	case 8000, 12000, 16000, 24000, 48000:
		return true
	}
	return false
}
