package video_test

import (
	"sync"
	"testing"
	"time"

	"github.com/parley-voip/parley/internal/sfutest"
	"github.com/parley-voip/parley/media/video"
	"github.com/parley-voip/parley/media/video/videotest"
	"github.com/parley-voip/parley/media/vp8"
	"github.com/parley-voip/parley/server/sfu"
	"github.com/pion/webrtc/v4"
)

// Standard video calls through the real media service (server/sfu): every
// participant is a pion client (sfutest.Peer with SendingVideo and
// OnVideo; videotest.RTPTrack says why not an rtc.Peer) sending its own
// synthetic camera through video.Sender (libvpx VP8) and decoding
// everyone else's through video.Receiver, on loopback.

// videoRoom is one call on one service, and the patterns its participants
// send, so a receiver can score what it got against what was sent.
type videoRoom struct {
	t    testing.TB
	svc  *sfu.Service
	call string

	mu       sync.Mutex
	patterns map[string]*video.Pattern // by user
	clients  []*serviceClient
	stamp    bool // senders record each frame's capture time (latency benchmarks)
}

func newVideoRoom(t testing.TB) *videoRoom {
	t.Helper()
	svc, err := sfu.New(sfu.Config{IncludeLoopback: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = svc.Close() })
	r := &videoRoom{t: t, svc: svc, call: "call-1", patterns: map[string]*video.Pattern{}}
	t.Cleanup(r.dumpOnFailure)
	return r
}

