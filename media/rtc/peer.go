package rtc

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parley-voip/parley/crypto/fingerprint"
	"github.com/parley-voip/parley/internal/pionlog"
	"github.com/parley-voip/parley/media/rtpcodec"
	"github.com/pion/interceptor"
	"github.com/pion/rtcp"
	"github.com/pion/rtp"
	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"
)

// opusCodec is Opus as client and media service negotiate it.
var opusCodec = rtpcodec.Opus

// receiveBufferSize holds any packet pion accepts (its default receive MTU).
const receiveBufferSize = 1460

// Peer is one side of a one-to-one audio call: a pion PeerConnection with a
// single sendrecv Opus transceiver. Negotiation methods and AddRemoteCandidate
// may be called from any goroutine; ReadFrame has a single reader.
type Peer struct {
	log       *slog.Logger
	pc        *webrtc.PeerConnection
	track     *webrtc.TrackLocalStaticRTP
	dtls      *webrtc.DTLSTransport
	packets   *packetizer
	maxQueued int

	mu          sync.Mutex
	offered     bool // this side made the first offer
	restarting  bool // a later offer of ours (ICE restart, renegotiation) is pending its answer
	dirty       bool // tracks changed since our last offer (renegotiate.go)
	remoteSet   bool
	pending     []Candidate
	localFP     fingerprint.Fingerprint
	remoteFP    fingerprint.Fingerprint
	onCandidate func(Candidate)
	onState     func(State)
	remote      *webrtc.TrackRemote
	deadline    time.Time
	deadlineSet chan struct{} // closed and replaced when the deadline changes

	trackReady chan struct{}
	done       chan struct{}
	closeOnce  sync.Once
	closeErr   error

	stateMu  sync.Mutex                 // serializes handleState
	reported webrtc.PeerConnectionState // the last state handleState reported

	// certOK is set once the certificate the peer presented matched
	// remoteFP; no frame is sent or delivered before.
	certOK atomic.Bool

	restarts atomic.Uint64 // ICE restarts offered or answered

	lossFraction atomic.Uint32 // RFC 3550 fraction lost, /256
	lossReports  atomic.Uint64

	// Owned by the single WriteFrame / SkipFrame caller.
	sendPkt rtp.Packet

	// Owned by the single ReadFrame caller.
	readBuf []byte
	pkt     rtp.Packet

	// A media service peer (service.go).
	service  bool
	sender   *webrtc.RTPSender
	levelID  atomic.Uint32 // negotiated id of the audio level extension; 0: none
	level    atomic.Uint32 // RFC 6464 byte for the next frames
	levelExt [1]rtp.Extension
	levelBuf [1]byte
	frames   chan servicePacket

	// Video (video.go).
	video       bool
	sealedVideo bool
	estimator   *estimatorHolder
	onVideo     func(*RemoteVideo)
	videoTracks []*VideoTrack // AddVideoTrack's, in order (p.mu)
	free        chan []byte
	lastBuf     []byte // the buffer the last Frame.Payload aliases
}

