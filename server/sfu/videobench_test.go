package sfu

import (
	"context"
	"encoding/binary"
	"fmt"
	"testing"
	"time"

	"github.com/parley-voip/parley/internal/sfutest"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// benchVideoPacket is a 1 Mbit/s-sized VP8 packet: a frame's continuation,
// about 1030 bytes.
func benchVideoPacket(b testing.TB) []byte {
	return rtpBytes(b, 96, sfutest.VP8TestPacket(1, 5, 1, sfutest.DeltaPackets, false))
}

// BenchmarkForwardVideoServiceOnly is the service's own work per
// forwarded video packet (rate limit, RTP and VP8 checks, rewrite into
// each down track) to fan-out receivers, without pion's SRTP and socket
// write.
func BenchmarkForwardVideoServiceOnly(b *testing.B) {
	for _, fan := range []int{1, 5} {
		b.Run(fmt.Sprintf("fanout=%d", fan), func(b *testing.B) {
			s, err := New(Config{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			src := &Member{svc: s, user: "alice", done: make(chan struct{})}
			src.video[kindCamera].Store(true)
			outs := make([]*downTrack, fan)
			for i := range outs {
				tr, err := newBoundTrack(vp8Codec.RTPCodecCapability, "camera", "x")
				if err != nil {
					b.Fatal(err)
				}
				outs[i] = &downTrack{src: src, kind: kindCamera, clock: 90000, track: tr, gone: make(chan struct{})}
			}
			src.outs[kindCamera].Store(&outs)
			f := videoForwarder{m: src, kind: kindCamera, pt: 96, limit: newBucket(1e9, 1e9)}
			pkt := benchVideoPacket(b)
			b.SetBytes(int64(len(pkt)))
			benchHandle(b, &f, pkt)
		})
	}
}

// BenchmarkForwardVideoConnected forwards video to receivers connected
// over loopback: the service's work plus pion's (NACK history, SRTP,
// UDP write) per down track.
func BenchmarkForwardVideoConnected(b *testing.B) {
	for _, fan := range []int{1, 5} {
		b.Run(fmt.Sprintf("fanout=%d", fan), func(b *testing.B) {
			src := connectedFanout(b, fan)
			if err := src.m.SetVideo(true, false); err != nil {
				b.Fatal(err)
			}
			waitVideoOuts(b, src.m, fan)
			f := videoForwarder{m: src.m, kind: kindCamera, pt: 96, limit: newBucket(1e9, 1e9)}
			// A key frame first, so the down tracks pass what follows.
			for _, p := range sfutest.VP8TestFrame(1, 0, true) {
				f.handle(rtpBytes(b, 96, p), time.Now())
			}
			pkt := benchVideoPacket(b)
			now := time.Now()
			b.SetBytes(int64(len(pkt)))
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				binary.BigEndian.PutUint16(pkt[2:], uint16(i+10))
				f.handle(pkt, now)
			}
		})
	}
}

// waitVideoOuts waits until m's camera has n bound down tracks to
// connected receivers.
func waitVideoOuts(b testing.TB, m *Member, n int) {
	deadline := time.Now().Add(testTimeout)
	for {
		ready := 0
		for _, d := range *m.outs[kindCamera].Load() {
			if d.track.bound.Load() > 0 && d.dst.connected.Load() {
				ready++
			}
		}
		if ready >= n {
			return
		}
		if time.Now().After(deadline) {
			b.Fatal("video down tracks not ready")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// withBenchCamera gives a bench client a camera track, turned on once it
// joins.
func withBenchCamera(b testing.TB) func(*benchClient) {
	return func(c *benchClient) {
		track, err := webrtc.NewTrackLocalStaticRTP(vp8Codec.RTPCodecCapability, "camera", "bench")
		if err != nil {
			b.Fatal(err)
		}
		c.video = track
	}
}

func drainRTCP(s *webrtc.RTPSender) {
	for {
		if _, _, err := s.ReadRTCP(); err != nil {
			return
		}
	}
}

// film sends about 1 Mbit/s of VP8-shaped video (30 frames/s of four
// 1030-byte packets, a key frame every 2 s) until ctx ends.
func (c *benchClient) film(ctx context.Context) {
	var pkt rtp.Packet
	pkt.Version = 2
	seq := uint16(0)
	paced(ctx, time.Second/30, func(i int) {
		f := uint32(i)
		key := f%60 == 0
		n := 4
		if key {
			n = 12
		}
		for j := range n {
			pkt.SequenceNumber, pkt.Timestamp, pkt.Marker = seq, f*3000, j == n-1
			pkt.Payload = sfutest.VP8TestPacket(1, f, j, n, key)
			seq++
			_ = c.video.WriteRTP(&pkt)
		}
	})
}

// BenchmarkVideoGroupCPU runs a video group call of n participants, each
// sending about 1 Mbit/s of video and talking, for 5 s, and reports the
// process's CPU as a percentage of one core. The clients run in the same
// process and do about as much pion work as the service (they encrypt
// what it decrypts and decrypt what it encrypts, n-1 times over on the
// receiving side), so the service's share is about half. Run with
// -benchtime=1x.
func BenchmarkVideoGroupCPU(b *testing.B) {
	for _, n := range []int{3, 6} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			cpu, wall, before, after := measureGroup(b, n, true)
			v := after.ForwardedVideo - before.ForwardedVideo
			b.ReportMetric(cpu, "cpu%")
			b.ReportMetric(float64(v)/wall.Seconds(), "video-in-pkt/s")
			b.ReportMetric(float64(v*uint64(n-1))/wall.Seconds(), "video-out-pkt/s")
		})
	}
}
