package audio

// ringTimeout is how long the audio thread of the device ring (Linux:
// ring_linux.go) waits for Go's playback frame before it plays silence:
// half a period. Other OSes have no ring (newRing fails there).
const ringTimeout = 10 // ms

// ringStats are the ring's C-side counters, for tests and diagnostics
// (zero where there is no ring).
type ringStats struct {
	CaptureDropped, PlaybackShort, Wakes uint64
}
