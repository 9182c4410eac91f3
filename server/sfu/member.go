package sfu

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"
)

// Limits on what a client sends the service.
const (
	MaxSDPSize          = 64 << 10
	MaxCandidateSize    = 512
	MaxQueuedCandidates = 64
	// loudLevel: an RFC 6464 level (−dBov) below this is speech.
	loudLevel = 50
	// loudBytes: without the level extension, an Opus packet longer than
	// this is taken for speech (silence and DTX frames are a few bytes).
	loudBytes = 40
)

// Member is one participant's connection to the service.
type Member struct {
	svc  *Service
	user string
	name string
	out  func(Signal)
	pc   *webrtc.PeerConnection
	room atomic.Pointer[room]
	outs [numKinds]atomic.Pointer[[]*downTrack] // this participant's tracks, by kind, to each other one

	connected atomic.Bool // the peer connection is up: down tracks can deliver
	wasUp     atomic.Bool // the peer connection has been up: renegotiation may go on (negotiate)
	stateMu   sync.Mutex  // serializes connectionChanged

	companion bool // a listening second device: its audio is not forwarded

	held     atomic.Bool
	muted    atomic.Bool
	lastLoud atomic.Int64 // unix ns of the last loud packet

	// Guarded by the room's mu.
	speaking bool
	hasTrack bool
	part     Participant
	vslot    [numKinds]bool                   // the kind was on once: the others have down tracks for it
	vrecv    [numKinds]*webrtc.RTPTransceiver // the receive-only transceiver offered for the kind

	// Video, by kind (camera, screen).
	video     [numKinds]atomic.Bool   // the participant sends it (media-video)
	vgen      [numKinds]atomic.Uint32 // bumped when it is turned on or its track changes: down tracks re-base
	vssrc     [numKinds]atomic.Uint32 // the sender's SSRC, for key frame requests and REMB
	vbytes    [numKinds]atomic.Uint64 // payload bytes forwarded since the last REMB
	keyframes [numKinds]*keyframeRequester

	dmu   sync.Mutex
	downs []*downTrack // the others' tracks, on this connection

	nmu      sync.Mutex // negotiation
	offering bool       // an offer awaits the client's answer
	again    bool       // the room changed meanwhile: offer again after it
	pending  []webrtc.ICECandidateInit

	musicMu   sync.Mutex
	musicStop chan struct{}

	leaveOnce sync.Once
	closeOnce sync.Once
	closeErr  error
	done      chan struct{}

	received, malformed, flooded, keyframeRequests atomic.Uint64
}

// MemberStats are one participant's counters: RTP packets received (valid,
// audio and video), dropped as malformed, dropped over the rate, and the
// key frame requests (PLI) the service sent the participant.
type MemberStats struct {
	Received, Malformed, Flooded, KeyframeRequests uint64
}

func newMember(s *Service, req JoinRequest) (*Member, error) {
	pc, err := s.api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return nil, fmt.Errorf("sfu: new peer connection: %w", err)
	}
	s.c.peerConnections.Add(1)
	m := &Member{svc: s, user: req.UserID, name: req.Name, out: req.Send, pc: pc, done: make(chan struct{}), companion: req.Companion}
	m.muted.Store(req.Companion)
	for k := range m.outs {
		m.outs[k].Store(&[]*downTrack{})
	}
	for _, k := range videoKinds {
		m.keyframes[k] = &keyframeRequester{interval: s.cfg.KeyframeInterval, send: func() { m.sendPLI(k) }}
	}
	if _, err := pc.AddTransceiverFromKind(webrtc.RTPCodecTypeAudio, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionRecvonly}); err != nil {
		return nil, errors.Join(fmt.Errorf("sfu: add transceiver: %w", err), pc.Close())
	}
	pc.OnICECandidate(func(c *webrtc.ICECandidate) {
		if c == nil {
			return
		}
		init := c.ToJSON()
		m.send(Signal{Candidate: &init})
	})
	pc.OnConnectionStateChange(m.connectionChanged)
	pc.OnTrack(m.receive)
	return m, nil
}

