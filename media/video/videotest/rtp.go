package videotest

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/parley-voip/parley/internal/sfutest"
	"github.com/parley-voip/parley/media/rtc"
	"github.com/parley-voip/parley/media/rtpcodec"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/rtp/codecs"
	"github.com/pion/webrtc/v4"
	"github.com/pion/webrtc/v4/pkg/media/samplebuilder"
)

// The media service's test clients are bare pion peer connections
// (internal/sfutest.Peer with SendingVideo and OnVideo): an rtc.Peer adds
// its video transceivers before the first offer, and pion gives such a
// transceiver to the first video section of the service's offer, which
// in a group is another participant's (send-only) video, not the
// receive-only section the service made for this client's camera. RTPTrack and RTPRemote put
// video.Sender and video.Receiver on such a client's pion tracks.

// RTPTrack is a video.TrackWriter on a pion track: each frame cut into RFC
// 7741 VP8 payloads (as rtc.VideoTrack does without E2EE), RTP timestamp
// the capture time at 90 kHz; ReadRTCP turns the service's PLI and FIR
// into keyframe requests and keeps its REMB.
type RTPTrack struct {
	track *webrtc.TrackLocalStaticRTP
	pay   codecs.VP8Payloader

	mu    sync.Mutex
	seq   uint16
	ts0   uint32
	first time.Time
	pkt   rtp.Packet

	keyframe chan struct{}
	counts   sfutest.RTCPCounts // what the service sent back
}

// NewRTPTrack makes a VP8 track with the id the service places it by
// ("camera", "screen").
func NewRTPTrack(id, stream string) (*RTPTrack, error) {
	track, err := webrtc.NewTrackLocalStaticRTP(rtpcodec.VP8.RTPCodecCapability, id, stream)
	if err != nil {
		return nil, err
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	return &RTPTrack{track: track, pay: codecs.VP8Payloader{EnablePictureID: true},
		seq: binary.BigEndian.Uint16(b[:2]), ts0: binary.BigEndian.Uint32(b[2:]), keyframe: make(chan struct{}, 1)}, nil
}

// Track is the pion track to attach (sfutest.SendingVideo).
func (t *RTPTrack) Track() *webrtc.TrackLocalStaticRTP { return t.track }

// ReadRTCP reads the track's sender's RTCP until the connection closes.
func (t *RTPTrack) ReadRTCP(s *webrtc.RTPSender) {
	t.counts.Read(s, func() {
		select {
		case t.keyframe <- struct{}{}:
		default:
		}
	})
}

// KeyframeRequests is video.TrackWriter's.
func (t *RTPTrack) KeyframeRequests() <-chan struct{} { return t.keyframe }

// KeyframeRequestCount is how many PLI/FIR the service sent.
func (t *RTPTrack) KeyframeRequestCount() uint64 { return uint64(t.counts.PLIs.Load()) }

// RemoteEstimate is the last REMB's bit/s (video.RateCapper); 0 before one.
func (t *RTPTrack) RemoteEstimate() int { return int(t.counts.REMB.Load()) }

// REMBs is how many REMBs arrived.
func (t *RTPTrack) REMBs() uint64 { return uint64(t.counts.REMBs.Load()) }

// WriteFrame is video.TrackWriter's.
func (t *RTPTrack) WriteFrame(frame []byte, captured time.Time) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.first.IsZero() {
		t.first = captured
	}
	ts := t.ts0 + uint32(captured.Sub(t.first)*90000/time.Second)
	payloads := t.pay.Payload(1100, frame)
	for i, pl := range payloads {
		t.pkt.Header = rtp.Header{Version: 2, PayloadType: uint8(rtpcodec.VP8.PayloadType), SequenceNumber: t.seq,
			Timestamp: ts, Marker: i == len(payloads)-1}
		t.pkt.Payload = pl
		t.seq++
		if err := t.track.WriteRTP(&t.pkt); err != nil {
			if errors.Is(err, io.ErrClosedPipe) {
				return rtc.ErrClosed
			}
			return err
		}
	}
	return nil
}

// RTPRemote is a video.TrackReader on a pion remote track: pion's sample
// builder reassembles the VP8 frames (holding up to 64 packets for
// reordering and NACK repair), a frame after dropped packets carries Gap,
// and RequestKeyframe sends a PLI on pc.
type RTPRemote struct {
	pc    *webrtc.PeerConnection
	track *webrtc.TrackRemote
	sb    *samplebuilder.SampleBuilder
}

// NewRTPRemote reads track, received on pc.
func NewRTPRemote(pc *webrtc.PeerConnection, track *webrtc.TrackRemote) *RTPRemote {
	return &RTPRemote{pc: pc, track: track, sb: samplebuilder.New(64, &codecs.VP8Packet{}, 90000)}
}

// Source is the sender's user id (the stream id without "parley-") and
// the track id.
func (r *RTPRemote) Source() (user, id string) {
	return strings.TrimPrefix(r.track.StreamID(), "parley-"), r.track.ID()
}

// ReadFrame is video.TrackReader's.
func (r *RTPRemote) ReadFrame() (rtc.VideoFrame, error) {
	for {
		if s := r.sb.Pop(); s != nil {
			return rtc.VideoFrame{Payload: s.Data, Timestamp: s.PacketTimestamp, Gap: s.PrevDroppedPackets > 0}, nil
		}
		pkt, _, err := r.track.ReadRTP()
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				return rtc.VideoFrame{}, fmt.Errorf("videotest: read video: %w", os.ErrDeadlineExceeded)
			}
			return rtc.VideoFrame{}, rtc.ErrClosed
		}
		r.sb.Push(pkt)
	}
}

// RequestKeyframe is video.TrackReader's.
func (r *RTPRemote) RequestKeyframe() error {
	return r.pc.WriteRTCP([]rtcp.Packet{&rtcp.PictureLossIndication{MediaSSRC: uint32(r.track.SSRC())}})
}

// SetReadDeadline is video.TrackReader's.
func (r *RTPRemote) SetReadDeadline(t time.Time) error { return r.track.SetReadDeadline(t) }
