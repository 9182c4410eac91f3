package app

import (
	"slices"
	"sync"
	"testing"

	"github.com/parley-voip/parley/media/audio"
	"github.com/parley-voip/parley/media/video"
	"github.com/parley-voip/parley/media/video/videotest"
)

// videoUser is what a test user's camera sends and what its feeds got:
// each picture scored against the sender's synthetic camera by the
// counter it carries.
type videoUser struct {
	start uint32 // the first counter its camera draws, so senders differ
	mu    sync.Mutex
	got   map[string]*videotest.Collector // by feed key
}

// withCamera gives the user a synthetic camera (video.Pattern, 360p at
// 30 fps) whose counters start at start, and records the pictures its
// feeds get.
func withCamera(v *videoUser) userOption {
	return func(c *Config) {
		c.Camera = func() (video.Source, error) {
			cfg := video.DefaultPatternConfig()
			cfg.Start = v.start
			return video.NewPattern(cfg)
		}
		c.videoTap = func(key string, fr video.Frame) {
			v.mu.Lock()
			col := v.got[key]
			v.mu.Unlock()
			if col != nil {
				col.WriteFrame(fr)
			}
		}
	}
}

// expect starts scoring the pictures of the feed with key.
func (v *videoUser) expect(t *testing.T, key string, opts ...videotest.CollectorOption) *videotest.Collector {
	t.Helper()
	p, err := video.NewPattern(video.DefaultPatternConfig()) // frame n is a function of n and the size only
	if err != nil {
		t.Fatal(err)
	}
	col := videotest.NewCollector(p, opts...)
	v.mu.Lock()
	if v.got == nil {
		v.got = map[string]*videotest.Collector{}
	}
	v.got[key] = col
	v.mu.Unlock()
	return col
}

// framesPerCheck is two seconds of video at 30 fps.
const framesPerCheck = 60

// assertSees waits for framesPerCheck pictures in col and checks them:
// every counter readable and one more than the last (none lost, none
// repeated, none out of order) and each picture the frame sent with its
// counter (PSNR at least videotest.MinPSNR).
func assertSees(t *testing.T, what string, col *videotest.Collector) {
	t.Helper()
	if !col.Wait(framesPerCheck, waitTimeout) {
		t.Fatalf("%s: only %d pictures", what, len(col.Got()))
	}
	r := videotest.Summarize(col.Got()[:framesPerCheck])
	t.Logf("%s: %+v", what, r)
	if r.Unreadable > 0 || r.Skips > 0 || r.MinPSNR < videotest.MinPSNR {
		t.Fatalf("%s: %d unreadable, %d counter skips, lowest PSNR %.1f dB (pass %d)", what, r.Unreadable, r.Skips, r.MinPSNR, videotest.MinPSNR)
	}
}

func showsFeed(key string, self bool) func(CallInfo) bool {
	return func(c CallInfo) bool {
		return slices.ContainsFunc(c.Video, func(f VideoFeed) bool { return f.Key == key && f.Self == self }) || c.Ended()
	}
}

func hidesFeed(key string) func(CallInfo) bool {
	return func(c CallInfo) bool {
		return !slices.ContainsFunc(c.Video, func(f VideoFeed) bool { return f.Key == key }) || c.Ended()
	}
}

