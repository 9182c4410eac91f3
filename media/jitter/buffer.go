package jitter

import (
	"fmt"
	"math/bits"
	"slices"
	"sync"
	"time"
)

// Status tells the playout side what to do for the current 20 ms tick.
type Status uint8

const (
	// Buffering: nothing to play yet (start of stream, or after a pause);
	// output silence or comfort noise, not concealment of speech.
	Buffering Status = iota
	// Ready: Frame is the next frame in sequence; decode it.
	Ready
	// Lost: conceal this tick. Either the frame is missing while later ones
	// are buffered (if Frame.Payload is non-empty it is the following frame,
	// Frame.Seq, whose in-band FEC can reconstruct the lost one), or the
	// buffer is growing its delay or bridging an underrun, in which case no
	// frame is skipped: the one due plays on a later tick.
	Lost
	// Compress: the buffer shrinks its delay by one frame at this tick.
	// Frame is the frame due and Frame.Next the one after it; decode both,
	// in order, and play them in this one tick (media crossfades the
	// first into the second), so nothing is skipped and the decoder sees
	// every frame.
	Compress
)

func (s Status) String() string {
	switch s {
	case Buffering:
		return "buffering"
	case Ready:
		return "ready"
	case Lost:
		return "lost"
	case Compress:
		return "compress"
	default:
		return "unknown"
	}
}

// Frame is one buffered RTP frame.
type Frame struct {
	Seq       uint16
	Timestamp uint32
	Payload   []byte
	// Next is, for Compress, the payload of the frame after this one
	// (Seq+1), to be played in the same tick.
	Next []byte
}

type slot struct {
	used bool
	seq  uint16
	ts   uint32
	at   time.Time // arrival (Config.Clock at Push)
	data []byte
}

// adjust is a pending one-frame change of the buffer level.
type adjust int8

const (
	adjustNone   adjust = 0
	adjustShrink adjust = -1
	adjustGrow   adjust = 1
)

// Buffer is a jitter buffer for one RTP stream, with a fixed or adaptive
// target delay. It is safe for one pushing and one popping goroutine.
// Payload storage is allocated once per slot and reused, so steady-state
// Push and Pop do not allocate.
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

	// Timeline of the last accepted frame, to spot absurd timestamps.
	lastSeq  uint16
	lastTS   uint32
	haveLast bool
	badRun   int

	// Level control: the buffer level seen at each Pop over a window and,
	// for an adaptive buffer, how long each frame played in it had waited
	// since it arrived (see observeLevel).
	target           int
	winMin, winMax   int
	winN             int
	waitMin, waitMax time.Duration
	waitN            int
	recentWait       []time.Duration // the last AdaptWindow frames' waits, for Stats
	recentN          int
	frameDur         time.Duration
	pending          adjust
	pendingFor       int
	est              estimator

	stats Stats
}

// New returns an empty buffer.
func New(cfg Config) (*Buffer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	capacity := 1 << bits.Len(uint(cfg.Capacity-1))
	cfg.Capacity = capacity
	b := &Buffer{cfg: cfg, mask: uint16(capacity - 1), slots: make([]slot, capacity), target: cfg.Delay,
		frameDur:   time.Duration(cfg.FrameTicks) * time.Second / time.Duration(cfg.ClockRate),
		recentWait: make([]time.Duration, cfg.AdaptWindow)}
	b.est.clockRate = int64(cfg.ClockRate)
	b.resetWindow()
	return b, nil
}

// Push buffers a received frame, copying its payload. It returns ErrLate,
// ErrDuplicate, ErrTooLarge or ErrTimestamp (wrapped) for frames it drops;
// a new SSRC or a sequence jump beyond the buffer's window restarts the
// stream.
func (b *Buffer) Push(ssrc uint32, seq uint16, ts uint32, payload []byte) error {
	if len(payload) > b.cfg.MaxPayload {
		b.mu.Lock()
		b.stats.TooLarge++
		b.mu.Unlock()
		return fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, len(payload), b.cfg.MaxPayload)
	}
	now := b.cfg.Clock()
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
	if s.used && s.seq == seq {
		b.stats.Duplicate++
		return fmt.Errorf("%w: seq %d", ErrDuplicate, seq)
	}
	if err := b.checkTimestamp(seq, ts); err != nil {
		return err
	}
	if s.used {
		// Only reachable while buffering with a window wider than capacity,
		// which the checks above exclude; keep the newer frame regardless.
		b.count--
		b.stats.Dropped++
	}
	s.used, s.seq, s.ts, s.at = true, seq, ts, now
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
	b.est.add(now, ts)
	return nil
}

