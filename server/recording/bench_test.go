package recording

import (
	"testing"
	"time"

	"github.com/pion/rtp"

	"github.com/parley-voip/parley/media/opus/opustest"
	"github.com/parley-voip/parley/server/sfu"
)

// BenchmarkRecorderPacket: the cost a recording adds on the forwarding
// goroutine per packet (framing check, copy, enqueue), with the writer
// draining to sealed files. b.N packets of one 20 ms Opus frame.
func BenchmarkRecorderPacket(b *testing.B) {
	pk, err := opustest.Encode(opustest.Sweep(200, 4000, 50*opustest.Frame, 0.5))
	if err != nil {
		b.Fatal(err)
	}
	var key [32]byte
	start := time.Unix(0, 0)
	var n int64
	now := func() time.Time { return start.Add(time.Duration(n) * 20 * time.Millisecond) }
	r := newRecorder("bench", b.TempDir(), &key, now, discard(), nil, nil)
	p := sfu.Participant{UserID: "alice", SSRC: 1, ClockRate: 48000}
	pkt := &rtp.Packet{Header: rtp.Header{SSRC: 1}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n = int64(i)
		pkt.Timestamp = uint32(i * opustest.Frame)
		pkt.Payload = pk[i%len(pk)]
		r.Packet(p, pkt)
	}
	b.StopTimer()
	if _, _, err := r.stop(); err != nil {
		b.Fatal(err)
	}
	if st := r.Stats(); st.Overflow > 0 {
		b.Logf("overflow: %d of %d (packets come far faster than real time here)", st.Overflow, b.N)
	}
}

// BenchmarkParseOpus: the framing check alone.
func BenchmarkParseOpus(b *testing.B) {
	pk, err := opustest.Encode(opustest.Sweep(200, 4000, opustest.Frame, 0.5))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := ParseOpus(pk[0]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTrackWrite: the writer's cost per packet (placing it on the
// track, Ogg page, sealing), which bounds the streams one writer keeps up
// with: 50 packets/s per participant.
func BenchmarkTrackWrite(b *testing.B) {
	pk, err := opustest.Encode(opustest.Sweep(200, 4000, 50*opustest.Frame, 0.5))
	if err != nil {
		b.Fatal(err)
	}
	var key [32]byte
	t, err := newTrack(b.TempDir()+"/0.opus.sealed", &key, "bench", 0, "alice", "Alice")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := t.packet(1, uint32(i*opustest.Frame), pk[i%len(pk)], opustest.Frame, int64(i*opustest.Frame)); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if _, err := t.finish(t.pos); err != nil {
		b.Fatal(err)
	}
}
