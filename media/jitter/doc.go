// Package jitter is the receive-side jitter buffer of Parley's audio path:
// it takes RTP frames in network order and hands the decoder one frame per
// 20 ms playout tick, in sequence order, after a target delay.
//
// The target is fixed, or (Config.Adaptive, what the engine uses) follows
// the measured network jitter: the 95th percentile of recent frames' delay
// variation plus one frame, between one frame and MaxTarget. The buffer
// level is steered toward the target one frame at a time, preferably on
// quiet frames: a frame is dropped when the level never fell to the target
// over a window (the sender's clock runs fast, or jitter subsided), and a
// concealed frame is inserted when it never reached it (slow sender, jitter
// grew). So clock drift between the ends never builds up delay.
//
// Network faults become explicit outcomes instead of glitches: a frame that
// never arrived is reported as lost (the decoder conceals it with Opus PLC,
// or recovers it from the next packet's in-band FEC, which Pop returns when
// it is buffered); an empty buffer conceals without skipping the frame due,
// which may only be late; duplicates, frames that arrive after their
// playout slot and frames with absurd timestamps are dropped and counted; a
// new SSRC or a sequence discontinuity starts over. See docs/media.md.
package jitter
