package sfu

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parley-voip/parley/media/rtpcodec"
	"github.com/pion/interceptor"
	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"
)

// opusCodec is Opus as client and media service negotiate it.
var opusCodec = rtpcodec.Opus

// Service is the media service: the rooms of the standard calls it
// carries, one per call id.
type Service struct {
	cfg   Config
	log   *slog.Logger
	api   *webrtc.API
	music [][]byte // hold music, Opus packets

	mu     sync.Mutex
	rooms  map[string]*room
	e2ee   map[string]bool // calls refused as E2EE: AddTap says so
	closed bool

	stop  chan struct{}
	done  chan struct{}
	c     serviceCounters
	conns atomic.Int64 // peer connections open now (Config.ports bounds them)
}

type serviceCounters struct {
	peerConnections, forwarded, malformed, flooded, malformedRTCP, refusedE2EE, levels atomic.Uint64
	forwardedVideo, keyframeRequests, keyframeAsks, rembs                              atomic.Uint64
}

// Stats are the service's counters since New.
type Stats struct {
	PeerConnections uint64 // peer connections ever created
	Rooms           int    // rooms open now
	Forwarded       uint64 // audio packets received, valid and forwarded
	ForwardedVideo  uint64 // video packets received, valid and forwarded
	Malformed       uint64 // RTP packets dropped as malformed
	Flooded         uint64 // RTP packets dropped over a participant's rate
	MalformedRTCP   uint64 // RTCP reads that failed to parse
	RefusedE2EE     uint64 // joins refused because the call is E2EE
	LevelPackets    uint64 // packets that carried an RFC 6464 audio level
	// KeyframeRequests are the PLIs the service sent to senders of video;
	// KeyframeAsks the PLIs and FIRs subscribers sent it.
	KeyframeRequests, KeyframeAsks uint64
	REMBs                          uint64 // bitrate estimates sent to senders of video
}

// New builds the service. Close it when done.
func New(cfg Config) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	asset := cfg.HoldMusic
	if asset == nil {
		asset = defaultHoldMusic
	}
	music, err := loadMusic(asset)
	if err != nil {
		return nil, err
	}

	var se webrtc.SettingEngine
	se.SetIncludeLoopbackCandidate(cfg.IncludeLoopback)
	if cfg.PortMin != 0 {
		if err := se.SetEphemeralUDPPortRange(cfg.PortMin, cfg.PortMax); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInvalidConfig, err)
		}
	}
	if len(cfg.PublicIPs) > 0 {
		// The host candidates carry the public addresses instead of the
		// local ones: one rule holding them all, as pion made of the NAT
		// 1:1 list.
		rule := webrtc.ICEAddressRewriteRule{External: cfg.PublicIPs, AsCandidateType: webrtc.ICECandidateTypeHost, Mode: webrtc.ICEAddressRewriteReplace}
		if err := se.SetICEAddressRewriteRules(rule); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInvalidConfig, err)
		}
	}
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4, webrtc.NetworkTypeUDP6})

	var me webrtc.MediaEngine
	if err := me.RegisterCodec(opusCodec, webrtc.RTPCodecTypeAudio); err != nil {
		return nil, fmt.Errorf("sfu: register opus: %w", err)
	}
	if err := me.RegisterHeaderExtension(webrtc.RTPHeaderExtensionCapability{URI: sdp.AudioLevelURI}, webrtc.RTPCodecTypeAudio); err != nil {
		return nil, fmt.Errorf("sfu: register audio level: %w", err)
	}
	if err := rtpcodec.RegisterMid(&me); err != nil {
		return nil, fmt.Errorf("sfu: %w", err)
	}
	reg := &interceptor.Registry{}
	if err := webrtc.ConfigureRTCPReports(reg); err != nil {
		return nil, fmt.Errorf("sfu: rtcp reports: %w", err)
	}
	if err := configureVideo(&me, reg); err != nil {
		return nil, err
	}
	s := &Service{
		cfg:   cfg,
		log:   cfg.Logger,
		api:   webrtc.NewAPI(webrtc.WithSettingEngine(se), webrtc.WithMediaEngine(&me), webrtc.WithInterceptorRegistry(reg)),
		music: music,
		rooms: make(map[string]*room),
		e2ee:  make(map[string]bool),
		stop:  make(chan struct{}),
		done:  make(chan struct{}),
	}
	go s.watch()
	return s, nil
}

