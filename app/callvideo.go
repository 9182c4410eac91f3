package app

import (
	"errors"
	"image"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/parley-voip/parley/crypto/e2ee"
	"github.com/parley-voip/parley/media/rtc"
	"github.com/parley-voip/parley/media/video"
	"github.com/parley-voip/parley/media/vp8"
	"github.com/parley-voip/parley/signaling"
)

// Video in a call. Every call starts audio only; this user turns the
// camera or a screen share on and off in the call (SetCamera,
// SetScreenShare). On a direct call the side that made the first offer
// renegotiates the same peer connection (rtc.Peer.Renegotiate): when it
// turns a kind on, and when the other side says with its media-state that
// it turned one on for which there is no video section yet
// (rtc.Peer.ReceiveVideo), so offers never cross. An E2EE call seals every
// video frame with the track's own SFrame keys (e2ee.NewTrackCiphers:
// camera and screen apart from the audio), made with the audio's from the
// key agreement. Through the media service a kind turned on is announced
// with media-video and its track attached to the service's next offer.
// The other side may stay audio only: it answers the video receive-only,
// and a client without a camera never sends. Turning a kind off stops
// its frames and says so (media-state, media-video); its section stays
// for the next time.

// VideoKind is a video track of a call.
type VideoKind uint8

const (
	VideoCamera VideoKind = iota
	VideoScreen
	numVideoKinds
)

// trackName is the kind's track id on the wire (signaling.VideoTrack*).
func (v VideoKind) trackName() string {
	if v == VideoScreen {
		return signaling.VideoTrackScreen
	}
	return signaling.VideoTrackCamera
}

// e2eeTrack is the kind's SFrame keying track.
func (v VideoKind) e2eeTrack() e2ee.Track {
	if v == VideoScreen {
		return e2ee.TrackScreen
	}
	return e2ee.TrackCamera
}

func kindOfTrack(name string) (VideoKind, bool) {
	switch name {
	case signaling.VideoTrackCamera:
		return VideoCamera, true
	case signaling.VideoTrackScreen:
		return VideoScreen, true
	}
	return 0, false
}

// What the call screen says when a video button cannot be used.
const (
	ReasonNoCamera     = "No camera found"
	ReasonNoVideoCodec = "Video is not available in this build"
	ReasonNoScreen     = "Screen sharing is not available on this display"
)

// VideoFeed is one picture the call screen shows: this user's camera or
// screen (Self), or another participant's.
type VideoFeed struct {
	Key  string // for Client.VideoFrame
	From string // the sender's user id; this user's own for Self
	Kind VideoKind
	Self bool
}

// feed holds the latest picture of one track for the UI, which takes it
// when it draws (VideoFrame): nothing is queued, a slow screen skips.
type feed struct {
	key string
	tap func(key string, fr video.Frame)
	mu  sync.Mutex
	img *image.YCbCr
	seq uint64
}

func (f *feed) WriteFrame(fr video.Frame) {
	f.mu.Lock()
	f.img = fr.Image
	f.seq++
	f.mu.Unlock()
	if f.tap != nil {
		f.tap(f.key, fr)
	}
}

func (f *feed) latest() (*image.YCbCr, uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.img, f.seq
}

// feeds are the client's pictures by key, read by the UI from its own
// goroutine.
type feeds struct {
	tap func(key string, fr video.Frame) // Config.videoTap
	mu  sync.Mutex
	m   map[string]*feed
}

func (fs *feeds) get(key string) *feed {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.m == nil {
		fs.m = map[string]*feed{}
	}
	f, ok := fs.m[key]
	if !ok {
		f = &feed{key: key, tap: fs.tap}
		fs.m[key] = f
	}
	return f
}

func (fs *feeds) drop(keys ...string) {
	fs.mu.Lock()
	for _, k := range keys {
		delete(fs.m, k)
	}
	fs.mu.Unlock()
}

