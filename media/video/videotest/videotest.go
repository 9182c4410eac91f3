// Package videotest has the fixtures of video call tests: two connected
// rtc peers (over the host's loopback or a virtual network that can drop
// packets), and a Collector sink that checks every received picture
// against the synthetic camera's frame of the same counter.
package videotest

import (
	"context"
	"image"
	"log/slog"
	"math"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parley-voip/parley/crypto/e2ee"
	"github.com/parley-voip/parley/crypto/e2ee/e2eetest"
	"github.com/parley-voip/parley/media/quality"
	"github.com/parley-voip/parley/media/rtc"
	"github.com/parley-voip/parley/media/rtc/rtctest"
	"github.com/parley-voip/parley/media/video"
	"github.com/pion/logging"
	"github.com/pion/transport/v5/vnet"
)

// MinPSNR is the pass mark for a received picture against the frame sent
// with its counter. VP8 at the 360p default rate scores 35 dB or more on
// the test pattern (media/vp8 TestRoundTrip), while the pattern's
// neighbouring frame scores under 25 dB (TestPatternMoves): 30 dB says
// "this picture, decoded well", and fails a stale or wrong picture.
const MinPSNR = 30

// Timeout bounds a call test's waits.
const Timeout = 60 * time.Second

// PeerOption changes the peers' configuration or network.
type PeerOption func(*peerOptions)

type peerOptions struct {
	sealed bool
	lossy  *Lossy
}

// Sealed makes both peers send and expect SFrame-sealed video (E2EE).
func Sealed() PeerOption { return func(o *peerOptions) { o.sealed = true } }

// OverLossy connects the peers over a virtual network whose packets from
// A to B l can drop.
func OverLossy(l *Lossy) PeerOption { return func(o *peerOptions) { o.lossy = l } }

// Lossy is a virtual network between two peers; Drop decides, while set,
// which UDP payloads from A to B are lost, DropBack those from B to A.
type Lossy struct {
	drop    atomic.Pointer[func(size int) bool]
	back    atomic.Pointer[func(size int) bool]
	Dropped atomic.Uint64
	a, b    *vnet.Net
}

// NewLossy starts the network; it stops when the test ends.
func NewLossy(t testing.TB) *Lossy {
	t.Helper()
	lf := logging.NewDefaultLoggerFactory()
	lf.DefaultLogLevel = logging.LogLevelDisabled
	r, err := vnet.NewRouter(&vnet.RouterConfig{CIDR: "1.2.3.0/24", LoggerFactory: lf})
	if err != nil {
		t.Fatal(err)
	}
	l := &Lossy{}
	for i, ip := range []string{"1.2.3.4", "1.2.3.5"} {
		n, err := vnet.NewNet(&vnet.NetConfig{StaticIPs: []string{ip}})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.AddNet(n); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			l.a = n
		} else {
			l.b = n
		}
	}
	r.AddChunkFilter(func(c vnet.Chunk) bool {
		f := l.drop.Load()
		if c.SourceAddr().String()[:7] != "1.2.3.4" {
			f = l.back.Load()
		}
		if f == nil {
			return true
		}
		if (*f)(len(c.UserData())) {
			l.Dropped.Add(1)
			return false
		}
		return true
	})
	if err := r.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = r.Stop() })
	return l
}

// Drop sets the loss rule from A to B (nil: lose nothing).
func (l *Lossy) Drop(f func(size int) bool) { store(&l.drop, f) }

// DropBack sets the loss rule from B to A (nil: lose nothing).
func (l *Lossy) DropBack(f func(size int) bool) { store(&l.back, f) }

func store(p *atomic.Pointer[func(int) bool], f func(int) bool) {
	if f == nil {
		p.Store(nil)
		return
	}
	p.Store(&f)
}

// Pair makes caller A and callee B with video, lets setup add tracks and
// handlers, negotiates with trickled candidates and waits until both are
// connected (and so have checked each other's certificate).
func Pair(t testing.TB, setup func(a, b *rtc.Peer), opts ...PeerOption) (a, b *rtc.Peer) {
	t.Helper()
	var o peerOptions
	for _, opt := range opts {
		opt(&o)
	}
	peer := func(n *vnet.Net) *rtc.Peer {
		cfg := rtc.DefaultConfig()
		cfg.Logger = slog.New(slog.DiscardHandler)
		cfg.Video, cfg.SealedVideo = true, o.sealed
		if n != nil {
			cfg.Net = n
		}
		p, err := rtc.NewPeer(cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = p.Close() })
		return p
	}
	if o.lossy != nil {
		a, b = peer(o.lossy.a), peer(o.lossy.b)
	} else {
		a, b = peer(nil), peer(nil)
	}
	setup(a, b)
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	rtctest.Connect(ctx, t, a, b)
	return a, b
}

// Received is one picture a Collector got.
type Received struct {
	Counter  uint32
	Readable bool    // the counter checked out
	PSNR     float64 // against the sent frame of that counter
	At       time.Time
}

// Collector is a video.Sink that scores every picture against the
// pattern's frame of the counter it carries.
type Collector struct {
	pattern *video.Pattern
	still   *image.YCbCr // Still's picture, scored against instead
	score   bool
	mu      sync.Mutex
	got     []Received
	more    chan struct{}
}

