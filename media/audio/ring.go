package audio

// ringTimeout is how long the audio thread of the device ring (Linux:
// ring_linux.go) waits for Go's playback frame before it plays silence.
// PulseAudio asks for playback when its queue for the stream has fallen to
// tlength − minreq, 20 ms (third_party/malgo.patch): a frame up to 15 ms
// late still reaches the server with 5 ms to spare, and waiting much
// longer would not help, the queue having run dry by then. On this
// project's virtual machines Go's frame came 10–14 ms late 6 times in 15
// minutes of calls (mostly in both apps at once: the machine stalled),
// never 15 ms (docs/media.md, "What is left, measured"). Other OSes have
// no ring (newRing fails there).
const ringTimeout = 15 // ms

// ringStats are the ring's C-side counters, for tests and diagnostics
// (zero where there is no ring).
type ringStats struct {
	CaptureDropped, PlaybackShort, Wakes uint64
}