// VideoFrame is the latest picture of the feed with key and its number,
// which grows with every new picture (the UI redraws only then); nil
// before the first. Safe from any goroutine; the picture is not changed
// after it is handed out.
func (c *Client) VideoFrame(key string) (*image.YCbCr, uint64) {
	c.video.mu.Lock()
	f := c.video.m[key]
	c.video.mu.Unlock()
	if f == nil {
		return nil, 0
	}
	return f.latest()
}

func feedKey(from string, kind VideoKind) string { return from + "/" + kind.trackName() }

// teeSource shows what a Source captures in a feed (the self view) as the
// Sender reads it.
type teeSource struct {
	video.Source
	f *feed
}

func (t teeSource) ReadFrame() (video.Frame, error) {
	fr, err := t.Source.ReadFrame()
	if err == nil {
		t.f.WriteFrame(fr)
	}
	return fr, err
}

// localVideo is one of this user's tracks in the call.
type localVideo struct {
	track  *rtc.VideoTrack
	sender *video.Sender // nil while the kind is off
}

// remoteVideo is a track another participant sends.
type remoteVideo struct {
	from string
	kind VideoKind
	recv *video.Receiver
}

// callVideo is a call's video.
type callVideo struct {
	ciphers [numVideoKinds]*e2ee.MediaCipher // E2EE: each kind's keys
	local   [numVideoKinds]*localVideo
	on      [numVideoKinds]bool // this user sends the kind
	peerOn  [numVideoKinds]bool // direct: the other side says it sends it
	remote  []*remoteVideo
	// senders counts the kinds being sent, for the senders' goroutines'
	// share of the bitrate.
	senders atomic.Int32
	// closed is what the senders and receivers closed so far counted
	// (videoStats).
	closed VideoStats
}

// videoUnavailable says why this user cannot send kind now, or "".
func (c *Client) videoUnavailable(kind VideoKind) string {
	switch {
	case !vp8.Available:
		return ReasonNoVideoCodec
	case kind == VideoCamera && c.cfg.Camera == nil:
		return ReasonNoCamera
	case kind == VideoScreen && c.cfg.Screen == nil:
		return ReasonNoScreen
	}
	return ""
}

// SetCamera turns this user's camera on or off in the current call.
func (c *Client) SetCamera(on bool) { c.post(func() { c.setVideo(VideoCamera, on) }) }

// SetScreenShare starts or stops sharing this user's screen in the
// current call.
func (c *Client) SetScreenShare(on bool) { c.post(func() { c.setVideo(VideoScreen, on) }) }

func (c *Client) setVideo(kind VideoKind, on bool) {
	k := c.call
	if k == nil || k.peer == nil || k.video.on[kind] == on {
		return
	}
	if c.refused(k, k.accepts(evVideo)) {
		if on {
			c.cfg.Listener.Notice("Video needs a connected call")
		}
		return
	}
	if why := c.videoUnavailable(kind); on && why != "" {
		c.cfg.Listener.Notice(why)
		return
	}
	_ = c.step(k, evVideo)
	if on {
		if err := c.startVideo(k, kind); err != nil {
			c.log.Warn("video", "kind", kind.trackName(), "err", err)
			c.cfg.Listener.Notice("Could not start the " + kind.label() + ": " + err.Error())
			return
		}
	} else {
		c.stopVideo(k, kind)
	}
	k.video.on[kind] = on
	c.videoChanged(k)
}

func (v VideoKind) label() string {
	if v == VideoScreen {
		return "screen share"
	}
	return "camera"
}

