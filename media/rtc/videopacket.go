package rtc

import (
	"fmt"

	"github.com/pion/rtp"
	"github.com/pion/rtp/codecs"
)

// Video frames are split over RTP packets in one of two ways (docs/e2ee.md,
// "Video in RTP"):
//
//   - Sealed (E2EE calls, Config.SealedVideo): the whole SFrame ciphertext
//     of a frame is cut into fragments, each behind a one-byte header with
//     a start (S, 0x80) and an end (E, 0x40) flag; the other bits are zero.
//     Nothing of the VP8 bitstream is in clear. The codec is negotiated as
//     video/sframe so that a peer expecting plain VP8 cannot be confused
//     with one sending ciphertext.
//   - Plain VP8 (RFC 7741 payload descriptor, pion's payloader), for calls
//     without E2EE, so the media service can tell frames and keyframes
//     apart as any SFU does.
//
// Either way all packets of a frame share the RTP timestamp and the last
// carries the marker bit.

// Fragment header flags of the sealed packetization.
const (
	sealedStart = 0x80
	sealedEnd   = 0x40
	sealedMask  = sealedStart | sealedEnd
)

// Video limits: one RTP payload fits a 1200-byte path MTU with SRTP and
// the TWCC header extension; a frame, sealed or not, is at most
// MaxVideoFrameSize (a 720p keyframe is tens of kilobytes), so reassembly
// holds at most videoSlots packets per track.
const (
	videoPayloadSize  = 1100
	MaxVideoFrameSize = 512 << 10
	videoSlots        = 1024 // > MaxVideoFrameSize / (videoPayloadSize-1)
)

// videoPacketizer cuts a frame into RTP payloads.
type videoPacketizer interface {
	payloads(frame []byte) [][]byte
}

type sealedPacketizer struct{}

func (sealedPacketizer) payloads(frame []byte) [][]byte {
	chunk := videoPayloadSize - 1
	n := max(1, (len(frame)+chunk-1)/chunk)
	size := (len(frame) + n - 1) / n // even fragments
	out := make([][]byte, 0, n)
	for i := range n {
		lo, hi := i*size, min(len(frame), (i+1)*size)
		p := make([]byte, 1, 1+hi-lo)
		if i == 0 {
			p[0] |= sealedStart
		}
		if i == n-1 {
			p[0] |= sealedEnd
		}
		out = append(out, append(p, frame[lo:hi]...))
	}
	return out
}

type vp8Packetizer struct{ p *codecs.VP8Payloader }

func (v vp8Packetizer) payloads(frame []byte) [][]byte { return v.p.Payload(videoPayloadSize, frame) }

// fragment is what a depacketizer finds in one packet.
type fragment struct {
	payload    []byte
	start, end bool
}

// depacketize reads one packet of a video track.
type depacketizer func(pkt *rtp.Packet) (fragment, error)

func sealedDepacketize(pkt *rtp.Packet) (fragment, error) {
	if len(pkt.Payload) < 1 {
		return fragment{}, fmt.Errorf("%w: empty video payload", ErrMalformedRTP)
	}
	h := pkt.Payload[0]
	if h&^sealedMask != 0 {
		return fragment{}, fmt.Errorf("%w: fragment header %#x", ErrMalformedRTP, h)
	}
	end := h&sealedEnd != 0
	if end != pkt.Marker {
		return fragment{}, fmt.Errorf("%w: end flag and marker disagree", ErrMalformedRTP)
	}
	return fragment{payload: pkt.Payload[1:], start: h&sealedStart != 0, end: end}, nil
}

func vp8Depacketize(pkt *rtp.Packet) (fragment, error) {
	var d codecs.VP8Packet
	payload, err := d.Unmarshal(pkt.Payload)
	if err != nil {
		return fragment{}, fmt.Errorf("%w: vp8: %w", ErrMalformedRTP, err)
	}
	return fragment{payload: payload, start: d.S == 1 && d.PID == 0, end: pkt.Marker}, nil
}

// VideoFrame is one reassembled video frame.
type VideoFrame struct {
	// Payload is the encoded (maybe sealed) frame, the caller's to keep.
	Payload   []byte
	Timestamp uint32 // RTP, 90 kHz
	// Gap is set when packets were lost between the previous frame
	// returned and this one: the decoder's references may be broken, so
	// unless this is a keyframe the receiver should ask for one.
	Gap bool
}

type slot struct {
	used       bool
	seq        uint16
	ts         uint32
	start, end bool
	payload    []byte
}

