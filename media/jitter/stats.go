package jitter

// Stats counts what happened to frames since the buffer was created.
type Stats struct {
	Pushed    uint64 // frames accepted into the buffer
	Played    uint64 // frames returned by Pop as Ready
	Lost      uint64 // playout slots reported Lost (concealed by the caller)
	Late      uint64 // frames dropped because their slot had already played
	Duplicate uint64 // frames dropped because that sequence number was buffered
	TooLarge  uint64 // frames dropped for exceeding MaxPayload
	Dropped   uint64 // buffered frames discarded to bound delay or at a restart
	Resets    uint64 // restarts: new SSRC or sequence discontinuity
	Buffered  int    // frames held now
}