// startVideo opens kind's source and sends it on its track, adding the
// track the first time.
func (c *Client) startVideo(k *call, kind VideoKind) error {
	open := c.cfg.Camera
	if kind == VideoScreen {
		open = c.cfg.Screen
	}
	src, err := open()
	if err != nil {
		return err
	}
	lv := k.video.local[kind]
	if lv == nil {
		track, err := k.peer.AddVideoTrack(kind.trackName())
		if err != nil {
			_ = src.Close()
			return err
		}
		lv = &localVideo{track: track}
		k.video.local[kind] = lv
	}
	cfg := video.DefaultSenderConfig()
	if kind == VideoScreen {
		cfg.Encoder.Content = vp8.Detail
		cfg.Encoder.FrameRate = video.DefaultScreenFrameRate
	}
	if k.e2ee() {
		cfg.Cipher = k.video.ciphers[kind]
		if cfg.Cipher == nil {
			_ = src.Close()
			return errors.New("no video keys")
		}
	}
	peer, senders := k.peer, &k.video.senders
	cfg.Bitrate = func() int { return videoShare(peer.TargetBitrate(), int(senders.Load())) }
	s, err := video.NewSender(teeSource{Source: src, f: c.video.get(feedKey(c.cfg.Me.ID, kind))}, lv.track, cfg)
	if err != nil {
		_ = src.Close()
		return err
	}
	lv.sender = s
	k.video.senders.Add(1)
	return nil
}

// audioShare is what the audio keeps of the congestion controller's
// target; the video tracks share the rest.
const audioShare = 64_000

func videoShare(target, tracks int) int {
	if target <= 0 {
		return 0 // the sender keeps its rate
	}
	return max(target-audioShare, 100_000) / max(tracks, 1)
}

func (c *Client) stopVideo(k *call, kind VideoKind) {
	lv := k.video.local[kind]
	if lv == nil || lv.sender == nil {
		return
	}
	if err := lv.sender.Close(); err != nil {
		c.log.Debug("video sender", "err", err)
	}
	k.video.closed.addSender(lv.sender.Stats())
	lv.sender = nil
	k.video.senders.Add(-1)
	c.video.drop(feedKey(c.cfg.Me.ID, kind))
}

// videoChanged tells the other side (or the media service) what this user
// sends now, renegotiates where needed and reports the change.
func (c *Client) videoChanged(k *call) {
	if k.service {
		c.send(&signaling.Message{Type: signaling.TypeMediaVideo, CallID: k.info.ID,
			Video: &signaling.VideoState{Camera: k.video.on[VideoCamera], Screen: k.video.on[VideoScreen]}})
	} else {
		c.sendMediaState(k)
		c.renegotiate(k)
	}
	c.notifyCall()
}

// renegotiate offers the direct connection's new tracks and sections, as
// the side that made the first offer, when they changed and no offer is
// pending (restartAnswered calls it again after an answer).
func (c *Client) renegotiate(k *call) {
	if k.service || k.peer == nil || !k.info.Outgoing || c.refused(k, k.accepts(evRenegotiate)) {
		return
	}
	if !k.peer.NeedsRenegotiation() {
		return
	}
	_ = c.step(k, evRenegotiate)
	offer, err := k.peer.Renegotiate(c.ctx)
	if err != nil {
		c.log.Warn("video renegotiation", "err", err)
		return
	}
	c.sendCall(signaling.TypeOffer, func(m *signaling.Message) { m.SDP, m.E2EECall = offer, k.e2ee() })
}

// peerVideo records the kinds the other side of a direct call sends; the
// offerer makes room for them.
func (c *Client) peerVideo(k *call, st *signaling.MediaState) {
	k.video.peerOn = [numVideoKinds]bool{VideoCamera: st.Camera, VideoScreen: st.Screen}
	if !k.info.Outgoing || k.peer == nil {
		return
	}
	n := 0
	for _, on := range k.video.peerOn {
		if on {
			n++
		}
	}
	if n == 0 {
		return
	}
	if _, err := k.peer.ReceiveVideo(n); err != nil {
		c.log.Warn("make room for the other side's video", "err", err)
		return
	}
	c.renegotiate(k)
}

// watchVideo receives the far end's video tracks on p, for k.
func (c *Client) watchVideo(k *call, p *rtc.Peer) {
	p.OnVideoTrack(func(rv *rtc.RemoteVideo) { c.post(func() { c.remoteTrack(k, rv) }) })
}

