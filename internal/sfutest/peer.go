// Package sfutest is the test client of the media service: a pion peer
// connection that joins a call, sends a test voice as Opus (and, asked
// to, VP8-shaped video or the test's own video tracks), answers the
// service's offers, and decodes every track it receives, so a test can
// say with normalized cross-correlation who hears whom and check byte for
// byte who sees whom; or it hands the video tracks to the test
// (media/video's service tests decode real VP8 with libvpx). The
// service's own tests (package sfu), the captions tests, the server's
// call tests and media/video's use it; each connects a Peer to the
// service its own way (Deliver, Attach).
// It lives outside server/ because it links the Opus codec (cgo), which
// the server must not, and it does not import server/sfu so that the
// service's in-package tests can use it.
package sfutest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/opus"
	"github.com/parley-voip/parley/media/quality"
	"github.com/parley-voip/parley/media/rtpcodec"
	"github.com/pion/interceptor"
	"github.com/pion/webrtc/v4"
	"github.com/pion/webrtc/v4/pkg/media"
)

// Option changes what a Peer sends.
type Option func(*options)

type options struct {
	silent  bool
	raw     *webrtc.TrackLocalStaticRTP
	voice   Voice
	video   []string
	tracks  []*outgoingVideo
	onVideo func(*webrtc.TrackRemote)
	stall   <-chan struct{}
}

// Silent: the peer sends no audio (SendOpus may still send some).
func Silent() Option { return func(o *options) { o.silent = true } }

// Raw makes track the peer's sending track instead of its voice: the test
// writes what it likes on it. It implies Silent.
func Raw(track *webrtc.TrackLocalStaticRTP) Option {
	return func(o *options) { o.raw, o.silent = track, true }
}

// Speaking sends who's voice instead of the peer's own.
func Speaking(who string) Option { return func(o *options) { o.voice = Voices[who] } }

// WithVideo makes the peer send video tracks of these ids (e.g.
// signaling.VideoTrackCamera) once the service offers a receive-only
// video section for each (VideoSender).
func WithVideo(ids ...string) Option { return func(o *options) { o.video = append(o.video, ids...) } }

// SendingVideo makes the peer send track, which the test writes (real
// VP8, say), on the next receive-only video section the service offers
// (the first offer after the client turned that kind on with
// media-video: docs/server-api.md), as the app does; attached then gets
// the track's sender, whose RTCP (PLI, REMB, NACK) the test reads.
func SendingVideo(track webrtc.TrackLocal, attached func(*webrtc.RTPSender)) Option {
	return func(o *options) { o.tracks = append(o.tracks, &outgoingVideo{track: track, attached: attached}) }
}

// OnVideo hands every video track the service sends the peer to f (on
// pion's OnTrack goroutine) instead of the peer's own check of
// VP8-shaped test frames (VideoFrom, ExpectSees): f reads it.
func OnVideo(f func(*webrtc.TrackRemote)) Option { return func(o *options) { o.onVideo = f } }

// StalledStart holds the peer's pion operations queue until release is
// closed (or the peer closes): the peer answers offers at once, but its
// ICE and DTLS transports start only then, as on a loaded machine where
// the queue's goroutine waits for a CPU while the peer goes on handling
// signals. It blocks the negotiation-needed event adding the peer's track
// fires on that queue; NewPeer returns once it is held.
func StalledStart(release <-chan struct{}) Option { return func(o *options) { o.stall = release } }

// Signal is what the service sends a client, as far as its media goes: an
// offer or a candidate, for a call.
type Signal struct {
	CallID    string
	SDP       string
	Candidate *webrtc.ICECandidateInit
}

// Remote is the service's end of the connection: where the peer's
// answers and candidates go. An Answer error that only says the
// connection was closed on purpose should be reported as nil.
type Remote interface {
	Answer(sdp string) error
	AddCandidate(webrtc.ICECandidateInit) error
}

// Peer is one client's media: its peer connection to the service.
type Peer struct {
	T    testing.TB
	Name string
	PC   *webrtc.PeerConnection

	ctx    context.Context
	cancel context.CancelFunc
	sample *webrtc.TrackLocalStaticSample

	sent     atomic.Int64           // voice frames written
	sendErrs atomic.Int64           // voice frames whose write failed
	lastErr  atomic.Pointer[string] // the last write error, for the failure report
	sigs     chan Signal
	ready    chan struct{} // closed by Attach
	remote   Remote
	onVideo  func(*webrtc.TrackRemote)

	mu      sync.Mutex
	tracks  map[string]*Recording      // by source (the track's stream id without "parley-")
	video   map[string]*VideoRecording // by "source/track id"
	videos  []*VideoSender
	out     []*outgoingVideo // video tracks to attach, in order
	offers  int
	callID  string
	changed chan struct{} // closed and replaced on every change
}

