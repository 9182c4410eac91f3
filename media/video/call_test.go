package video_test

import (
	"testing"

	"github.com/parley-voip/parley/crypto/e2ee"
	"github.com/parley-voip/parley/media/rtc"
	"github.com/parley-voip/parley/media/video"
	"github.com/parley-voip/parley/media/video/videotest"
)

// minPSNR is the pass mark (videotest.MinPSNR).
const minPSNR = videotest.MinPSNR

// side is one end of a video call: what it sends and what it receives.
type side struct {
	pattern   *video.Pattern
	sender    *video.Sender
	collector *videotest.Collector
	remote    <-chan *rtc.RemoteVideo
	receiver  *video.Receiver
	track     *rtc.VideoTrack
	cipher    video.FrameCipher // the camera track's (nil: plain)
}

func newPattern(t testing.TB, start uint32) *video.Pattern {
	t.Helper()
	cfg := video.DefaultPatternConfig()
	cfg.Start = start
	p, err := video.NewPattern(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// videoCall connects two peers each sending its own pattern on a camera
// track, E2EE when sealed, and starts both senders and receivers.
func videoCall(t *testing.T, sealed bool, opts ...videotest.PeerOption) (a, b *side) {
	t.Helper()
	a, b = &side{pattern: newPattern(t, 0)}, &side{pattern: newPattern(t, 1_000_000)}
	a.collector = videotest.NewCollector(b.pattern) // a receives b's pattern
	b.collector = videotest.NewCollector(a.pattern)
	if sealed {
		opts = append(opts, videotest.Sealed())
	}
	pa, pb := videotest.Pair(t, func(pa, pb *rtc.Peer) {
		for _, s := range []struct {
			p *rtc.Peer
			s *side
		}{{pa, a}, {pb, b}} {
			tracks, remote := videotest.SendAndReceive(t, s.p, "camera")
			s.s.track, s.s.remote = tracks[0], remote
		}
	}, opts...)
	if sealed {
		ca, cb := videotest.Ciphers(t, pa, pb, e2ee.TrackAudio, e2ee.TrackCamera)
		a.cipher, b.cipher = ca[1], cb[1]
	}
	for _, s := range []*side{a, b} {
		cfg := video.DefaultSenderConfig()
		cfg.Cipher = s.cipher
		sender, err := video.NewSender(s.pattern, s.track, cfg)
		if err != nil {
			t.Fatal(err)
		}
		s.sender = sender
		t.Cleanup(func() { _ = sender.Close() })
	}
	for _, s := range []*side{a, b} {
		r, err := video.NewReceiver(videotest.Remote(t, s.remote), video.ReceiverConfig{Cipher: s.cipher, Sink: s.collector})
		if err != nil {
			t.Fatal(err)
		}
		s.receiver = r
		t.Cleanup(func() { _ = r.Close() })
	}
	return a, b
}

// checkRun fails unless got is a run of at least n well-received pictures
// with consecutive counters.
func checkRun(t *testing.T, who string, got []videotest.Received, n int) videotest.Report {
	t.Helper()
	r := videotest.Summarize(got)
	t.Logf("%s: %d frames, counters %d..%d, PSNR min %.1f mean %.1f dB, %d unreadable, %d skips", who,
		r.Frames, r.First, r.Last, r.MinPSNR, r.MeanPSNR, r.Unreadable, r.Skips)
	if r.Frames < n || r.Unreadable > 0 || r.Skips > 0 || r.MinPSNR < minPSNR {
		t.Fatalf("%s: want %d consecutive readable frames at ≥ %d dB", who, n, minPSNR)
	}
	return r
}

// TestE2EEVideoCall: a 1:1 E2EE video call over two real peers on
// loopback: both directions deliver 90 consecutive frames (3 s), each the
// sent picture (PSNR ≥ 30 dB against the frame of its counter), and every
// frame went through SFrame (the far end opened it with the camera
// track's key).
func TestE2EEVideoCall(t *testing.T) {
	a, b := videoCall(t, true)
	bothWays(t, a, b, 90)
	for _, s := range []*side{a, b} {
		st := s.receiver.Stats()
		if st.OpenFailed != 0 || st.DecodeFailed != 0 || st.Gaps != 0 {
			t.Fatalf("receiver %+v", st)
		}
	}
	if e, ok := a.cipher.(*e2ee.MediaCipher); !ok || e.Track() != e2ee.TrackCamera {
		t.Fatal("not the camera track's cipher")
	}
}

// TestPlainVideoCall: a call without E2EE sends RFC 7741 VP8 and arrives
// the same.
func TestPlainVideoCall(t *testing.T) {
	a, b := videoCall(t, false)
	bothWays(t, a, b, 60)
}

// bothWays waits for n frames each way and checks both runs.
func bothWays(t *testing.T, a, b *side, n int) {
	t.Helper()
	for _, s := range []*side{a, b} {
		if !s.collector.Wait(n, videotest.Timeout) {
			t.Fatalf("only %d frames", len(s.collector.Got()))
		}
	}
	checkRun(t, "a←b", a.collector.Got(), n)
	checkRun(t, "b←a", b.collector.Got(), n)
}
