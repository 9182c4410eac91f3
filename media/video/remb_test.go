package video_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/video"
)

// cappedTrack is a TrackWriter whose far end sends a REMB (a
// video.RateCapper): it counts the frames written and drops them.
type cappedTrack struct {
	remb   atomic.Int64
	frames atomic.Uint64
}

func (c *cappedTrack) WriteFrame([]byte, time.Time) error { c.frames.Add(1); return nil }
func (c *cappedTrack) KeyframeRequests() <-chan struct{}  { return nil }
func (c *cappedTrack) RemoteEstimate() int                { return int(c.remb.Load()) }

// TestSenderFollowsREMB: a Sender encodes at the lower of its own
// congestion controller's estimate (SenderConfig.Bitrate) and the REMB
// its track reports, and at its own estimate while there is no REMB.
func TestSenderFollowsREMB(t *testing.T) {
	track := &cappedTrack{}
	var own atomic.Int64
	own.Store(1_200_000)
	cfg := video.DefaultSenderConfig()
	cfg.Bitrate = func() int { return int(own.Load()) }
	cfg.RateInterval = time.Millisecond // every frame
	s, err := video.NewSender(newPattern(t, 0), track, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	for _, step := range []struct {
		own, remb, want int
	}{
		{1_200_000, 0, 1_200_000},         // no REMB yet: the own estimate
		{1_200_000, 400_000, 400_000},     // the service's subscribers take less
		{300_000, 400_000, 300_000},       // the uplink takes less
		{1_200_000, 2_000_000, 1_200_000}, // the REMB allows more than the uplink
		{0, 700_000, 700_000},             // no own estimate yet: the REMB
	} {
		own.Store(int64(step.own))
		track.remb.Store(int64(step.remb))
		// Two frames later the sender has polled both.
		n := track.frames.Load()
		waitUntil(t, "two frames", func() bool { return track.frames.Load() >= n+2 })
		if got := s.Stats().Bitrate; got != step.want {
			t.Errorf("own %d, REMB %d: encoder at %d bit/s, want %d", step.own, step.remb, got, step.want)
		}
	}
}

// TestSenderREMBOnly: a Sender without congestion control of its own
// (SenderConfig.Bitrate nil) on a track with a REMB encodes at the REMB.
func TestSenderREMBOnly(t *testing.T) {
	track := &cappedTrack{}
	track.remb.Store(350_000)
	s, err := video.NewSender(newPattern(t, 0), track, video.DefaultSenderConfig())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	waitUntil(t, "the REMB's bitrate", func() bool { return s.Stats().Bitrate == 350_000 })
}
