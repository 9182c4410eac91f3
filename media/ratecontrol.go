package media

import (
	"math"

	"github.com/parley-voip/parley/media/opus"
)

// lossReporter is implemented by transports that learn how much of our
// stream the far end loses (rtc.Peer, from RTCP receiver reports).
type lossReporter interface {
	RemoteLoss() (fraction float64, reports uint64)
}

// Loss-driven encoder adaptation. Random loss is best fought with in-band
// FEC, which libopus sizes from the expected loss percentage, so that
// follows the reports (with headroom, never under the 10 % default). Loss
// this high is also the usual sign of a congested path, where sending less
// helps, so the bitrate steps down at 5 % and 15 % and climbs back when the
// reports clear; it never goes under minAdaptiveBitrate, below which FEC
// and speech together no longer fit.
const (
	minAdaptiveBitrate = 16000
	maxPlannedLoss     = 40
	lossSmoothing      = 0.5 // weight of the newest report
)

type rateControl struct {
	ceiling  int
	smoothed float64
	reports  uint64
	bitrate  int
	planned  int
}

func newRateControl(ceiling int) rateControl {
	return rateControl{ceiling: ceiling, bitrate: ceiling, planned: opus.DefaultPacketLossPercent}
}

// update folds in a new report and returns the encoder settings for it;
// changed is false when they stay the same.
func (r *rateControl) update(fraction float64) (bitrate, planned int, changed bool) {
	r.smoothed = lossSmoothing*fraction + (1-lossSmoothing)*r.smoothed
	loss := r.smoothed
	planned = min(max(opus.DefaultPacketLossPercent, int(math.Ceil(loss*150))), maxPlannedLoss)
	switch {
	case loss >= 0.15:
		bitrate = r.ceiling / 2
	case loss >= 0.05:
		bitrate = r.ceiling * 3 / 4
	default:
		bitrate = r.ceiling
	}
	bitrate = max(bitrate, min(minAdaptiveBitrate, r.ceiling))
	changed = bitrate != r.bitrate || planned != r.planned
	r.bitrate, r.planned = bitrate, planned
	return bitrate, planned, changed
}
