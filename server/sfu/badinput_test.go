package sfu

import (
	"errors"
	"testing"
	"time"

	"github.com/parley-voip/parley/internal/sfutest"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

func rtpBytes(t testing.TB, pt uint8, payload []byte) []byte {
	b, err := (&rtp.Packet{Header: rtp.Header{Version: 2, PayloadType: pt, SequenceNumber: 1, SSRC: 7}, Payload: payload}).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParsePacketRefusesMalformed(t *testing.T) {
	good := rtpBytes(t, 111, []byte{0x78, 1, 2, 3})
	for _, tc := range []struct {
		name string
		b    []byte
		want error
	}{
		{"short", good[:8], ErrRTPTooShort},
		{"huge", make([]byte, MaxPacketSize+1), ErrRTPTooLarge},
		{"version", append([]byte{0x40}, good[1:]...), ErrRTPVersion},
		{"bad extension length", append([]byte{0x90}, append(good[1:12], 0xbe, 0xde, 0xff, 0xff)...), ErrRTPBadHeader},
		{"payload type", rtpBytes(t, 96, []byte{0x78, 1}), ErrRTPWrongType},
		{"empty", rtpBytes(t, 111, nil), ErrRTPEmpty},
		{"code 1 odd", rtpBytes(t, 111, []byte{0x79, 1}), ErrRTPNotOpus},
		{"code 3 no count", rtpBytes(t, 111, []byte{0x7b}), ErrRTPNotOpus},
		{"code 3 zero frames", rtpBytes(t, 111, []byte{0x7b, 0}), ErrRTPNotOpus},
		{"code 3 over 120 ms", rtpBytes(t, 111, []byte{0x7b, 7}), ErrRTPNotOpus}, // 7 × 20 ms
	} {
		var pkt rtp.Packet
		if err := parsePacket(tc.b, 111, &pkt); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
	var pkt rtp.Packet
	if err := parsePacket(good, 111, &pkt); err != nil {
		t.Errorf("good packet refused: %v", err)
	}
}

func FuzzParsePacket(f *testing.F) {
	f.Add(rtpBytes(f, 111, []byte{0x78, 1, 2, 3}))
	f.Add(rtpBytes(f, 111, []byte{0x7b, 3, 1, 2}))
	f.Add(rtpBytes(f, 111, nil))
	f.Add([]byte{0x90, 0x6f, 0, 1, 0, 0, 0, 0, 0, 0, 0, 7, 0xbe, 0xde, 0, 1, 0x10, 0x30, 0, 0, 0x78})
	f.Fuzz(func(t *testing.T, b []byte) {
		var pkt rtp.Packet
		if err := parsePacket(b, 111, &pkt); err != nil {
			return
		}
		if len(pkt.Payload) == 0 || len(pkt.Payload) > maxOpusPacket || pkt.Version != 2 {
			t.Fatalf("accepted %x as %+v", b, pkt.Header)
		}
		_ = packetSamples(pkt.Payload)
	})
}

// Malformed packets and a flood from one participant are dropped and
// counted; the others' call is not hurt.
func TestMalformedAndFloodDoNotHurtOthers(t *testing.T) {
	ctx := testContext(t)
	s := newTestService(t, Config{})
	a := join(t, s, "call-1", "alice")
	b := join(t, s, "call-1", "bob")
	raw, err := webrtc.NewTrackLocalStaticRTP(opusCodec.RTPCodecCapability, "audio", "mallory")
	if err != nil {
		t.Fatal(err)
	}
	m := join(t, s, "call-1", "mallory", peer(sfutest.Raw(raw)))
	b.ExpectHears(ctx, "alice", "alice")
	m.WaitFor(ctx, "mallory connected", func() bool { return m.PC.ConnectionState() == webrtc.PeerConnectionStateConnected })

	// Malformed: each passes pion (a valid RTP header) but is no Opus packet.
	bad := [][]byte{{}, {0x79, 1}, {0x7b, 0}, {0x7b, 63}}
	var pkt rtp.Packet
	pkt.Version, pkt.SSRC = 2, 9
	for i := range 200 {
		pkt.SequenceNumber = uint16(i)
		pkt.Payload = bad[i%len(bad)]
		_ = raw.WriteRTP(&pkt)
		time.Sleep(5 * time.Millisecond) // within the rate: counted as malformed, not flood
	}
	// Flood: valid packets as fast as the socket takes them.
	flood := time.Now()
	for i := 0; time.Since(flood) < 2*time.Second; i++ {
		pkt.SequenceNumber = uint16(1000 + i)
		pkt.Payload = []byte{0xfc, 0xff, 0xfe} // CELT 20 ms silence-like frame
		_ = raw.WriteRTP(&pkt)
	}
	a.WaitFor(ctx, "mallory's packets counted", func() bool {
		st := m.m.Stats()
		return st.Malformed >= 150 && st.Flooded > 0
	})
	st := m.m.Stats()
	t.Logf("mallory: %+v; service %+v", st, s.Stats())
	if ms := s.Stats(); ms.Malformed < st.Malformed || ms.Flooded < st.Flooded {
		t.Errorf("service counters %+v below mallory's %+v", ms, st)
	}
	if st.Received > uint64(s.cfg.PacketBurst)+uint64(3*s.cfg.PacketRate) {
		t.Errorf("mallory got %d packets through the rate limit", st.Received)
	}
	// The others still hear each other.
	b.ExpectHears(ctx, "alice", "alice")
	a.ExpectHears(ctx, "bob", "bob")
	if as := a.m.Stats(); as.Flooded != 0 || as.Malformed != 0 {
		t.Errorf("alice's packets were dropped: %+v", as)
	}
}

func TestConfigValidate(t *testing.T) {
	for _, c := range []Config{
		{PublicIPs: []string{"example.com"}},
		{PortMin: 10000},
		{PortMin: 20000, PortMax: 10000},
		{PacketRate: -1},
	} {
		if err := c.Validate(); !errors.Is(err, ErrInvalidConfig) {
			t.Errorf("%+v: %v, want ErrInvalidConfig", c, err)
		}
	}
	if err := (Config{PublicIPs: []string{"203.0.113.7"}, PortMin: 40000, PortMax: 40100}).Validate(); err != nil {
		t.Error(err)
	}
	if _, err := New(Config{HoldMusic: []byte("not ogg")}); !errors.Is(err, ErrInvalidConfig) {
		t.Errorf("bad hold music: %v", err)
	}
}

// The configured port range and public address are what the service's
// candidates carry.
func TestPublicAddressAndPortRange(t *testing.T) {
	ctx := testContext(t)
	s := newTestService(t, Config{PublicIPs: []string{"203.0.113.7"}, PortMin: 41000, PortMax: 41050})
	m, got, err := joinForCandidates(s, "alice")
	if err != nil {
		t.Fatal(err)
	}
	defer m.Leave()
	select {
	case c := <-got:
		t.Logf("candidate %s", c)
		if !containsAll(c, "203.0.113.7") || !portIn(c, 41000, 41050) {
			t.Errorf("candidate %q: not the public address and port range", c)
		}
	case <-ctx.Done():
		t.Fatal("no candidate")
	}
}

// Each configured public address is a host candidate of its own (two of
// one family too: the rewrite rule holds them all).
func TestEveryPublicAddressIsACandidate(t *testing.T) {
	ctx := testContext(t)
	public := []string{"203.0.113.7", "203.0.113.8"}
	s := newTestService(t, Config{PublicIPs: public})
	m, got, err := joinForCandidates(s, "alice")
	if err != nil {
		t.Fatal(err)
	}
	defer m.Leave()
	seen := map[string]bool{}
	for len(seen) < len(public) {
		select {
		case c := <-got:
			for _, ip := range public {
				if containsAll(c, " "+ip+" ") {
					seen[ip] = true
				}
			}
		case <-ctx.Done():
			t.Fatalf("candidates carried %v of %v", seen, public)
		}
	}
}

// The port range holds PortMax−PortMin+1 connections (each takes one port
// per address): the next join is refused with ErrPortsExhausted, where it
// used to be accepted with no ICE candidate at all, its connection failing
// half a minute later; a port freed by someone who left serves the next.
func TestPortRangeBoundsTheConnections(t *testing.T) {
	s := newTestService(t, Config{PortMin: 47211, PortMax: 47212})
	a, _, err := joinForCandidates(s, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := joinForCandidates(s, "bob"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := joinForCandidates(s, "carol"); !errors.Is(err, ErrPortsExhausted) {
		t.Fatalf("a third connection on two ports: %v, want ErrPortsExhausted", err)
	}
	a.Leave()
	_, got, err := joinForCandidates(s, "carol")
	if err != nil {
		t.Fatalf("carol after alice left: %v", err)
	}
	select {
	case c := <-got:
		if !portIn(c, 47211, 47212) {
			t.Errorf("candidate %q outside the range", c)
		}
	case <-time.After(testTimeout):
		t.Fatal("carol got no candidate on the port alice freed")
	}
}