// Recording is what a Peer decoded from one source.
type Recording struct {
	mu     sync.Mutex
	pcm    []int16
	tracks int // how many tracks from this source arrived
}

// Samples returns a copy of what was decoded.
func (r *Recording) Samples() []int16 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]int16(nil), r.pcm...)
}

// Len is how many samples were decoded.
func (r *Recording) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.pcm)
}

// Tracks is how many tracks from this source arrived.
func (r *Recording) Tracks() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tracks
}

// API is a pion API as the clients have it: Opus and VP8, the mid header
// extension (rtpcodec.RegisterMid), RTCP reports,
// NACK, transport-wide congestion control, loopback UDP candidates. SRTP
// replay protection is off: a test asks the service to resend a packet it
// got, to see the resend.
func API(t testing.TB) *webrtc.API {
	var me webrtc.MediaEngine
	if err := me.RegisterCodec(Opus, webrtc.RTPCodecTypeAudio); err != nil {
		t.Fatal(err)
	}
	if err := me.RegisterCodec(VP8, webrtc.RTPCodecTypeVideo); err != nil {
		t.Fatal(err)
	}
	if err := rtpcodec.RegisterMid(&me); err != nil {
		t.Fatal(err)
	}
	reg := &interceptor.Registry{}
	if err := webrtc.ConfigureRTCPReports(reg); err != nil {
		t.Fatal(err)
	}
	if err := webrtc.ConfigureNack(&me, reg); err != nil {
		t.Fatal(err)
	}
	if err := webrtc.ConfigureTWCCHeaderExtensionSender(&me, reg); err != nil {
		t.Fatal(err)
	}
	var se webrtc.SettingEngine
	se.SetIncludeLoopbackCandidate(true)
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	se.DisableSRTPReplayProtection(true)
	return webrtc.NewAPI(webrtc.WithMediaEngine(&me), webrtc.WithInterceptorRegistry(reg), webrtc.WithSettingEngine(se))
}

// NewPeer makes name's peer connection. It starts speaking at once (its
// track sends once connected); it answers the offers given to Deliver and
// sends its candidates once Attach has named the service's end. The
// test's cleanup closes it.
func NewPeer(t testing.TB, name string, opts ...Option) *Peer {
	var o options
	for _, f := range opts {
		f(&o)
	}
	pc, err := API(t).NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &Peer{T: t, Name: name, PC: pc, ctx: ctx, cancel: cancel, sigs: make(chan Signal, 1024), ready: make(chan struct{}),
		tracks: make(map[string]*Recording), video: make(map[string]*VideoRecording), changed: make(chan struct{}),
		onVideo: o.onVideo, out: o.tracks}
	p.sample, err = webrtc.NewTrackLocalStaticSample(Opus.RTPCodecCapability, "audio", "client-"+name)
	if err != nil {
		t.Fatal(err)
	}
	var sending webrtc.TrackLocal = p.sample
	if o.raw != nil {
		sending = o.raw
	}
	stalled := make(chan struct{})
	if o.stall != nil {
		var once sync.Once
		pc.OnNegotiationNeeded(func() {
			once.Do(func() { close(stalled) })
			select {
			case <-o.stall:
			case <-ctx.Done():
			}
		})
	}
	if _, err := pc.AddTrack(sending); err != nil {
		t.Fatal(err)
	}
	if o.stall != nil {
		// The queue must be held before the first offer comes, or the
		// transports it starts would not wait.
		select {
		case <-stalled:
		case <-time.After(10 * time.Second):
			cancel()
			t.Fatalf("%s: the operations queue did not stall", name)
		}
	}
	pc.OnICECandidate(func(cand *webrtc.ICECandidate) {
		if cand == nil {
			return
		}
		select {
		case <-p.ready:
		case <-ctx.Done():
			return
		}
		_ = p.remote.AddCandidate(cand.ToJSON())
	})
	pc.OnTrack(p.receive)
	pc.OnConnectionStateChange(func(webrtc.PeerConnectionState) { p.Changed() })
	t.Cleanup(p.Close)
	go p.run()
	if !o.silent {
		v := o.voice
		if v == (Voice{}) {
			v = Voices[name]
		}
		go p.speak(v)
	}
	for _, id := range o.video {
		go p.addVideo(id).send(ctx)
	}
	return p
}

// Close stops the peer's sending and closes its connection (a client
// that quit). The test's cleanup does it too.
func (p *Peer) Close() {
	p.cancel()
	_ = p.PC.Close()
}

// Attach names the service's end of the connection: the peer answers
// offers and sends candidates from now on. Call it once.
func (p *Peer) Attach(r Remote) {
	p.remote = r
	close(p.ready)
}

