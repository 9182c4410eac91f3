package sfu

import (
	"errors"
	"testing"
	"time"

	"github.com/parley-voip/parley/internal/sfutest"
	"github.com/pion/rtp"
)

func TestParseVideoPacketRefusesMalformed(t *testing.T) {
	key := sfutest.VP8TestPacket(1, 7, 0, sfutest.KeyPackets, true)
	delta := sfutest.VP8TestPacket(1, 8, 0, sfutest.DeltaPackets, false)
	cont := sfutest.VP8TestPacket(1, 8, 1, sfutest.DeltaPackets, false)
	for _, tc := range []struct {
		name    string
		b       []byte
		want    error
		wantKey bool
	}{
		{"key frame start", rtpBytes(t, 96, key), nil, true},
		{"delta frame start", rtpBytes(t, 96, delta), nil, false},
		{"continuation", rtpBytes(t, 96, cont), nil, false},
		{"no descriptor extension", rtpBytes(t, 96, []byte{0x00, 0xaa}), nil, false},
		{"short", key[:8], ErrRTPTooShort, false},
		{"huge", make([]byte, MaxPacketSize+1), ErrRTPTooLarge, false},
		{"opus payload type", rtpBytes(t, 111, key), ErrRTPWrongType, false},
		{"empty", rtpBytes(t, 96, nil), ErrRTPEmpty, false},
		{"extension byte missing", rtpBytes(t, 96, []byte{0x80}), ErrRTPNotVP8, false},
		{"picture id missing", rtpBytes(t, 96, []byte{0x80, 0x80}), ErrRTPNotVP8, false},
		{"descriptor without data", rtpBytes(t, 96, []byte{0x80, 0xf0, 0x81, 0x02, 0x03, 0x04}), ErrRTPNotVP8, false},
		{"frame header cut short", rtpBytes(t, 96, []byte{0x10, 0x00, 0x00}), ErrRTPNotVP8, false},
		{"key frame without start code", rtpBytes(t, 96, []byte{0x10, 0x10, 0, 0, 0x9d, 0x01, 0x2b, 1, 0, 1, 0}), ErrRTPNotVP8, false},
		{"key frame of 0x0", rtpBytes(t, 96, []byte{0x10, 0x10, 0, 0, 0x9d, 0x01, 0x2a, 0, 0, 0, 0}), ErrRTPNotVP8, false},
	} {
		var pkt rtp.Packet
		k, err := parseVideoPacket(tc.b, 96, &pkt)
		if !errors.Is(err, tc.want) || (err == nil && k != tc.wantKey) {
			t.Errorf("%s: key %v, %v; want key %v, %v", tc.name, k, err, tc.wantKey, tc.want)
		}
	}
}

func FuzzParseVideoPacket(f *testing.F) {
	f.Add(rtpBytes(f, 96, sfutest.VP8TestPacket(1, 7, 0, sfutest.KeyPackets, true)[:40]))
	f.Add(rtpBytes(f, 96, sfutest.VP8TestPacket(1, 8, 0, sfutest.DeltaPackets, false)[:40]))
	f.Add(rtpBytes(f, 96, []byte{0x80, 0xf0, 0x81, 0x02, 0x03, 0x04, 0x05}))
	f.Add(rtpBytes(f, 96, []byte{0x10, 0x10, 0, 0, 0x9d, 0x01, 0x2a, 1, 0, 1, 0}))
	f.Fuzz(func(t *testing.T, b []byte) {
		var pkt rtp.Packet
		key, err := parseVideoPacket(b, 96, &pkt)
		if err != nil {
			return
		}
		p := pkt.Payload
		if len(p) == 0 || len(b) > MaxPacketSize || pkt.Version != 2 || pkt.PayloadType != 96 {
			t.Fatalf("accepted %x as %+v", b, pkt.Header)
		}
		if key && (p[0]&0x10 == 0 || p[0]&0x07 != 0) {
			t.Fatalf("key frame start in a packet that starts no frame: %x", p)
		}
	})
}

