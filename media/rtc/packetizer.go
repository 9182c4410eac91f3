package rtc

import (
	"crypto/rand"
	"encoding/binary"
	"sync"
	"time"

	"github.com/pion/rtp"
)

// packetizer numbers Parley's outgoing audio itself (pion's sample track
// can only advance the timestamp together with the sequence number): one
// frame per packet, the sequence number +1 per packet sent, the timestamp
// +duration per frame whether sent or not. So a DTX pause moves the
// timestamp alone, and the far end's receiver report counts no loss for
// it (RFC 3550 counts loss from sequence gaps), while its jitter buffer
// sees how long the pause was. The first packet after a pause carries the
// marker bit (RFC 3551 section 4.1: the start of a talkspurt).
type packetizer struct {
	mu        sync.Mutex
	seq       uint16
	ts        uint32
	clockRate uint32
	marker    bool
}

// newPacketizer starts at a random sequence number and timestamp, as RFC
// 3550 section 5.1 asks, so a known-plaintext start gives SRTP nothing.
func newPacketizer(clockRate uint32) *packetizer {
	var b [6]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read does not fail
	return &packetizer{
		seq:       binary.BigEndian.Uint16(b[:2]),
		ts:        binary.BigEndian.Uint32(b[2:]),
		clockRate: clockRate,
		marker:    true,
	}
}

func (p *packetizer) ticks(d time.Duration) uint32 {
	return uint32(int64(d) * int64(p.clockRate) / int64(time.Second))
}

// packet fills pkt with the next packet, carrying frame (not copied), and
// moves the timeline past it.
func (p *packetizer) packet(pkt *rtp.Packet, frame []byte, d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	pkt.Header = rtp.Header{
		Version:        2,
		PayloadType:    uint8(opusCodec.PayloadType), // the track rewrites it per binding anyway
		SequenceNumber: p.seq,
		Timestamp:      p.ts,
		Marker:         p.marker,
	}
	pkt.Payload = frame
	p.seq++
	p.ts += p.ticks(d)
	p.marker = false
}

// skip moves the timestamp past a frame that is not sent.
func (p *packetizer) skip(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.ts += p.ticks(d)
	p.marker = true
}
