// Package rtpcodec holds the RTP codecs Parley negotiates, as both the
// client (media/rtc) and the organization's media service (server/sfu)
// register them, so the two cannot drift apart. It is pure Go and needs
// nothing of Parley's.
package rtpcodec

import "github.com/pion/webrtc/v4"

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

// VP8 as Parley negotiates it: payload type 96, 90 kHz, with NACK, PLI,
// FIR, REMB and transport-wide congestion control feedback.
var VP8 = webrtc.RTPCodecParameters{
	RTPCodecCapability: webrtc.RTPCodecCapability{
		MimeType:  webrtc.MimeTypeVP8,
		ClockRate: 90000,
		RTCPFeedback: []webrtc.RTCPFeedback{
			{Type: webrtc.TypeRTCPFBNACK},
			{Type: webrtc.TypeRTCPFBNACK, Parameter: "pli"},
			{Type: webrtc.TypeRTCPFBCCM, Parameter: "fir"},
			{Type: webrtc.TypeRTCPFBGoogREMB},
			{Type: webrtc.TypeRTCPFBTransportCC},
		},
	},
	PayloadType: 96,
}
