package app

import (
	"github.com/parley-voip/parley/media/video"
	"github.com/parley-voip/parley/media/vp8"
)

// The desktop app's cameras and screen (Settings → Devices, the call
// toolbar): SoftphoneConfig's openers, the chosen camera, a preview.

// CameraOptions lists the cameras and the chosen one for Settings.
type CameraOptions struct {
	Cameras  []video.Camera
	CameraID string // "" = the first
	// Problem says why no camera can be used ("" when one can).
	Problem string
}

// CameraOptions lists the cameras.
func (s *Softphone) CameraOptions() CameraOptions {
	o := CameraOptions{CameraID: s.settings.Camera()}
	switch {
	case !vp8.Available:
		o.Problem = ReasonNoVideoCodec
	case s.cfg.OpenCamera == nil:
		o.Problem = ReasonNoCamera
	default:
		o.Cameras = s.cameras()
		if len(o.Cameras) == 0 {
			o.Problem = ReasonNoCamera
		}
	}
	return o
}

func (s *Softphone) cameras() []video.Camera {
	if s.cfg.ListCameras == nil {
		return nil
	}
	return s.cfg.ListCameras()
}

// SetCameraDevice chooses the camera ("" = the first); it applies from
// the next time the camera is turned on.
func (s *Softphone) SetCameraDevice(id string) { s.settings.SetCamera(id) }

// OpenCameraPreview opens the chosen camera for Settings' preview; the
// caller closes it.
func (s *Softphone) OpenCameraPreview() (video.Source, error) {
	open := s.cameraOpener()
	if open == nil {
		return nil, video.ErrUnsupported
	}
	return open()
}

// cameraOpener is the Client's Camera: the chosen camera, nil when there
// is none.
func (s *Softphone) cameraOpener() func() (video.Source, error) {
	if s.cfg.OpenCamera == nil || !vp8.Available || len(s.cameras()) == 0 {
		return nil
	}
	return func() (video.Source, error) { return s.cfg.OpenCamera(s.settings.Camera()) }
}
