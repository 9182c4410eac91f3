package rtc

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"github.com/parley-voip/parley/media/rtpcodec"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parley-voip/parley/internal/pionlog"
	"github.com/pion/interceptor"
	"github.com/pion/interceptor/pkg/cc"
	"github.com/pion/interceptor/pkg/gcc"
	"github.com/pion/interceptor/pkg/nack"
	"github.com/pion/interceptor/pkg/twcc"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/rtp/codecs"
	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"
)

// Video over RTP: VP8 at 90 kHz, with NACK retransmission (pion's
// generator and responder), keyframe requests (PLI, FIR), transport-wide
// congestion control feedback (TWCC) and Google congestion control (GCC,
// pion's send-side estimator) for the bitrate. All of it is set up only
// for a Peer made with Config.Video, so an audio call's RTP stays as it
// was; and only for video streams (audio negotiates none of it).

// vp8Codec is plain VP8 (RFC 7741); sealedCodec carries SFrame ciphertext
// of VP8 frames (videopacket.go).
var (
	vp8Codec    = rtpcodec.VP8
	sealedCodec = rtpcodec.SealedVP8
)

// Bandwidth estimation bounds: GCC starts at the 360p target and never
// asks for more than 720p needs, nor less than a picture is worth.
const (
	bweInitial = 800_000
	bweMin     = 150_000
	bweMax     = 3_000_000
)

// estimatorHolder receives the peer's bandwidth estimator from pion while
// the peer connection is being made.
type estimatorHolder struct {
	e atomic.Pointer[cc.BandwidthEstimator]
}

// setUpVideo registers the video codec, header extension and feedback, and
// the interceptors, on a Peer made with Config.Video.
func setUpVideo(cfg Config, me *webrtc.MediaEngine, reg *interceptor.Registry, est *estimatorHolder) error {
	codec := vp8Codec
	if cfg.SealedVideo {
		codec = sealedCodec
	}
	if err := me.RegisterCodec(codec, webrtc.RTPCodecTypeVideo); err != nil {
		return fmt.Errorf("rtc: register video codec: %w", err)
	}
	// TWCC's transport sequence number is the only header extension on
	// video; it says nothing about the content.
	if err := me.RegisterHeaderExtension(webrtc.RTPHeaderExtensionCapability{URI: sdp.TransportCCURI}, webrtc.RTPCodecTypeVideo); err != nil {
		return fmt.Errorf("rtc: register twcc: %w", err)
	}
	lf := pionlog.Factory{Log: cfg.Logger}
	bwe, err := cc.NewInterceptor(func() (cc.BandwidthEstimator, error) {
		// No pacer: audio must not queue behind a keyframe, and frames
		// are small enough at these rates to go out at once.
		return gcc.NewSendSideBWE(gcc.SendSideBWEInitialBitrate(bweInitial), gcc.SendSideBWEMinBitrate(bweMin),
			gcc.SendSideBWEMaxBitrate(bweMax), gcc.SendSideBWEPacer(gcc.NewNoOpPacer()), gcc.WithLoggerFactory(lf))
	})
	if err != nil {
		return fmt.Errorf("rtc: congestion control: %w", err)
	}
	bwe.OnNewPeerConnection(func(_ string, e cc.BandwidthEstimator) { est.e.Store(&e) })
	reg.Add(bwe) // before the NACK responder, which then limits resends to the target
	gen, err := nack.NewGeneratorInterceptor(nack.WithGeneratorLoggerFactory(lf), nack.GeneratorInterval(20*time.Millisecond),
		// Three tries (60 ms) per lost packet: a frame not repaired by then
		// is past the reassembler's hold, and a keyframe request takes over.
		nack.GeneratorMaxNacksPerPacket(3))
	if err != nil {
		return fmt.Errorf("rtc: nack: %w", err)
	}
	resp, err := nack.NewResponderInterceptor(nack.WithResponderLoggerFactory(lf))
	if err != nil {
		return fmt.Errorf("rtc: nack: %w", err)
	}
	reg.Add(resp)
	// Its 20 ms ticker runs only once video arrives (ondemand.go).
	reg.Add(onDemandFactory{inner: gen, wants: wantsNACK})
	ext, err := twcc.NewHeaderExtensionInterceptor()
	if err != nil {
		return fmt.Errorf("rtc: twcc: %w", err)
	}
	reg.Add(ext)
	fb, err := twcc.NewSenderInterceptor(twcc.SendInterval(50*time.Millisecond), twcc.WithLoggerFactory(lf))
	if err != nil {
		return fmt.Errorf("rtc: twcc: %w", err)
	}
	reg.Add(fb)
	return nil
}