// Deliver queues what the service sent the peer; it handles signals in
// order, on its own goroutine. It does not block.
func (p *Peer) Deliver(s Signal) {
	select {
	case p.sigs <- s:
	default:
		p.T.Errorf("%s: signal queue full", p.Name)
	}
}

func (p *Peer) run() {
	select {
	case <-p.ready:
	case <-p.ctx.Done():
		return
	}
	for {
		var s Signal
		select {
		case <-p.ctx.Done():
			return
		case s = <-p.sigs:
		}
		p.mu.Lock()
		p.callID = s.CallID
		p.mu.Unlock()
		switch {
		case s.SDP != "":
			err := p.answer(s.SDP)
			// An offer racing the test's end meets a connection being closed.
			if err != nil && p.ctx.Err() == nil && p.PC.SignalingState() != webrtc.SignalingStateClosed {
				p.T.Errorf("%s: answering the service's offer: %v", p.Name, err)
			}
		case s.Candidate != nil:
			_ = p.PC.AddICECandidate(*s.Candidate)
		}
	}
}

// answer applies the service's offer, puts the peer's video on the free
// receive-only video sections (as the app does) and sends the answer.
func (p *Peer) answer(offer string) error {
	p.mu.Lock()
	p.offers++
	p.notifyLocked()
	p.mu.Unlock()
	if err := p.PC.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: offer}); err != nil {
		return err
	}
	p.attachVideo()
	answer, err := p.PC.CreateAnswer(nil)
	if err == nil {
		err = p.PC.SetLocalDescription(answer)
	}
	if err == nil {
		err = p.remote.Answer(answer.SDP)
	}
	return err
}

// CallID is the call of the last signal the peer handled.
func (p *Peer) CallID() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.callID
}

// Offers is how many offers the peer has handled (renegotiations count).
func (p *Peer) Offers() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.offers
}

// Changed wakes a WaitFor (e.g. after a roster arrived).
func (p *Peer) Changed() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.notifyLocked()
}

func (p *Peer) notifyLocked() {
	close(p.changed)
	p.changed = make(chan struct{})
}