// dumpOnFailure logs, when the test failed, what each client sent and
// received and how its connection is laid out (sfutest's report).
func (r *videoRoom) dumpOnFailure() {
	if !r.t.Failed() {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range r.clients {
		if c.sender != nil {
			r.t.Logf("%s sends: %+v; %d keyframe requests, %d REMBs; service %+v; %d offers", c.user, c.sender.Stats(),
				c.track.KeyframeRequestCount(), c.track.REMBs(), c.m.Stats(), c.peer.Offers())
		}
		c.mu.Lock()
		for from, rv := range c.receivers {
			r.t.Logf("%s receives %s: %+v", c.user, from, rv.Stats())
		}
		c.mu.Unlock()
		c.peer.Report()
	}
}

func (r *videoRoom) pattern(user string) *video.Pattern {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.patterns[user]
}

// serviceClient is one participant.
type serviceClient struct {
	user    string
	peer    *sfutest.Peer
	m       *sfu.Member
	track   *videotest.RTPTrack // nil: sends no video
	sender  *video.Sender
	stamped *stamped // the source, when the room stamps

	mu         sync.Mutex
	collectors map[string]*videotest.Collector // by sender
	receivers  map[string]*video.Receiver
	changed    chan struct{} // closed and replaced when a track arrives
}

// joinOption changes how a participant joins.
type joinOption func(*joinOptions)

type joinOptions struct{ watchOnly bool }

// watchOnly joins without a camera: the participant receives video only.
func watchOnly() joinOption { return func(o *joinOptions) { o.watchOnly = true } }

// join connects user to the room; unless watchOnly, it sends a pattern
// whose counter starts at start on its camera, at the service's REMB.
func (r *videoRoom) join(user string, start uint32, opts ...joinOption) *serviceClient {
	t := r.t
	t.Helper()
	var o joinOptions
	for _, f := range opts {
		f(&o)
	}
	c := &serviceClient{user: user, collectors: map[string]*videotest.Collector{}, receivers: map[string]*video.Receiver{},
		changed: make(chan struct{})}
	peerOpts := []sfutest.Option{sfutest.Silent(), sfutest.OnVideo(c.receive(r))}
	if !o.watchOnly {
		p := newPattern(t, start)
		r.mu.Lock()
		r.patterns[user] = p
		r.mu.Unlock()
		track, err := videotest.NewRTPTrack("camera", "client-"+user)
		if err != nil {
			t.Fatal(err)
		}
		c.track = track
		peerOpts = append(peerOpts, sfutest.SendingVideo(track.Track(), func(s *webrtc.RTPSender) { go track.ReadRTCP(s) }))
		var src video.Source = p
		if r.stamp {
			c.stamped = newStamped(p, start)
			src = c.stamped
		}
		sender, err := video.NewSender(src, track, video.DefaultSenderConfig())
		if err != nil {
			t.Fatal(err)
		}
		c.sender = sender
		t.Cleanup(func() { _ = sender.Close() })
	}
	c.peer = sfutest.NewPeer(t, user, peerOpts...)
	m, err := r.svc.Join(sfu.JoinRequest{CallID: r.call, UserID: user, Name: user, Send: func(s sfu.Signal) {
		if s.SDP != "" || s.Candidate != nil {
			c.peer.Deliver(sfutest.Signal{CallID: s.CallID, SDP: s.SDP, Candidate: s.Candidate})
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	c.m = m
	c.peer.Attach(m)
	r.mu.Lock()
	r.clients = append(r.clients, c)
	r.mu.Unlock()
	if !o.watchOnly {
		if err := m.SetVideo(true, false); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// receive starts a Receiver for each video track the service sends c.
func (c *serviceClient) receive(r *videoRoom) func(*webrtc.TrackRemote) {
	return func(tr *webrtc.TrackRemote) {
		remote := videotest.NewRTPRemote(c.peer.PC, tr)
		from, _ := remote.Source()
		p := r.pattern(from)
		if p == nil {
			r.t.Errorf("%s: video from %s, who sends none", c.user, from)
			return
		}
		col := videotest.NewCollector(p)
		rv, err := video.NewReceiver(remote, video.ReceiverConfig{Sink: col})
		if err != nil {
			r.t.Error(err)
			return
		}
		r.t.Cleanup(func() { _ = rv.Close() })
		c.mu.Lock()
		c.collectors[from], c.receivers[from] = col, rv
		close(c.changed)
		c.changed = make(chan struct{})
		c.mu.Unlock()
	}
}

// from waits for the video track from user and returns its collector and
// receiver.
func (c *serviceClient) from(t testing.TB, user string) (*videotest.Collector, *video.Receiver) {
	t.Helper()
	deadline := time.After(videotest.Timeout)
	for {
		c.mu.Lock()
		col, rv, ch := c.collectors[user], c.receivers[user], c.changed
		c.mu.Unlock()
		if col != nil {
			return col, rv
		}
		select {
		case <-ch:
		case <-deadline:
			t.Fatalf("%s: no video track from %s", c.user, user)
		}
	}
}

// expectSees waits for n pictures from user and checks they are
// consecutive frames of user's pattern at ≥ minPSNR.
func (c *serviceClient) expectSees(t *testing.T, user string, n int) {
	t.Helper()
	col, _ := c.from(t, user)
	if !col.Wait(n, videotest.Timeout) {
		t.Fatalf("%s: only %d frames from %s", c.user, len(col.Got()), user)
	}
	checkRun(t, c.user+"←"+user, col.Got(), n)
}

// TestServiceVideoCall: a standard 1:1 video call through the media
// service: each side gets 60 consecutive frames of the other's camera,
// each the picture sent (PSNR ≥ 30 dB), and the service's REMB to each
// sender (which the sender follows) is not below what it sends.
func TestServiceVideoCall(t *testing.T) {
	r := newVideoRoom(t)
	a, b := r.join("alice", 0), r.join("bob", 1_000_000)
	a.expectSees(t, "bob", 60)
	b.expectSees(t, "alice", 60)
	for _, c := range []*serviceClient{a, b} {
		waitUntil(t, c.user+"'s REMB", func() bool { return c.track.REMBs() > 0 })
		st := c.sender.Stats()
		t.Logf("%s: REMB %d bit/s, encoder %d bit/s, %d keyframes, %d requests", c.user, c.track.RemoteEstimate(), st.Bitrate, st.Keyframes, st.KeyframeRequests)
		// On a clean loopback the service's estimate starts from what
		// is sent (1.5 times it) and grows; it must not tell a sender
		// the floor because its first frames came late in a REMB interval.
		if remb := c.track.RemoteEstimate(); remb < vp8.DefaultBitrate {
			t.Errorf("%s: the service's REMB is %d bit/s, under the %d bit/s sent", c.user, remb, vp8.DefaultBitrate)
		}
	}
}

// waitUntil checks cond every 50 ms until it holds, failing the test
// after videotest.Timeout.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(videotest.Timeout); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// TestServiceVideoGroup: three people each send a camera through the
// service; each gets 60 consecutive well-decoded frames from each of the
// other two.
func TestServiceVideoGroup(t *testing.T) {
	r := newVideoRoom(t)
	cs := []*serviceClient{r.join("alice", 0), r.join("bob", 1_000_000), r.join("carol", 2_000_000)}
	for _, c := range cs {
		for _, o := range cs {
			if o != c {
				c.expectSees(t, o.user, 60)
			}
		}
	}
}

// TestServiceVideoLateJoiner: someone joining a running video call gets a
// picture at once: the service asks the sender for a keyframe on their
// behalf (a PLI reaches the sender's track), the first frame the joiner
// gets is that keyframe (its receiver skips nothing and never has to ask
// itself), and what follows is continuous.
func TestServiceVideoLateJoiner(t *testing.T) {
	r := newVideoRoom(t)
	a, b := r.join("alice", 0), r.join("bob", 1_000_000)
	b.expectSees(t, "alice", 30)
	requests, keys := a.track.KeyframeRequestCount(), a.sender.Stats().Keyframes
	joined := time.Now()
	d := r.join("dave", 0, watchOnly())
	col, rv := d.from(t, "alice")
	if !col.Wait(1, videotest.Timeout) {
		t.Fatal("no picture for the late joiner")
	}
	first := time.Since(joined)
	d.expectSees(t, "alice", 30)
	st := rv.Stats()
	t.Logf("dave's first picture %v after joining; alice got %d more keyframe requests, sent %d more keyframes; dave's receiver %+v",
		first, a.track.KeyframeRequestCount()-requests, a.sender.Stats().Keyframes-keys, st)
	if a.track.KeyframeRequestCount() == requests || a.sender.Stats().Keyframes == keys {
		t.Fatal("no keyframe request reached the sender for the late joiner")
	}
	if st.Skipped != 0 || st.KeyframeRequests != 0 {
		t.Fatalf("the late joiner's first frame was not a keyframe: %+v", st)
	}
}
