package app

import (
	"log/slog"
	"time"

	"github.com/parley-voip/parley/media"
	"github.com/parley-voip/parley/media/rtc"
)

// DefaultMediaReportInterval is how often a call in progress logs its
// media counters.
const DefaultMediaReportInterval = 5 * time.Second

// reportMedia logs the call's media counters and the candidate pair it
// runs on every MediaReportInterval while stream runs, and once more when
// it stops. A call whose code both sides show but whose "received" stays at
// zero has no media path (the network lets nothing through, or ICE found no
// pair); "decrypt_failed" growing means frames arrive that the call's keys
// do not open. scripts/test-windows.sh reads these lines.
func (c *Client) reportMedia(p *rtc.Peer, s *media.Stream) {
	t := time.NewTicker(c.cfg.MediaReportInterval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			logMedia(c.log, "media", s.Stats(), p.Path())
		case <-s.Done():
			logMedia(c.log, "media at call end", s.Stats(), p.Path())
			return
		case <-c.stopped:
			return
		}
	}
}

// logMedia writes one media report: frames received from the transport
// (sealed with SFrame in an E2EE call), of those the ones that failed to
// open, frames decoded and played, frames sent and silent ones skipped by
// DTX, and the path.
func logMedia(log *slog.Logger, msg string, st media.Stats, p rtc.Path) {
	log.Info(msg, "received", st.FramesReceived, "decrypt_failed", st.DecryptFailed, "played", st.Played,
		"concealed", st.Concealed, "sent", st.FramesSent, "dtx_skipped", st.DTXSkipped, "path", p.String())
}
