package sfu

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"slices"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/parley-voip/parley/internal/sfutest"
	"github.com/parley-voip/parley/media/rtc"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// benchPacket is a 20 ms Opus-sized packet (80-byte payload, CELT TOC).
func benchPacket(b testing.TB) []byte {
	payload := make([]byte, 80)
	payload[0] = 0xfc
	return rtpBytes(b, 111, payload)
}

// BenchmarkForwardServiceOnly is the service's own work per forwarded
// packet (validation, rate limit, level, rewrite into each down track,
// taps) to fan-out receivers, without pion's SRTP and socket write.
func BenchmarkForwardServiceOnly(b *testing.B) {
	for _, fan := range []int{1, 10} {
		b.Run(fmt.Sprintf("fanout=%d", fan), func(b *testing.B) {
			s, err := New(Config{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			src := &Member{svc: s, user: "alice", done: make(chan struct{})}
			r := newRoom(s, "bench")
			src.room.Store(r)
			outs := make([]*downTrack, fan)
			for i := range outs {
				tr, err := webrtc.NewTrackLocalStaticRTP(opusCodec.RTPCodecCapability, "audio", "x")
				if err != nil {
					b.Fatal(err)
				}
				outs[i] = &downTrack{src: src, track: &boundTrack{TrackLocalStaticRTP: tr}, clock: 48000, gone: make(chan struct{})}
			}
			src.outs[kindAudio].Store(&outs)
			r.addTap(nopTap{})
			f := forwarder{m: src, pt: 111, limit: newBucket(1e9, 1e9)}
			benchHandle(b, &f, benchPacket(b))
		})
	}
}

// benchHandle times h handling pkt b.N times, each with the next
// sequence number: a forwarder's own work per packet.
func benchHandle(b *testing.B, h interface{ handle([]byte, time.Time) }, pkt []byte) {
	now := time.Now()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		binary.BigEndian.PutUint16(pkt[2:], uint16(i))
		h.handle(pkt, now)
	}
}

// BenchmarkForwardConnected forwards to receivers connected over loopback:
// the service's work plus pion's SRTP encryption and UDP write per down
// track. The receivers read without decoding.
func BenchmarkForwardConnected(b *testing.B) {
	for _, fan := range []int{1, 4} {
		b.Run(fmt.Sprintf("fanout=%d", fan), func(b *testing.B) {
			src := connectedFanout(b, fan)
			waitOuts(b, src.m, fan)
			f := forwarder{m: src.m, pt: 111, limit: newBucket(1e9, 1e9)}
			benchHandle(b, &f, benchPacket(b))
		})
	}
}

// connectedFanout starts a service on loopback with a sender, alice, and
// fan receivers, all connected, and returns alice; the service closes when
// b's run ends.
func connectedFanout(b *testing.B, fan int) *benchClient {
	s, err := New(Config{IncludeLoopback: true})
	if err != nil {
		b.Fatal(err)
	}
	src := benchJoin(b, s, "alice")
	for i := range fan {
		benchJoin(b, s, fmt.Sprintf("r%d", i)).waitConnected(b)
	}
	src.waitConnected(b)
	// Registered last, so it runs first: the service closes before the
	// clients benchJoin closes (cleanups run last-in, first-out).
	b.Cleanup(func() { s.Close() })
	return src
}

func waitOuts(b testing.TB, m *Member, n int) {
	deadline := time.Now().Add(testTimeout)
	for len(*m.outs[kindAudio].Load()) < n {
		if time.Now().After(deadline) {
			b.Fatal("down tracks not ready")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// benchClient is a cheap participant for load measurements: it answers
// offers, replays one encoded packet every 20 ms when talking, and reads
// what it receives without decoding.
type benchClient struct {
	pc    *webrtc.PeerConnection
	m     *Member
	track *webrtc.TrackLocalStaticRTP
	sigs  chan Signal
	ready chan struct{}
	got   chan time.Duration // one-way delays, when measuring latency
	// video, when set, is attached to the service's receive-only video
	// section as soon as one is offered (benchVideo).
	video   *webrtc.TrackLocalStaticRTP
	vsender atomic.Pointer[webrtc.RTPSender]
}

// benchJoin joins a bench client for user; options set it up before it
// joins.
func benchJoin(b testing.TB, s *Service, user string, opts ...func(*benchClient)) *benchClient {
	c := newBenchClient(b)
	for _, o := range opts {
		o(c)
	}
	m, err := s.Join(JoinRequest{CallID: "bench", UserID: user, Name: user, Send: func(sig Signal) { c.sigs <- sig }})
	if err != nil {
		b.Fatal(err)
	}
	c.m = m
	close(c.ready)
	go c.answer(func(sdp string) error { return m.Answer(sdp) }, func(ci webrtc.ICECandidateInit) { _ = m.AddCandidate(ci) })
	if c.video != nil {
		if err := m.SetVideo(true, false); err != nil {
			b.Fatal(err)
		}
	}
	return c
}

func newBenchClient(b testing.TB) *benchClient {
	pc, err := sfutest.API(b).NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		b.Fatal(err)
	}
	track, err := webrtc.NewTrackLocalStaticRTP(opusCodec.RTPCodecCapability, "audio", "bench")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := pc.AddTrack(track); err != nil {
		b.Fatal(err)
	}
	c := &benchClient{pc: pc, track: track, sigs: make(chan Signal, 4096), ready: make(chan struct{}), got: make(chan time.Duration, 4096)}
	pc.OnTrack(func(tr *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
		buf := make([]byte, 1500)
		if tr.Kind() == webrtc.RTPCodecTypeVideo {
			for {
				if _, _, err := tr.Read(buf); err != nil {
					return
				}
			}
		}
		var pkt rtp.Packet
		for {
			n, _, err := tr.Read(buf)
			if err != nil {
				return
			}
			if pkt.Unmarshal(buf[:n]) == nil && len(pkt.Payload) >= 9 {
				sent := int64(binary.BigEndian.Uint64(pkt.Payload[1:]))
				select {
				case c.got <- time.Duration(time.Now().UnixNano() - sent):
				default:
				}
			}
		}
	})
	b.Cleanup(func() { _ = pc.Close() })
	return c
}

func (c *benchClient) answer(answer func(string) error, cand func(webrtc.ICECandidateInit)) {
	c.pc.OnICECandidate(func(ic *webrtc.ICECandidate) {
		if ic != nil {
			cand(ic.ToJSON())
		}
	})
	for sig := range c.sigs {
		switch {
		case sig.SDP != "":
			if c.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: sig.SDP}) != nil {
				return
			}
			if c.video != nil && c.vsender.Load() == nil && rtc.FreeVideoSection(c.pc) {
				s, err := c.pc.AddTrack(c.video)
				if err != nil {
					return
				}
				c.vsender.Store(s)
				go drainRTCP(s)
			}
			a, err := c.pc.CreateAnswer(nil)
			if err != nil || c.pc.SetLocalDescription(a) != nil || answer(a.SDP) != nil {
				return
			}
		case sig.Candidate != nil:
			_ = c.pc.AddICECandidate(*sig.Candidate)
		}
	}
}

func (c *benchClient) waitConnected(b testing.TB) {
	deadline := time.Now().Add(testTimeout)
	for c.pc.ConnectionState() != webrtc.PeerConnectionStateConnected {
		if time.Now().After(deadline) {
			b.Fatal("not connected")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// talk sends a timestamped 80-byte Opus-like packet every 20 ms until ctx ends.
func (c *benchClient) talk(ctx context.Context) {
	payload := make([]byte, 80)
	payload[0] = 0xfc
	var pkt rtp.Packet
	pkt.Version = 2
	paced(ctx, 20*time.Millisecond, func(i int) {
		binary.BigEndian.PutUint64(payload[1:], uint64(time.Now().UnixNano()))
		pkt.SequenceNumber, pkt.Timestamp, pkt.Payload = uint16(i), uint32(i*960), payload
		_ = c.track.WriteRTP(&pkt)
	})
}

// paced calls send(0), send(1), … one interval apart until ctx ends: the
// bench clients' sending loop, for voice and for video.
func paced(ctx context.Context, interval time.Duration, send func(i int)) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for i := 0; ; i++ {
		send(i)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// BenchmarkGroupCPU runs a group call of n participants who all talk at
// once (the worst case) for 5 s and reports the process's CPU as a
// percentage of one core. The clients run in the same process and do
// about as much pion work as the service (they encrypt what it decrypts
// and decrypt what it encrypts), so the service's own share is about half.
// Run with -benchtime=1x.
func BenchmarkGroupCPU(b *testing.B) {
	for _, n := range []int{2, 4, 8, 16, 24, 32} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			cpu, wall, before, after := measureGroup(b, n, false)
			f := after.Forwarded - before.Forwarded
			b.ReportMetric(cpu, "cpu%")
			b.ReportMetric(float64(f)/wall.Seconds(), "in-pkt/s")
			b.ReportMetric(float64(f*uint64(n-1))/wall.Seconds(), "out-pkt/s")
		})
	}
}

// measureGroup runs a call of n bench clients that all talk (and, with
// video, film) for 5 s once every down track is ready, and returns the
// process's CPU over that span as a percentage of one core, the span, and
// the service's counters at its start and end.
func measureGroup(b *testing.B, n int, video bool) (cpu float64, wall time.Duration, before, after Stats) {
	s, err := New(Config{IncludeLoopback: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	cs := make([]*benchClient, n)
	for i := range cs {
		var opts []func(*benchClient)
		if video {
			opts = append(opts, withBenchCamera(b))
		}
		cs[i] = benchJoin(b, s, fmt.Sprintf("u%d", i), opts...)
	}
	for _, c := range cs {
		c.waitConnected(b)
		waitOuts(b, c.m, n-1)
		if video {
			waitVideoOuts(b, c.m, n-1)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	for _, c := range cs {
		go c.talk(ctx)
		if video {
			go c.film(ctx)
		}
	}
	time.Sleep(time.Second) // renegotiations settle
	const span = 5 * time.Second
	before = s.Stats()
	cpu0, wall0 := cpuTime(), time.Now()
	time.Sleep(span)
	used, wall := cpuTime()-cpu0, time.Since(wall0)
	return 100 * used.Seconds() / wall.Seconds(), wall, before, s.Stats()
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkLatencyExtra compares the one-way delay of a packet sent
// through the service with one sent directly between two peer connections
// on loopback, over 10 s of 20 ms packets each, and reports the medians
// and the extra delay of the service path. Run with -benchtime=1x.
func BenchmarkLatencyExtra(b *testing.B) {
	const samples = 500
	s, err := New(Config{IncludeLoopback: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	a := benchJoin(b, s, "alice")
	r := benchJoin(b, s, "bob")
	a.waitConnected(b)
	r.waitConnected(b)
	waitOuts(b, a.m, 1)
	via := measure(b, a, r, samples)

	x, y := newBenchClient(b), newBenchClient(b)
	close(x.ready)
	close(y.ready)
	xs, ys := make(chan Signal, 64), make(chan Signal, 64)
	go y.answer(func(sdp string) error {
		return x.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: sdp})
	}, func(ci webrtc.ICECandidateInit) { xs <- Signal{Candidate: &ci} })
	go func() {
		for sig := range xs {
			_ = x.pc.AddICECandidate(*sig.Candidate)
		}
	}()
	x.pc.OnICECandidate(func(ic *webrtc.ICECandidate) {
		if ic != nil {
			ci := ic.ToJSON()
			ys <- Signal{Candidate: &ci}
		}
	})
	offer, err := x.pc.CreateOffer(nil)
	if err != nil || x.pc.SetLocalDescription(offer) != nil {
		b.Fatal(err)
	}
	y.sigs <- Signal{SDP: offer.SDP}
	go func() {
		for sig := range ys {
			y.sigs <- sig
		}
	}()
	x.waitConnected(b)
	y.waitConnected(b)
	direct := measure(b, x, y, samples)
	b.ReportMetric(ms(via), "ms-via-service")
	b.ReportMetric(ms(direct), "ms-direct")
	b.ReportMetric(ms(via-direct), "ms-extra")
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// measure returns the median one-way delay of n packets from a to r.
func measure(b testing.TB, a, r *benchClient, n int) time.Duration {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go a.talk(ctx)
	// Skip the first second (the receiver's start).
	var ds []time.Duration
	timeout := time.After(testTimeout)
	for skip := 50; len(ds) < n; {
		select {
		case d := <-r.got:
			if skip > 0 {
				skip--
				continue
			}
			ds = append(ds, d)
		case <-timeout:
			b.Fatal("latency: packets missing")
		}
	}
	slices.Sort(ds)
	return ds[len(ds)/2]
}

var _ = os.Getpid
