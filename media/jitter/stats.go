package jitter

import "time"

// Stats counts what happened to frames since the buffer was created.
type Stats struct {
	Pushed       uint64 // frames accepted into the buffer
	Played       uint64 // frames returned by Pop as Ready, or two per Compress
	Lost         uint64 // playout slots reported Lost (concealed by the caller)
	Inserted     uint64 // of Lost: concealed frames inserted to grow the delay or bridge an empty buffer
	Late         uint64 // frames dropped because their slot had already played
	Duplicate    uint64 // frames dropped because that sequence number was buffered
	TooLarge     uint64 // frames dropped for exceeding MaxPayload
	BadTimestamp uint64 // frames dropped for an absurd RTP timestamp
	Dropped      uint64 // buffered frames discarded to bound delay or at a restart
	Accelerated  uint64 // Compress ticks: two frames played in one to shrink the delay by a frame
	Resets       uint64 // restarts: new SSRC or sequence discontinuity
	Buffered     int    // frames held now
	Target       int    // current target delay in frames
	// Wait is how long the frame that waited least among the last
	// AdaptWindow played (one second's worth) had been buffered before it
	// played: an adaptive buffer keeps it within one frame above its
	// margin (the arrival spread plus a few ms).
	Wait time.Duration
	// Jitter is RFC 3550's interarrival jitter estimate.
	Jitter time.Duration
}
