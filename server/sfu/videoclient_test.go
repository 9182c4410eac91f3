package sfu

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parley-voip/parley/internal/sfutest"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/webrtc/v4"
)

// videoSender is one of a test client's video tracks: VP8-shaped frames
// at 30 fps, a key frame first and whenever the service asks (PLI), none
// otherwise, so a subscriber that gets pictures got them through a key
// frame request.
type videoSender struct {
	c     *client
	id    string // signaling.VideoTrackCamera or VideoTrackScreen
	tag   byte
	track atomic.Pointer[webrtc.TrackLocalStaticRTP]

	sender  atomic.Pointer[webrtc.RTPSender]
	plis    atomic.Int64 // key frame requests received
	remb    atomic.Int64 // the last REMB's bitrate, bit/s
	skip    atomic.Int64 // a sequence number not to send (a loss), or -1
	nackMu  sync.Mutex
	nacked  map[uint16]bool // sequence numbers the service asked for again
	rembs   atomic.Int64    // REMBs received
	twcc    atomic.Int64    // transport-wide congestion control feedback packets received
	keyNext atomic.Bool
	paused  atomic.Bool
	frame   atomic.Uint32 // next frame number
	seq     atomic.Uint32 // next sequence number (the track's own, as a packetizer would)
}

// videoTag tells senders apart in the payload: one per user and kind.
func videoTag(user, id string) byte {
	t := byte(0)
	for _, ch := range user + "/" + id {
		t = t*31 + byte(ch)
	}
	return t
}

func (c *client) addVideo(id string) *videoSender {
	track, err := webrtc.NewTrackLocalStaticRTP(vp8Codec.RTPCodecCapability, id, "client-"+c.user)
	if err != nil {
		c.t.Fatal(err)
	}
	v := &videoSender{c: c, id: id, tag: videoTag(c.user, id), nacked: map[uint16]bool{}}
	v.skip.Store(-1)
	v.track.Store(track)
	v.keyNext.Store(true)
	c.mu.Lock()
	c.videos = append(c.videos, v)
	c.mu.Unlock()
	return v
}

// attachVideo puts the client's video tracks on the receive-only video
// sections of the service's offer that are still free (what the app does
// before it answers).
func (c *client) attachVideo() {
	c.mu.Lock()
	vs := append([]*videoSender(nil), c.videos...)
	c.mu.Unlock()
	for _, v := range vs {
		if v.sender.Load() != nil || !sfutest.FreeVideoSection(c.pc) {
			continue
		}
		s, err := c.pc.AddTrack(v.track.Load())
		if err != nil {
			c.t.Errorf("%s: add video: %v", c.user, err)
			continue
		}
		v.sender.Store(s)
		go v.readRTCP(s)
	}
}

func (v *videoSender) readRTCP(s *webrtc.RTPSender) {
	for {
		pkts, _, err := s.ReadRTCP()
		if err != nil {
			return
		}
		for _, p := range pkts {
			switch p.(type) {
			case *rtcp.PictureLossIndication, *rtcp.FullIntraRequest:
				v.plis.Add(1)
				v.keyNext.Store(true)
			case *rtcp.ReceiverEstimatedMaximumBitrate:
				v.remb.Store(int64(p.(*rtcp.ReceiverEstimatedMaximumBitrate).Bitrate))
				v.rembs.Add(1)
			case *rtcp.TransportLayerCC:
				v.twcc.Add(1)
			case *rtcp.TransportLayerNack:
				v.nackMu.Lock()
				for _, n := range p.(*rtcp.TransportLayerNack).Nacks {
					for _, seq := range n.PacketList() {
						v.nacked[seq] = true
					}
				}
				v.nackMu.Unlock()
			}
		}
	}
}

// send writes frames every 33 ms until ctx ends (nothing while paused).
func (v *videoSender) send(ctx context.Context) {
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
		if v.paused.Load() || v.sender.Load() == nil {
			continue
		}
		v.sendFrame(&pkt)
	}
}

func (v *videoSender) sendFrame(pkt *rtp.Packet) {
	f := v.frame.Add(1) - 1
	key := v.keyNext.Swap(false)
	parts := vp8TestFrame(v.tag, f, key)
	track := v.track.Load()
	for i, p := range parts {
		pkt.SequenceNumber = uint16(v.seq.Add(1) - 1)
		if int64(pkt.SequenceNumber) == v.skip.Load() {
			pkt.SequenceNumber = uint16(v.seq.Add(1) - 1) // lost on the way
		}
		pkt.Timestamp = f * 3000
		pkt.Marker = i == len(parts)-1
		pkt.Payload = p
		_ = track.WriteRTP(pkt)
	}
}

// replaceTrack swaps in a new track with the same id whose sequence
// numbers and timestamps start elsewhere (as a new camera's packetizer
// would), from frame first on.
func (v *videoSender) replaceTrack(first, seq uint32) {
	track, err := webrtc.NewTrackLocalStaticRTP(vp8Codec.RTPCodecCapability, v.id, "client-"+v.c.user)
	if err != nil {
		v.c.t.Fatal(err)
	}
	if err := v.sender.Load().ReplaceTrack(track); err != nil {
		v.c.t.Fatal(err)
	}
	v.track.Store(track)
	v.frame.Store(first)
	v.seq.Store(seq)
	v.keyNext.Store(true)
}