// speak sends v as 20 ms Opus frames, paced by the clock.
func (p *Peer) speak(v Voice) {
	enc, err := opus.NewEncoder(opus.DefaultEncoderConfig())
	if err != nil {
		p.T.Error(err)
		return
	}
	defer enc.Close()
	pcm := make([]int16, FrameSamples)
	buf := make([]byte, 1275)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for n := 0; ; n += FrameSamples {
		for i := range pcm {
			pcm[i] = v.Sample(n + i)
		}
		k, err := enc.Encode(pcm, buf)
		if err != nil {
			p.T.Error(err)
			return
		}
		// A failed write loses one frame, not the voice: the next frame
		// is written on time (a real microphone goes on too). What failed
		// is in the failure report.
		if err := p.sample.WriteSample(media.Sample{Data: buf[:k], Duration: 20 * time.Millisecond}); err != nil {
			p.sendErrs.Add(1)
			msg := err.Error()
			p.lastErr.Store(&msg)
		} else {
			p.sent.Add(1)
		}
		select {
		case <-p.ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// SendOpus sends Opus packets of 20 ms each on the peer's audio track,
// one per 20 ms, paced by the clock as a microphone would (for a Silent
// peer with something particular to say).
func (p *Peer) SendOpus(pkts [][]byte) {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for _, b := range pkts {
		if err := p.sample.WriteSample(media.Sample{Data: b, Duration: 20 * time.Millisecond}); err != nil {
			p.T.Errorf("%s: send: %v", p.Name, err)
			return
		}
		<-tick.C
	}
}

// receive decodes one track into the recording of its source.
func (p *Peer) receive(tr *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
	if tr.Kind() == webrtc.RTPCodecTypeVideo {
		if p.onVideo != nil {
			p.onVideo(tr)
		} else {
			p.receiveVideo(tr)
		}
		return
	}
	src := strings.TrimPrefix(tr.StreamID(), "parley-")
	p.mu.Lock()
	rec := p.tracks[src]
	if rec == nil {
		rec = &Recording{}
		p.tracks[src] = rec
	}
	rec.mu.Lock()
	rec.tracks++
	rec.mu.Unlock()
	p.notifyLocked()
	p.mu.Unlock()
	dec, err := opus.NewDecoder(Rate, 1)
	if err != nil {
		p.T.Error(err)
		return
	}
	defer dec.Close()
	pcm := make([]int16, 5760)
	for {
		pkt, _, err := tr.ReadRTP()
		if err != nil {
			return
		}
		n, err := dec.Decode(pkt.Payload, pcm)
		if err != nil {
			continue
		}
		rec.mu.Lock()
		rec.pcm = append(rec.pcm, pcm[:n]...)
		rec.mu.Unlock()
	}
}

// Recording is what arrived from src so far, or nil.
func (p *Peer) Recording(src string) *Recording {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.tracks[src]
}

// WaitFor waits until cond, checked on every change and every 100 ms,
// failing the test when ctx ends first.
func (p *Peer) WaitFor(ctx context.Context, what string, cond func() bool) {
	p.T.Helper()
	for {
		p.mu.Lock()
		ch := p.changed
		p.mu.Unlock()
		if cond() {
			return
		}
		select {
		case <-ctx.Done():
			p.Report()
			p.T.Fatalf("%s: timed out waiting for %s", p.Name, what)
		case <-ch:
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Report logs what the peer knows of its connection, for a wait that
// timed out or a test that failed: which event never came (an offer not
// answered, a track not signaled, no packet on a signaled one, the voice
// not sent).
func (p *Peer) Report() {
	p.T.Logf("%s: connection %s, ICE %s, signaling %s; %d offers answered; voice frames sent %d, failed %d",
		p.Name, p.PC.ConnectionState(), p.PC.ICEConnectionState(), p.PC.SignalingState(), p.Offers(), p.sent.Load(), p.sendErrs.Load())
	if e := p.lastErr.Load(); e != nil {
		p.T.Logf("%s: last voice write error: %s", p.Name, *e)
	}
	for _, tr := range p.PC.GetTransceivers() {
		recv := "no track"
		if r := tr.Receiver(); r != nil {
			if t := r.Track(); t != nil {
				recv = fmt.Sprintf("track %s/%s ssrc %d", t.StreamID(), t.ID(), t.SSRC())
			}
		}
		p.T.Logf("%s:   mid %s %s %s, sender %v, %s", p.Name, tr.Mid(), tr.Kind(), tr.Direction(), tr.Sender() != nil, recv)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for src, rec := range p.tracks {
		p.T.Logf("%s:   audio from %s: %d tracks, %d samples", p.Name, src, rec.Tracks(), rec.Len())
	}
	for key, rec := range p.video {
		p.T.Logf("%s:   video %s: %d frames", p.Name, key, rec.Frames())
	}
}

// WaitConnected waits until the peer's connection to the service is up.
func (p *Peer) WaitConnected(ctx context.Context) {
	p.T.Helper()
	p.WaitFor(ctx, "the connection to the service", func() bool {
		return p.PC.ConnectionState() == webrtc.PeerConnectionStateConnected
	})
}

// Hears waits for samples more audio on track and returns the NCC of its
// last second against want, at whichever position in want it matches
// best: want may be longer than the window (two periods of a voice, the
// whole hold music), and what arrived may start anywhere in it.
func (p *Peer) Hears(ctx context.Context, track string, want []int16, samples int) float64 {
	p.T.Helper()
	var rec *Recording
	p.WaitFor(ctx, "a track from "+track, func() bool { rec = p.Recording(track); return rec != nil })
	start := rec.Len()
	p.WaitFor(ctx, "audio from "+track, func() bool { return rec.Len() >= start+samples })
	got := rec.Samples()
	got = got[len(got)-Rate:]
	score, _ := quality.NCC(got, want, len(want))
	return score
}

// Heard is the NCC of the next 1.5 s on track against who's voice.
func (p *Peer) Heard(ctx context.Context, track, who string) float64 {
	p.T.Helper()
	return p.Hears(ctx, track, Voices[who].Reference(), 3*Rate/2)
}

// ExpectHears checks that p hears who's voice on track (the track is
// named for its first occupant: call control keeps tracks and changes who
// is on them).
func (p *Peer) ExpectHears(ctx context.Context, track, who string) {
	p.T.Helper()
	score := p.Heard(ctx, track, who)
	p.T.Logf("%s hears %s on track %s: NCC %.3f", p.Name, who, track, score)
	if score < NCCThreshold {
		p.T.Errorf("%s hears %s on track %s with NCC %.3f < %.2f", p.Name, who, track, score, NCCThreshold)
	}
}

// ExpectNotHears checks that what p gets on track now (music, silence,
// someone else) is not who's voice.
func (p *Peer) ExpectNotHears(ctx context.Context, track, who string) {
	p.T.Helper()
	score := p.Heard(ctx, track, who)
	p.T.Logf("%s on track %s, against %s: NCC %.3f", p.Name, track, who, score)
	if score >= NCCThreshold {
		p.T.Errorf("%s hears %s on track %s (NCC %.3f), who should not be there", p.Name, who, track, score)
	}
}
