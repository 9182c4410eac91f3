package jitter

import (
	"slices"
	"time"
)

// estimatorWindow is how many recent frames the delay percentile looks at:
// 128 frames is 2.56 s of speech, long enough to see a burst of jitter, short
// enough that a sender clock 0.5 % fast moves the minimum transit by under
// 13 ms within the window (so drift does not masquerade as jitter).
const estimatorWindow = 128

// estimator measures network delay variation from each frame's arrival time
// and RTP timestamp. It keeps RFC 3550's interarrival jitter (section 6.4.1,
// reported in Stats) and, for choosing the target delay, the 95th percentile
// of each frame's delay above the fastest frame of the window: a mean
// deviation under-reacts to the occasional late burst that makes a frame
// miss its slot, a high percentile does not.
type estimator struct {
	clockRate int64
	base      time.Time
	haveBase  bool

	extTS   int64 // unwrapped RTP timestamp of the last frame
	lastTS  uint32
	haveTS  bool
	transit int64 // arrival − timestamp of the last frame, in clock ticks
	jitter  int64 // RFC 3550 J, in clock ticks × 16 (the RFC's fixed point)

	ring    [estimatorWindow]int64 // transits of the last frames
	n, pos  int
	scratch [estimatorWindow]int64
}

func (e *estimator) reset() {
	*e = estimator{clockRate: e.clockRate, base: e.base, haveBase: e.haveBase}
}

// add records a frame that arrived at now with RTP timestamp ts.
func (e *estimator) add(now time.Time, ts uint32) {
	if !e.haveBase {
		e.base, e.haveBase = now, true
	}
	arrival := int64(now.Sub(e.base)) * e.clockRate / int64(time.Second)
	if e.haveTS {
		e.extTS += int64(int32(ts - e.lastTS))
	} else {
		e.extTS = int64(ts)
	}
	e.lastTS = ts
	transit := arrival - e.extTS
	if e.haveTS {
		d := transit - e.transit
		if d < 0 {
			d = -d
		}
		e.jitter += d - (e.jitter+8)>>4
	}
	e.haveTS = true
	e.transit = transit
	e.ring[e.pos] = transit
	e.pos = (e.pos + 1) % estimatorWindow
	if e.n < estimatorWindow {
		e.n++
	}
}

// Jitter is RFC 3550's interarrival jitter.
func (e *estimator) Jitter() time.Duration {
	return time.Duration((e.jitter >> 4) * int64(time.Second) / e.clockRate)
}

// spread is the 95th percentile of the window's transits above their
// minimum, in clock ticks: how much later than the fastest frame a frame
// may arrive and still be in time, 19 times out of 20.
func (e *estimator) spread() int64 {
	if e.n < 2 {
		return 0
	}
	s := e.scratch[:e.n]
	copy(s, e.ring[:e.n])
	slices.Sort(s)
	return s[(e.n*95-1)/100] - s[0]
}