// connectionChanged acts on a change of the connection's state. pion runs
// each change's handler on a goroutine of its own, so they may run in
// either order: whether the connection is up is read from it, not taken
// from the call (a late Connecting after the Connected would leave video
// waiting for a connection that is there).
func (m *Member) connectionChanged(st webrtc.PeerConnectionState) {
	m.stateMu.Lock()
	up := m.pc.ConnectionState() == webrtc.PeerConnectionStateConnected
	m.connected.Store(up)
	first := up && !m.wasUp.Swap(true)
	m.stateMu.Unlock()
	if first {
		m.offerHeldBack()
	}
	if st == webrtc.PeerConnectionStateFailed {
		go m.Leave()
	}
}

// UserID is the participant's user id.
func (m *Member) UserID() string { return m.user }

// CallID is the call the participant is in now.
func (m *Member) CallID() string {
	if r := m.room.Load(); r != nil {
		return r.id
	}
	return ""
}

// Stats returns the participant's counters.
func (m *Member) Stats() MemberStats {
	return MemberStats{Received: m.received.Load(), Malformed: m.malformed.Load(), Flooded: m.flooded.Load(), KeyframeRequests: m.keyframeRequests.Load()}
}

func (m *Member) send(sig Signal) {
	if sig.CallID == "" {
		sig.CallID = m.CallID()
	}
	select {
	case <-m.done:
		return
	default:
	}
	m.out(sig)
}

// SetMuted records the participant's own mute (shown in the roster).
func (m *Member) SetMuted(on bool) {
	if m.muted.Swap(on) != on {
		if r := m.room.Load(); r != nil {
			r.pushRoster()
		}
	}
}

// Answer applies the client's answer to the service's last offer.
func (m *Member) Answer(answer string) error {
	if len(answer) > MaxSDPSize {
		return fmt.Errorf("%w: answer of %d bytes", ErrBadSignal, len(answer))
	}
	m.nmu.Lock()
	if !m.offering {
		m.nmu.Unlock()
		return fmt.Errorf("%w: no offer is pending", ErrBadSignal)
	}
	if err := m.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: answer}); err != nil {
		m.nmu.Unlock()
		if m.left() {
			return ErrClosed
		}
		return fmt.Errorf("%w: %w", ErrBadSignal, err)
	}
	m.offering = false
	for _, c := range m.pending {
		if err := m.pc.AddICECandidate(c); err != nil {
			m.svc.log.Debug("sfu: queued candidate refused", "err", err)
		}
	}
	m.pending = nil
	again := m.again
	m.again = false
	m.nmu.Unlock()
	if again {
		m.negotiate()
	}
	return nil
}

// AddCandidate adds one of the client's ICE candidates; those that come
// before the first answer are queued.
func (m *Member) AddCandidate(c webrtc.ICECandidateInit) error {
	if len(c.Candidate) > MaxCandidateSize {
		return fmt.Errorf("%w: candidate of %d bytes", ErrBadSignal, len(c.Candidate))
	}
	m.nmu.Lock()
	defer m.nmu.Unlock()
	if m.pc.RemoteDescription() == nil {
		if len(m.pending) >= MaxQueuedCandidates {
			return fmt.Errorf("%w: too many candidates before the answer", ErrBadSignal)
		}
		m.pending = append(m.pending, c)
		return nil
	}
	if err := m.pc.AddICECandidate(c); err != nil {
		return fmt.Errorf("%w: %w", ErrBadSignal, err)
	}
	return nil
}

