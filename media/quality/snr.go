package quality

import "math"

// Segmental SNR parameters, the usual ones: 20 ms segments (the codec's
// frame), each segment's SNR clamped to [-10, 35] dB so that a silent or
// perfect segment cannot dominate the mean.
const (
	SegmentSamples = 960 // 20 ms at 48 kHz
	SNRFloor       = -10.0
	SNRCeiling     = 35.0

	// silentSegment is the mean-square level (≈ -70 dBFS) under which a
	// reference segment is skipped: there is no signal to have a ratio to.
	silentSegment = 10 * 10
)

// SegmentalSNR compares got, delayed by lag samples (from NCC), with ref:
// the mean over 20 ms segments of 10·log10(Σref² / Σ(ref−got)²), each
// clamped to [SNRFloor, SNRCeiling]. Silent reference segments are skipped;
// missing samples of got count as zeros. It returns SNRFloor if ref has no
// audible segment.
//
// Unlike NCC it is sensitive to gain and phase, so it ranks conditions
// (loss with and without FEC) rather than judging a codec absolutely.
func SegmentalSNR(ref, got []int16, lag int) float64 {
	var sum float64
	segments := 0
	for start := 0; start+SegmentSamples <= len(ref); start += SegmentSamples {
		var sig, noise float64
		for i := start; i < start+SegmentSamples; i++ {
			r := float64(ref[i])
			var g float64
			if j := i + lag; j >= 0 && j < len(got) {
				g = float64(got[j])
			}
			sig += r * r
			noise += (r - g) * (r - g)
		}
		if sig < silentSegment*SegmentSamples {
			continue
		}
		snr := SNRCeiling
		if noise > 0 {
			snr = min(max(10*math.Log10(sig/noise), SNRFloor), SNRCeiling)
		}
		sum += snr
		segments++
	}
	if segments == 0 {
		return SNRFloor
	}
	return sum / float64(segments)
}
