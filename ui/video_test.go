package ui

import (
	"image"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
	"github.com/parley-voip/parley/media/video"
)

// videoFake is the fake app with video: it records the toolbar's asks and
// serves each feed the synthetic camera's frames, one more per next().
type videoFake struct {
	*fakeController
	pattern *video.Pattern
	mu      sync.Mutex
	seq     map[string]uint64
	asked   map[string]int // VideoFrame calls by key
	camera  []bool
	screen  []bool
	chosen  []string
	opened  int
}

func newVideoFake(t *testing.T) *videoFake {
	p, err := video.NewPattern(video.DefaultPatternConfig())
	if err != nil {
		t.Fatal(err)
	}
	return &videoFake{fakeController: newFake(), pattern: p, seq: map[string]uint64{}, asked: map[string]int{}}
}

func (f *videoFake) SetCamera(on bool)      { f.camera = append(f.camera, on) }
func (f *videoFake) SetScreenShare(on bool) { f.screen = append(f.screen, on) }

func (f *videoFake) VideoFrame(key string) (*image.YCbCr, uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.asked[key]++
	n := f.seq[key]
	if n == 0 {
		return nil, 0
	}
	return f.pattern.Render(uint32(n)), n
}

// next gives the feed with key a new picture.
func (f *videoFake) next(key string) {
	f.mu.Lock()
	f.seq[key]++
	f.mu.Unlock()
}

func (f *videoFake) CameraOptions() app.CameraOptions {
	return app.CameraOptions{Cameras: []video.Camera{{ID: "cam1", Label: "Desk camera"}, {ID: "cam2", Label: "Document camera"}},
		CameraID: f.settings.Camera()}
}
func (f *videoFake) SetCameraDevice(id string) {
	f.chosen = append(f.chosen, id)
	f.settings.SetCamera(id)
}
func (f *videoFake) OpenCameraPreview() (video.Source, error) {
	f.opened++
	return video.NewPattern(video.DefaultPatternConfig())
}

// videoScreen is a call screen over f whose video area polls only when
// the test says (no ticker).
func videoScreen(t *testing.T, f *videoFake, c app.CallInfo) (*CallScreen, fyne.Window) {
	t.Helper()
	newTestApp(t)
	s := NewCallScreen(f, func() {}, func() {})
	s.video.interval = 0
	s.Update(c)
	w := test.NewTempWindow(t, s.Object())
	w.Resize(WindowSize)
	return s, w
}

func videoCall() app.CallInfo {
	c := e2eeCall()
	c.Camera = true
	c.Video = []app.VideoFeed{{Key: "bob/camera", From: "bob", Kind: app.VideoCamera},
		{Key: "alice/camera", From: "alice", Kind: app.VideoCamera, Self: true}}
	return c
}

// The toolbar's camera and screen-share buttons: they ask the app, say
// what the next tap does, and are disabled with the reason where they
// cannot be used.
func TestVideoToolbar(t *testing.T) {
	f := newVideoFake(t)
	c := e2eeCall()
	s, _ := videoScreen(t, f, c)
	tips := iconButtons(t, s.Object())
	cam, scr := tips[TextCameraOn], tips[TextShareScreen]
	if cam == nil || scr == nil || !cam.Visible() || cam.Disabled() {
		t.Fatalf("no camera or share button: %v", tips)
	}
	test.Tap(cam)
	test.Tap(scr)
	if len(f.camera) != 1 || !f.camera[0] || len(f.screen) != 1 || !f.screen[0] {
		t.Fatalf("taps: camera %v, screen %v", f.camera, f.screen)
	}
	c.Camera = true
	s.Update(c)
	if s.vbtn.camera.Tooltip != TextCameraOff {
		t.Fatalf("camera on: tooltip %q", s.vbtn.camera.Tooltip)
	}
	test.Tap(s.vbtn.camera)
	if len(f.camera) != 2 || f.camera[1] {
		t.Fatalf("second tap: %v", f.camera)
	}
	c.Camera, c.CameraUnavailable, c.ScreenUnavailable = false, app.ReasonNoCamera, app.ReasonNoScreen
	s.Update(c)
	if !s.vbtn.camera.Disabled() || s.vbtn.camera.Tooltip != TextCameraOn+" — "+app.ReasonNoCamera {
		t.Fatalf("no camera: disabled %v, tooltip %q", s.vbtn.camera.Disabled(), s.vbtn.camera.Tooltip)
	}
	if !s.vbtn.screen.Disabled() || s.vbtn.screen.Tooltip != TextShareScreen+" — "+app.ReasonNoScreen {
		t.Fatalf("no screen: disabled %v, tooltip %q", s.vbtn.screen.Disabled(), s.vbtn.screen.Tooltip)
	}
	c.State = app.CallConnecting
	s.Update(c)
	if s.vbtn.camera.Visible() {
		t.Fatal("camera button before the call is connected")
	}
}

