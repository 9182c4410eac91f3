package sfutest

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parley-voip/parley/media/rtc"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// VideoSender is one of a Peer's video tracks: VP8-shaped frames at 30
// fps, a key frame first and whenever the service asks (PLI), none
// otherwise, so a subscriber that gets pictures got them through a key
// frame request. What the service sends back about it is counted.
type VideoSender struct {
	p     *Peer
	ID    string // signaling.VideoTrackCamera or VideoTrackScreen
	tag   byte
	track atomic.Pointer[webrtc.TrackLocalStaticRTP]

	RTCPCounts
	Sender atomic.Pointer[webrtc.RTPSender] // nil until attached to a section of an offer
	Skip   atomic.Int64                     // a sequence number not to send (a loss), or -1
	Paused atomic.Bool                      // send nothing
	Frame  atomic.Uint32                    // next frame number
	Seq    atomic.Uint32                    // next sequence number (the track's own, as a packetizer would)

	keyNext atomic.Bool
}

// RTCPCounts is what the service sent back about one of a client's
// tracks, counted by Read.
type RTCPCounts struct {
	PLIs  atomic.Int64 // key frame requests received (PLI, FIR)
	REMB  atomic.Int64 // the last REMB's bitrate, bit/s; 0 before one
	REMBs atomic.Int64 // REMBs received
	TWCC  atomic.Int64 // transport-wide congestion control feedback packets received

	nackMu sync.Mutex
	nacked map[uint16]bool // sequence numbers the service asked for again
}

// Read reads s's RTCP until the connection closes, counting it; keyframe
// (if not nil) is called on every key frame request.
func (c *RTCPCounts) Read(s *webrtc.RTPSender, keyframe func()) {
	for {
		pkts, _, err := s.ReadRTCP()
		if err != nil {
			return
		}
		for _, p := range pkts {
			switch p := p.(type) {
			case *rtcp.PictureLossIndication, *rtcp.FullIntraRequest:
				c.PLIs.Add(1)
				if keyframe != nil {
					keyframe()
				}
			case *rtcp.ReceiverEstimatedMaximumBitrate:
				c.REMB.Store(int64(p.Bitrate))
				c.REMBs.Add(1)
			case *rtcp.TransportLayerCC:
				c.TWCC.Add(1)
			case *rtcp.TransportLayerNack:
				c.nackMu.Lock()
				if c.nacked == nil {
					c.nacked = map[uint16]bool{}
				}
				for _, n := range p.Nacks {
					for _, seq := range n.PacketList() {
						c.nacked[seq] = true
					}
				}
				c.nackMu.Unlock()
			}
		}
	}
}

// Nacked reports whether the service asked for seq again.
func (c *RTCPCounts) Nacked(seq uint16) bool {
	c.nackMu.Lock()
	defer c.nackMu.Unlock()
	return c.nacked[seq]
}

// NackedCount is how many sequence numbers the service asked for again.
func (c *RTCPCounts) NackedCount() int {
	c.nackMu.Lock()
	defer c.nackMu.Unlock()
	return len(c.nacked)
}

func (p *Peer) addVideo(id string) *VideoSender {
	track, err := webrtc.NewTrackLocalStaticRTP(VP8.RTPCodecCapability, id, "client-"+p.Name)
	if err != nil {
		p.T.Fatal(err)
	}
	v := &VideoSender{p: p, ID: id, tag: VideoTag(p.Name, id)}
	v.Skip.Store(-1)
	v.track.Store(track)
	v.keyNext.Store(true)
	p.mu.Lock()
	p.videos = append(p.videos, v)
	p.out = append(p.out, &outgoingVideo{track: track, attached: func(s *webrtc.RTPSender) {
		v.Sender.Store(s)
		go v.Read(s, func() { v.keyNext.Store(true) })
	}})
	p.mu.Unlock()
	return v
}

// outgoingVideo is a video track the peer sends: a VideoSender's
// (WithVideo) or the test's own (SendingVideo).
type outgoingVideo struct {
	track    webrtc.TrackLocal
	attached func(*webrtc.RTPSender)
	done     bool // attached to a section
}

// VideoSender is the peer's video track of this id (WithVideo), or nil.
func (p *Peer) VideoSender(id string) *VideoSender {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, v := range p.videos {
		if v.ID == id {
			return v
		}
	}
	return nil
}

// Track is the sender's current local track.
func (v *VideoSender) Track() *webrtc.TrackLocalStaticRTP { return v.track.Load() }

// attachVideo puts the peer's video tracks, in order, on the
// receive-only video sections of the service's offer that are still free
// (what the app does before it answers). It runs on the signaling loop
// only.
func (p *Peer) attachVideo() {
	p.mu.Lock()
	out := append([]*outgoingVideo(nil), p.out...)
	p.mu.Unlock()
	for _, v := range out {
		if v.done || !rtc.FreeVideoSection(p.PC) {
			continue
		}
		s, err := p.PC.AddTrack(v.track)
		if err != nil {
			p.T.Errorf("%s: add video: %v", p.Name, err)
			continue
		}
		v.done = true
		v.attached(s)
	}
}