// remoteTrack starts receiving one of the far end's tracks: on a direct
// call the other party's, through the media service the participant's
// whose stream it is ("parley-<user id>").
func (c *Client) remoteTrack(k *call, rv *rtc.RemoteVideo) {
	kind, ok := kindOfTrack(rv.Name())
	if k.ended() || !ok || !vp8.Available {
		return
	}
	from := k.info.Peer.ID
	if k.service {
		from, ok = strings.CutPrefix(rv.Stream(), "parley-")
		if !ok || from == "" {
			return
		}
	}
	cfg := video.ReceiverConfig{Sink: c.video.get(feedKey(from, kind))}
	if k.e2ee() {
		cfg.Cipher = k.video.ciphers[kind]
		if cfg.Cipher == nil {
			return
		}
	}
	r, err := video.NewReceiver(rv, cfg)
	if err != nil {
		c.log.Warn("video receiver", "err", err)
		return
	}
	k.video.remote = append(k.video.remote, &remoteVideo{from: from, kind: kind, recv: r})
	c.notifyCall()
}

// closeVideo stops every sender and receiver of k and erases its video
// keys (stopMedia).
func (c *Client) closeVideo(k *call) {
	for kind := range numVideoKinds {
		c.stopVideo(k, kind)
	}
	k.video.on = [numVideoKinds]bool{}
	for _, r := range k.video.remote {
		_ = r.recv.Close()
		k.video.closed.addReceiver(r.recv.Stats())
		c.video.drop(feedKey(r.from, r.kind))
	}
	k.video.remote = nil
	for _, ci := range k.video.ciphers {
		if ci != nil {
			ci.Close()
		}
	}
}

// videoFeeds are the pictures k shows now: the others' that say they send
// (a direct call's media-state, the service's roster) and have a
// receiver, then this user's own.
func (c *Client) videoFeeds(k *call) []VideoFeed {
	var out []VideoFeed
	for _, r := range k.video.remote {
		if c.peerSends(k, r.from, r.kind) {
			out = append(out, VideoFeed{Key: feedKey(r.from, r.kind), From: r.from, Kind: r.kind})
		}
	}
	for kind, on := range k.video.on {
		if on {
			kind := VideoKind(kind)
			out = append(out, VideoFeed{Key: feedKey(c.cfg.Me.ID, kind), From: c.cfg.Me.ID, Kind: kind, Self: true})
		}
	}
	return out
}

func (c *Client) peerSends(k *call, from string, kind VideoKind) bool {
	if !k.service {
		return k.video.peerOn[kind]
	}
	for _, p := range k.info.Participants {
		if p.ID == from {
			return kind == VideoCamera && p.Camera || kind == VideoScreen && p.Screen
		}
	}
	return false
}

// trackCiphers makes the call's media ciphers from the key agreement: the
// audio's, and each video kind's with keys of its own.
func trackCiphers(res *e2ee.Result) (audio *e2ee.MediaCipher, vid [numVideoKinds]*e2ee.MediaCipher, err error) {
	cs, err := e2ee.NewTrackCiphers(res, []e2ee.Track{e2ee.TrackAudio, VideoCamera.e2eeTrack(), VideoScreen.e2eeTrack()})
	if err != nil {
		return nil, vid, err
	}
	return cs[0], [numVideoKinds]*e2ee.MediaCipher{cs[1], cs[2]}, nil
}

// Softphone's video controls, on the running client.

// SetCamera turns the camera on or off in the current call.
func (s *Softphone) SetCamera(on bool) { s.withClient(func(c *Client) { c.SetCamera(on) }) }

// SetScreenShare starts or stops sharing the screen in the current call.
func (s *Softphone) SetScreenShare(on bool) { s.withClient(func(c *Client) { c.SetScreenShare(on) }) }

// VideoFrame is the running client's Client.VideoFrame.
func (s *Softphone) VideoFrame(key string) (*image.YCbCr, uint64) {
	if c := s.client.Load(); c != nil {
		return c.VideoFrame(key)
	}
	return nil, 0
}
