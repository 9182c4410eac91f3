package signaling

// TypeMediaState tells the other party of an accepted call what this side
// does with its media: muted its microphone, or put the call on hold. Either
// party sends it, during an accepted call only, after every change; the
// server relays it to the other party of that call and to nobody else.
// Payload: CallID, Media.
const TypeMediaState Type = "media-state"

// MediaState is the payload of a media-state message. Both flags are sent
// every time (the message states the whole state, not a change).
type MediaState struct {
	Muted bool `json:"muted"` // the sender's microphone is off: "Muted" beside their name
	Held  bool `json:"held"`  // the sender put the call on hold: "On hold", no audio either way
}
