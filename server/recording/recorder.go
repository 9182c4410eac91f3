package recording

import (
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/rtp"

	"github.com/parley-voip/parley/server/sealing"
	"github.com/parley-voip/parley/server/sfu"
)

// queueLen bounds the packets waiting for the writer: about 10 s of audio
// of a 10-person call. A full queue drops (and counts) rather than slow the
// forwarding.
const queueLen = 5000

// Stats counts what a Recorder did with the packets it was shown.
type Stats struct {
	Written   uint64 `json:"written"`   // packets stored
	Silence   uint64 `json:"silence"`   // 20 ms silence frames inserted for alignment
	Malformed uint64 `json:"malformed"` // dropped: empty, too large, or bad Opus framing
	Late      uint64 `json:"late"`      // dropped: reordered or duplicated behind what was written
	Overflow  uint64 `json:"overflow"`  // dropped: the writer fell behind
	Failed    uint64 `json:"failed"`    // dropped: a track could not be written
}

type counters struct {
	written, silence, malformed, late, overflow, failed atomic.Uint64
}

func (c *counters) snapshot() Stats {
	return Stats{Written: c.written.Load(), Silence: c.silence.Load(), Malformed: c.malformed.Load(),
		Late: c.late.Load(), Overflow: c.overflow.Load(), Failed: c.failed.Load()}
}

// item is one packet on its way to the writer.
type item struct {
	user, name string
	ssrc, ts   uint32
	samples    int
	at         time.Time
	payload    []byte
}

// TrackInfo describes one finished track.
type TrackInfo struct {
	N        int           `json:"n"`
	UserID   string        `json:"user"`
	Name     string        `json:"name,omitempty"`
	Bytes    int64         `json:"bytes"`    // stored (sealed) size
	Duration time.Duration `json:"duration"` // the recording's length: tracks are aligned
}

// Recorder is the sfu.Tap of one recording. Packet validates and queues;
// a writer goroutine places packets on per-participant tracks.
type Recorder struct {
	id    string
	dir   string
	key   *[sealing.KeySize]byte
	start time.Time
	now   func() time.Time
	log   *slog.Logger

	mu      sync.RWMutex // guards closed against the queue's close
	closed  bool
	queue   chan item
	present map[string]string // users seen: id → name
	endAt   time.Time

	onJoin func(userID string) // a participant the recording did not start with joined

	stats  counters
	done   chan struct{}
	tracks []TrackInfo
	err    error
}

var _ sfu.Tap = (*Recorder)(nil)

// newRecorder starts the writer; the participants the recording starts
// with are not announced again when the media service reports them.
func newRecorder(id, dir string, key *[sealing.KeySize]byte, now func() time.Time, log *slog.Logger,
	start []string, onJoin func(userID string)) *Recorder {
	r := &Recorder{
		id: id, dir: dir, key: key, start: now(), now: now, log: log, onJoin: onJoin,
		queue: make(chan item, queueLen), present: map[string]string{}, done: make(chan struct{}),
	}
	for _, u := range start {
		r.present[u] = ""
	}
	go r.run()
	return r
}

// Joined implements sfu.Tap: the participant may download the recording,
// and one who joins after the start is told it is on (onJoin, which must
// not block: this runs on the forwarding goroutine).
func (r *Recorder) Joined(p sfu.Participant) {
	r.mu.Lock()
	_, seen := r.present[p.UserID]
	r.present[p.UserID] = p.Name
	onJoin := r.onJoin
	r.mu.Unlock()
	if !seen && onJoin != nil {
		onJoin(p.UserID)
	}
}

// Left implements sfu.Tap. The track stays: a participant who comes back
// (a new SSRC) continues it after silence.
func (r *Recorder) Left(sfu.Participant) {}

// Packet implements sfu.Tap. It never blocks: a malformed packet or a full
// queue is dropped and counted.
func (r *Recorder) Packet(p sfu.Participant, pkt *rtp.Packet) {
	if pkt == nil {
		r.stats.malformed.Add(1)
		return
	}
	samples, err := ParseOpus(pkt.Payload)
	if err != nil {
		r.stats.malformed.Add(1)
		return
	}
	it := item{user: p.UserID, name: p.Name, ssrc: pkt.SSRC, ts: pkt.Timestamp, samples: samples,
		at: r.now(), payload: append([]byte(nil), pkt.Payload...)}
	r.mu.RLock()
	defer r.mu.RUnlock()
	if r.closed {
		return
	}
	select {
	case r.queue <- it:
	default:
		r.stats.overflow.Add(1)
	}
}

// Stats returns the counters so far.
func (r *Recorder) Stats() Stats { return r.stats.snapshot() }

// participants lists the users seen.
func (r *Recorder) participants() map[string]string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make(map[string]string, len(r.present))
	for k, v := range r.present {
		out[k] = v
	}
	return out
}

// stop ends the recording at the current time and waits for the writer:
// every track is padded to the same end, closed and synced.
func (r *Recorder) stop() ([]TrackInfo, time.Duration, error) {
	end := r.now()
	r.mu.Lock()
	if !r.closed {
		r.closed = true
		r.endAt = end
		close(r.queue)
	}
	r.mu.Unlock()
	<-r.done
	return r.tracks, r.endAt.Sub(r.start), r.err
}

func (r *Recorder) samplesAt(t time.Time) int64 {
	return int64(t.Sub(r.start)) * opusRate / int64(time.Second)
}

func (r *Recorder) run() {
	defer close(r.done)
	byUser := map[string]*track{}
	var order []*track
	for it := range r.queue {
		t := byUser[it.user]
		if t == nil {
			n := len(order)
			var err error
			t, err = newTrack(filepath.Join(r.dir, strconv.Itoa(n)+".opus.sealed"), r.key, r.id, n, it.user, it.name)
			if err != nil {
				r.stats.failed.Add(1)
				r.fail(err)
				continue
			}
			byUser[it.user] = t
			order = append(order, t)
		}
		written, padded, err := t.packet(it.ssrc, it.ts, it.payload, it.samples, r.samplesAt(it.at))
		r.stats.silence.Add(uint64(padded))
		switch {
		case err != nil:
			r.stats.failed.Add(1)
			r.fail(err)
		case written:
			r.stats.written.Add(1)
		default:
			r.stats.late.Add(1)
		}
	}
	end := r.samplesAt(r.endAt)
	for _, t := range order {
		if t.pos > end {
			end = t.pos
		}
	}
	for _, t := range order {
		size, err := t.finish(end)
		if err != nil {
			r.fail(fmt.Errorf("track %d: %w", t.n, err))
			continue
		}
		r.tracks = append(r.tracks, TrackInfo{N: t.n, UserID: t.user, Name: t.name, Bytes: size, Duration: t.duration()})
	}
}

func (r *Recorder) fail(err error) {
	r.log.Error("recording", "id", r.id, "err", err)
	r.err = errors.Join(r.err, err)
}

func (r *Recorder) hasParticipant(user string) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	_, ok := r.present[user]
	return ok
}
