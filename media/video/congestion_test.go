package video_test

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/rtc"
	"github.com/parley-voip/parley/media/video"
	"github.com/parley-voip/parley/media/video/videotest"
)

// TestBitrateFollowsCongestion: the camera's encoder takes its target from
// congestion control (GCC over TWCC feedback, rtc.Peer.TargetBitrate): when
// the network starts losing a third of A's packets the target A's encoder
// runs at falls well below what it was on the clean network, and NACK,
// PLI and keyframes keep the picture coming.
func TestBitrateFollowsCongestion(t *testing.T) {
	lossy := videotest.NewLossy(t)
	p := newPattern(t, 0)
	collector := videotest.NewCollector(p, videotest.Unscored())
	var tracks []*rtc.VideoTrack
	var remote <-chan *rtc.RemoteVideo
	pa, _ := videotest.Pair(t, func(a, b *rtc.Peer) {
		tracks, _ = videotest.SendAndReceive(t, a, "camera")
		_, remote = videotest.SendAndReceive(t, b)
	}, videotest.OverLossy(lossy))
	cfg := video.DefaultSenderConfig()
	cfg.Bitrate = pa.TargetBitrate
	sender, err := video.NewSender(p, tracks[0], cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sender.Close() })
	recv, err := video.NewReceiver(videotest.Remote(t, remote), video.ReceiverConfig{Sink: collector})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = recv.Close() })

	if !collector.Wait(60, videotest.Timeout) { // two clean seconds
		t.Fatal("no video")
	}
	clean := sender.Stats().Bitrate
	var n atomic.Uint64
	lossy.Drop(func(int) bool { return n.Add(1)%3 == 0 })
	// Congestion control reacts to the loss reported over the next
	// seconds; wait for the target to fall, within the test's bound.
	deadline := time.Now().Add(videotest.Timeout)
	var lossyRate int
	for time.Now().Before(deadline) {
		have := len(collector.Got())
		if !collector.Wait(have+15, videotest.Timeout) {
			t.Fatal("video stopped under loss")
		}
		if lossyRate = sender.Stats().Bitrate; lossyRate < clean*2/3 {
			break
		}
	}
	lossy.Drop(nil)
	t.Logf("encoder target %d bit/s clean, %d bit/s at 33%% loss (%d packets dropped); receiver %+v",
		clean, lossyRate, lossy.Dropped.Load(), recv.Stats())
	if lossyRate >= clean*2/3 {
		t.Fatalf("target %d bit/s under loss, %d clean: congestion control did not act", lossyRate, clean)
	}
}
