package audio

// ringTimeout is how long the audio thread of the device ring (Linux:
// ring_linux.go) waits for Go's playback frame before it plays silence.
// PulseAudio, given the buffer attributes of third_party/malgo.patch, keeps
// 25 ms queued for the stream and asks for 10 ms when 15 ms are left, with
// the sink's own 5 ms besides: in a call on the private server of make
// bench-peer, frames forced 13 and 18 ms late played with no underrun at
// the server, 25 ms late underran it each time. On this project's virtual
// machines Go's frame came 10–14 ms late 6 times in 15 minutes of calls
// (mostly in both apps at once: the machine stalled), never 15 ms
// (docs/media.md, "What is left, measured"). Other OSes have no ring
// (newRing fails there).
const ringTimeout = 15 // ms

// ringStats are the ring's C-side counters, for tests and diagnostics
// (zero where there is no ring).
type ringStats struct {
	CaptureDropped, PlaybackShort, Wakes uint64
}