// NewPeer creates the peer connection and its audio transceiver. Gathering
// starts with CreateOffer or AcceptOffer.
func NewPeer(cfg Config) (*Peer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()

	var se webrtc.SettingEngine
	se.SetIncludeLoopbackCandidate(cfg.IncludeLoopback)
	se.LoggerFactory = pionlog.Factory{Log: cfg.Logger}
	se.DisableCertificateFingerprintVerification(false) // pion's default, stated
	if cfg.Net != nil {
		se.SetNet(cfg.Net)
	}
	switch {
	case cfg.RelayOnly:
		se.SetRelayAcceptanceMinWait(0) // nothing better can come
	case cfg.RelayAcceptanceWait > 0:
		se.SetRelayAcceptanceMinWait(cfg.RelayAcceptanceWait)
	}
	if cfg.DisconnectedTimeout > 0 || cfg.FailedTimeout > 0 {
		d, f := cfg.DisconnectedTimeout, cfg.FailedTimeout
		if d == 0 {
			d = pionDisconnectedTimeout
		}
		if f == 0 {
			f = pionFailedTimeout
		}
		se.SetICETimeouts(d, f, iceKeepalive)
	}
	if cfg.tweakSettings != nil {
		cfg.tweakSettings(&se)
	}

	var me webrtc.MediaEngine
	if err := me.RegisterCodec(opusCodec, webrtc.RTPCodecTypeAudio); err != nil {
		return nil, fmt.Errorf("rtc: register opus: %w", err)
	}
	if cfg.Service {
		// The service shows who is speaking from RFC 6464 levels. RTP
		// header extensions are not encrypted by SRTP, so a relay on the
		// path could read them: only the service's connection sends them.
		if err := me.RegisterHeaderExtension(webrtc.RTPHeaderExtensionCapability{URI: sdp.AudioLevelURI}, webrtc.RTPCodecTypeAudio); err != nil {
			return nil, fmt.Errorf("rtc: register audio level: %w", err)
		}
	}
	// Negotiated, never sent: packets of an SSRC the offer does not
	// declare are dropped instead of opening a transceiver of their own.
	if err := rtpcodec.RegisterMid(&me); err != nil {
		return nil, fmt.Errorf("rtc: %w", err)
	}
	// Sender and receiver reports only: NACK retransmission is useless for
	// interactive audio (the frame is concealed before a resend arrives), and
	// receiver reports carry the loss figures bitrate adaptation needs.
	reg := &interceptor.Registry{}
	if err := webrtc.ConfigureRTCPReports(reg); err != nil {
		return nil, fmt.Errorf("rtc: rtcp reports: %w", err)
	}
	est := &estimatorHolder{}
	if cfg.Video || cfg.SealedVideo {
		if err := setUpVideo(cfg, &me, reg, est); err != nil {
			return nil, err
		}
	}
	api := webrtc.NewAPI(webrtc.WithSettingEngine(se), webrtc.WithMediaEngine(&me), webrtc.WithInterceptorRegistry(reg))

	pcfg := webrtc.Configuration{ICEServers: cfg.ICEServers}
	if cfg.RelayOnly {
		pcfg.ICETransportPolicy = webrtc.ICETransportPolicyRelay
	}
	pc, err := api.NewPeerConnection(pcfg)
	if err != nil {
		return nil, fmt.Errorf("rtc: new peer connection: %w", err)
	}
	track, err := webrtc.NewTrackLocalStaticRTP(opusCodec.RTPCodecCapability, "audio", "parley")
	if err != nil {
		return nil, errors.Join(fmt.Errorf("rtc: local track: %w", err), pc.Close())
	}
	tr, err := pc.AddTransceiverFromTrack(track, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendrecv})
	if err != nil {
		return nil, errors.Join(fmt.Errorf("rtc: add transceiver: %w", err), pc.Close())
	}

	p := &Peer{
		log:         cfg.Logger,
		pc:          pc,
		track:       track,
		sender:      tr.Sender(),
		dtls:        tr.Sender().Transport(),
		packets:     newPacketizer(opusCodec.ClockRate),
		maxQueued:   cfg.MaxQueuedCandidates,
		deadlineSet: make(chan struct{}),
		trackReady:  make(chan struct{}),
		done:        make(chan struct{}),
		readBuf:     make([]byte, receiveBufferSize),
		video:       cfg.Video || cfg.SealedVideo,
		sealedVideo: cfg.SealedVideo,
		estimator:   est,
	}
	if cfg.Service {
		p.service = true
		p.frames = make(chan servicePacket, serviceQueue)
		p.free = make(chan []byte, serviceQueue+2)
		for range serviceQueue + 2 {
			p.free <- make([]byte, receiveBufferSize)
		}
	}
	pc.OnICECandidate(p.handleLocalCandidate)
	pc.OnConnectionStateChange(p.handleState)
	pc.OnTrack(p.handleTrack)
	go p.readRTCP(tr.Sender())
	return p, nil
}

// readRTCP reads the sender's incoming RTCP, so the report interceptors see
// it, and keeps the loss the far end reports receiving our stream with; it
// ends when the peer connection closes.
func (p *Peer) readRTCP(s *webrtc.RTPSender) {
	for {
		pkts, _, err := s.ReadRTCP()
		if err != nil {
			return
		}
		for _, pkt := range pkts {
			var reports []rtcp.ReceptionReport
			switch r := pkt.(type) {
			case *rtcp.ReceiverReport:
				reports = r.Reports
			case *rtcp.SenderReport:
				reports = r.Reports
			}
			for _, rr := range reports {
				p.lossFraction.Store(uint32(rr.FractionLost))
				p.lossReports.Add(1)
			}
		}
	}
}

// RemoteLoss is the fraction (0..1) of our packets the far end reported
// lost in its latest RTCP receiver report (RFC 3550 section 6.4.1, over the
// report's interval), and how many reports have arrived: a caller polls it
// and acts when the count changes.
func (p *Peer) RemoteLoss() (fraction float64, reports uint64) {
	return float64(p.lossFraction.Load()) / 256, p.lossReports.Load()
}

