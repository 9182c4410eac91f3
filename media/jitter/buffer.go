package jitter

import (
	"fmt"
	"math/bits"
	"sync"
)

// Status tells the playout side what to do for the current 20 ms tick.
type Status uint8

const (
	// Buffering: nothing to play yet (start of stream, or after a pause);
	// output silence, not concealment.
	Buffering Status = iota
	// Ready: Frame is the next frame in sequence; decode it.
	Ready
	// Lost: the frame for this tick is missing; conceal it. If Frame.Payload
	// is non-empty it is the following frame (Frame.Seq), still buffered,
	// whose in-band FEC can reconstruct the lost one.
	Lost
)

func (s Status) String() string {
	switch s {
	case Buffering:
		return "buffering"
	case Ready:
		return "ready"
	case Lost:
		return "lost"
	default:
		return "unknown"
	}
}

// Frame is one buffered RTP frame.
type Frame struct {
	Seq       uint16
	Timestamp uint32
	Payload   []byte
}

type slot struct {
	used bool
	seq  uint16
	ts   uint32
	data []byte
}

// Buffer is a fixed-delay jitter buffer for one RTP stream. It is safe for
// one pushing and one popping goroutine. Payload storage is allocated once
// per slot and reused, so steady-state Push and Pop do not allocate.
type Buffer struct {
	cfg  Config
	mask uint16

	mu       sync.Mutex
	slots    []slot
	count    int
	ssrc     uint32
	haveSSRC bool
	playing  bool
	next     uint16 // playing: sequence number of the next playout slot
	oldest   uint16 // buffering: lowest buffered sequence number
	newest   uint16 // highest buffered sequence number (when count > 0)
	floor    uint16 // after a rebuffer: frames before it already played
	hasFloor bool
	missRun  int
	stats    Stats
}

// New returns an empty buffer.
func New(cfg Config) (*Buffer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	capacity := 1 << bits.Len(uint(cfg.Capacity-1))
	cfg.Capacity = capacity
	return &Buffer{cfg: cfg, mask: uint16(capacity - 1), slots: make([]slot, capacity)}, nil
}

// Push buffers a received frame, copying its payload. It returns ErrLate,
// ErrDuplicate or ErrTooLarge (wrapped) for frames it drops; a new SSRC or a
// sequence jump beyond the buffer's window restarts the stream.
func (b *Buffer) Push(ssrc uint32, seq uint16, ts uint32, payload []byte) error {
	if len(payload) > b.cfg.MaxPayload {
		b.mu.Lock()
		b.stats.TooLarge++
		b.mu.Unlock()
		return fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(payload), b.cfg.MaxPayload)
	}
	b.mu.Lock()
	defer b.mu.Unlock()

	if b.haveSSRC && ssrc != b.ssrc {
		b.restart()
	}
	b.ssrc, b.haveSSRC = ssrc, true

	capacity := len(b.slots)
	switch {
	case b.playing:
		d := seqDiff(seq, b.next)
		if d < -capacity || d >= capacity {
			b.restart()
			break
		}
		if d < 0 {
			b.stats.Late++
			return fmt.Errorf("%w: seq %d, playing %d", ErrLate, seq, b.next)
		}
	case b.count > 0:
		if d := seqDiff(seq, b.oldest); d < 0 {
			if seqDiff(b.newest, seq) >= capacity {
				b.restart()
				break
			}
			if b.beforeFloor(seq) {
				b.stats.Late++
				return fmt.Errorf("%w: seq %d already played", ErrLate, seq)
			}
		} else if d >= capacity {
			b.restart()
		}
	default:
		if b.beforeFloor(seq) {
			if seqDiff(b.floor, seq) <= capacity {
				b.stats.Late++
				return fmt.Errorf("%w: seq %d already played", ErrLate, seq)
			}
			b.hasFloor = false // too far back to be a straggler: a new stream
		}
	}

	s := &b.slots[seq&b.mask]
	if s.used {
		if s.seq == seq {
			b.stats.Duplicate++
			return fmt.Errorf("%w: seq %d", ErrDuplicate, seq)
		}
		// Only reachable while buffering with a window wider than capacity,
		// which the checks above exclude; keep the newer frame regardless.
		b.count--
		b.stats.Dropped++
	}
	s.used, s.seq, s.ts = true, seq, ts
	s.data = append(s.data[:0], payload...)
	if b.count == 0 {
		b.oldest, b.newest = seq, seq
	} else {
		if seqDiff(seq, b.newest) > 0 {
			b.newest = seq
		}
		if seqDiff(seq, b.oldest) < 0 {
			b.oldest = seq
		}
	}
	b.count++
	b.stats.Pushed++
	return nil
}

func (b *Buffer) beforeFloor(seq uint16) bool {
	return b.hasFloor && seqDiff(seq, b.floor) < 0
}

// Pop returns what to play for the next 20 ms tick. Payloads are copied into
// dst (grown only if too small), so the result stays valid while the buffer
// is pushed to concurrently.
func (b *Buffer) Pop(dst []byte) (Frame, Status) {
	b.mu.Lock()
	defer b.mu.Unlock()

	if !b.playing {
		if b.count == 0 || seqDiff(b.newest, b.oldest)+1 < b.cfg.Delay {
			return Frame{}, Buffering
		}
		b.playing, b.next, b.missRun = true, b.oldest, 0
	}
	if b.count > 0 {
		if span := seqDiff(b.newest, b.next) + 1; span > b.cfg.MaxDelay {
			b.skipTo(b.newest - uint16(b.cfg.Delay) + 1)
		}
	}

	seq := b.next
	b.next++
	if s := &b.slots[seq&b.mask]; s.used && s.seq == seq {
		f := Frame{Seq: seq, Timestamp: s.ts, Payload: append(dst[:0], s.data...)}
		s.used = false
		b.count--
		b.missRun = 0
		b.stats.Played++
		return f, Ready
	}

	b.stats.Lost++
	b.missRun++
	var f Frame
	if s := &b.slots[b.next&b.mask]; s.used && s.seq == b.next {
		f = Frame{Seq: s.seq, Timestamp: s.ts, Payload: append(dst[:0], s.data...)}
	}
	if b.count == 0 && b.missRun >= b.cfg.ConcealLimit {
		b.playing = false
		b.floor, b.hasFloor = b.next, true
	}
	return f, Lost
}

// skipTo discards buffered frames before seq and moves playout there.
func (b *Buffer) skipTo(seq uint16) {
	for ; b.next != seq; b.next++ {
		if s := &b.slots[b.next&b.mask]; s.used && s.seq == b.next {
			s.used = false
			b.count--
			b.stats.Dropped++
		}
	}
}

// restart empties the buffer for a new stream (new SSRC or discontinuity).
func (b *Buffer) restart() {
	for i := range b.slots {
		if b.slots[i].used {
			b.slots[i].used = false
			b.stats.Dropped++
		}
	}
	b.count = 0
	b.playing = false
	b.hasFloor = false
	b.missRun = 0
	b.stats.Resets++
}

// Reset empties the buffer, as at the start of a new call.
func (b *Buffer) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.restart()
	b.haveSSRC = false
}

// Stats returns the counters.
func (b *Buffer) Stats() Stats {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.stats
	s.Buffered = b.count
	return s
}
