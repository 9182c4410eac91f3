package sfu

import (
	"errors"
	"io"
	"time"

	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// receiveVideo is the forwarding goroutine of one of the participant's
// video tracks: read, limit, validate, forward to every other participant.
// Video is not decoded and not tapped (recording is audio only).
func (m *Member) receiveVideo(t *webrtc.TrackRemote, recv *webrtc.RTPReceiver) {
	go m.readRTCP(recv.ReadRTCP, nil)
	k, ok := videoKindOf(t.ID())
	if !ok {
		// A track the service cannot place: read and count it, forward nothing.
		m.svc.log.Debug("sfu: video track of unknown kind", "user", m.user, "track", t.ID())
		readTrack(t, func([]byte, time.Time) { m.dropped(false) })
		return
	}
	m.vssrc[k].Store(uint32(t.SSRC()))
	m.vgen[k].Add(1)
	f := videoForwarder{m: m, kind: k, pt: uint8(t.PayloadType()),
		limit: newBucket(m.svc.cfg.VideoPacketRate, m.svc.cfg.VideoPacketBurst)}
	readTrack(t, f.handle)
}

// videoForwarder is the state of one video track's forwarding path;
// handle does not allocate.
type videoForwarder struct {
	m     *Member
	kind  trackKind
	pt    uint8
	limit bucket
	pkt   rtp.Packet
}

func (f *videoForwarder) handle(b []byte, now time.Time) {
	m := f.m
	if !f.limit.allow(now) {
		m.dropped(true)
		return
	}
	key, err := parseVideoPacket(b, f.pt, &f.pkt)
	if err != nil {
		m.dropped(false)
		return
	}
	m.received.Add(1)
	if m.held.Load() || m.companion || !m.video[f.kind].Load() {
		return
	}
	md := meta{source: m.vgen[f.kind].Load(), at: now.UnixNano(), key: key}
	want := false
	for _, d := range *m.outs[f.kind].Load() {
		w, err := d.write(&f.pkt, md)
		if err != nil && !errors.Is(err, io.ErrClosedPipe) {
			m.svc.log.Debug("sfu: forward video", "err", err)
		}
		want = want || w
	}
	if want {
		m.keyframes[f.kind].request(now)
	}
	m.vbytes[f.kind].Add(uint64(len(b)))
	m.svc.c.forwardedVideo.Add(1)
}
