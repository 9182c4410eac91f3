package sfu

import (
	"context"
	"errors"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/opus"
	"github.com/parley-voip/parley/media/quality"
	"github.com/pion/interceptor"
	"github.com/pion/webrtc/v4"
	"github.com/pion/webrtc/v4/pkg/media"
)

// Test timing: generous deadlines (the machine is shared), never tight.
const (
	testTimeout  = 60 * time.Second
	rate         = 48000
	frameSamples = 960
	period       = rate // each test voice repeats every second
	nccThreshold = 0.8
)

// voice is a participant's test signal: a linear sweep over its own band,
// repeated every second, so a received track can be told apart from the
// others and its delay found by cross-correlation.
type voice struct{ from, to float64 }

var voices = map[string]voice{
	"alice": {300, 1300},
	"bob":   {1500, 2500},
	"carol": {2700, 3700},
	"dave":  {600, 2000},
}

func (v voice) sample(n int) int16 {
	t := float64(n%period) / rate
	k := (v.to - v.from) // Hz per second over a 1 s period
	return int16(8000 * math.Sin(2*math.Pi*(v.from*t+k*t*t/2)))
}

// reference is two periods of v, for NCC against a received second.
func (v voice) reference() []int16 {
	out := make([]int16, 2*period)
	for i := range out {
		out[i] = v.sample(i)
	}
	return out
}

type clientOptions struct {
	silent bool // send nothing
	// raw, when set, is the client's sending track instead of its voice:
	// the test writes what it likes.
	raw *webrtc.TrackLocalStaticRTP
	// video are the ids of the video tracks the client sends once the
	// service offers it a place (c.m.SetVideo), as videoSenders.
	video []string
	// voice, when set, is sent instead of the user's own.
	voice string
	// replaces and companion go into the JoinRequest.
	replaces  string
	companion bool
}

func replacing(user string) func(*clientOptions) {
	return func(o *clientOptions) { o.replaces = user }
}

func speaking(voice string) func(*clientOptions) {
	return func(o *clientOptions) { o.voice = voice }
}

// withVideo makes the client send video tracks of these ids.
func withVideo(ids ...string) func(*clientOptions) {
	return func(o *clientOptions) { o.video = ids }
}

// client is a participant's app in miniature: one pion peer connection to
// the service that answers its offers, sends its voice as Opus, and
// decodes every received track into its own recording.
type client struct {
	t     *testing.T
	user  string
	pc    *webrtc.PeerConnection
	m     *Member
	sigs  chan Signal
	ready chan struct{}

	mu      sync.Mutex
	tracks  map[string]*recording      // by source user id
	video   map[string]*videoRecording // by "source/track id"
	videos  []*videoSender
	roster  []Status
	callID  string
	offers  int // the service's offers received
	changed chan struct{} // closed and replaced on every roster or track change
}

type recording struct {
	mu     sync.Mutex
	pcm    []int16
	tracks int // how many tracks from this source arrived
}

func (r *recording) samples() []int16 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]int16(nil), r.pcm...)
}

func (r *recording) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.pcm)
}

func newTestService(t *testing.T, cfg Config) *Service {
	t.Helper()
	cfg.IncludeLoopback = true
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func clientAPI(t testing.TB) *webrtc.API {
	var me webrtc.MediaEngine
	if err := me.RegisterCodec(opusCodec, webrtc.RTPCodecTypeAudio); err != nil {
		t.Fatal(err)
	}
	if err := me.RegisterCodec(vp8Codec, webrtc.RTPCodecTypeVideo); err != nil {
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
	// Keep a packet that comes twice (SRTP would drop it as a replay): a
	// test asks the service to resend one it got, to see the resend.
	se.DisableSRTPReplayProtection(true)
	return webrtc.NewAPI(webrtc.WithMediaEngine(&me), webrtc.WithInterceptorRegistry(reg), webrtc.WithSettingEngine(se))
}

// join connects a new client for user to callID on s.
func join(t *testing.T, s *Service, callID, user string, opts ...func(*clientOptions)) *client {
	t.Helper()
	c := newClient(t, user, opts...)
	var o clientOptions
	for _, f := range opts {
		f(&o)
	}
	m, err := s.Join(JoinRequest{CallID: callID, UserID: user, Name: strings.ToUpper(user[:1]) + user[1:], Send: c.signal,
		Replaces: o.replaces, Companion: o.companion})
	if err != nil {
		t.Fatalf("join %s: %v", user, err)
	}
	c.m = m
	close(c.ready)
	return c
}

func newClient(t *testing.T, user string, opts ...func(*clientOptions)) *client {
	var o clientOptions
	for _, f := range opts {
		f(&o)
	}
	pc, err := clientAPI(t).NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	c := &client{t: t, user: user, pc: pc, sigs: make(chan Signal, 1024), ready: make(chan struct{}),
		tracks: make(map[string]*recording), video: make(map[string]*videoRecording), changed: make(chan struct{})}
	track, err := webrtc.NewTrackLocalStaticSample(opusCodec.RTPCodecCapability, "audio", "client-"+user)
	if err != nil {
		t.Fatal(err)
	}
	var sending webrtc.TrackLocal = track
	if o.raw != nil {
		sending, o.silent = o.raw, true
	}
	if _, err := pc.AddTrack(sending); err != nil {
		t.Fatal(err)
	}
	pc.OnICECandidate(func(cand *webrtc.ICECandidate) {
		if cand == nil {
			return
		}
		<-c.ready
		_ = c.m.AddCandidate(cand.ToJSON())
	})
	pc.OnTrack(c.receive)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() {
		cancel()
		_ = pc.Close()
	})
	go c.handleSignals(ctx)
	if !o.silent {
		v := voices[user]
		if o.voice != "" {
			v = voices[o.voice]
		}
		go c.speak(ctx, track, v)
	}
	for _, id := range o.video {
		go c.addVideo(id).send(ctx)
	}
	return c
}

func (c *client) signal(s Signal) {
	select {
	case c.sigs <- s:
	default:
		c.t.Errorf("%s: signal queue full", c.user)
	}
}

func (c *client) handleSignals(ctx context.Context) {
	select {
	case <-c.ready:
	case <-ctx.Done():
		return
	}
	for {
		var s Signal
		select {
		case <-ctx.Done():
			return
		case s = <-c.sigs:
		}
		c.mu.Lock()
		c.callID = s.CallID
		if s.SDP != "" {
			c.offers++
		}
		c.mu.Unlock()
		switch {
		case s.SDP != "":
			if err := c.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: s.SDP}); err != nil {
				c.t.Errorf("%s: offer: %v", c.user, err)
				continue
			}
			c.attachVideo()
			answer, err := c.pc.CreateAnswer(nil)
			if err == nil {
				err = c.pc.SetLocalDescription(answer)
			}
			if err == nil {
				err = c.m.Answer(answer.SDP)
			}
			if err != nil && ctx.Err() == nil && !c.m.left() && !errors.Is(err, ErrClosed) {
				c.t.Errorf("%s: answer: %v", c.user, err)
			}
		case s.Candidate != nil:
			_ = c.pc.AddICECandidate(*s.Candidate)
		case s.Roster != nil:
			c.mu.Lock()
			c.roster = s.Roster
			c.notifyLocked()
			c.mu.Unlock()
		}
	}
}

