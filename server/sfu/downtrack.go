package sfu

import (
	"sync"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// Sources a down track carries: the forwarded participant, or the hold
// music that stands in for them.
const (
	fromParticipant = iota
	fromMusic
)

// downTrack carries one participant's audio (src) to one other participant
// (dst): a track of its own on dst's peer connection. pion gives it its
// own SSRC; the down track keeps its sequence numbers and timestamps
// continuous when its source switches between the participant and the
// hold music, so dst's jitter buffer sees one stream.
type downTrack struct {
	src, dst *Member
	track    *webrtc.TrackLocalStaticRTP
	sender   *webrtc.RTPSender

	gone     chan struct{} // closed when the track is removed
	goneOnce sync.Once

	mu      sync.Mutex
	paused  bool // dst holds the call: it hears nothing
	started bool
	kind    int
	seqOff  uint16
	tsOff   uint32
	lastSeq uint16
	lastTS  uint32
	lastDur uint32
	pkt     rtp.Packet // scratch, so a write does not allocate
}

// write sends in (from kind) on the track, rewritten into the track's
// sequence and timestamp space; dur is in's duration at 48 kHz. The
// header extensions the sender negotiated mean nothing to dst and are
// left out.
func (d *downTrack) write(kind int, in *rtp.Packet, dur uint32) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.paused {
		return nil
	}
	if !d.started {
		d.started, d.kind = true, kind
	} else if kind != d.kind {
		d.kind = kind
		d.seqOff = d.lastSeq + 1 - in.SequenceNumber
		d.tsOff = d.lastTS + d.lastDur - in.Timestamp
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
	d.lastSeq, d.lastTS, d.lastDur = d.pkt.SequenceNumber, d.pkt.Timestamp, dur
	err := d.track.WriteRTP(&d.pkt)
	d.pkt.Payload = nil // keep nothing of in
	return err
}

func (d *downTrack) setPaused(p bool) {
	d.mu.Lock()
	d.paused = p
	d.mu.Unlock()
}

// remove stops the track for good (its music player too).
func (d *downTrack) remove() {
	d.setPaused(true)
	d.goneOnce.Do(func() { close(d.gone) })
}
