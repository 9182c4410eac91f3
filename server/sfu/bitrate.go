package sfu

import (
	"math"
	"sync"
	"time"

	"github.com/pion/rtcp"
)

// Bitrate feedback to senders of video (REMB). The service forwards one
// layer, so a sender's bitrate must suit its slowest subscriber: each
// video down track keeps an estimate of what its receiver takes, from the
// loss in the receiver's reports (the loss-based half of Google congestion
// control: back off by half the loss above 10 %, grow by 8 % per second
// below 2 % but not beyond 1.5 times what is being sent) capped by any
// REMB the receiver sends itself; once a second the service sends each
// sender the least estimate of its subscribers. The sender's own uplink is
// covered by transport-wide congestion control feedback (feedback.go).
const (
	rembInterval  = time.Second
	minVideoRate  = 100_000 // bit/s
	lossBackOff   = 0.10
	lossHeadroom  = 0.02
	growthPerTick = 1.08
	rateHeadroom  = 1.5
)

// rateEstimate is one down track's estimate.
type rateEstimate struct {
	mu   sync.Mutex
	loss float64 // the worst fraction lost reported since the last update
	remb float64 // the receiver's own REMB, bit/s; 0 when it sent none
	est  float64 // bit/s; 0 until the first update
}

// report takes one receiver report's fraction lost (of 256).
func (e *rateEstimate) report(fractionLost uint8) {
	e.mu.Lock()
	e.loss = max(e.loss, float64(fractionLost)/256)
	e.mu.Unlock()
}

// capAt takes the receiver's own REMB.
func (e *rateEstimate) capAt(bps float64) {
	e.mu.Lock()
	e.remb = bps
	e.mu.Unlock()
}

// update moves the estimate on by one interval, in which the sender sent
// rate bit/s, within limit; it returns the estimate.
func (e *rateEstimate) update(rate, limit float64) float64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.est == 0 {
		e.est = limit
	}
	switch {
	case e.loss > lossBackOff:
		base := e.est
		if rate > 0 {
			base = min(base, rate)
		}
		e.est = base * (1 - 0.5*e.loss)
	case e.loss < lossHeadroom:
		// Grow, but not beyond 1.5 times what is sent; a sender that
		// sends less than the estimate (a still screen, frames that
		// started late in the interval, a sender following this very
		// REMB) does not lower it: only loss does. Otherwise a sender
		// that encodes at the REMB would be held down by it, growing at
		// 8 % a second from wherever a quiet second left it.
		e.est = max(e.est, min(e.est*growthPerTick, max(rateHeadroom*rate, minVideoRate)))
	}
	e.loss = 0
	e.est = min(max(e.est, minVideoRate), limit)
	if e.remb > 0 {
		return max(min(e.est, e.remb), minVideoRate)
	}
	return e.est
}

// feedback handles a video down track's RTCP from its receiver: key frame
// requests go to the sender, receiver reports and REMB to the estimate.
func (d *downTrack) feedback(pkts []rtcp.Packet) {
	for _, p := range pkts {
		switch p := p.(type) {
		case *rtcp.PictureLossIndication, *rtcp.FullIntraRequest:
			d.src.svc.c.keyframeAsks.Add(1)
			d.src.keyframes[d.kind].request(time.Now())
		case *rtcp.ReceiverReport:
			for _, r := range p.Reports {
				if r.SSRC == d.ssrc {
					d.rate.report(r.FractionLost)
				}
			}
		case *rtcp.ReceiverEstimatedMaximumBitrate:
			d.rate.capAt(float64(p.Bitrate))
		}
	}
}

// sendBitrates sends each sender of video in r the least estimate of its
// subscribers for each of its tracks.
func (r *room) sendBitrates(elapsed time.Duration) {
	r.mu.Lock()
	members := append([]*Member(nil), r.members...)
	r.mu.Unlock()
	limit := float64(r.svc.cfg.MaxVideoBitrate)
	for _, m := range members {
		for _, k := range videoKinds {
			bytes := m.vbytes[k].Swap(0)
			outs := *m.outs[k].Load()
			if !m.video[k].Load() || len(outs) == 0 || m.vssrc[k].Load() == 0 {
				continue
			}
			rate := float64(bytes) * 8 / elapsed.Seconds()
			least := math.Inf(1)
			for _, d := range outs {
				least = min(least, d.rate.update(rate, limit))
			}
			m.sendREMB(k, least)
		}
	}
}

func (m *Member) sendREMB(k trackKind, bps float64) {
	if m.left() {
		return
	}
	p := &rtcp.ReceiverEstimatedMaximumBitrate{Bitrate: float32(bps), SSRCs: []uint32{m.vssrc[k].Load()}}
	if err := m.pc.WriteRTCP([]rtcp.Packet{p}); err != nil {
		m.svc.log.Debug("sfu: remb", "user", m.user, "err", err)
		return
	}
	m.svc.c.rembs.Add(1)
}
