package sframe

import "sync/atomic"

// Stats counts what a Context has done since it was created. Every frame
// passed to Decrypt lands in exactly one of Opened or the failure counters.
type Stats struct {
	Sealed      uint64 // frames encrypted
	Opened      uint64 // frames decrypted and authenticated
	Malformed   uint64 // bad header, truncated, oversized or overlapping input
	UnknownKIDs uint64 // no key for the KID (or a sending key: wrong direction)
	Replays     uint64 // counter already accepted
	TooOld      uint64 // counter behind the replay window
	BadTags     uint64 // authentication failed
}

// counters is the lock-free form of Stats kept inside a Context.
type counters struct {
	sealed, opened, malformed, unknownKIDs, replays, tooOld, badTags atomic.Uint64
}

func (c *counters) snapshot() Stats {
	return Stats{
		Sealed:      c.sealed.Load(),
		Opened:      c.opened.Load(),
		Malformed:   c.malformed.Load(),
		UnknownKIDs: c.unknownKIDs.Load(),
		Replays:     c.replays.Load(),
		TooOld:      c.tooOld.Load(),
		BadTags:     c.badTags.Load(),
	}
}
