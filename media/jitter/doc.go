// Package jitter is the receive-side jitter buffer of Parley's audio path:
// it takes RTP frames in network order and hands the decoder one frame per
// 20 ms playout tick, in sequence order, after a fixed target delay.
//
// Network faults become explicit outcomes instead of glitches: a frame that
// never arrived is reported as lost (the decoder conceals it with Opus PLC,
// or recovers it from the next packet's in-band FEC, which Pop returns when
// it is buffered); duplicates and frames that arrive after their playout
// slot are dropped and counted; a new SSRC or a sequence discontinuity
// starts over. The delay is fixed (three frames by default); the adaptive
// buffer that follows measured jitter is issue 5. See docs/media.md.
package jitter
