package sfu

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
	testPacketBody = 1000 // bytes of body per packet
	keyPackets     = 6    // packets of a key frame
	deltaPackets   = 3    // of a delta frame
)

// vp8TestPacket is packet i of n of frame f from the sender tagged tag.
func vp8TestPacket(tag byte, f uint32, i, n int, key bool) []byte {
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
	for j := range testPacketBody {
		b.WriteByte(byte(int(f)*31 + i*7 + j + int(tag)))
	}
	return b.Bytes()
}

// vp8TestFrame is one frame's packets.
func vp8TestFrame(tag byte, f uint32, key bool) [][]byte {
	n := deltaPackets
	if key {
		n = keyPackets
	}
	out := make([][]byte, n)
	for i := range out {
		out[i] = vp8TestPacket(tag, f, i, n, key)
	}
	return out
}

// testFrameOf reads back what vp8TestPacket wrote, or ok false when p is
// not byte for byte what it would have built.
type testFrameInfo struct {
	tag      byte
	frame    uint32
	idx, n   int
	key      bool
	keyStart bool // first packet of a key frame
}

func readTestPacket(p []byte) (info testFrameInfo, ok bool) {
	key, err := checkVP8(p)
	if err != nil || len(p) < 4 {
		return info, false
	}
	skip := 4
	if p[0]&0x10 != 0 {
		if key {
			skip += 10
		} else {
			skip += 3
		}
	}
	if len(p) < skip+8 {
		return info, false
	}
	h := p[skip:]
	info = testFrameInfo{tag: h[6], frame: binary.BigEndian.Uint32(h), idx: int(h[4]), n: int(h[5]), key: h[7] == 1, keyStart: key}
	return info, bytes.Equal(p, vp8TestPacket(info.tag, info.frame, info.idx, info.n, info.key))
}
