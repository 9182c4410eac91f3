package app

import (
	"log/slog"
	"time"

	"github.com/parley-voip/parley/media"
	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/rtc"
)

// DefaultMediaReportInterval is how often a call in progress logs its
// media counters.
const DefaultMediaReportInterval = 5 * time.Second

// reportMedia logs the call's media counters and the candidate pair it
// runs on every MediaReportInterval while stream runs, and once more when
// it stops; the media watchdog reads the same counters at each report
// (mediawatch.go). A call whose "received" stays at zero has no media
// path (the network lets nothing through, or ICE found no pair): it does
// not become Active; "decrypt_failed" growing means frames arrive that the
// call's keys do not open. The video counters (VideoStats) are read on the
// client's loop, which owns the call's video, so the report is written
// there. scripts/test-windows.sh reads these lines.
func (c *Client) reportMedia(k *call, p *rtc.Peer, s *media.Stream) {
	t := time.NewTicker(c.cfg.MediaReportInterval)
	defer t.Stop()
	for {
		select {
		case now := <-t.C:
			st, dev := s.Stats(), c.engine.DeviceStats()
			c.post(func() {
				logMedia(c.log, "media", st, dev, c.videoStats(k), p.Path())
				c.watchMedia(k, s, st, now)
			})
		case <-s.Done():
			st, dev := s.Stats(), c.engine.DeviceStats()
			c.post(func() { logMedia(c.log, "media at call end", st, dev, c.videoStats(k), p.Path()) })
			return
		case <-c.stopped:
			return
		}
	}
}

// logMedia writes one media report: frames received from the transport
// (sealed with SFrame in an E2EE call), of those the ones that failed to
// open, frames decoded and played, frames sent and silent ones skipped by
// DTX; how much of the call the echo canceller slept through (no echo
// heard: a headset) and how often its probe heard echo and woke it; the
// sound device's glitches (samples played as silence because
// the frame was late, captured samples dropped; zero on devices that do
// not count them); the video frames sent, received, failed to open and
// decoded; and the path.
func logMedia(log *slog.Logger, msg string, st media.Stats, dev audio.DeviceStats, v VideoStats, p rtc.Path) {
	log.Info(msg, "received", st.FramesReceived, "decrypt_failed", st.DecryptFailed, "played", st.Played,
		"concealed", st.Concealed, "sent", st.FramesSent, "dtx_skipped", st.DTXSkipped,
		"echo_asleep", st.EchoAsleep.Round(time.Millisecond), "echo_wakes", st.EchoWakes,
		"device_playback_late", dev.PlaybackLate, "device_capture_dropped", dev.CaptureDropped,
		"video_sent", v.Sent, "video_received", v.Received, "video_open_failed", v.OpenFailed, "video_decoded", v.Decoded,
		"path", p.String())
}