// send writes frames every 33 ms until ctx ends (nothing while paused or
// before the track is attached).
func (v *VideoSender) send(ctx context.Context) {
	tick := time.NewTicker(33 * time.Millisecond)
	defer tick.Stop()
	var pkt rtp.Packet
	pkt.Version = 2
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		if v.Paused.Load() || v.Sender.Load() == nil {
			continue
		}
		v.sendFrame(&pkt)
	}
}

func (v *VideoSender) sendFrame(pkt *rtp.Packet) {
	f := v.Frame.Add(1) - 1
	key := v.keyNext.Swap(false)
	parts := VP8TestFrame(v.tag, f, key)
	track := v.track.Load()
	for i, p := range parts {
		pkt.SequenceNumber = uint16(v.Seq.Add(1) - 1)
		if int64(pkt.SequenceNumber) == v.Skip.Load() {
			pkt.SequenceNumber = uint16(v.Seq.Add(1) - 1) // lost on the way
		}
		pkt.Timestamp = f * 3000
		pkt.Marker = i == len(parts)-1
		pkt.Payload = p
		_ = track.WriteRTP(pkt)
	}
}

// ReplaceTrack swaps in a new track with the same id whose sequence
// numbers and timestamps start elsewhere (as a new camera's packetizer
// would), from frame first on.
func (v *VideoSender) ReplaceTrack(first, seq uint32) {
	track, err := webrtc.NewTrackLocalStaticRTP(VP8.RTPCodecCapability, v.ID, "client-"+v.p.Name)
	if err != nil {
		v.p.T.Fatal(err)
	}
	if err := v.Sender.Load().ReplaceTrack(track); err != nil {
		v.p.T.Fatal(err)
	}
	v.track.Store(track)
	v.Frame.Store(first)
	v.Seq.Store(seq)
	v.keyNext.Store(true)
}

// VideoRecording is what a Peer got on one video track from the service.
type VideoRecording struct {
	Src, ID string // sender and track id, from the stream and track ids

	mu       sync.Mutex
	ssrcs    map[uint32]bool
	packets  []VideoPacket
	bad      int // not byte for byte a test packet, or from the wrong sender
	firstKey bool
}

// VideoPacket is one test packet received.
type VideoPacket struct {
	Seq  uint16
	TS   uint32
	Info FrameInfo
}

func (p *Peer) receiveVideo(tr *webrtc.TrackRemote) {
	rec := &VideoRecording{Src: strings.TrimPrefix(tr.StreamID(), "parley-"), ID: tr.ID(), ssrcs: map[uint32]bool{}}
	p.mu.Lock()
	p.video[rec.Src+"/"+rec.ID] = rec
	p.notifyLocked()
	p.mu.Unlock()
	want := VideoTag(rec.Src, rec.ID)
	for {
		pkt, _, err := tr.ReadRTP()
		if err != nil {
			return
		}
		info, ok := ReadTestPacket(pkt.Payload)
		rec.mu.Lock()
		rec.ssrcs[pkt.SSRC] = true
		if !ok || info.Tag != want {
			rec.bad++
		} else {
			if len(rec.packets) == 0 {
				rec.firstKey = info.KeyStart
			}
			rec.packets = append(rec.packets, VideoPacket{Seq: pkt.SequenceNumber, TS: pkt.Timestamp, Info: info})
		}
		rec.mu.Unlock()
		p.Changed()
	}
}

// VideoFrom is what arrived on src's video track id so far, or nil.
func (p *Peer) VideoFrom(src, id string) *VideoRecording {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.video[src+"/"+id]
}

// Frames counts the complete frames received (every packet of the frame).
func (r *VideoRecording) Frames() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	got := map[uint32]int{}
	n := 0
	for _, p := range r.packets {
		got[p.Info.Frame]++
		if got[p.Info.Frame] == p.Info.N {
			n++
		}
	}
	return n
}

// SSRC is the track's SSRC (one of them, if there were several).
func (r *VideoRecording) SSRC() uint32 {
	r.mu.Lock()
	defer r.mu.Unlock()
	for k := range r.ssrcs {
		return k
	}
	return 0
}

// Snapshot is what arrived so far: the test packets, how many were not
// (or not from the track's sender), how many SSRCs the track had, and
// whether the first packet started a key frame.
func (r *VideoRecording) Snapshot() (pkts []VideoPacket, bad int, ssrcs int, firstKey bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]VideoPacket(nil), r.packets...), r.bad, len(r.ssrcs), r.firstKey
}

// ExpectSees waits until p has n more complete frames from src's track id
// and checks that everything it got is what src sent, from a key frame on.
func (p *Peer) ExpectSees(ctx context.Context, src, id string, n int) *VideoRecording {
	p.T.Helper()
	var rec *VideoRecording
	p.WaitFor(ctx, "a "+id+" track from "+src, func() bool { rec = p.VideoFrom(src, id); return rec != nil })
	start := rec.Frames()
	p.WaitFor(ctx, id+" frames from "+src, func() bool { return rec.Frames() >= start+n })
	pkts, bad, ssrcs, firstKey := rec.Snapshot()
	p.T.Logf("%s sees %s's %s: %d packets, %d frames, %d bad", p.Name, src, id, len(pkts), rec.Frames(), bad)
	if bad != 0 || ssrcs != 1 || !firstKey {
		p.T.Errorf("%s's %s from %s: %d bad packets, %d SSRCs, first packet a key frame: %v", p.Name, id, src, bad, ssrcs, firstKey)
	}
	return rec
}