// Stats returns the service's counters.
func (s *Service) Stats() Stats {
	s.mu.Lock()
	rooms := len(s.rooms)
	s.mu.Unlock()
	return Stats{
		PeerConnections: s.c.peerConnections.Load(),
		Rooms:           rooms,
		Forwarded:       s.c.forwarded.Load(),
		Malformed:       s.c.malformed.Load(),
		Flooded:         s.c.flooded.Load(),
		MalformedRTCP:   s.c.malformedRTCP.Load(),
		RefusedE2EE:     s.c.refusedE2EE.Load(),
		LevelPackets:    s.c.levels.Load(),
		ForwardedVideo:  s.c.forwardedVideo.Load(),

		KeyframeRequests: s.c.keyframeRequests.Load(),
		KeyframeAsks:     s.c.keyframeAsks.Load(),
		REMBs:            s.c.rembs.Load(),
	}
}

// JoinRequest asks the service to connect a participant to a call.
type JoinRequest struct {
	CallID, UserID, Name string
	// E2EE is the call's decision: an end-to-end encrypted call is refused
	// (ErrE2EE) before any peer connection exists.
	E2EE bool
	// Replaces names the participant whose place the joiner takes (call
	// control, bridge.go): their vacancy, or the participant themself,
	// who leaves (the user's other device takes over). The others keep
	// their connections as they are: the tracks that carried the replaced
	// participant carry the joiner.
	Replaces string
	// Companion joins a second device of a user in the room as a
	// listener: it hears everyone, its own audio is not forwarded, and the
	// roster does not list it.
	Companion bool
	// Send delivers the service's signals to the participant's client. It
	// is called from the service's and pion's goroutines and must not block.
	Send func(Signal)
}

// Signal is what the service tells a participant's client.
type Signal struct {
	CallID    string                   // the call the participant is in now (changes on merge)
	SDP       string                   // an offer from the service, to answer
	Candidate *webrtc.ICECandidateInit // one of the service's ICE candidates
	Roster    []Status                 // the room's participants, when it changed
}

// Status is one participant as the roster shows them.
type Status struct {
	UserID, Name          string
	Speaking, Muted, Held bool
	Camera, Screen        bool // the video it sends (SetVideo)
}

// Join connects a participant: the service makes the offer (Signal.SDP) at
// once and again whenever the room changes; the client answers each with
// Member.Answer. The room is created by its first participant.
func (s *Service) Join(req JoinRequest) (*Member, error) {
	if req.CallID == "" || req.UserID == "" || req.Send == nil {
		return nil, fmt.Errorf("%w: join needs a call, a user and a Send", ErrBadSignal)
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, ErrClosed
	}
	if req.E2EE || s.e2ee[req.CallID] {
		s.e2ee[req.CallID] = true
		s.mu.Unlock()
		s.c.refusedE2EE.Add(1)
		return nil, ErrE2EE
	}
	r := s.rooms[req.CallID]
	if r == nil {
		r = newRoom(s, req.CallID)
		s.rooms[req.CallID] = r
	}
	s.mu.Unlock()

	if n := s.conns.Add(1); s.cfg.ports() > 0 && n > s.cfg.ports() {
		s.conns.Add(-1)
		s.dropIfEmpty(r)
		return nil, ErrPortsExhausted
	}
	m, err := newMember(s, req)
	if err != nil {
		s.conns.Add(-1)
		s.dropIfEmpty(r)
		return nil, err
	}
	var lostVideo []*Member
	if req.Replaces != "" && !req.Companion {
		if old := r.member(req.Replaces); old != nil {
			lostVideo = r.vacate(old) // moved to another device: its place is the joiner's
			old.Leave()
		}
	}
	if err := r.add(m, req.Replaces); err != nil {
		m.closePC()
		s.dropIfEmpty(r)
		return nil, err
	}
	for _, x := range lostVideo {
		x.negotiate()
	}
	return m, nil
}