// The requester sends the first request at once, folds the ones within
// the interval into one at its end, and nothing after stop.
func TestKeyframeRequesterCoalesces(t *testing.T) {
	sent := make(chan time.Time, 16)
	k := &keyframeRequester{interval: 50 * time.Millisecond, send: func() { sent <- time.Now() }}
	t0 := time.Now()
	for i := range 20 {
		k.request(t0.Add(time.Duration(i) * time.Millisecond))
	}
	first := <-sent
	second := <-sent
	if second.Sub(first) < 40*time.Millisecond {
		t.Errorf("the coalesced request came %v after the first, before the interval", second.Sub(first))
	}
	k.mu.Lock()
	pending := k.pending
	k.mu.Unlock()
	if pending || len(sent) != 0 {
		t.Errorf("20 requests within the interval made more than two (pending %v, %d more)", pending, len(sent))
	}
	k.request(time.Now()) // within the interval of the second: scheduled
	k.stop()
	k.request(time.Now().Add(time.Hour))
	time.Sleep(100 * time.Millisecond) // longer than the interval: a leftover timer would have fired
	if len(sent) != 0 {
		t.Errorf("%d requests after stop", len(sent))
	}
}

// Malformed video and a video flood from one participant are dropped and
// counted; the others' video and audio are not hurt.
func TestVideoMalformedAndFloodDoNotHurtOthers(t *testing.T) {
	ctx := testContext(t)
	s := newTestService(t, Config{})
	a := join(t, s, "call-1", "alice", withVideo(cam))
	b := join(t, s, "call-1", "bob")
	joined := time.Now()
	m := join(t, s, "call-1", "mallory", withVideo(cam), silent())
	for _, c := range []*client{a, m} {
		if err := c.m.SetVideo(true, false); err != nil {
			t.Fatal(err)
		}
	}
	b.ExpectSees(ctx, "alice", cam, 10)
	mv := m.VideoSender(cam)
	mv.Paused.Store(true)
	m.WaitFor(ctx, "mallory's video attached", func() bool { return mv.Sender.Load() != nil && m.m.Stats().Received > 0 })
	track := mv.Track()

	bad := [][]byte{{0x80}, {0x80, 0x80}, {0x10, 0x00}, {0x10, 0x10, 0, 0, 0x9d, 0x01, 0x2b, 1, 0, 1, 0}, {}}
	var pkt rtp.Packet
	pkt.Version, pkt.PayloadType = 2, 96
	for i := range 200 {
		pkt.SequenceNumber = uint16(i)
		pkt.Payload = bad[i%len(bad)]
		_ = track.WriteRTP(&pkt)
		time.Sleep(2 * time.Millisecond) // within the rate: malformed, not flood
	}
	flood := sfutest.VP8TestPacket(sfutest.VideoTag("mallory", cam), 1, 1, 3, false)
	start := time.Now()
	for i := 0; time.Since(start) < 1500*time.Millisecond; i++ {
		pkt.SequenceNumber = uint16(1000 + i)
		pkt.Payload = flood
		_ = track.WriteRTP(&pkt)
	}
	a.WaitFor(ctx, "mallory's packets counted", func() bool {
		st := m.m.Stats()
		return st.Malformed >= 150 && st.Flooded > 0
	})
	st := m.m.Stats()
	t.Logf("mallory: %+v; service %+v", st, s.Stats())
	// An upper bound from the time since mallory joined: the burst and the rate.
	if limit := uint64(s.cfg.VideoPacketBurst) + uint64(float64(s.cfg.VideoPacketRate)*time.Since(joined).Seconds()); st.Received > limit {
		t.Errorf("mallory got %d packets through the rate limit (at most %d)", st.Received, limit)
	}
	b.ExpectSees(ctx, "alice", cam, 20)
	b.ExpectHears(ctx, "alice", "alice")
	if as := a.m.Stats(); as.Flooded != 0 || as.Malformed != 0 {
		t.Errorf("alice's packets were dropped: %+v", as)
	}
}