// negotiate offers the client the connection's current tracks, or, while
// an offer is unanswered, does so once the answer comes. After the first
// answer, the next offer waits until the connection has been up once
// (offerHeldBack): a client applies its answer's transports on a queue of
// its own (pion's operations), and an offer it applies before that queue
// has started ICE looks to pion like new ICE credentials, so it restarts
// ICE: new credentials and candidates in its next answer, while the
// service has the first answer's, drops the new candidates as another
// generation's and discards the client's checks (ICE "username
// mismatch"). On a loaded machine the set-up then stalls or fails.
func (m *Member) negotiate() {
	m.nmu.Lock()
	defer m.nmu.Unlock()
	select {
	case <-m.done:
		return
	default:
	}
	if m.offering || m.pc.RemoteDescription() != nil && !m.wasUp.Load() {
		m.again = true
		return
	}
	offer, err := m.pc.CreateOffer(nil)
	if err == nil {
		err = m.pc.SetLocalDescription(offer)
	}
	if err != nil {
		if m.pc.ConnectionState() != webrtc.PeerConnectionStateClosed {
			m.svc.log.Warn("sfu: offer", "user", m.user, "err", err)
		}
		return
	}
	m.offering = true
	m.send(Signal{SDP: offer.SDP})
}

// offerHeldBack makes the offer negotiate held back until the connection
// was up, if there is one and no offer is unanswered.
func (m *Member) offerHeldBack() {
	m.nmu.Lock()
	again := m.again && !m.offering
	if again {
		m.again = false
	}
	m.nmu.Unlock()
	if again {
		m.negotiate()
	}
}

// Leave takes the participant out of the call and closes its connection.
// The call ends on the service when the last one leaves.
func (m *Member) Leave() {
	m.leaveOnce.Do(func() {
		if r := m.room.Load(); r != nil {
			r.detach(m)
		}
		_ = m.closePC()
	})
}

// left reports whether the participant's connection is closed.
func (m *Member) left() bool {
	select {
	case <-m.done:
		return true
	default:
		return false
	}
}

func (m *Member) closePC() error {
	m.closeOnce.Do(func() {
		close(m.done)
		m.stopMusic()
		for _, k := range videoKinds {
			m.keyframes[k].stop()
		}
		m.closeErr = m.pc.Close()
		m.svc.conns.Add(-1)
	})
	return m.closeErr
}

// addDownTrack adds a track carrying src's track of kind to m's connection.
func (m *Member) addDownTrack(src *Member, kind trackKind) (*downTrack, error) {
	codec := kind.codec()
	track, err := newBoundTrack(codec.RTPCodecCapability, kind.trackID(), "parley-"+src.user)
	if err != nil {
		return nil, fmt.Errorf("sfu: track: %w", err)
	}
	sender, err := m.addSender(kind, track)
	if err != nil {
		return nil, fmt.Errorf("sfu: add track: %w", err)
	}
	var ssrc uint32
	if enc := sender.GetParameters().Encodings; len(enc) > 0 {
		ssrc = uint32(enc[0].SSRC)
	}
	d := &downTrack{src: src, dst: m, kind: kind, clock: codec.ClockRate, track: track, sender: sender, ssrc: ssrc,
		paused: m.held.Load(), needKey: kind != kindAudio, gone: make(chan struct{})}
	m.dmu.Lock()
	m.downs = append(m.downs, d)
	m.dmu.Unlock()
	var relay func([]rtcp.Packet)
	if kind != kindAudio {
		relay = d.feedback
	}
	go m.readRTCP(sender.ReadRTCP, relay)
	return d, nil
}

func (m *Member) removeDownTrack(d *downTrack) {
	m.dmu.Lock()
	for i, x := range m.downs {
		if x == d {
			m.downs = append(m.downs[:i:i], m.downs[i+1:]...)
			break
		}
	}
	m.dmu.Unlock()
	d.remove()
	m.releaseSender(d)
}

func (m *Member) removeAllDownTracks() {
	m.dmu.Lock()
	ds := m.downs
	m.downs = nil
	m.dmu.Unlock()
	for _, d := range ds {
		d.remove()
		m.releaseSender(d)
	}
}

func (m *Member) pauseDownTracks(on bool) {
	m.dmu.Lock()
	defer m.dmu.Unlock()
	for _, d := range m.downs {
		d.setPaused(on)
	}
}