// CollectorOption changes what a Collector does with each picture.
type CollectorOption func(*Collector)

// Unscored reads the counters but computes no PSNR (benchmarks: the
// scoring is test work, not the call's).
func Unscored() CollectorOption { return func(c *Collector) { c.score = false } }

// Still scores every picture against img (a shared screen showing one
// picture: ScreenContent's lossless capture) instead of the pattern's
// frame of its counter.
func Still(img *image.YCbCr) CollectorOption { return func(c *Collector) { c.still = img } }

// NewCollector scores against the frames of p.
func NewCollector(p *video.Pattern, opts ...CollectorOption) *Collector {
	c := &Collector{pattern: p, score: true, more: make(chan struct{}, 1)}
	for _, o := range opts {
		o(c)
	}
	return c
}

// WriteFrame scores one picture.
func (c *Collector) WriteFrame(f video.Frame) {
	r := Received{At: f.Captured}
	r.Counter, r.Readable = video.ReadCounter(f.Image)
	switch {
	case c.still != nil:
		r.PSNR = quality.PSNR(c.still, f.Image)
	case r.Readable && c.score:
		r.PSNR = quality.PSNR(c.pattern.Render(r.Counter), f.Image)
	}
	c.mu.Lock()
	c.got = append(c.got, r)
	c.mu.Unlock()
	select {
	case c.more <- struct{}{}:
	default:
	}
}

// Wait blocks until n pictures have come (false on timeout).
func (c *Collector) Wait(n int, timeout time.Duration) bool {
	deadline := time.After(timeout)
	for {
		c.mu.Lock()
		have := len(c.got)
		c.mu.Unlock()
		if have >= n {
			return true
		}
		select {
		case <-c.more:
		case <-deadline:
			return false
		}
	}
}

// WaitCounter blocks until a picture with a counter of at least n has
// come (false on timeout).
func (c *Collector) WaitCounter(n uint32, timeout time.Duration) bool {
	deadline := time.After(timeout)
	for seen := 0; ; {
		c.mu.Lock()
		for ; seen < len(c.got); seen++ {
			if g := c.got[seen]; g.Readable && int32(g.Counter-n) >= 0 {
				c.mu.Unlock()
				return true
			}
		}
		c.mu.Unlock()
		select {
		case <-c.more:
		case <-deadline:
			return false
		}
	}
}

// Got is a copy of what has come so far.
func (c *Collector) Got() []Received {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Received(nil), c.got...)
}

// Report sums up a run of received pictures.
type Report struct {
	Frames, Unreadable int
	MinPSNR, MeanPSNR  float64
	// Skips counts places where a counter is not the previous one + 1;
	// Backwards counts those where it went down or repeated.
	Skips, Backwards int
	First, Last      uint32
}

// Summarize reports on got.
func Summarize(got []Received) Report {
	r := Report{MinPSNR: math.Inf(1)}
	var sum float64
	var prev uint32
	var have bool
	for _, g := range got {
		r.Frames++
		if !g.Readable {
			r.Unreadable++
			continue
		}
		r.MinPSNR = min(r.MinPSNR, g.PSNR)
		sum += g.PSNR
		if have {
			switch {
			case g.Counter == prev+1:
			case int32(g.Counter-prev) <= 0:
				r.Backwards++
				r.Skips++
			default:
				r.Skips++
			}
		} else {
			r.First = g.Counter
		}
		prev, have = g.Counter, true
		r.Last = g.Counter
	}
	if n := r.Frames - r.Unreadable; n > 0 {
		r.MeanPSNR = sum / float64(n)
	}
	return r
}

// SendAndReceive, inside Pair's setup, adds a sending track of each name
// to p and returns a channel that gets the far end's tracks.
func SendAndReceive(t testing.TB, p *rtc.Peer, names ...string) ([]*rtc.VideoTrack, <-chan *rtc.RemoteVideo) {
	t.Helper()
	var tracks []*rtc.VideoTrack
	for _, n := range names {
		tr, err := p.AddVideoTrack(n)
		if err != nil {
			t.Fatal(err)
		}
		tracks = append(tracks, tr)
	}
	remote := make(chan *rtc.RemoteVideo, 4)
	p.OnVideoTrack(func(rv *rtc.RemoteVideo) { remote <- rv })
	return tracks, remote
}

// Remote waits for the next track from SendAndReceive's channel.
func Remote(t testing.TB, remote <-chan *rtc.RemoteVideo) *rtc.RemoteVideo {
	t.Helper()
	select {
	case rv := <-remote:
		return rv
	case <-time.After(Timeout):
		t.Fatal("no remote video track")
		return nil
	}
}

// Ciphers runs a real E2EE handshake bound to the two connected peers'
// fingerprints (a the initiator) and returns each side's ciphers for
// tracks, in that order.
func Ciphers(t testing.TB, a, b *rtc.Peer, tracks ...e2ee.Track) (ca, cb []*e2ee.MediaCipher) {
	t.Helper()
	ri, rr := e2eetest.Results(t, a.LocalFingerprint(), b.LocalFingerprint())
	ca, err := e2ee.NewTrackCiphers(ri, tracks)
	if err != nil {
		t.Fatal(err)
	}
	cb, err = e2ee.NewTrackCiphers(rr, tracks)
	if err != nil {
		t.Fatal(err)
	}
	return ca, cb
}
