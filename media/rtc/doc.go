// Package rtc is Parley's thin wrapper over a pion/webrtc v4 peer connection
// for one-to-one audio calls: one sendrecv Opus transceiver (payload type
// 111, 48 kHz, as WebRTC requires), trickle ICE, and one encoded frame per RTP
// packet in each direction.
//
// It exists so that the rest of the client never touches pion directly and
// every byte that comes from the network (SDP, ICE candidates) passes through
// size limits and typed errors first. It also extracts the DTLS certificate
// fingerprints from both session descriptions (crypto/fingerprint), because
// the E2EE key agreement binds them into its transcript (see docs/e2ee.md),
// and checks the certificate the peer presents in the DTLS handshake against
// the remote one before any frame flows: a media path that does not
// terminate at the peer who ran the handshake then cannot carry the call.
package rtc
