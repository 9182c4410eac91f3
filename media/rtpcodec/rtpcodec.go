// Package rtpcodec holds the RTP codecs and the mid header extension
// Parley negotiates, as both the client (media/rtc) and the
// organization's media service (server/sfu) register them, so the two
// cannot drift apart. It is pure Go and needs nothing of Parley's.
package rtpcodec

import (
	"fmt"

	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"
)

// Opus as WebRTC negotiates it: payload type 111, the RTP clock is 48 kHz
// and the channel count is always 2 in SDP (RFC 7587 section 7), whatever
// the encoder sends. In-band FEC is requested so the receiver can recover a
// lost frame from the next packet.
var Opus = webrtc.RTPCodecParameters{
	RTPCodecCapability: webrtc.RTPCodecCapability{
		MimeType:    webrtc.MimeTypeOpus,
		ClockRate:   48000,
		Channels:    2,
		SDPFmtpLine: "minptime=10;useinbandfec=1",
	},
	PayloadType: 111,
}

// VideoFeedback is the RTCP feedback video negotiates: NACK, PLI, FIR,
// REMB and transport-wide congestion control.
var VideoFeedback = []webrtc.RTCPFeedback{
	{Type: webrtc.TypeRTCPFBNACK},
	{Type: webrtc.TypeRTCPFBNACK, Parameter: "pli"},
	{Type: webrtc.TypeRTCPFBCCM, Parameter: "fir"},
	{Type: webrtc.TypeRTCPFBGoogREMB},
	{Type: webrtc.TypeRTCPFBTransportCC},
}

// VP8 is plain VP8 (RFC 7741): payload type 96, 90 kHz.
var VP8 = webrtc.RTPCodecParameters{
	RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeVP8, ClockRate: 90000, RTCPFeedback: VideoFeedback},
	PayloadType:        96,
}

// SealedVP8 carries SFrame ciphertext of whole VP8 frames in an E2EE
// call (media/rtc's videopacket.go; docs/e2ee.md): payload type 97. It is
// never offered to the media service.
var SealedVP8 = webrtc.RTPCodecParameters{
	RTPCodecCapability: webrtc.RTPCodecCapability{MimeType: "video/sframe", ClockRate: 90000, SDPFmtpLine: "codec=vp8", RTCPFeedback: VideoFeedback},
	PayloadType:        97,
}

// RegisterMid registers the SDES mid header extension (RFC 8843) for audio
// and video. Client and service both register it, so it is negotiated;
// pion's senders never write it, so no packet carries it. What it changes
// is how pion treats packets of an SSRC the remote description does not
// declare (a departed participant's last packets after the offer that
// took their track off, or a newcomer's before the offer that declares
// it): without mid, pion guesses their section by payload type and, when
// that section declares no SSRC (a reused one), adds a send-receive
// transceiver with a track of its own for them, one more on every such
// race; with mid negotiated and no rid, it drops them.
func RegisterMid(me *webrtc.MediaEngine) error {
	for _, kind := range []webrtc.RTPCodecType{webrtc.RTPCodecTypeAudio, webrtc.RTPCodecTypeVideo} {
		if err := me.RegisterHeaderExtension(webrtc.RTPHeaderExtensionCapability{URI: sdp.SDESMidURI}, kind); err != nil {
			return fmt.Errorf("register mid for %s: %w", kind, err)
		}
	}
	return nil
}