// dropIfEmpty removes r once its last participant has left: the call ends
// on the service.
func (s *Service) dropIfEmpty(r *room) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r.mu.Lock()
	empty := len(r.members) == 0
	if empty {
		r.ended = true
	}
	r.mu.Unlock()
	if empty && s.rooms[r.id] == r {
		delete(s.rooms, r.id)
	}
}

func (s *Service) room(callID string) (*room, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.e2ee[callID] {
		return nil, ErrE2EE
	}
	r := s.rooms[callID]
	if r == nil {
		return nil, ErrNoSuchRoom
	}
	return r, nil
}

// AddTap adds t to the room of callID. remove stops it; it is safe to call
// more than once.
func (s *Service) AddTap(callID string, t Tap) (remove func(), err error) {
	r, err := s.room(callID)
	if err != nil {
		return nil, err
	}
	return r.addTap(t), nil
}

// Roster returns the participants of callID.
func (s *Service) Roster(callID string) ([]Status, error) {
	r, err := s.room(callID)
	if err != nil {
		return nil, err
	}
	return r.roster(), nil
}

// Hold puts callID on hold by userID (on) or resumes it: while held, the
// holder hears nothing and sends nothing, and the others hear the hold
// music in the holder's place.
func (s *Service) Hold(callID, userID string, on bool) error {
	r, err := s.room(callID)
	if err != nil {
		return err
	}
	return r.hold(userID, on)
}

// Merge joins userID's held call into their active call: the held call's
// other participants move, on their own peer connections, into the active
// call's room (their Signal.CallID says so), and userID's connection to
// the held call closes. The held call ends.
func (s *Service) Merge(userID, heldCallID, activeCallID string) error {
	if heldCallID == activeCallID {
		return fmt.Errorf("%w: merge a call into itself", ErrBadSignal)
	}
	hr, err := s.room(heldCallID)
	if err != nil {
		return err
	}
	ar, err := s.room(activeCallID)
	if err != nil {
		return err
	}
	hm, am := hr.member(userID), ar.member(userID)
	if hm == nil || am == nil {
		return ErrNotParticipant
	}
	if !hm.held.Load() {
		return ErrNotHeld
	}
	hm.Leave()
	for _, x := range hr.detachAll() {
		if err := ar.add(x, ""); err != nil {
			s.log.Warn("sfu: merge: move participant", "user", x.user, "err", err)
			x.Leave()
		}
	}
	s.dropIfEmpty(hr)
	return nil
}

// Close ends every room and stops the service.
func (s *Service) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	rooms := make([]*room, 0, len(s.rooms))
	for _, r := range s.rooms {
		rooms = append(rooms, r)
	}
	s.mu.Unlock()
	close(s.stop)
	<-s.done
	var errs []error
	for _, r := range rooms {
		for _, m := range r.detachAll() {
			errs = append(errs, m.closePC())
		}
		s.dropIfEmpty(r)
	}
	return errors.Join(errs...)
}

// watch pushes a room's roster when someone starts or stops speaking,
// and sends the senders of video their bitrate once a second.
func (s *Service) watch() {
	defer close(s.done)
	t := time.NewTicker(s.cfg.SpeakingWindow / 2)
	defer t.Stop()
	bt := time.NewTicker(rembInterval)
	defer bt.Stop()
	last := time.Now()
	for {
		bitrates := false
		select {
		case <-s.stop:
			return
		case <-t.C:
		case <-bt.C:
			bitrates = true
		}
		s.mu.Lock()
		rooms := make([]*room, 0, len(s.rooms))
		for _, r := range s.rooms {
			rooms = append(rooms, r)
		}
		s.mu.Unlock()
		now := time.Now()
		for _, r := range rooms {
			if bitrates {
				r.sendBitrates(now.Sub(last))
			} else {
				r.updateSpeaking(now)
			}
		}
		if bitrates {
			last = now
		}
	}
}