// Remote video fills the call area with the lock and the security code
// still on show, the self view in its corner; each tile is redrawn only
// when its feed has a new picture, and nothing is asked for once the call
// ends.
func TestVideoArea(t *testing.T) {
	f := newVideoFake(t)
	c := videoCall()
	s, w := videoScreen(t, f, c)
	if s.middle.Visible() || !s.video.root.Visible() {
		t.Fatal("remote video does not replace the avatar")
	}
	if !s.lock.Visible() || s.badge.Text != TextE2EE {
		t.Fatal("the lock is hidden by the video")
	}
	if !s.video.codeAt.Visible() || s.video.code.Text != TextCodeCaption+"  0123 4567 8901 2345 6789" {
		t.Fatalf("code over the video: %q (visible %v)", s.video.code.Text, s.video.code.Visible())
	}
	if !s.video.selfAt.Visible() || len(s.video.remote) != 1 {
		t.Fatalf("self view %v, %d remote tiles", s.video.selfAt.Visible(), len(s.video.remote))
	}
	if n := s.video.Poll(); n != 0 {
		t.Fatalf("%d tiles redrawn before any picture", n)
	}
	f.next("bob/camera")
	f.next("alice/camera")
	if n := s.video.Poll(); n != 2 {
		t.Fatalf("%d tiles redrawn, want both", n)
	}
	if n := s.video.Poll(); n != 0 {
		t.Fatalf("%d tiles redrawn without a new picture", n)
	}
	f.next("bob/camera")
	if n := s.video.Poll(); n != 1 {
		t.Fatalf("%d tiles redrawn, want bob's", n)
	}
	if s.video.remote[0].img.Image == nil || s.video.remote[0].name.Text != bob.Label() {
		t.Fatalf("bob's tile: image %v, name %q", s.video.remote[0].img.Image != nil, s.video.remote[0].name.Text)
	}
	fits(t, w, WindowSize, "video call")
	test.AssertRendersToImage(t, "call_video_e2ee.png", w.Canvas())

	ended := c
	ended.State = app.CallEnded
	s.Update(ended)
	f.next("bob/camera")
	before := f.asked["bob/camera"]
	if n := s.video.Poll(); n != 0 || f.asked["bob/camera"] != before || s.video.root.Visible() {
		t.Fatalf("the ended call's video is still polled: %d redrawn", n)
	}
	if !s.middle.Visible() {
		t.Fatal("the ended call does not show its state")
	}
}

// A group call shows every participant's video in a grid; the speaker's
// tile is highlighted.
func TestVideoGrid(t *testing.T) {
	f := newVideoFake(t)
	c := plainCall()
	c.ViaService, c.Group = true, true
	c.Participants = []app.Participant{{ID: "alice", Name: "Alice", Me: true}, {ID: "bob", Name: "Bob", Speaking: true, Camera: true},
		{ID: "carol", Name: "Carol", Camera: true}, {ID: "dave", Name: "Dave", Screen: true}}
	c.Video = []app.VideoFeed{{Key: "bob/camera", From: "bob"}, {Key: "carol/camera", From: "carol"},
		{Key: "dave/screen", From: "dave", Kind: app.VideoScreen}}
	s, w := videoScreen(t, f, c)
	if len(s.video.remote) != 3 || len(s.video.grid.Objects) != 3 {
		t.Fatalf("%d tiles", len(s.video.remote))
	}
	names := []string{"Bob", "Carol", "Dave's screen"}
	for i, tile := range s.video.remote {
		if tile.name.Text != names[i] {
			t.Errorf("tile %d: %q, want %q", i, tile.name.Text, names[i])
		}
		lit := tile.frame.StrokeColor != nil && tile.frame.StrokeColor != (s.video.remote[1].frame.StrokeColor)
		if (i == 0) != lit {
			t.Errorf("tile %d (%s) highlighted %v", i, names[i], lit)
		}
	}
	if s.video.codeAt.Visible() {
		t.Fatal("a security code over a call without E2EE")
	}
	for _, k := range []string{"bob/camera", "carol/camera", "dave/screen"} {
		f.next(k)
	}
	s.video.Poll()
	fits(t, w, WindowSize, "group video")
	test.AssertRendersToImage(t, "call_video_group.png", w.Canvas())
}

// Settings → Devices lists the cameras, remembers the choice and shows a
// preview of the chosen camera.
func TestCameraSettings(t *testing.T) {
	f := newVideoFake(t)
	m, _ := signedIn(t, f, WindowSize)
	m.OpenSettings()
	p := m.Settings()
	p.Select("Devices")
	var pick *widget.Select
	var preview *widget.Button
	walk(t, p.Object(), func(x fyne.CanvasObject) {
		if s, ok := x.(*widget.Select); ok && len(s.Options) > 0 && s.Options[0] == TextFirstCamera {
			pick = s
		}
		if b, ok := x.(*widget.Button); ok && b.Text == TextPreview {
			preview = b
		}
	})
	if pick == nil || preview == nil || pick.Disabled() {
		t.Fatal("no camera picker or preview button")
	}
	if len(pick.Options) != 3 || pick.Options[2] != "Document camera" {
		t.Fatalf("cameras: %v", pick.Options)
	}
	pick.SetSelected("Document camera")
	if len(f.chosen) != 1 || f.chosen[0] != "cam2" || f.settings.Camera() != "cam2" {
		t.Fatalf("chosen %v", f.chosen)
	}
	test.Tap(preview)
	if f.opened != 1 || preview.Text != TextStopPreview {
		t.Fatalf("preview: opened %d, button %q", f.opened, preview.Text)
	}
	test.Tap(preview)
	if preview.Text != TextPreview {
		t.Fatalf("preview not stopped: %q", preview.Text)
	}
}
