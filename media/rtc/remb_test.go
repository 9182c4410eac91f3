package rtc

import (
	"testing"
	"time"

	"github.com/pion/rtcp"
)

// TestVideoTrackRemoteEstimate: a REMB the far end sends for a video
// track's SSRC (as the media service does once a second) is what the
// track's RemoteEstimate reports, for video.Sender to encode at.
func TestVideoTrackRemoteEstimate(t *testing.T) {
	ctx := testContext(t)
	withVideo := func(c *Config) { c.Video = true }
	a, b := newTestPeer(t, withVideo), newTestPeer(t, withVideo)
	v, err := a.AddVideoTrack("camera")
	if err != nil {
		t.Fatal(err)
	}
	connectPair(ctx, t, a, b)
	if got := v.RemoteEstimate(); got != 0 {
		t.Fatalf("estimate %d before any REMB", got)
	}
	ssrc := uint32(v.sender.GetParameters().Encodings[0].SSRC)
	for v.RemoteEstimate() != 420_000 {
		if err := b.pc.WriteRTCP([]rtcp.Packet{&rtcp.ReceiverEstimatedMaximumBitrate{Bitrate: 420_000, SSRCs: []uint32{ssrc}}}); err != nil {
			t.Fatal(err)
		}
		select {
		case <-ctx.Done():
			t.Fatalf("estimate %d, want the REMB's 420000", v.RemoteEstimate())
		case <-time.After(50 * time.Millisecond):
		}
	}
}
