package rtc

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/pion/rtp"
	"github.com/pion/rtp/codecs"
)

// packets cuts frames into numbered packets as VideoTrack.WriteFrame does.
func packets(pack videoPacketizer, seq uint16, frames [][]byte) []*rtp.Packet {
	var out []*rtp.Packet
	for i, f := range frames {
		pls := pack.payloads(f)
		for j, pl := range pls {
			out = append(out, &rtp.Packet{Header: rtp.Header{Version: 2, SequenceNumber: seq, Timestamp: uint32(3000 * (i + 1)), Marker: j == len(pls)-1}, Payload: pl})
			seq++
		}
	}
	return out
}

func testFrames(r *rand.Rand, n int) [][]byte {
	frames := make([][]byte, n)
	for i := range frames {
		frames[i] = make([]byte, 1+r.IntN(6000))
		for j := range frames[i] {
			frames[i][j] = byte(r.Uint32())
		}
	}
	return frames
}

// TestReassembly: both packetizations give back every frame whole, in
// order, across a sequence number wrap, with packets reordered within a
// frame; a lost packet loses its frame, and the next frame says Gap.
func TestReassembly(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for name, c := range map[string]struct {
		pack videoPacketizer
		dep  depacketizer
	}{
		"sealed": {sealedPacketizer{}, sealedDepacketize},
		"vp8":    {vp8Packetizer{p: &codecs.VP8Payloader{EnablePictureID: true}}, vp8Depacketize},
	} {
		frames := testFrames(r, 20)
		pkts := packets(c.pack, 65530, frames)
		// Swap neighbours of each frame's packets.
		for i := 0; i+1 < len(pkts); i += 3 {
			if pkts[i].Timestamp == pkts[i+1].Timestamp {
				pkts[i], pkts[i+1] = pkts[i+1], pkts[i]
			}
		}
		// Drop the packets of frame 10 but one.
		var lostOne bool
		ra := newReassembler(c.dep)
		var got []VideoFrame
		for _, p := range pkts {
			if p.Timestamp == 3000*11 && !lostOne {
				lostOne = true
				continue
			}
			ready, err := ra.push(p)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			got = append(got, ready...)
		}
		if len(got) != 19 {
			t.Fatalf("%s: %d frames, want 19", name, len(got))
		}
		for i, f := range got {
			want := i
			if i >= 10 {
				want = i + 1
			}
			if !bytes.Equal(f.Payload, frames[want]) {
				t.Fatalf("%s: frame %d differs", name, want)
			}
			if f.Gap != (want == 11) {
				t.Fatalf("%s: frame %d gap %v", name, want, f.Gap)
			}
		}
	}
}

// TestReassemblyLimits: a frame over MaxVideoFrameSize is refused, and
// malformed headers are typed errors.
func TestReassemblyLimits(t *testing.T) {
	ra := newReassembler(sealedDepacketize)
	big := make([]byte, MaxVideoFrameSize+1)
	var err error
	for _, p := range packets(sealedPacketizer{}, 0, [][]byte{big}) {
		if _, e := ra.push(p); e != nil {
			err = e
		}
	}
	if !errors.Is(err, ErrFrameTooLarge) {
		t.Fatalf("oversized frame: %v", err)
	}
	for _, pl := range [][]byte{nil, {0x20, 1}, {0xc0, 1}} { // empty, reserved bit, end without marker
		_, err := ra.push(&rtp.Packet{Header: rtp.Header{Timestamp: 1 << 20}, Payload: pl})
		if !errors.Is(err, ErrMalformedRTP) {
			t.Fatalf("payload %x: %v", pl, err)
		}
	}
}

// FuzzReassembly: arbitrary packets never crash the reassembler, and any
// frame it returns is within the limit.
func FuzzReassembly(f *testing.F) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, p := range packets(sealedPacketizer{}, 100, testFrames(r, 2)) {
		b, _ := p.Marshal()
		f.Add(b, b)
	}
	f.Add([]byte{0x80, 0x60, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xc0}, []byte{0x80, 0xe0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0xc0, 5})
	f.Fuzz(func(t *testing.T, a, b []byte) {
		for _, dep := range []depacketizer{sealedDepacketize, vp8Depacketize} {
			ra := newReassembler(dep)
			for _, raw := range [][]byte{a, b, a} {
				var p rtp.Packet
				if p.Unmarshal(raw) != nil {
					continue
				}
				ready, _ := ra.push(&p)
				for _, fr := range ready {
					if len(fr.Payload) > MaxVideoFrameSize {
						t.Fatal("frame over the limit")
					}
				}
			}
		}
	})
}

// TestReassemblyHold: a packet resent (NACK) while fewer than holdFrames
// later frames wait completes its frame, and every frame comes in order
// with no gap; one resent later than that is stale and dropped.
func TestReassemblyHold(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	frames := testFrames(r, 12)
	pkts := packets(sealedPacketizer{}, 0, frames)
	run := func(lateBy int) []VideoFrame {
		// Hold back frame 3's first packet until lateBy frames later
		// have been delivered.
		ra := newReassembler(sealedDepacketize)
		var got []VideoFrame
		var held *rtp.Packet
		for _, p := range pkts {
			if p.Timestamp == 3000*4 && held == nil {
				held = p
				continue
			}
			ready, err := ra.push(p)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, ready...)
			if held != nil && p.Marker && p.Timestamp == uint32(3000*(4+lateBy)) {
				ready, _ := ra.push(held)
				got = append(got, ready...)
			}
		}
		return got
	}
	got := run(holdFrames)
	if len(got) != len(frames) {
		t.Fatalf("resent in time: %d frames, want %d", len(got), len(frames))
	}
	for i, f := range got {
		if !bytes.Equal(f.Payload, frames[i]) || f.Gap {
			t.Fatalf("resent in time: frame %d differs or has a gap", i)
		}
	}
	got = run(holdFrames + 1)
	if len(got) != len(frames)-1 || !got[3].Gap {
		t.Fatalf("resent too late: %d frames, gap at 3: %v", len(got), len(got) > 3 && got[3].Gap)
	}
}