// readRTCP drains RTCP (the report and NACK interceptors see it), hands
// what it reads to handle when there is one, and counts what does not
// parse.
func (m *Member) readRTCP(read func() ([]rtcp.Packet, interceptor.Attributes, error), handle func([]rtcp.Packet)) {
	for {
		pkts, _, err := read()
		if err == nil {
			if handle != nil {
				handle(pkts)
			}
			continue
		}
		select {
		case <-m.done:
			return
		default:
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrClosedPipe) {
			return
		}
		m.svc.c.malformedRTCP.Add(1)
	}
}

// receive is the forwarding goroutine of the participant's audio: read,
// limit, validate, forward to every other participant and to the taps.
func (m *Member) receive(t *webrtc.TrackRemote, recv *webrtc.RTPReceiver) {
	if t.Kind() == webrtc.RTPCodecTypeVideo {
		m.receiveVideo(t, recv)
		return
	}
	go m.readRTCP(recv.ReadRTCP, nil)
	var levelID uint8
	for _, e := range recv.GetParameters().HeaderExtensions {
		if e.URI == sdp.AudioLevelURI {
			levelID = uint8(e.ID)
		}
	}
	pt := uint8(t.PayloadType())
	r := m.room.Load()
	if r == nil {
		return
	}
	r.mu.Lock()
	m.part = Participant{UserID: m.user, Name: m.name, SSRC: uint32(t.SSRC()), ClockRate: t.Codec().ClockRate}
	r.mu.Unlock()
	r.trackArrived(m)

	f := forwarder{m: m, pt: pt, levelID: levelID, limit: newBucket(m.svc.cfg.PacketRate, m.svc.cfg.PacketBurst)}
	readTrack(t, f.handle)
}

// readTrack hands every packet read from t to handle, until t ends.
func readTrack(t *webrtc.TrackRemote, handle func(b []byte, now time.Time)) {
	buf := make([]byte, MaxPacketSize+1)
	for {
		n, _, err := t.Read(buf)
		if err != nil {
			return
		}
		handle(buf[:n], time.Now())
	}
}

// dropped counts a packet refused over the rate (flooded) or as malformed.
func (m *Member) dropped(flooded bool) {
	if flooded {
		m.flooded.Add(1)
		m.svc.c.flooded.Add(1)
	} else {
		m.malformed.Add(1)
		m.svc.c.malformed.Add(1)
	}
}

// forwarder is the per-participant state of the forwarding path; handle
// does not allocate.
type forwarder struct {
	m       *Member
	pt      uint8
	levelID uint8
	limit   bucket
	pkt     rtp.Packet
}

func (f *forwarder) handle(b []byte, now time.Time) {
	m := f.m
	if !f.limit.allow(now) {
		m.dropped(true)
		return
	}
	if err := parsePacket(b, f.pt, &f.pkt); err != nil {
		m.dropped(false)
		return
	}
	m.received.Add(1)
	if f.loud() {
		m.lastLoud.Store(now.UnixNano())
	}
	if m.held.Load() || m.companion {
		return
	}
	dur := packetSamples(f.pkt.Payload)
	md := meta{source: fromParticipant, dur: dur, at: now.UnixNano()}
	for _, d := range *m.outs[kindAudio].Load() {
		if _, err := d.write(&f.pkt, md); err != nil && !errors.Is(err, io.ErrClosedPipe) {
			m.svc.log.Debug("sfu: forward", "err", err)
		}
	}
	if r := m.room.Load(); r != nil {
		p := m.part
		for _, t := range *r.taps.Load() {
			t.Packet(p, &f.pkt)
		}
	}
	m.svc.c.forwarded.Add(1)
}

// loud reports whether the packet carries speech: by its RFC 6464 level
// when the client sends one, else by its size.
func (f *forwarder) loud() bool {
	if f.m.muted.Load() {
		return false
	}
	if f.levelID != 0 {
		if ext := f.pkt.GetExtension(f.levelID); len(ext) > 0 {
			f.m.svc.c.levels.Add(1)
			return ext[0]&0x7f < loudLevel
		}
	}
	return len(f.pkt.Payload) > loudBytes
}