// checkTimestamp drops a frame whose timestamp is further from the stream's
// timeline than MaxTimestampJump allows; a run of them is a sender that
// really moved its clock, and the buffer restarts on the new timeline.
func (b *Buffer) checkTimestamp(seq uint16, ts uint32) error {
	if b.haveLast {
		expect := int64(seqDiff(seq, b.lastSeq)) * int64(b.cfg.FrameTicks)
		off := int64(int32(ts-b.lastTS)) - expect
		limit := int64(b.cfg.MaxTimestampJump) * int64(b.cfg.ClockRate) / int64(time.Second)
		if off > limit || off < -limit {
			b.badRun++
			if b.badRun < badTimestampRestart {
				b.stats.BadTimestamp++
				return fmt.Errorf("%w: seq %d ts %d, %d ticks off", ErrTimestamp, seq, ts, off)
			}
			b.restart()
		}
	}
	b.badRun = 0
	b.lastSeq, b.lastTS, b.haveLast = seq, ts, true
	return nil
}

func (b *Buffer) beforeFloor(seq uint16) bool {
	return b.hasFloor && seqDiff(seq, b.floor) < 0
}

// Pop returns what to play for the next 20 ms tick. Payloads (both, for
// Compress) are copied into dst (grown only if too small), so the result
// stays valid while the buffer is pushed to concurrently.
func (b *Buffer) Pop(dst []byte) (Frame, Status) {
	now := b.cfg.Clock()
	b.mu.Lock()
	defer b.mu.Unlock()

	if !b.playing {
		if !b.readyToStart(now) {
			return Frame{}, Buffering
		}
		b.playing, b.next, b.missRun = true, b.oldest, 0
		b.resetWindow()
	}
	if b.count > 0 {
		if span := seqDiff(b.newest, b.next) + 1; span > b.cfg.MaxDelay {
			b.skipTo(b.newest - uint16(b.target) + 1)
		}
	}
	b.observeLevel()

	if b.pending != adjustNone {
		if f, st, done := b.adjustLevel(dst, now); done {
			return f, st
		}
	}

	seq := b.next
	if s := &b.slots[seq&b.mask]; s.used && s.seq == seq {
		b.next++
		f := Frame{Seq: seq, Timestamp: s.ts, Payload: append(dst[:0], s.data...)}
		s.used = false
		b.count--
		b.missRun = 0
		b.stats.Played++
		b.observeWait(now.Sub(s.at))
		return f, Ready
	}

	b.stats.Lost++
	b.missRun++
	if b.count == 0 {
		// Nothing after the missing frame has arrived, so nothing says it is
		// lost rather than late: conceal without skipping it. This is also
		// how a slow sender's clock is followed.
		b.stats.Inserted++
		if b.missRun >= b.cfg.ConcealLimit {
			b.playing = false
			b.floor, b.hasFloor = b.next, true
		}
		return Frame{}, Lost
	}
	b.next++
	var f Frame
	if s := &b.slots[b.next&b.mask]; s.used && s.seq == b.next {
		f = Frame{Seq: s.seq, Timestamp: s.ts, Payload: append(dst[:0], s.data...)}
	}
	return f, Lost
}

// readyToStart tells a buffering buffer whether to start playing at this
// tick. A fixed buffer, or an adaptive one that has not yet measured the
// spread (the call's first frames, after a restart), waits for its target
// in frames. An adaptive buffer that knows the spread starts as soon as the
// oldest frame has waited the margin (see margin): counting frames would
// start a talkspurt 0..1 frame later depending on where the frames
// arrive between two playout ticks, and round the spread up to a frame.
func (b *Buffer) readyToStart(now time.Time) bool {
	if b.count == 0 {
		return false
	}
	if b.cfg.Adaptive && b.est.n >= estimatorWarm {
		s := &b.slots[b.oldest&b.mask]
		return s.used && s.seq == b.oldest && now.Sub(s.at) >= b.margin()
	}
	return seqDiff(b.newest, b.oldest)+1 >= b.target
}

// estimatorWarm is how many frames the estimator must have seen before its
// spread decides when playout starts: with DTX a talkspurt may be a dozen
// frames, and the spread of 16 (their second-latest) is already a fair
// first guess, which the level control corrects within a window.
const estimatorWarm = 16

// level is the span of frames from the playout point to the newest one.
func (b *Buffer) level() int {
	if b.count == 0 {
		return 0
	}
	return max(seqDiff(b.newest, b.next)+1, 0)
}

func (b *Buffer) resetWindow() {
	b.winMin, b.winMax, b.winN = int(^uint(0)>>1), -1, 0
	b.waitN = 0
}

