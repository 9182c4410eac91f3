package media

import "time"

// Stats counts a stream's frames in both directions. Frames that fail at
// any stage are dropped and counted; the call goes on.
type Stats struct {
	// Sending.
	FramesSent     uint64 // frames handed to the transport
	DTXSkipped     uint64 // silent frames not sent (Opus DTX)
	CaptureDropped uint64 // captured frames dropped because the send queue was full
	EncodeErrors   uint64
	SealErrors     uint64
	SendErrors     uint64

	// Receiving.
	FramesReceived uint64 // frames read from the transport
	DecryptFailed  uint64 // frames that failed FrameCipher.Open (tampered, replayed, wrong key)
	ReadErrors     uint64 // malformed packets reported by the transport
	Played         uint64 // frames decoded from received packets
	Concealed      uint64 // lost frames concealed by Opus PLC
	Recovered      uint64 // lost frames rebuilt from the next packet's in-band FEC
	DecodeErrors   uint64 // packets the decoder refused (concealed instead)
	Late           uint64 // arrived after their playout slot
	Duplicate      uint64
	JitterDropped  uint64 // discarded by the jitter buffer: delay bound, restart, oversized, absurd timestamp
	BadTimestamp   uint64 // of JitterDropped: frames whose RTP timestamp was absurd
	Inserted       uint64 // of Concealed: frames inserted to grow the delay or follow a slow sender
	Accelerated    uint64 // ticks that played two frames in one (crossfaded) to shrink the delay or follow a fast sender

	// Adaptation.
	JitterTarget time.Duration // the jitter buffer's current target delay
	// PlayoutWait: how long the received frame that waited least among
	// the last 50 played sat in the jitter buffer before it was decoded.
	PlayoutWait time.Duration
	Jitter      time.Duration // RFC 3550 interarrival jitter of the received stream
	Bitrate     int           // the encoder's current bitrate, bit/s
	PlannedLoss int           // the loss percentage the encoder's FEC is sized for

	// The echo canceller's sleep (media/dsp): the audio it slept through
	// because the microphone did not hear the loudspeaker, the times it
	// fell asleep, and the times its probe heard echo and woke it.
	EchoAsleep time.Duration
	EchoSleeps uint64
	EchoWakes  uint64
}