// holdFrames is how many complete frames may wait behind a gap for NACK
// retransmissions to fill it: about 100 ms at 30 fps, several NACK
// rounds on any network a call is usable on. Then the missing frame is
// given up (the next frame says Gap) and the receiver asks for a keyframe.
const holdFrames = 3

// heldFrame is a complete frame waiting for the frames before it.
type heldFrame struct {
	first, last uint16
	ts          uint32
}

// reassembler collects a video track's packets into frames, returned in
// order. Packets may come out of order and late (NACK retransmissions): a
// complete frame is returned at once when it follows the last one
// returned, and otherwise waits, up to holdFrames complete frames, for
// the gap before it to fill. A frame is never returned after a newer one.
// It holds at most videoSlots packets.
type reassembler struct {
	depacketize depacketizer
	slots       [videoSlots]slot
	held        []heldFrame // sorted by timestamp
	ready       []VideoFrame
	started     bool
	lastTS      uint32 // timestamp of the last frame returned
	lastEnd     uint16 // sequence number of its last packet
}

func newReassembler(d depacketizer) *reassembler { return &reassembler{depacketize: d} }

// push adds one packet and returns the frames now ready, oldest first
// (valid until the next push).
func (r *reassembler) push(pkt *rtp.Packet) ([]VideoFrame, error) {
	r.ready = r.ready[:0]
	f, err := r.depacketize(pkt)
	if err != nil {
		return nil, err
	}
	if r.started && !tsAfter(pkt.Timestamp, r.lastTS) {
		return nil, nil // a frame already returned or given up
	}
	for _, h := range r.held {
		if h.ts == pkt.Timestamp {
			return nil, nil // a duplicate of a frame already complete
		}
	}
	s := &r.slots[pkt.SequenceNumber%videoSlots]
	*s = slot{used: true, seq: pkt.SequenceNumber, ts: pkt.Timestamp, start: f.start, end: f.end,
		payload: append(s.payload[:0], f.payload...)}
	first, ok1 := r.find(pkt.SequenceNumber, pkt.Timestamp, -1)
	last, ok2 := r.find(pkt.SequenceNumber, pkt.Timestamp, +1)
	if ok1 && ok2 {
		count := int(last-first) + 1
		size := 0
		for i := range count {
			size += len(r.slots[(first+uint16(i))%videoSlots].payload)
		}
		if size > MaxVideoFrameSize {
			r.drop(first, count)
			return nil, fmt.Errorf("%w: video frame of %d bytes, limit %d", ErrFrameTooLarge, size, MaxVideoFrameSize)
		}
		h := heldFrame{first: first, last: last, ts: pkt.Timestamp}
		i := len(r.held)
		for i > 0 && tsAfter(r.held[i-1].ts, h.ts) {
			i--
		}
		r.held = append(r.held, heldFrame{})
		copy(r.held[i+1:], r.held[i:])
		r.held[i] = h
	}
	for len(r.held) > 0 {
		h := r.held[0]
		inOrder := !r.started || h.first == r.lastEnd+1
		if !inOrder && len(r.held) <= holdFrames {
			break
		}
		r.ready = append(r.ready, r.take(h, !inOrder))
		r.held = r.held[1:]
	}
	return r.ready, nil
}

// take assembles a held frame and frees its packets.
func (r *reassembler) take(h heldFrame, gap bool) VideoFrame {
	count := int(h.last-h.first) + 1
	size := 0
	for i := range count {
		size += len(r.slots[(h.first+uint16(i))%videoSlots].payload)
	}
	out := VideoFrame{Payload: make([]byte, 0, size), Timestamp: h.ts, Gap: gap}
	for i := range count {
		out.Payload = append(out.Payload, r.slots[(h.first+uint16(i))%videoSlots].payload...)
	}
	r.drop(h.first, count)
	r.started, r.lastTS, r.lastEnd = true, h.ts, h.last
	return out
}

// find walks from seq in direction dir over packets of timestamp ts to
// the frame's start (dir -1) or end (+1).
func (r *reassembler) find(seq uint16, ts uint32, dir int) (uint16, bool) {
	for range videoSlots {
		s := &r.slots[seq%videoSlots]
		if !s.used || s.seq != seq || s.ts != ts {
			return 0, false
		}
		if (dir < 0 && s.start) || (dir > 0 && s.end) {
			return seq, true
		}
		seq += uint16(dir)
	}
	return 0, false
}

func (r *reassembler) drop(first uint16, count int) {
	for i := range count {
		r.slots[(first+uint16(i))%videoSlots].used = false
	}
}

// tsAfter reports whether a is later than b in RTP timestamp serial
// arithmetic.
func tsAfter(a, b uint32) bool { return a != b && a-b < 1<<31 }
