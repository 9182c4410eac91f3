// Package jitter is the receive-side jitter buffer of Parley's audio path:
// it takes RTP frames in network order and hands the decoder one frame per
// 20 ms playout tick, in sequence order, after a target delay.
//
// The target is fixed, or (Config.Adaptive, what the engine uses) follows
// the measured network jitter: the 95th percentile of recent frames' delay
// variation plus one frame, between one frame and MaxTarget. A fixed
// buffer steers its level in frames toward the target; an adaptive one
// steers in time: every frame should wait, between arrival and playout,
// the measured spread plus a few milliseconds (the margin), and a
// talkspurt starts once its first frame has. The delay moves one frame at
// a time, preferably on quiet frames: two frames play in one tick
// (Compress; the caller crossfades them) when even the least-waiting
// frame of a window waited a frame more than needed (the sender's clock
// runs fast, or jitter subsided), and a concealed frame is inserted when
// the buffer ran short (slow sender, jitter grew). So clock drift between
// the ends never builds up delay.
//
// Network faults become explicit outcomes instead of glitches: a frame that
// never arrived is reported as lost (the decoder conceals it with Opus PLC,
// or recovers it from the next packet's in-band FEC, which Pop returns when
// it is buffered); an empty buffer conceals without skipping the frame due,
// which may only be late; duplicates, frames that arrive after their
// playout slot and frames with absurd timestamps are dropped and counted; a
// new SSRC or a sequence discontinuity starts over. See docs/media.md.
package jitter
