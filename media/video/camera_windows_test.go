//go:build windows && cgo

package video_test

import (
	"errors"
	"testing"

	"github.com/parley-voip/parley/media/video"
)

// TestCamerasDirectShow: the Windows build lists cameras through
// pion/mediadevices' DirectShow driver; a machine with none (Wine, where
// scripts/test-windows.sh runs it) lists none and OpenCamera says
// ErrNoCamera, not ErrUnsupported as a build without a camera driver does.
func TestCamerasDirectShow(t *testing.T) {
	cams := video.Cameras()
	t.Logf("DirectShow cameras: %+v", cams)
	if len(cams) > 0 {
		src, err := video.OpenCamera(cams[0].ID, 640, 360, 30)
		if err != nil {
			t.Fatalf("open %s: %v", cams[0].Label, err)
		}
		defer src.Close()
		f, err := src.ReadFrame()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: a %v picture", cams[0].Label, f.Image.Rect)
		return
	}
	if _, err := video.OpenCamera("", 640, 360, 30); !errors.Is(err, video.ErrNoCamera) {
		t.Fatalf("no camera: OpenCamera gave %v, want ErrNoCamera", err)
	}
}