// observeLevel records the level at this tick and, at the end of each
// window, updates the target and decides whether the level must move.
//
// A fixed buffer compares levels: the window's minimum above the target
// means every frame waited longer than needed, its maximum below the
// target that the buffer kept running short.
//
// An adaptive buffer compares time (see observeWait): the frames must wait
// at least the margin (the measured spread plus waitGuard) before they
// play. If even the frame that waited least in the window waited a whole
// frame more than that, one frame is dropped; if even the one that waited
// longest waited less, one is inserted. A level in whole frames would
// round the spread up to a frame and add to it the phase between arrivals
// and the playout clock (0..1 frame, fixed for a call), which decided
// whether a loopback call settled at 20 or 40 ms of buffering.
func (b *Buffer) observeLevel() {
	l := b.level()
	b.winMin, b.winMax = min(b.winMin, l), max(b.winMax, l)
	b.winN++
	if b.pending != adjustNone {
		b.pendingFor++
	}
	if b.winN < b.cfg.AdaptWindow {
		return
	}
	want := adjustNone
	if b.cfg.Adaptive {
		ticks := int(b.est.spread())
		t := 1 + (ticks+b.cfg.FrameTicks-1)/b.cfg.FrameTicks
		b.target = min(max(t, b.cfg.MinDelay), b.cfg.MaxTarget)
		if b.waitN > 0 {
			margin := b.margin()
			switch {
			case b.waitMin-b.frameDur >= margin:
				want = adjustShrink
			case b.waitMax < margin && b.winMax < b.cfg.MaxTarget:
				want = adjustGrow
			}
		}
	} else {
		switch {
		case b.winMin > b.target:
			want = adjustShrink
		case b.winMax < b.target:
			want = adjustGrow
		}
	}
	if want != b.pending {
		b.pending, b.pendingFor = want, 0
	}
	b.resetWindow()
}

// waitGuard is what an adaptive buffer keeps beyond the measured spread
// between a frame's arrival and its playout: the spread is a 95th
// percentile over 128 frames, and a frame a little later than any of them
// (a scheduler delay on a loaded machine, say) should still be in time.
const waitGuard = 4 * time.Millisecond

// margin is how long an adaptive buffer wants every frame to wait: the
// spread of arrival times (95th percentile above the fastest frame),
// within MinDelay-1..MaxTarget-1 frames as the target is, plus waitGuard.
func (b *Buffer) margin() time.Duration {
	spread := time.Duration(b.est.spread()) * time.Second / time.Duration(b.cfg.ClockRate)
	spread = min(max(spread, time.Duration(b.cfg.MinDelay-1)*b.frameDur), time.Duration(b.cfg.MaxTarget-1)*b.frameDur)
	return spread + waitGuard
}

// observeWait records how long a frame about to play waited since it
// arrived.
func (b *Buffer) observeWait(w time.Duration) {
	b.recentWait[b.recentN%len(b.recentWait)] = w
	b.recentN++
	if b.waitN == 0 {
		b.waitMin, b.waitMax = w, w
	} else {
		b.waitMin, b.waitMax = min(b.waitMin, w), max(b.waitMax, w)
	}
	b.waitN++
}

// adjustLevel carries out a pending level change on a quiet frame, or on
// any frame once it has waited a whole window. done reports that Pop's
// result is decided.
func (b *Buffer) adjustLevel(dst []byte, now time.Time) (f Frame, st Status, done bool) {
	s := &b.slots[b.next&b.mask]
	present := s.used && s.seq == b.next
	if !present {
		return Frame{}, 0, false // a gap does the job by itself
	}
	quiet := b.cfg.Quiet != nil && b.cfg.Quiet(s.data)
	if !quiet && b.pendingFor < b.cfg.AdaptWindow {
		return Frame{}, 0, false
	}
	switch b.pending {
	case adjustShrink:
		// Only with the next frame there to play with it; a fixed buffer
		// also never goes below its target.
		n := &b.slots[(b.next+1)&b.mask]
		if !n.used || n.seq != b.next+1 || (!b.cfg.Adaptive && b.level() <= b.target) {
			break
		}
		// Both frames play in this tick.
		f = Frame{Seq: s.seq, Timestamp: s.ts, Payload: append(dst[:0], s.data...)}
		f.Next = append(f.Payload[len(f.Payload):len(f.Payload)], n.data...)
		b.observeWait(now.Sub(s.at))
		b.observeWait(now.Sub(n.at))
		s.used, n.used = false, false
		b.count -= 2
		b.next += 2
		b.missRun = 0
		b.stats.Played += 2
		b.stats.Accelerated++
		b.pending = adjustNone
		return f, Compress, true
	case adjustGrow:
		b.pending = adjustNone
		b.stats.Lost++
		b.stats.Inserted++
		return Frame{}, Lost, true
	}
	b.pending = adjustNone
	return Frame{}, 0, false
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
	b.haveLast = false
	b.badRun = 0
	b.pending = adjustNone
	b.resetWindow()
	b.est.reset()
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
	s.Target = b.target
	if n := min(b.recentN, len(b.recentWait)); n > 0 {
		s.Wait = slices.Min(b.recentWait[:n])
	}
	s.Jitter = b.est.Jitter()
	return s
}