// A call starts audio only and turns video on in the call, from each
// side: the caller's camera first while the callee stays audio only, then
// the callee's. On the direct E2EE path the caller renegotiates the same
// connection (the security code stays) and every frame is SFrame-sealed
// with the camera track's own keys; through the media service each side
// announces its video and attaches its track to the service's next offer.
// Each side receives the other's synthetic camera with an unbroken frame
// counter at full quality, and the audio goes on throughout.
func TestVideoTurnedOnMidCall(t *testing.T) {
	eachPath(t, func(t *testing.T, tc pathCase) {
		url := startServer(t)
		va, vb := &videoUser{start: 0}, &videoUser{start: 1_000_000}
		alice := startUser(t, url, "alice", tc.e2ee, audio.Chirp(), withCamera(va))
		bob := startUser(t, url, "bob", tc.e2ee, audio.Chirp(), withCamera(vb))
		ca, cb := placeCall(t, alice, bob)
		if ca.E2EE != tc.e2ee || ca.ViaService == tc.e2ee || len(ca.Video) != 0 {
			t.Fatalf("call: e2ee %v, via service %v, video %v", ca.E2EE, ca.ViaService, ca.Video)
		}
		if ca.CameraUnavailable != "" || cb.CameraUnavailable != "" {
			t.Fatalf("camera unavailable: %q / %q", ca.CameraUnavailable, cb.CameraUnavailable)
		}
		code := ca.Code

		atBob := vb.expect(t, "alice/camera")
		alice.SetCamera(true)
		alice.ev.waitCall(t, "alice's self view", showsFeed("alice/camera", true))
		bob.ev.waitCall(t, "bob shows alice's camera", showsFeed("alice/camera", false))
		assertSees(t, "bob sees alice's camera (bob audio only)", atBob)

		atAlice := va.expect(t, "bob/camera")
		bob.SetCamera(true)
		alice.ev.waitCall(t, "alice shows bob's camera", showsFeed("bob/camera", false))
		assertSees(t, "alice sees bob's camera", atAlice)

		c := alice.ev.waitCall(t, "alice's call", func(CallInfo) bool { return true })
		if c.State != CallActive || c.Code != code || c.E2EE != tc.e2ee {
			t.Fatalf("after video: %v, code %q (was %q), e2ee %v", c.State, c.Code, code, c.E2EE)
		}
		assertHears(t, "bob hears alice with video on", bob)

		alice.SetCamera(false)
		bob.ev.waitCall(t, "bob drops alice's camera", hidesFeed("alice/camera"))
		alice.ev.waitCall(t, "alice's self view goes", hidesFeed("alice/camera"))
		if c := bob.ev.lastCall(); c.Ended() {
			t.Fatalf("bob's call ended: %s", c.EndMessage())
		}
		alice.Hangup()
		bob.endsWith(t, EndRemoteHangup)
	})
}

// Three people through the media service: each one's camera reaches the
// two others, unbroken and at full quality.
func TestGroupVideo(t *testing.T) {
	t.Parallel()
	url := startServer(t)
	vs := map[string]*videoUser{"alice": {start: 0}, "bob": {start: 1_000_000}, "carol": {start: 2_000_000}}
	var us []*testUser
	for _, id := range []string{"alice", "bob", "carol"} {
		us = append(us, startUser(t, url, id, false, audio.Silence(), withCamera(vs[id])))
	}
	alice, bob, carol := us[0], us[1], us[2]
	placeCall(t, alice, bob)
	alice.sees(t, "carol", PresenceOnline)
	alice.AddPeople("carol")
	carol.ev.waitCall(t, "carol invited", func(c CallInfo) bool { return c.State == CallIncoming })
	carol.Accept()
	for _, u := range us {
		u.ev.waitCall(t, u.Me().ID+" sees three participants", hasParticipants(3))
	}
	for _, sender := range []*testUser{alice, carol} {
		key := sender.Me().ID + "/camera"
		var cols []*videotest.Collector
		var others []*testUser
		for _, u := range us {
			if u != sender {
				cols = append(cols, vs[u.Me().ID].expect(t, key))
				others = append(others, u)
			}
		}
		sender.SetCamera(true)
		for i, u := range others {
			u.ev.waitCall(t, u.Me().ID+" shows "+key, showsFeed(key, false))
			assertSees(t, u.Me().ID+" sees "+key, cols[i])
		}
	}
	c := bob.ev.lastCall()
	if len(c.Video) != 2 {
		t.Fatalf("bob shows %d pictures, want alice's and carol's: %+v", len(c.Video), c.Video)
	}
}

