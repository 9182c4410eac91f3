//go:build windows && cgo

package video_test

import (
	"errors"
	"image"
	"math"
	"testing"
	"time"

	"github.com/parley-voip/parley/media/quality"
	"github.com/parley-voip/parley/media/video"
	"github.com/parley-voip/parley/media/video/videotest"
)

// TestScreenCaptureGDI: a GDI capture of the Windows screen gives exactly
// what was drawn on it, counter included (run under Wine by
// scripts/test-windows.sh, where the screen is Xvfb's).
func TestScreenCaptureGDI(t *testing.T) {
	rgb, want := videotest.ScreenContent(newPattern(t, 0), 42)
	src, err := video.OpenScreen(video.DefaultScreenConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	r := want.Rect
	deadline := time.Now().Add(videotest.Timeout)
	for {
		videotest.PaintScreen(t, rgb)
		f, err := src.ReadFrame()
		if err != nil {
			t.Fatal(err)
		}
		s := f.Image.Rect
		if s.Dx()%2 != 0 || s.Dy()%2 != 0 || s.Dx() < r.Dx() || s.Dy() < r.Dy() {
			t.Fatalf("screen captured at %v: odd, or smaller than %v", s, r)
		}
		got := f.Image.SubImage(r).(*image.YCbCr)
		if quality.PSNR(want, got) == math.Inf(1) {
			if n, ok := video.ReadCounter(got); !ok || n != 42 {
				t.Fatalf("counter %d, %v", n, ok)
			}
			t.Logf("screen %v, the painted %v read back exactly", s, r)
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the capture never showed the painted content (%.1f dB)", quality.PSNR(want, got))
		}
	}
}

// TestScreenErrorsGDI: a window that does not exist and a display by name
// (Windows has none) are refused with their errors.
func TestScreenErrorsGDI(t *testing.T) {
	cfg := video.DefaultScreenConfig()
	cfg.Window = 0x7ffffff0
	if _, err := video.OpenScreen(cfg); !errors.Is(err, video.ErrNoScreen) {
		t.Fatalf("a window that does not exist: %v, want ErrNoScreen", err)
	}
	cfg = video.DefaultScreenConfig()
	cfg.Display = ":0"
	if _, err := video.OpenScreen(cfg); !errors.Is(err, video.ErrUnsupported) {
		t.Fatalf("a display by name: %v, want ErrUnsupported", err)
	}
	cfg = video.DefaultScreenConfig()
	cfg.FrameRate = 0
	if _, err := video.OpenScreen(cfg); !errors.Is(err, video.ErrInvalidConfig) {
		t.Fatalf("frame rate 0: %v, want ErrInvalidConfig", err)
	}
}