// videoRecording is what a client got on one video track from the service.
type videoRecording struct {
	src, id string // sender and kind, from the stream and track ids

	mu       sync.Mutex
	ssrcs    map[uint32]bool
	packets  []videoPacket
	bad      int // not byte for byte a test packet, or from the wrong sender
	firstKey bool
}

type videoPacket struct {
	seq   uint16
	ts    uint32
	info  testFrameInfo
	first bool // the first packet of its frame
}

func (c *client) receiveVideo(tr *webrtc.TrackRemote) {
	rec := &videoRecording{src: strings.TrimPrefix(tr.StreamID(), "parley-"), id: tr.ID(), ssrcs: map[uint32]bool{}}
	c.mu.Lock()
	c.video[rec.src+"/"+rec.id] = rec
	c.notifyLocked()
	c.mu.Unlock()
	want := videoTag(rec.src, rec.id)
	for {
		pkt, _, err := tr.ReadRTP()
		if err != nil {
			return
		}
		info, ok := readTestPacket(pkt.Payload)
		rec.mu.Lock()
		rec.ssrcs[pkt.SSRC] = true
		if !ok || info.tag != want {
			rec.bad++
		} else {
			if len(rec.packets) == 0 {
				rec.firstKey = info.keyStart
			}
			rec.packets = append(rec.packets, videoPacket{seq: pkt.SequenceNumber, ts: pkt.Timestamp, info: info})
		}
		rec.mu.Unlock()
		c.mu.Lock()
		c.notifyLocked()
		c.mu.Unlock()
	}
}

func (c *client) videoFrom(src, id string) *videoRecording {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.video[src+"/"+id]
}

// frames counts the complete frames received (every packet of the frame).
func (r *videoRecording) frames() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	got := map[uint32]int{}
	n := 0
	for _, p := range r.packets {
		got[p.info.frame]++
		if got[p.info.frame] == p.info.n {
			n++
		}
	}
	return n
}

// ssrc is the track's SSRC (one of them, if there were several).
func (r *videoRecording) ssrc() uint32 {
	r.mu.Lock()
	defer r.mu.Unlock()
	for k := range r.ssrcs {
		return k
	}
	return 0
}

func (r *videoRecording) snapshot() (pkts []videoPacket, bad int, ssrcs int, firstKey bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]videoPacket(nil), r.packets...), r.bad, len(r.ssrcs), r.firstKey
}

// expectSees waits until c has n more complete frames from src's track id
// and checks that everything it got is what src sent, from a key frame on.
func (c *client) expectSees(ctx context.Context, src, id string, n int) *videoRecording {
	c.t.Helper()
	var rec *videoRecording
	c.waitFor(ctx, "a "+id+" track from "+src, func() bool { rec = c.videoFrom(src, id); return rec != nil })
	start := rec.frames()
	c.waitFor(ctx, id+" frames from "+src, func() bool { return rec.frames() >= start+n })
	pkts, bad, ssrcs, firstKey := rec.snapshot()
	c.t.Logf("%s sees %s's %s: %d packets, %d frames, %d bad", c.user, src, id, len(pkts), rec.frames(), bad)
	if bad != 0 || ssrcs != 1 || !firstKey {
		c.t.Errorf("%s's %s from %s: %d bad packets, %d SSRCs, first packet a key frame: %v", c.user, id, src, bad, ssrcs, firstKey)
	}
	return rec
}

// dumpOnFailure logs, when the test fails, each client's transceivers and
// the service's side of its connection: which section carries what.
func dumpOnFailure(t *testing.T, cs ...*client) {
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		for _, c := range cs {
			dumpClient(t, c)
		}
	})
}

func dumpClient(t *testing.T, c *client) {
	for _, tr := range c.pc.GetTransceivers() {
		id := ""
		if tr.Receiver() != nil && tr.Receiver().Track() != nil {
			id = tr.Receiver().Track().StreamID() + "/" + tr.Receiver().Track().ID()
		}
		t.Logf("%s client: mid %s kind %s dir %s sender %v recv %s", c.user, tr.Mid(), tr.Kind(), tr.Direction(), tr.Sender() != nil, id)
	}
	m := c.m
	t.Logf("%s service: stats %+v vssrc %v gen %v video %v %v", c.user, m.Stats(), m.vssrc[1].Load(), m.vgen[1].Load(), m.video[1].Load(), len(*m.outs[1].Load()))
	m.dmu.Lock()
	defer m.dmu.Unlock()
	for _, d := range m.downs {
		d.mu.Lock()
		t.Logf("  down from %s kind %d bound %d needKey %v started %v", d.src.user, d.kind, d.track.bound.Load(), d.needKey, d.started)
		d.mu.Unlock()
	}
	for _, tr := range m.pc.GetTransceivers() {
		t.Logf("  svc mid %s kind %s dir %s", tr.Mid(), tr.Kind(), tr.Direction())
	}
}
