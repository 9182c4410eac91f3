package sfu

import (
	"github.com/parley-voip/parley/media/rtpcodec"
	"github.com/parley-voip/parley/signaling"
	"github.com/pion/webrtc/v4"
)

// trackKind is what one of a participant's tracks carries: its voice, its
// camera or its shared screen.
type trackKind int

const (
	kindAudio trackKind = iota
	kindCamera
	kindScreen
	numKinds
)

// videoKinds are the kinds a participant turns on with media-video.
var videoKinds = [...]trackKind{kindCamera, kindScreen}

// trackID is the id of the tracks of kind, on the client's connection and
// on those the service forwards them on.
func (k trackKind) trackID() string {
	switch k {
	case kindCamera:
		return signaling.VideoTrackCamera
	case kindScreen:
		return signaling.VideoTrackScreen
	}
	return "audio"
}

// videoKindOf is the kind a client's video track announces by its id.
func videoKindOf(trackID string) (trackKind, bool) {
	switch trackID {
	case signaling.VideoTrackCamera:
		return kindCamera, true
	case signaling.VideoTrackScreen:
		return kindScreen, true
	}
	return 0, false
}

func (k trackKind) codec() webrtc.RTPCodecParameters {
	if k == kindAudio {
		return opusCodec
	}
	return vp8Codec
}

// vp8Codec is VP8 as client and media service negotiate it.
var vp8Codec = rtpcodec.VP8