// OnLocalCandidate sets the function that receives each gathered local
// candidate for trickling to the remote side. Set it before CreateOffer or
// AcceptOffer; pion's end-of-gathering signal is not forwarded.
func (p *Peer) OnLocalCandidate(f func(Candidate)) {
	p.mu.Lock()
	p.onCandidate = f
	p.mu.Unlock()
}

// OnStateChange sets the function told about connection state changes. It is
// called from pion's goroutine and must not block.
func (p *Peer) OnStateChange(f func(State)) {
	p.mu.Lock()
	p.onState = f
	p.mu.Unlock()
}

func (p *Peer) handleLocalCandidate(c *webrtc.ICECandidate) {
	if c == nil {
		return
	}
	p.mu.Lock()
	f := p.onCandidate
	p.mu.Unlock()
	if f != nil {
		f(candidateFromPion(c.ToJSON()))
	}
}

// handleState reports the connection's state to OnStateChange's function.
// pion calls it on a new goroutine for each change, so two calls may run in
// either order (a Connecting after the Connected that followed it, a
// Disconnected after the recovery): it reports the state the connection
// is in now, not the one it was called with, and nothing when that is
// the state it reported last.
func (p *Peer) handleState(webrtc.PeerConnectionState) {
	p.stateMu.Lock()
	defer p.stateMu.Unlock()
	s := p.pc.ConnectionState()
	if s == p.reported {
		return
	}
	p.reported = s
	p.log.Debug("rtc: connection state", "state", s.String())
	state := stateFromPion(s)
	if state == StateConnected {
		if err := p.VerifyRemoteCertificate(p.RemoteFingerprint()); err != nil {
			p.log.Warn("rtc: dtls peer refused", "err", err)
			state = StateFailed
			go p.Close() // not from pion's callback, which Close waits for
		} else {
			p.certOK.Store(true)
		}
	}
	p.mu.Lock()
	f := p.onState
	p.mu.Unlock()
	if f != nil {
		f(state)
	}
}

// VerifyRemoteCertificate checks that the certificate the peer presented in
// the DTLS handshake hashes to want (under want's hash function). The Peer
// runs it itself against RemoteFingerprint, the value the E2EE transcript
// binds, when the connection comes up: until it has passed, WriteFrame
// discards frames and ReadFrame drops packets, and if it fails the Peer
// reports StateFailed and closes. This holds whatever pion's own check did.
func (p *Peer) VerifyRemoteCertificate(want fingerprint.Fingerprint) error {
	der := p.dtls.GetRemoteCertificate()
	if len(der) == 0 {
		return ErrNoRemoteCertificate
	}
	if !want.Matches(der) {
		got := fingerprint.FromCertificate(fingerprint.SHA256, der)
		return fmt.Errorf("%w: presented %s, expected %s", ErrCertificateMismatch, got, want)
	}
	return nil
}

func (p *Peer) handleTrack(t *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
	if t.Kind() == webrtc.RTPCodecTypeVideo && p.video {
		p.handleVideo(t)
		return
	}
	if t.Kind() != webrtc.RTPCodecTypeAudio {
		return
	}
	if p.service {
		go p.readServiceTrack(t)
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.remote != nil {
		return
	}
	p.remote = t
	if !p.deadline.IsZero() {
		_ = t.SetReadDeadline(p.deadline)
	}
	close(p.trackReady)
}

// LocalFingerprint is the DTLS certificate fingerprint of this side, from the
// local description; zero before CreateOffer/AcceptOffer.
func (p *Peer) LocalFingerprint() fingerprint.Fingerprint {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.localFP
}

// RemoteFingerprint is the fingerprint the remote description committed to;
// zero before the remote description. The certificate the peer presents
// must match it (VerifyRemoteCertificate) before any media flows.
func (p *Peer) RemoteFingerprint() fingerprint.Fingerprint {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.remoteFP
}

// Close ends the call's transport and releases pion's goroutines. It is safe
// to call more than once; a blocked ReadFrame returns ErrClosed.
func (p *Peer) Close() error {
	p.closeOnce.Do(func() {
		close(p.done)
		if err := p.pc.GracefulClose(); err != nil {
			p.closeErr = fmt.Errorf("rtc: close: %w", err)
		}
	})
	return p.closeErr
}

func (p *Peer) closed() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}
