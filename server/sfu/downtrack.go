package sfu

import (
	"sync"
	"sync/atomic"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// Sources of an audio down track: the forwarded participant, or the hold
// music that stands in for them. A video down track's source is the
// generation of its sender's video (Member.vgen): a new one each time the
// participant turns that video on or its track changes.
const (
	fromParticipant = iota
	fromMusic
)

// meta is what a down track needs to know of a packet besides the packet.
type meta struct {
	source uint32 // who produced it: a change re-bases sequence numbers and timestamps
	dur    uint32 // its duration in clock ticks (audio; 0 for video)
	at     int64  // when it arrived, unix ns
	key    bool   // it starts a VP8 key frame
}

// downTrack carries one of a participant's tracks (src, kind) to one
// other participant (dst): a track of its own on dst's peer connection.
// pion gives it its own SSRC; the down track keeps its sequence numbers
// and timestamps continuous when its source changes (hold music, video
// turned off and on, a new track from the sender), so dst's jitter buffer
// sees one stream. A video down track passes nothing until a key frame
// once dst can receive it, so dst's decoder never starts on a delta frame.
type downTrack struct {
	src, dst *Member
	kind     trackKind
	clock    uint32 // RTP clock rate
	track    *boundTrack
	sender   *webrtc.RTPSender
	ssrc     uint32 // the track's own

	rate     rateEstimate  // video: what dst takes (bitrate.go)
	gone     chan struct{} // closed when the track is removed
	goneOnce sync.Once

	mu      sync.Mutex
	paused  bool // dst holds the call: it gets nothing
	needKey bool // video: drop until a key frame starts
	started bool
	source  uint32
	seqOff  uint16
	tsOff   uint32
	lastSeq uint16
	lastTS  uint32
	lastDur uint32
	lastAt  int64
	pkt     rtp.Packet // scratch, so a write does not allocate
}

// write sends in on the track, rewritten into the track's sequence and
// timestamp space. The header extensions the sender negotiated mean
// nothing to dst and are left out. wantKey reports that a video down
// track ready to send waits for a key frame: the caller asks the sender
// for one.
func (d *downTrack) write(in *rtp.Packet, m meta) (wantKey bool, err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.paused {
		return false, nil
	}
	if !d.started {
		d.started, d.source = true, m.source
	} else if m.source != d.source {
		d.source = m.source
		d.seqOff = d.lastSeq + 1 - in.SequenceNumber
		d.tsOff = d.lastTS + d.gap(m.at) - in.Timestamp
		d.needKey = d.kind != kindAudio
	}
	if d.needKey {
		if ready := d.track.bound.Load() > 0 && d.dst.connected.Load(); !m.key || !ready {
			return ready, nil
		}
		d.needKey = false
	}
	d.pkt.Header = in.Header
	d.pkt.Header.Extension = false
	d.pkt.Header.Extensions = nil
	d.pkt.Header.ExtensionProfile = 0
	d.pkt.SequenceNumber = in.SequenceNumber + d.seqOff
	d.pkt.Timestamp = in.Timestamp + d.tsOff
	d.pkt.Payload = in.Payload
	d.pkt.PaddingSize = 0
	d.pkt.Padding = false
	d.lastSeq, d.lastTS, d.lastDur, d.lastAt = d.pkt.SequenceNumber, d.pkt.Timestamp, m.dur, m.at
	err = d.track.WriteRTP(&d.pkt)
	d.pkt.Payload = nil // keep nothing of in
	return false, err
}

// gap is the timestamp step from the last packet written to one from a
// new source arriving at: the time between them, at least the last
// packet's duration (one tick for video).
func (d *downTrack) gap(at int64) uint32 {
	g := max(d.lastDur, 1)
	if d.lastAt != 0 && at > d.lastAt {
		g = max(g, uint32((at-d.lastAt)*int64(d.clock)/1e9))
	}
	return g
}

func (d *downTrack) setPaused(p bool) {
	d.mu.Lock()
	if d.paused && !p {
		d.needKey = d.kind != kindAudio
	}
	d.paused = p
	d.mu.Unlock()
}

// requireKey makes a video down track wait for the next key frame (its
// sender resumes after a hold).
func (d *downTrack) requireKey() {
	d.mu.Lock()
	d.needKey = d.kind != kindAudio
	d.mu.Unlock()
}

// remove stops the track for good (its music player too).
func (d *downTrack) remove() {
	d.setPaused(true)
	d.goneOnce.Do(func() { close(d.gone) })
}

// boundTrack is a TrackLocalStaticRTP that knows whether a sender has
// bound it (dst answered the offer that carries it): packets written
// before that go nowhere, so a key frame must wait for it.
type boundTrack struct {
	*webrtc.TrackLocalStaticRTP
	bound atomic.Int32
}

func newBoundTrack(c webrtc.RTPCodecCapability, id, stream string) (*boundTrack, error) {
	t, err := webrtc.NewTrackLocalStaticRTP(c, id, stream)
	if err != nil {
		return nil, err
	}
	return &boundTrack{TrackLocalStaticRTP: t}, nil
}

// Bind implements webrtc.TrackLocal.
func (t *boundTrack) Bind(c webrtc.TrackLocalContext) (webrtc.RTPCodecParameters, error) {
	p, err := t.TrackLocalStaticRTP.Bind(c)
	if err == nil {
		t.bound.Add(1)
	}
	return p, err
}

// Unbind implements webrtc.TrackLocal.
func (t *boundTrack) Unbind(c webrtc.TrackLocalContext) error {
	err := t.TrackLocalStaticRTP.Unbind(c)
	if err == nil {
		t.bound.Add(-1)
	}
	return err
}
