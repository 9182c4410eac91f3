// Package media is Parley's audio engine: it takes captured PCM frames, encodes
// them with Opus, protects them end to end with a FrameCipher when the call is
// E2EE (SFrame, see docs/e2ee.md), and carries them over a WebRTC peer
// connection; on receive it reverses the path through a jitter buffer to the
// playback device, with echo cancellation and noise suppression on the way
// in, level meters both ways, and an adaptive jitter buffer, FEC and
// loss-driven bitrate on the way back. Sub-packages hold the parts: audio
// (devices), opus (codec), dsp (speexdsp), rtc (pion/webrtc), jitter, tone,
// quality. The design and measured figures are in docs/media.md.
package media