// Without a camera the button says why, and turning it on is refused with
// the same words.
func TestNoCamera(t *testing.T) {
	t.Parallel()
	alice, bob := newTwo(t, true, true, audio.Silence)
	ca, _ := placeCall(t, alice, bob)
	if ca.CameraUnavailable != ReasonNoCamera || ca.ScreenUnavailable != ReasonNoScreen {
		t.Fatalf("unavailable: camera %q, screen %q", ca.CameraUnavailable, ca.ScreenUnavailable)
	}
	alice.SetCamera(true)
	alice.ev.waitFor(t, "the no-camera notice", func(e *events) bool { return slices.Contains(e.notices, ReasonNoCamera) })
	if c := alice.ev.lastCall(); c.Camera || len(c.Video) != 0 {
		t.Fatalf("camera on without a camera: %+v", c.Video)
	}
}

// Screen sharing in an E2EE call: alice shares her (Xvfb) screen as a
// track with keys of its own; bob's picture of it is what her screen
// shows: once the encoder has built the still picture up to full quality
// (its first frames are coarser, as in media/video's TestScreenShare), it
// stays there.
func TestScreenShareInCall(t *testing.T) {
	t.Parallel()
	display := videotest.Xvfb(t, 640, 360)
	p, err := video.NewPattern(video.DefaultPatternConfig())
	if err != nil {
		t.Fatal(err)
	}
	rgb, shown := videotest.ScreenContent(p, 42)
	videotest.PaintRoot(t, display, rgb)
	url := startServer(t)
	va, vb := &videoUser{}, &videoUser{start: 1_000_000}
	screen := func(c *Config) {
		c.Screen = func() (video.Source, error) {
			cfg := video.DefaultScreenConfig()
			cfg.Display = display
			return video.OpenScreen(cfg)
		}
	}
	alice := startUser(t, url, "alice", true, audio.Silence(), withCamera(va), screen)
	bob := startUser(t, url, "bob", true, audio.Silence(), withCamera(vb))
	ca, _ := placeCall(t, alice, bob)
	if !ca.E2EE || ca.ScreenUnavailable != "" {
		t.Fatalf("call: e2ee %v, screen unavailable %q", ca.E2EE, ca.ScreenUnavailable)
	}
	got := vb.expect(t, "alice/screen", videotest.Still(shown))
	alice.SetScreenShare(true)
	c := bob.ev.waitCall(t, "bob shows alice's screen", showsFeed("alice/screen", false))
	if len(c.Video) != 1 || c.Video[0].Kind != VideoScreen {
		t.Fatalf("bob shows %+v", c.Video)
	}
	first := -1
	const buildUp = 100 // ten seconds
	for n := 1; first < 0; n++ {
		if n > buildUp {
			t.Fatalf("no picture of the screen at %d dB in %d", videotest.MinPSNR, buildUp)
		}
		if !got.Wait(n, waitTimeout) {
			t.Fatalf("only %d pictures of the screen, none at %d dB", len(got.Got()), videotest.MinPSNR)
		}
		if r := got.Got()[n-1]; r.Readable && r.Counter == 42 && r.PSNR >= videotest.MinPSNR {
			first = n - 1
		}
	}
	const after = 10 // a second at the screen's 10 fps
	if !got.Wait(first+1+after, waitTimeout) {
		t.Fatalf("the screen stalled after %d pictures", len(got.Got()))
	}
	for i, r := range got.Got()[first : first+1+after] {
		if !r.Readable || r.Counter != 42 || r.PSNR < videotest.MinPSNR {
			t.Fatalf("picture %d of the screen: counter %d (readable %v), PSNR %.1f dB", first+i, r.Counter, r.Readable, r.PSNR)
		}
	}
	t.Logf("the screen at %.1f dB from picture %d", got.Got()[first].PSNR, first)
	alice.SetScreenShare(false)
	bob.ev.waitCall(t, "bob drops alice's screen", hidesFeed("alice/screen"))
}
