//go:build unix

package video_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/parley-voip/parley/crypto/e2ee"
	"github.com/parley-voip/parley/internal/cputime"
	"github.com/parley-voip/parley/media/rtc"
	"github.com/parley-voip/parley/media/video"
	"github.com/parley-voip/parley/media/video/videotest"
)

// BenchmarkVideoCall runs a real 1:1 E2EE video call on loopback, both
// peers in this process, each sending the synthetic camera (30 fps) and
// receiving the other's; one iteration is one second of call (30 frames
// received each way). Reported: the frames per second received, one
// client's share of one core (process CPU time / wall time / 2 clients:
// drawing the test pattern, encode, seal, RTP, SRTP, and open, decode,
// reading the counter; no PSNR scoring), and
// capture-to-render latency (the synthetic camera's capture time to the
// decoded picture reaching the sink: encode, seal, packetize, SRTP,
// loopback UDP, reassembly, open, decode), mean and 95th percentile; and
// one client's memory: the growth of the process's resident size from
// before the call to its end (libvpx's buffers, pion's, the frames; half
// of it, for two clients), and half the Go heap in use at the end.
func BenchmarkVideoCall(b *testing.B) {
	for _, c := range []struct {
		name          string
		w, h, bitrate int
	}{{"360p", 640, 360, 600_000}, {"720p", 1280, 720, 2_000_000}} {
		b.Run(c.name, func(b *testing.B) { benchmarkVideoCall(b, c.w, c.h, c.bitrate) })
	}
}

func benchmarkVideoCall(b *testing.B, w, h, bitrate int) {
	type end struct {
		src       *stamped
		track     *rtc.VideoTrack
		remote    <-chan *rtc.RemoteVideo
		collector *videotest.Collector
	}
	mk := func(start uint32) *end {
		cfg := video.PatternConfig{Width: w, Height: h, FrameRate: 30, Start: start}
		p, err := video.NewPattern(cfg)
		if err != nil {
			b.Fatal(err)
		}
		return &end{src: newStamped(p, start)}
	}
	runtime.GC()
	rss0 := cputime.RSS()
	a, bb := mk(0), mk(1_000_000)
	a.collector, bb.collector = videotest.NewCollector(bb.src.Pattern, videotest.Unscored()), videotest.NewCollector(a.src.Pattern, videotest.Unscored())
	pa, pb := videotest.Pair(b, func(pa, pb *rtc.Peer) {
		for _, s := range []struct {
			p *rtc.Peer
			e *end
		}{{pa, a}, {pb, bb}} {
			tracks, remote := videotest.SendAndReceive(b, s.p, "camera")
			s.e.track, s.e.remote = tracks[0], remote
		}
	}, videotest.Sealed())
	ca, cb := videotest.Ciphers(b, pa, pb, e2ee.TrackCamera)
	ciphers := []*e2ee.MediaCipher{ca[0], cb[0]}
	for i, e := range []*end{a, bb} {
		cfg := video.DefaultSenderConfig()
		cfg.Encoder.Width, cfg.Encoder.Height, cfg.Encoder.Bitrate = w, h, bitrate
		cfg.Cipher = ciphers[i]
		s, err := video.NewSender(e.src, e.track, cfg)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = s.Close() })
	}
	for i, e := range []*end{a, bb} { // after both senders: each waits for the other's track
		r, err := video.NewReceiver(videotest.Remote(b, e.remote), video.ReceiverConfig{Cipher: ciphers[i], Sink: e.collector})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = r.Close() })
	}
	// One second to settle (first keyframes, GCC), then measure.
	if !a.collector.Wait(30, videotest.Timeout) || !bb.collector.Wait(30, videotest.Timeout) {
		b.Fatal("call did not start")
	}
	skipA, skipB := len(a.collector.Got()), len(bb.collector.Got())
	cpu0, wall0 := cputime.Process(), time.Now()
	n := 0
	for b.Loop() {
		n++
		if !a.collector.Wait(skipA+30*n, videotest.Timeout) || !bb.collector.Wait(skipB+30*n, videotest.Timeout) {
			b.Fatal("call stalled")
		}
	}
	wall, cpu := time.Since(wall0), cputime.Process()-cpu0
	rss := cputime.RSS()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	lat := bb.src.latencies(a.collector.Got()[skipA:])
	lat = append(lat, a.src.latencies(bb.collector.Got()[skipB:])...)
	frames := len(a.collector.Got()) - skipA + len(bb.collector.Got()) - skipB
	b.ReportMetric(float64(frames)/2/wall.Seconds(), "fps")
	b.ReportMetric(100*cpu.Seconds()/wall.Seconds()/2, "%core/client")
	reportLatency(b, lat)
	b.ReportMetric(float64(rss-rss0)/2/(1<<20), "MB-RSS/client")
	b.ReportMetric(float64(ms.HeapInuse)/2/(1<<20), "MB-heap/client")
}

// BenchmarkServiceVideoCall runs a standard 1:1 video call at 360p through
// the media service (server/sfu) on loopback, both clients and the service
// in this process; one iteration is 30 frames received each way.
// Reported: frames per second, the process's CPU per client (each
// client's encode and decode, and half the service's forwarding), and
// capture-to-render latency (as BenchmarkVideoCall's, plus the service's
// hop; the clients reassemble with pion's sample builder, videotest.RTPRemote).
func BenchmarkServiceVideoCall(b *testing.B) {
	r := newVideoRoom(b)
	r.stamp = true
	a, bob := r.join("alice", 0), r.join("bob", 1_000_000)
	colA, _ := a.from(b, "bob")
	colB, _ := bob.from(b, "alice")
	if !colA.Wait(30, videotest.Timeout) || !colB.Wait(30, videotest.Timeout) {
		b.Fatal("call did not start")
	}
	skipA, skipB := len(colA.Got()), len(colB.Got())
	cpu0, wall0 := cputime.Process(), time.Now()
	n := 0
	for b.Loop() {
		n++
		if !colA.Wait(skipA+30*n, videotest.Timeout) || !colB.Wait(skipB+30*n, videotest.Timeout) {
			b.Fatal("call stalled")
		}
	}
	wall, cpu := time.Since(wall0), cputime.Process()-cpu0
	lat := bob.stamped.latencies(colA.Got()[skipA:])
	lat = append(lat, a.stamped.latencies(colB.Got()[skipB:])...)
	frames := len(colA.Got()) - skipA + len(colB.Got()) - skipB
	b.ReportMetric(float64(frames)/2/wall.Seconds(), "fps")
	b.ReportMetric(100*cpu.Seconds()/wall.Seconds()/2, "%core/client")
	reportLatency(b, lat)
}
