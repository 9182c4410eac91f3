// Package sfutest is the test fixture of the media service's clients: a
// pion peer connection that sends a test voice as Opus, answers the
// service's offers, and decodes every audio track it receives, so a test
// can say with normalized cross-correlation who hears whom; with
// Options.Video it also takes video, putting its own tracks on the
// service's receive-only sections and handing the others' to the test
// (media/video's service tests decode them with libvpx). The service's own
// tests (package sfu), the server's call tests and media/video's use it.
// It lives outside server/ because it links the Opus codec (cgo), which
// the server must not.
package sfutest

import (
	"context"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/opus"
	"github.com/parley-voip/parley/media/quality"
	"github.com/parley-voip/parley/media/rtpcodec"
	"github.com/pion/interceptor"
	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"
	"github.com/pion/webrtc/v4/pkg/media"
)

// Test audio: 48 kHz, 20 ms frames; each voice repeats every second.
const (
	Rate         = 48000
	FrameSamples = 960
	Period       = Rate
	// NCCThreshold is the score above which a track carries a voice.
	NCCThreshold = 0.8
)

// Opus is the codec as the app and the service negotiate it.
var Opus = rtpcodec.Opus

// Voice is a test signal: a linear sweep over its own band, repeated
// every second, so a received track can be told apart from the others.
type Voice struct{ From, To float64 }

// Voices are the test users' voices, by user id.
var Voices = map[string]Voice{
	"alice": {300, 1300},
	"bob":   {1500, 2500},
	"carol": {2700, 3700},
	"dave":  {600, 2000},
}

// Sample is the voice's n-th sample.
func (v Voice) Sample(n int) int16 {
	t := float64(n%Period) / Rate
	k := v.To - v.From // Hz per second over a 1 s period
	return int16(8000 * math.Sin(2*math.Pi*(v.From*t+k*t*t/2)))
}

// Reference is two periods of v, for NCC against a received second.
func (v Voice) Reference() []int16 {
	out := make([]int16, 2*Period)
	for i := range out {
		out[i] = v.Sample(i)
	}
	return out
}

// Options change what a Peer sends.
type Options struct {
	Silent bool // send nothing
	// Raw, when set, is the sending track instead of the voice: the test
	// writes what it likes (Silent is implied).
	Raw *webrtc.TrackLocalStaticRTP
	// Voice is sent; the zero value means Voices[name].
	Voice Voice
	// Video makes the peer take video as the app's media service peer
	// does: VP8 with NACK (pion's generator and responder), PLI, FIR, REMB
	// and the transport-cc header extension. Every video track that
	// arrives goes to OnVideo (nil: it is not read), never to the Opus
	// decoder; SendVideo puts the peer's own on the service's sections.
	Video   bool
	OnVideo func(*webrtc.TrackRemote)
}

// Peer is one client's media: its peer connection to the service.
type Peer struct {
	T    testing.TB
	Name string
	PC   *webrtc.PeerConnection

	onVideo func(*webrtc.TrackRemote)

	mu      sync.Mutex
	tracks  map[string]*Recording // by source (the track's stream id without "parley-")
	offers  int
	changed chan struct{} // closed and replaced on every change
	pending []pendingVideo
}

