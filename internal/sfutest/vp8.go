package sfutest

import (
	"bytes"
	"encoding/binary"
)

// Test video: VP8-shaped RTP without an encoder. Each frame is split into
// packets with a real VP8 payload descriptor (15-bit picture id = the
// frame number) and, on its first packet, a real frame header (a key
// frame's with the start code and 640x360); the rest is a body the
// receiver can regenerate from the frame number, packet index and the
// sender's tag, so forwarding is checked byte for byte.
const (
	TestPacketBody = 1000 // bytes of body per packet
	KeyPackets     = 6    // packets of a key frame
	DeltaPackets   = 3    // of a delta frame
)

// VideoTag tells senders apart in the payload: one per user and track id.
func VideoTag(user, id string) byte {
	t := byte(0)
	for _, ch := range user + "/" + id {
		t = t*31 + byte(ch)
	}
	return t
}

// VP8TestPacket is packet i of n of frame f from the sender tagged tag.
func VP8TestPacket(tag byte, f uint32, i, n int, key bool) []byte {
	var b bytes.Buffer
	d0 := byte(0x80) // X
	if i == 0 {
		d0 |= 0x10 // S, partition 0
	}
	b.Write([]byte{d0, 0x80, 0x80 | byte(f>>8)&0x7f, byte(f)}) // I, M: 15-bit picture id
	if i == 0 {
		if key {
			b.Write([]byte{0x10, 0, 0, 0x9d, 0x01, 0x2a, 640 & 0xff, 640 >> 8, 360 & 0xff, 360 >> 8})
		} else {
			b.Write([]byte{0x11, 0, 0})
		}
	}
	var h [8]byte
	binary.BigEndian.PutUint32(h[:], f)
	h[4], h[5], h[6] = byte(i), byte(n), tag
	if key {
		h[7] = 1
	}
	b.Write(h[:])
	for j := range TestPacketBody {
		b.WriteByte(byte(int(f)*31 + i*7 + j + int(tag)))
	}
	return b.Bytes()
}

// VP8TestFrame is one frame's packets.
func VP8TestFrame(tag byte, f uint32, key bool) [][]byte {
	n := DeltaPackets
	if key {
		n = KeyPackets
	}
	out := make([][]byte, n)
	for i := range out {
		out[i] = VP8TestPacket(tag, f, i, n, key)
	}
	return out
}

// FrameInfo is what ReadTestPacket reads back of a test packet.
type FrameInfo struct {
	Tag      byte
	Frame    uint32
	Idx, N   int
	Key      bool // of a key frame
	KeyStart bool // the first packet of a key frame
}

// ReadTestPacket reads back what VP8TestPacket wrote, or ok false when p
// is not byte for byte what it would have built.
func ReadTestPacket(p []byte) (info FrameInfo, ok bool) {
	const descriptor = 4 // X, I and a 15-bit picture id
	if len(p) < descriptor+1 {
		return info, false
	}
	skip := descriptor
	start := p[0]&0x10 != 0
	if start {
		info.KeyStart = p[descriptor]&0x01 == 0 // P clear: a key frame
		if info.KeyStart {
			skip += 10
		} else {
			skip += 3
		}
	}
	if len(p) < skip+8 {
		return info, false
	}
	h := p[skip:]
	info.Tag, info.Frame, info.Idx, info.N, info.Key = h[6], binary.BigEndian.Uint32(h), int(h[4]), int(h[5]), h[7] == 1
	return info, bytes.Equal(p, VP8TestPacket(info.Tag, info.Frame, info.Idx, info.N, info.Key))
}