// TargetBitrate is the send bitrate (bit/s) congestion control allows
// this peer now, all streams together; 0 on a peer without video.
func (p *Peer) TargetBitrate() int {
	e := p.estimator.e.Load()
	if e == nil {
		return 0
	}
	return (*e).GetTargetBitrate()
}

// VideoTrack sends one video track (a camera, a shared screen): whole
// encoded or sealed frames in, RTP packets out.
type VideoTrack struct {
	p      *Peer
	name   string
	track  *webrtc.TrackLocalStaticRTP
	sender *webrtc.RTPSender // nil on a service peer until attached (p.mu)
	pack   videoPacketizer

	mu    sync.Mutex // WriteFrame's state
	seq   uint16
	ts0   uint32
	first time.Time
	pkt   rtp.Packet

	keyframe chan struct{} // a PLI or FIR arrived; holds at most one
	requests atomic.Uint64
	remb     atomic.Int64 // the far end's last REMB, bit/s
}

// AddVideoTrack adds a sending video track named name ("camera",
// "screen": the far end sees it as RemoteVideo.Name) on a Peer made with
// Config.Video. Added before CreateOffer or AcceptOffer, it is in the first
// negotiation; added later on a direct peer, it needs a renegotiation
// (Renegotiate; NeedsRenegotiation says so); on a media service peer it is
// attached to the service's next offer that has a free receive-only video
// section (AnswerService), and frames written before are dropped.
func (p *Peer) AddVideoTrack(name string) (*VideoTrack, error) {
	if !p.video {
		return nil, fmt.Errorf("%w: peer made without Config.Video", ErrWrongState)
	}
	if name == "" || len(name) > 32 {
		return nil, fmt.Errorf("%w: video track name %q", ErrInvalidConfig, name)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.offered && !p.remoteSet {
		return nil, fmt.Errorf("%w: add video track while the first offer is unanswered", ErrWrongState)
	}
	for _, v := range p.videoTracks {
		if v.name == name {
			return nil, fmt.Errorf("%w: video track %q added twice", ErrInvalidConfig, name)
		}
	}
	codec := vp8Codec
	var pack videoPacketizer = vp8Packetizer{p: &codecs.VP8Payloader{EnablePictureID: true}}
	if p.sealedVideo {
		codec, pack = sealedCodec, sealedPacketizer{}
	}
	track, err := webrtc.NewTrackLocalStaticRTP(codec.RTPCodecCapability, name, "parley")
	if err != nil {
		return nil, fmt.Errorf("rtc: video track: %w", err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	v := &VideoTrack{
		p: p, name: name, track: track, pack: pack,
		seq: binary.BigEndian.Uint16(b[:2]), ts0: binary.BigEndian.Uint32(b[2:]),
		keyframe: make(chan struct{}, 1),
	}
	p.videoTracks = append(p.videoTracks, v)
	if p.service {
		if p.remoteSet {
			p.dirty = true // attached on the service's next offer
		}
		return v, nil
	}
	// AddTrack takes a video section that sends nothing yet (one the far
	// end opened to receive, or ReceiveVideo's), else makes a new one.
	sender, err := p.pc.AddTrack(track)
	if err != nil {
		p.videoTracks = p.videoTracks[:len(p.videoTracks)-1]
		return nil, fmt.Errorf("rtc: add video track: %w", err)
	}
	v.sender = sender
	if p.remoteSet {
		p.dirty = true
	}
	go v.readRTCP(v.sender)
	return v, nil
}

// attachServiceVideo puts the video tracks not yet sent on the free
// receive-only video sections of the service's offer just applied: pion's
// AddTrack takes an unused transceiver of the kind, and never one the
// service sends on. Called with p.mu held, between SetRemoteDescription
// and CreateAnswer.
func (p *Peer) attachServiceVideo() {
	for _, v := range p.videoTracks {
		if v.sender != nil {
			continue
		}
		if !p.freeVideoSection() {
			return
		}
		s, err := p.pc.AddTrack(v.track)
		if err != nil {
			p.log.Warn("rtc: attach video to the service's offer", "track", v.name, "err", err)
			return
		}
		v.sender = s
		go v.readRTCP(s)
	}
	p.dirty = false
}

// freeVideoSection reports whether the applied remote offer has a
// receive-only video section whose transceiver sends nothing yet.
func (p *Peer) freeVideoSection() bool { return FreeVideoSection(p.pc) }

// FreeVideoSection reports whether pc's applied remote offer has a
// receive-only video section whose transceiver sends nothing yet: where
// pion's AddTrack puts a new video track (the media service offers one
// for each kind a participant turns on). The service's test clients use
// it on their raw pion connections too.
func FreeVideoSection(pc *webrtc.PeerConnection) bool {
	rd := pc.RemoteDescription()
	if rd == nil {
		return false
	}
	parsed, err := parseSDP(rd.SDP)
	if err != nil {
		return false
	}
	for _, md := range parsed.MediaDescriptions {
		if md.MediaName.Media != "video" {
			continue
		}
		if _, recvonly := md.Attribute("recvonly"); !recvonly {
			continue
		}
		mid, _ := md.Attribute("mid")
		for _, tr := range pc.GetTransceivers() {
			if tr.Mid() == mid && (tr.Sender() == nil || tr.Sender().Track() == nil) {
				return true
			}
		}
	}
	return false
}

// readRTCP drains the sender's RTCP (the NACK responder and congestion
// control read it on the way), turns PLI and FIR into keyframe requests
// and keeps the last REMB.
func (v *VideoTrack) readRTCP(sender *webrtc.RTPSender) {
	for {
		pkts, _, err := sender.ReadRTCP()
		if err != nil {
			return
		}
		for _, pkt := range pkts {
			switch pkt := pkt.(type) {
			case *rtcp.PictureLossIndication, *rtcp.FullIntraRequest:
				v.requests.Add(1)
				select {
				case v.keyframe <- struct{}{}:
				default:
				}
			case *rtcp.ReceiverEstimatedMaximumBitrate:
				v.remb.Store(int64(pkt.Bitrate))
			}
		}
	}
}

// RemoteEstimate is the bit/s the far end's last REMB allows (the media
// service sends one a second: the least its subscribers take); 0 before
// any. It makes a VideoTrack a video.RateCapper.
func (v *VideoTrack) RemoteEstimate() int { return int(v.remb.Load()) }

// Name is the track's name.
func (v *VideoTrack) Name() string { return v.name }

// KeyframeRequests delivers one value when the far end asks for a
// keyframe (PLI or FIR); requests that come before the last was taken
// are merged.
func (v *VideoTrack) KeyframeRequests() <-chan struct{} { return v.keyframe }

// KeyframeRequestCount is how many PLI/FIR have arrived.
func (v *VideoTrack) KeyframeRequestCount() uint64 { return v.requests.Load() }

// WriteFrame sends one encoded (sealed, on a SealedVideo peer) frame
// captured at captured: its RTP timestamp is the capture time at 90 kHz.
// As with audio, frames are discarded until the connection is up and the
// peer's certificate checked. WriteFrame has a single caller per track.
func (v *VideoTrack) WriteFrame(frame []byte, captured time.Time) error {
	if v.p.closed() {
		return ErrClosed
	}
	if len(frame) == 0 || len(frame) > MaxVideoFrameSize {
		return fmt.Errorf("%w: video frame of %d bytes, limit %d", ErrFrameTooLarge, len(frame), MaxVideoFrameSize)
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.first.IsZero() {
		v.first = captured
	}
	ts := v.ts0 + uint32(captured.Sub(v.first)*90000/time.Second)
	if !v.p.certOK.Load() {
		return nil
	}
	payloads := v.pack.payloads(frame)
	for i, pl := range payloads {
		v.pkt.Header = rtp.Header{Version: 2, PayloadType: uint8(vp8Codec.PayloadType), SequenceNumber: v.seq,
			Timestamp: ts, Marker: i == len(payloads)-1}
		v.pkt.Payload = pl
		v.seq++
		if err := v.track.WriteRTP(&v.pkt); err != nil {
			if v.p.closed() || errors.Is(err, io.ErrClosedPipe) {
				return ErrClosed
			}
			return fmt.Errorf("rtc: write video: %w", err)
		}
	}
	return nil
}

// RemoteVideo is one video track the far end sends.
type RemoteVideo struct {
	p     *Peer
	track *webrtc.TrackRemote
	reasm *reassembler
	queue []VideoFrame // ready frames not yet returned
	buf   []byte
	pkt   rtp.Packet
}

// OnVideoTrack sets the function told about each video track the far end
// sends, from pion's goroutine; it should start a reader and return. Set it
// before negotiating.
func (p *Peer) OnVideoTrack(f func(*RemoteVideo)) {
	p.mu.Lock()
	p.onVideo = f
	p.mu.Unlock()
}

func (p *Peer) handleVideo(t *webrtc.TrackRemote) {
	d := vp8Depacketize
	if p.sealedVideo {
		d = sealedDepacketize
	}
	p.mu.Lock()
	f := p.onVideo
	p.mu.Unlock()
	if f == nil {
		return
	}
	f(&RemoteVideo{p: p, track: t, reasm: newReassembler(d), buf: make([]byte, receiveBufferSize)})
}

// Name is the sender's name for the track ("camera", "screen").
func (r *RemoteVideo) Name() string { return r.track.ID() }

// Stream is the track's stream id: through the media service
// "parley-<user id>", the participant who sends it.
func (r *RemoteVideo) Stream() string { return r.track.StreamID() }

// ReadFrame returns the next complete frame. Malformed packets are
// skipped; it returns ErrClosed when the peer closes. Nothing is returned
// before the peer's certificate has been checked. One reader only.
func (r *RemoteVideo) ReadFrame() (VideoFrame, error) {
	for {
		if len(r.queue) > 0 {
			f := r.queue[0]
			r.queue = r.queue[1:]
			return f, nil
		}
		n, _, err := r.track.Read(r.buf)
		if err != nil {
			switch {
			case r.p.closed() || errors.Is(err, io.EOF):
				return VideoFrame{}, ErrClosed
			case isTimeout(err):
				return VideoFrame{}, fmt.Errorf("rtc: read video: %w", os.ErrDeadlineExceeded)
			}
			return VideoFrame{}, fmt.Errorf("rtc: read video: %w", err)
		}
		if !r.p.certOK.Load() {
			continue
		}
		if err := r.pkt.Unmarshal(r.buf[:n]); err != nil {
			continue
		}
		ready, err := r.reasm.push(&r.pkt)
		if err != nil {
			continue
		}
		r.queue = append(r.queue, ready...)
	}
}

// SetReadDeadline makes a blocked ReadFrame return os.ErrDeadlineExceeded
// at t.
func (r *RemoteVideo) SetReadDeadline(t time.Time) error { return r.track.SetReadDeadline(t) }

// RequestKeyframe asks the sender for a keyframe (RTCP PLI).
func (r *RemoteVideo) RequestKeyframe() error {
	if r.p.closed() {
		return ErrClosed
	}
	err := r.p.pc.WriteRTCP([]rtcp.Packet{&rtcp.PictureLossIndication{MediaSSRC: uint32(r.track.SSRC())}})
	if err != nil {
		return fmt.Errorf("rtc: request keyframe: %w", err)
	}
	return nil
}
