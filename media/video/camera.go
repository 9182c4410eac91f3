package video

import (
	"fmt"
	"image"
	"sync"
	"time"

	"github.com/pion/mediadevices/pkg/driver"
	_ "github.com/pion/mediadevices/pkg/driver/camera" // V4L2, AVFoundation, DirectShow: registers the cameras
	"github.com/pion/mediadevices/pkg/io/video"
	"github.com/pion/mediadevices/pkg/prop"
)

// Camera is one capture device as Settings lists it.
type Camera struct {
	ID    string // stable within a run; pass to OpenCamera
	Label string
}

// Cameras lists the cameras pion/mediadevices found when the program started
// (Linux: /dev/video*, macOS: AVFoundation, Windows: DirectShow).
func Cameras() []Camera {
	var out []Camera
	for _, d := range driver.GetManager().Query(driver.FilterDeviceType(driver.Camera)) {
		out = append(out, Camera{ID: d.ID(), Label: d.Info().Label})
	}
	return out
}

// OpenCamera starts the camera id ("" for the first) at about w×h and fps
// and returns it as a Source of I420 pictures. The driver picks its nearest
// mode; pictures of another size are passed on as they come (the encoder
// follows the size).
func OpenCamera(id string, w, h int, fps float64) (Source, error) {
	filter := driver.FilterDeviceType(driver.Camera)
	if id != "" {
		filter = driver.FilterAnd(filter, driver.FilterID(id))
	}
	ds := driver.GetManager().Query(filter)
	if len(ds) == 0 {
		return nil, ErrNoCamera
	}
	d := ds[0]
	if err := d.Open(); err != nil {
		return nil, fmt.Errorf("%w: open %s: %w", ErrNoCamera, d.Info().Label, err)
	}
	rec, ok := d.(driver.VideoRecorder)
	if !ok {
		_ = d.Close()
		return nil, fmt.Errorf("%w: %s records no video", ErrNoCamera, d.Info().Label)
	}
	r, err := rec.VideoRecord(prop.Media{Video: prop.Video{Width: w, Height: h, FrameRate: float32(fps)}})
	if err != nil {
		_ = d.Close()
		return nil, fmt.Errorf("%w: record %s: %w", ErrNoCamera, d.Info().Label, err)
	}
	return &camera{d: d, r: video.ToI420(r)}, nil
}

type camera struct {
	d      driver.Driver
	r      video.Reader
	mu     sync.Mutex
	closed bool
}

func (c *camera) ReadFrame() (Frame, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return Frame{}, ErrClosed
	}
	img, release, err := c.r.Read()
	if err != nil {
		return Frame{}, fmt.Errorf("%w: read: %w", ErrNoCamera, err)
	}
	defer release()
	src, ok := img.(*image.YCbCr)
	if !ok {
		return Frame{}, fmt.Errorf("%w: driver gave %T", ErrNoCamera, img)
	}
	// The driver reuses its buffer: copy out.
	dst := NewI420(src.Rect.Dx(), src.Rect.Dy())
	copyI420(dst, src)
	return Frame{Image: dst, Captured: time.Now()}, nil
}

func (c *camera) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil
	}
	c.closed = true
	return c.d.Close()
}
