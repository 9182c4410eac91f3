// Package media is Parley's audio engine: it takes captured PCM frames, encodes
// them with Opus, protects them end to end with a FrameCipher when the call is
// E2EE (SFrame, see docs/e2ee.md), and carries them over a WebRTC peer
// connection; on receive it reverses the path through a jitter buffer to the
// playback device. Sub-packages hold the parts: audio (devices), opus (codec),
// rtc (pion/webrtc), jitter, tone.
package media
