package signaling

// TypeMediaState tells the other party of an accepted call what this side
// does with its media: muted its microphone, or put the call on hold. Either
// party sends it, during an accepted call only, after every change; the
// server relays it to the other party of that call and to nobody else.
// Payload: CallID, Media.
const TypeMediaState Type = "media-state"

// MediaState is the payload of a media-state message. Every flag is sent
// every time (the message states the whole state, not a change).
type MediaState struct {
	Muted bool `json:"muted"` // the sender's microphone is off: "Muted" beside their name
	Held  bool `json:"held"`  // the sender put the call on hold: "On hold", no audio either way
	// Camera and Screen: the sender sends its camera, its shared screen,
	// on a direct call (through the media service media-video says it).
	// On a direct call the side that made the first offer renegotiates
	// when the other turns a kind on that has no video section yet.
	Camera bool `json:"camera,omitempty"`
	Screen bool `json:"screen,omitempty"`
}
