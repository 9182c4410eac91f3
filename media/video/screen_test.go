//go:build linux && cgo

package video_test

import (
	"image"
	"math"
	"testing"
	"time"

	"github.com/parley-voip/parley/crypto/e2ee"
	"github.com/parley-voip/parley/media/quality"
	"github.com/parley-voip/parley/media/rtc"
	"github.com/parley-voip/parley/media/video"
	"github.com/parley-voip/parley/media/video/videotest"
	"github.com/parley-voip/parley/media/vp8"
)

// screenContent is videotest.ScreenContent.
func screenContent(t *testing.T, p *video.Pattern, n uint32) (*image.RGBA, *image.YCbCr) {
	t.Helper()
	return videotest.ScreenContent(p, n)
}

// paintedScreen starts a 640×360 Xvfb screen showing frame 42 of a
// pattern and opens it as a source: the display, the pattern (to paint
// further frames), the source (the caller closes it) and the picture the
// screen shows.
func paintedScreen(t *testing.T) (string, *video.Pattern, video.Source, *image.YCbCr) {
	t.Helper()
	display := videotest.Xvfb(t, 640, 360)
	p := newPattern(t, 0)
	rgb, want := screenContent(t, p, 42)
	videotest.PaintRoot(t, display, rgb)
	cfg := video.DefaultScreenConfig()
	cfg.Display = display
	src, err := video.OpenScreen(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return display, p, src, want
}

// grabUntil grabs from src until a picture scores at least psnr against
// want (the screen may take a moment to show what was painted).
func grabUntil(t *testing.T, src video.Source, want *image.YCbCr, psnr float64) *image.YCbCr {
	t.Helper()
	deadline := time.Now().Add(videotest.Timeout)
	for time.Now().Before(deadline) {
		f, err := src.ReadFrame()
		if err != nil {
			t.Fatal(err)
		}
		if quality.PSNR(want, f.Image) >= psnr {
			return f.Image
		}
	}
	t.Fatal("the screen never showed the painted content")
	return nil
}

// TestScreenCapture: capturing an Xvfb screen gives exactly what it shows,
// counter included.
func TestScreenCapture(t *testing.T) {
	_, _, src, want := paintedScreen(t)
	defer src.Close()
	got := grabUntil(t, src, want, math.Inf(1))
	if n, ok := video.ReadCounter(got); !ok || n != 42 {
		t.Fatalf("counter %d, %v", n, ok)
	}
	if _, err := video.OpenScreen(video.ScreenConfig{Display: ":999", FrameRate: 10}); err == nil {
		t.Fatal("a display that does not exist opened")
	}
}

// TestScreenShare: in an E2EE call A sends its camera and, as a second
// track tuned for detail (vp8.Detail, 10 fps), its Xvfb screen; B gets both
// and the screen track shows what A's screen shows (PSNR ≥ 30 dB against
// the lossless capture), following a change of content.
func TestScreenShare(t *testing.T) {
	display, p, screen, want := paintedScreen(t)
	grabUntil(t, screen, want, math.Inf(1))

	var tracks []*rtc.VideoTrack
	var remote <-chan *rtc.RemoteVideo
	pa, pb := videotest.Pair(t, func(a, b *rtc.Peer) {
		tracks, _ = videotest.SendAndReceive(t, a, "camera", "screen")
		_, remote = videotest.SendAndReceive(t, b)
	}, videotest.Sealed())
	ca, cb := videotest.Ciphers(t, pa, pb, e2ee.TrackAudio, e2ee.TrackCamera, e2ee.TrackScreen)
	camTrack, screenTrack := tracks[0], tracks[1]

	camCfg := video.DefaultSenderConfig()
	camCfg.Cipher = ca[1]
	cam, err := video.NewSender(p, camTrack, camCfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cam.Close() })
	shareCfg := video.DefaultSenderConfig()
	shareCfg.Cipher = ca[2]
	shareCfg.Encoder.Content = vp8.Detail
	shareCfg.Encoder.FrameRate = video.DefaultScreenFrameRate
	share, err := video.NewSender(screen, screenTrack, shareCfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = share.Close() })

	camSeen := videotest.NewCollector(p)
	var shown *latest
	for range 2 {
		rv := videotest.Remote(t, remote)
		var sink video.Sink = camSeen
		cipher := cb[1]
		if rv.Name() == "screen" {
			shown = &latest{frames: make(chan *image.YCbCr, 64)}
			sink, cipher = shown, cb[2]
		}
		r, err := video.NewReceiver(rv, video.ReceiverConfig{Cipher: cipher, Sink: sink})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = r.Close() })
	}
	if shown == nil {
		t.Fatal("no track named screen")
	}
	waitShown := func(want *image.YCbCr, n uint32) float64 {
		t.Helper()
		deadline := time.After(videotest.Timeout)
		for {
			select {
			case img := <-shown.frames:
				c, ok := video.ReadCounter(img)
				if q := quality.PSNR(want, img); ok && c == n && q >= minPSNR {
					return q
				}
			case <-deadline:
				t.Fatalf("the screen track never showed frame %d", n)
			}
		}
	}
	q1 := waitShown(want, 42)
	rgb2, want2 := screenContent(t, p, 43)
	videotest.PaintRoot(t, display, rgb2)
	q2 := waitShown(want2, 43)
	if !camSeen.Wait(30, videotest.Timeout) {
		t.Fatal("the camera track stalled")
	}
	checkRun(t, "camera", camSeen.Got(), 30)
	t.Logf("screen track: %.1f dB, then %.1f dB after the change; %+v", q1, q2, share.Stats())
}

// latest passes the screen track's pictures to the test.
type latest struct{ frames chan *image.YCbCr }

func (l *latest) WriteFrame(f video.Frame) {
	select {
	case l.frames <- f.Image:
	default: // the test looks at a few; the rest may go
	}
}

// TestWindowShare: sharing one window (ScreenConfig.Window, the id found
// by its title as a picker would) gives exactly that window's content at
// its size, not the screen around it.
func TestWindowShare(t *testing.T) {
	display := videotest.Xvfb(t, 640, 360)
	rgb, _ := screenContent(t, newPattern(t, 0), 42)
	videotest.PaintRoot(t, display, rgb)
	cfg := video.DefaultPatternConfig()
	cfg.Width, cfg.Height = 320, 180
	small, err := video.NewPattern(cfg)
	if err != nil {
		t.Fatal(err)
	}
	wrgb, want := screenContent(t, small, 7)
	id := videotest.ShowWindow(t, display, wrgb, "parley-shared-window", 200, 100)
	scfg := video.DefaultScreenConfig()
	scfg.Display, scfg.Window = display, id
	src, err := video.OpenScreen(scfg)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	got := grabUntil(t, src, want, math.Inf(1))
	if got.Rect.Dx() != 320 || got.Rect.Dy() != 180 {
		t.Fatalf("window captured at %v", got.Rect)
	}
	if n, ok := video.ReadCounter(got); !ok || n != 7 {
		t.Fatalf("counter %d, %v: not the window's content", n, ok)
	}
}