func (c *client) notifyLocked() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// speak sends v as 20 ms Opus frames, paced by the clock.
func (c *client) speak(ctx context.Context, track *webrtc.TrackLocalStaticSample, v voice) {
	enc, err := opus.NewEncoder(opus.DefaultEncoderConfig())
	if err != nil {
		c.t.Error(err)
		return
	}
	defer enc.Close()
	pcm := make([]int16, frameSamples)
	buf := make([]byte, 1275)
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for n := 0; ; n += frameSamples {
		for i := range pcm {
			pcm[i] = v.sample(n + i)
		}
		k, err := enc.Encode(pcm, buf)
		if err != nil {
			c.t.Error(err)
			return
		}
		if err := track.WriteSample(media.Sample{Data: buf[:k], Duration: 20 * time.Millisecond}); err != nil {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// receive decodes one track from the service into the recording of its
// source (named by the track's stream id).
func (c *client) receive(tr *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
	if tr.Kind() == webrtc.RTPCodecTypeVideo {
		c.receiveVideo(tr)
		return
	}
	src := strings.TrimPrefix(tr.StreamID(), "parley-")
	c.mu.Lock()
	rec := c.tracks[src]
	if rec == nil {
		rec = &recording{}
		c.tracks[src] = rec
	}
	rec.mu.Lock()
	rec.tracks++
	rec.mu.Unlock()
	c.notifyLocked()
	c.mu.Unlock()
	dec, err := opus.NewDecoder(rate, 1)
	if err != nil {
		c.t.Error(err)
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

func (c *client) recording(src string) *recording {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tracks[src]
}

// waitFor waits until cond (checked on every change and every 100 ms).
func (c *client) waitFor(ctx context.Context, what string, cond func() bool) {
	c.t.Helper()
	for {
		c.mu.Lock()
		ch := c.changed
		c.mu.Unlock()
		if cond() {
			return
		}
		select {
		case <-ctx.Done():
			c.t.Fatalf("%s: timed out waiting for %s", c.user, what)
		case <-ch:
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// hears waits for samples more audio from src and returns the NCC of the
// last second against want.
func (c *client) hears(ctx context.Context, src string, want []int16, samples int) float64 {
	c.t.Helper()
	var rec *recording
	c.waitFor(ctx, "a track from "+src, func() bool { rec = c.recording(src); return rec != nil })
	start := rec.len()
	c.waitFor(ctx, "audio from "+src, func() bool { return rec.len() >= start+samples })
	got := rec.samples()
	got = got[len(got)-rate:]
	// The second may match anywhere in want (two periods of a voice, the
	// whole hold music, which is longer than a second).
	score, _ := quality.NCC(got, want, len(want))
	return score
}

func (c *client) expectHears(ctx context.Context, src string) {
	c.t.Helper()
	score := c.hears(ctx, src, voices[src].reference(), 3*rate/2)
	c.t.Logf("%s hears %s: NCC %.3f", c.user, src, score)
	if score < nccThreshold {
		c.t.Errorf("%s hears %s with NCC %.3f < %.2f", c.user, src, score, nccThreshold)
	}
}

func (c *client) rosterOf(user string) (Status, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, s := range c.roster {
		if s.UserID == user {
			return s, true
		}
	}
	return Status{}, false
}

func (c *client) currentCall() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.callID
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	t.Cleanup(cancel)
	return ctx
}

func containsAll(s string, subs ...string) bool {
	for _, x := range subs {
		if !strings.Contains(s, x) {
			return false
		}
	}
	return true
}

// portIn reports whether the candidate line's port is in lo..hi.
func portIn(cand string, lo, hi int) bool {
	f := strings.Fields(cand)
	if len(f) < 6 {
		return false
	}
	var p int
	for _, ch := range f[5] {
		p = p*10 + int(ch-'0')
	}
	return p >= lo && p <= hi
}

func (c *client) offerCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.offers
}
