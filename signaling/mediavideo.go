package signaling

// TypeMediaVideo tells the media service which video a participant of a
// standard call sends: its camera, its screen, both or neither. The client
// sends it whenever that changes, after media-join; the service answers the
// first use of each kind with a media-offer carrying a receive-only video
// section, where the client attaches its track with the track id
// VideoTrackCamera or VideoTrackScreen (the SDP msid). Turning a kind off
// and on again needs no new track: the client stops and starts writing on
// the same one. The roster shows every participant's flags. A participant
// that never sends it receives the others' video and sends none.
// Payload: CallID, Video.
const TypeMediaVideo Type = "media-video"

// VideoState is the payload of a media-video message: the whole state,
// not a change.
type VideoState struct {
	Camera bool `json:"camera"` // the camera track carries video
	Screen bool `json:"screen"` // the screen-share track carries video
}

// Track ids of a participant's video on its connection to the media
// service (the second field of the SDP msid): the service tells camera
// and screen share apart by them, and names the tracks it forwards the
// same way, in the stream "parley-<user id>".
const (
	VideoTrackCamera = "camera"
	VideoTrackScreen = "screen"
)