// pendingVideo is a track waiting for the service's receive-only section.
type pendingVideo struct {
	track    webrtc.TrackLocal
	attached func(*webrtc.RTPSender)
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

// API is a pion API as the clients have it: Opus, RTCP reports, loopback
// UDP candidates.
func API(t testing.TB) *webrtc.API { return api(t, false) }

// api is API, with video (Options.Video) when video is set.
func api(t testing.TB, video bool) *webrtc.API {
	var me webrtc.MediaEngine
	if err := me.RegisterCodec(Opus, webrtc.RTPCodecTypeAudio); err != nil {
		t.Fatal(err)
	}
	reg := &interceptor.Registry{}
	if err := webrtc.ConfigureRTCPReports(reg); err != nil {
		t.Fatal(err)
	}
	if video {
		if err := me.RegisterCodec(rtpcodec.VP8, webrtc.RTPCodecTypeVideo); err != nil {
			t.Fatal(err)
		}
		if err := webrtc.ConfigureNack(&me, reg); err != nil {
			t.Fatal(err)
		}
		if err := webrtc.ConfigureTWCCHeaderExtensionSender(&me, reg); err != nil {
			t.Fatal(err)
		}
	}
	var se webrtc.SettingEngine
	se.SetIncludeLoopbackCandidate(true)
	se.SetNetworkTypes([]webrtc.NetworkType{webrtc.NetworkTypeUDP4})
	return webrtc.NewAPI(webrtc.WithMediaEngine(&me), webrtc.WithInterceptorRegistry(reg), webrtc.WithSettingEngine(se))
}

// NewPeer makes name's peer connection; it starts speaking at once (its
// track sends once connected). candidate receives its ICE candidates;
// the test's cleanup closes it.
func NewPeer(t testing.TB, name string, o Options, candidate func(webrtc.ICECandidateInit)) *Peer {
	pc, err := api(t, o.Video).NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	p := &Peer{T: t, Name: name, PC: pc, tracks: make(map[string]*Recording), changed: make(chan struct{}), onVideo: o.OnVideo}
	track, err := webrtc.NewTrackLocalStaticSample(Opus.RTPCodecCapability, "audio", "client-"+name)
	if err != nil {
		t.Fatal(err)
	}
	var sending webrtc.TrackLocal = track
	if o.Raw != nil {
		sending, o.Silent = o.Raw, true
	}
	if _, err := pc.AddTrack(sending); err != nil {
		t.Fatal(err)
	}
	pc.OnICECandidate(func(cand *webrtc.ICECandidate) {
		if cand != nil {
			candidate(cand.ToJSON())
		}
	})
	pc.OnTrack(p.receive)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() {
		cancel()
		_ = pc.Close()
	})
	if !o.Silent {
		v := o.Voice
		if v == (Voice{}) {
			v = Voices[name]
		}
		go p.speak(ctx, track, v)
	}
	return p
}

// Answer applies the service's offer and returns the answer to send.
func (p *Peer) Answer(offer string) (string, error) {
	p.mu.Lock()
	p.offers++
	p.notifyLocked()
	p.mu.Unlock()
	if err := p.PC.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: offer}); err != nil {
		return "", err
	}
	if err := p.attachVideo(); err != nil {
		return "", err
	}
	answer, err := p.PC.CreateAnswer(nil)
	if err == nil {
		err = p.PC.SetLocalDescription(answer)
	}
	return answer.SDP, err
}

// SendVideo puts track on the next free receive-only video section the
// service offers (the first offer after the client turned that kind on
// with media-video: docs/server-api.md), then calls attached with the
// track's sender, whose RTCP (PLI, REMB, NACK) the caller reads.
func (p *Peer) SendVideo(track webrtc.TrackLocal, attached func(*webrtc.RTPSender)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pending = append(p.pending, pendingVideo{track: track, attached: attached})
}

// attachVideo attaches the pending tracks to the free receive-only
// sections of the offer just applied, in order.
func (p *Peer) attachVideo() error {
	for {
		p.mu.Lock()
		if len(p.pending) == 0 || !FreeVideoSection(p.PC) {
			p.mu.Unlock()
			return nil
		}
		v := p.pending[0]
		p.pending = p.pending[1:]
		p.mu.Unlock()
		s, err := p.PC.AddTrack(v.track)
		if err != nil {
			return err
		}
		v.attached(s)
	}
}

// FreeVideoSection reports whether pc's remote offer has a receive-only
// video section whose transceiver has no track yet: where a client's
// video goes (pion's AddTrack picks it).
func FreeVideoSection(pc *webrtc.PeerConnection) bool {
	rd := pc.RemoteDescription()
	if rd == nil {
		return false
	}
	var parsed sdp.SessionDescription // not rd.Unmarshal: rd is pion's own, shared
	if err := parsed.UnmarshalString(rd.SDP); err != nil {
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
			if tr.Mid() == mid && tr.Sender() == nil {
				return true
			}
		}
	}
	return false
}

// Offers is how many offers the peer has answered (renegotiations count).
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
func (p *Peer) speak(ctx context.Context, track *webrtc.TrackLocalStaticSample, v Voice) {
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

// receive decodes one track into the recording of its source.
func (p *Peer) receive(tr *webrtc.TrackRemote, _ *webrtc.RTPReceiver) {
	if tr.Kind() == webrtc.RTPCodecTypeVideo {
		if p.onVideo != nil {
			p.onVideo(tr)
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
			p.T.Fatalf("%s: timed out waiting for %s", p.Name, what)
		case <-ch:
		case <-time.After(100 * time.Millisecond):
		}
	}
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
