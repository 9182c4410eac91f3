// Package sfu is the organization server's media service: a selective
// forwarding unit on pion/webrtc that carries standard (not end-to-end
// encrypted) calls. Each participant keeps one peer connection to the
// service, which forwards every participant's Opus RTP, and its VP8
// camera and screen-share video, to the others without decoding it, with
// key frame requests, loss repair and bitrate feedback for the video.
// Taps (recording, captions) see the forwarded audio.
// Call control changes who is in a room without renegotiating those who
// stay (bridge.go): a participant's place can be vacated (hold music on
// their audio track), taken by a successor, or two calls spliced into one.
package sfu
