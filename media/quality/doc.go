// Package quality scores received audio and video against what was sent,
// for tests and benchmarks of the media path (see docs/media.md).
//
// NCC, the normalized cross-correlation after a search over delays, is the
// pass/fail check of an end-to-end call test. It is a fair check for Opus at
// 32 kb/s because Opus (SILK/CELT at that rate) is waveform-approximate: it
// keeps the waveform's shape and polarity, adding coding noise and a
// look-ahead delay, but is not bit-exact, so sample equality would always
// fail while a correlation still near 1 proves the same audio arrived in
// order. The lag search absorbs the codec delay, the jitter buffer and the
// pipeline's start-up; normalization makes it insensitive to gain. A chirp
// through Opus at 32 kb/s scores 0.99 here, and still 0.83 with one frame
// in ten lost and concealed (TestOpusChirp); unrelated audio or noise stays
// below 0.05. A pass mark of 0.8 therefore separates "the sent audio
// arrived" from "it did not" with a wide margin on the failing side, while
// tolerating a realistic amount of concealment on the passing side.
//
// SegmentalSNR is the classic per-20 ms signal-to-noise measure; it is
// harsher (gain and phase count) and is used to compare conditions, such as
// loss with and without FEC, rather than as a pass mark.
//
// PSNR scores a received picture against the one sent (luma, dB).
package quality
