package ui

import (
	"errors"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/parley-voip/parley/app"
	"github.com/parley-voip/parley/media/video"
)

// CameraActions are Settings → Devices' camera picker and preview; the
// page shows them when its SettingsActions implement them too (Main
// does, passing them on to a Controller that has them).
type CameraActions interface {
	CameraOptions() app.CameraOptions
	SetCameraDevice(id string)
	// OpenCameraPreview opens the chosen camera; the caller closes it.
	OpenCameraPreview() (video.Source, error)
}

// Texts of the camera settings; tests look for them.
const (
	TextCamera      = "Camera"
	TextFirstCamera = "The first camera"
	TextPreview     = "Preview"
	TextStopPreview = "Stop preview"
	TextNoPreview   = "Could not open the camera: "
)

// The preview's size: 16:9, small enough for the settings page.
const previewW, previewH = 240, 135

// cameraSettings is the camera part of Settings → Devices: which camera
// calls use, and a preview of it. Without a camera it says why.
func cameraSettings(act CameraActions, page *SettingsPage) fyne.CanvasObject {
	o := act.CameraOptions()
	problem := wrapped(widget.NewLabel(o.Problem))
	problem.Importance = widget.WarningImportance
	setVisible(problem, o.Problem != "")
	ids := map[string]string{TextFirstCamera: ""}
	labels := []string{TextFirstCamera}
	current := TextFirstCamera
	for _, c := range o.Cameras {
		label := c.Label
		if _, dup := ids[label]; dup || label == "" {
			label = c.Label + " (" + c.ID + ")"
		}
		ids[label] = c.ID
		labels = append(labels, label)
		if c.ID == o.CameraID && o.CameraID != "" {
			current = label
		}
	}
	pick := widget.NewSelect(labels, func(l string) { act.SetCameraDevice(ids[l]) })
	pick.Selected = current
	img := canvas.NewImageFromImage(nil)
	img.FillMode = canvas.ImageFillContain
	img.ScaleMode = canvas.ImageScaleFastest
	img.SetMinSize(fyne.NewSize(previewW, previewH))
	img.Hide()
	pv := &preview{img: img}
	var btn *widget.Button
	btn = widget.NewButtonWithIcon(TextPreview, theme.MediaVideoIcon(), func() {
		if pv.running() {
			pv.stop()
			btn.SetText(TextPreview)
			return
		}
		if err := pv.start(act); err != nil {
			problem.SetText(TextNoPreview + err.Error())
			problem.Show()
			return
		}
		btn.SetText(TextStopPreview)
	})
	if len(o.Cameras) == 0 {
		pick.Disable()
		btn.Disable()
	}
	prev := page.stop
	page.stop = func() {
		pv.stop()
		if prev != nil {
			prev()
		}
	}
	form := widget.NewForm(widget.NewFormItem(TextCamera, pick), widget.NewFormItem("", container.NewHBox(btn)))
	return container.NewVBox(form, container.NewCenter(img), problem)
}

// preview shows a camera's pictures in img until stopped.
type preview struct {
	img  *canvas.Image
	mu   sync.Mutex
	src  video.Source
	done chan struct{}
}

func (p *preview) running() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.src != nil
}

func (p *preview) start(act CameraActions) error {
	src, err := act.OpenCameraPreview()
	if err != nil {
		return err
	}
	p.mu.Lock()
	p.src, p.done = src, make(chan struct{})
	done := p.done
	p.mu.Unlock()
	p.img.Show()
	go func() {
		defer close(done)
		for {
			fr, err := src.ReadFrame()
			if err != nil {
				if !errors.Is(err, video.ErrClosed) {
					onUI(func() { p.img.Hide() })
				}
				return
			}
			onUI(func() {
				p.img.Image = fr.Image
				p.img.Refresh()
			})
		}
	}()
	return nil
}

func (p *preview) stop() {
	p.mu.Lock()
	src, done := p.src, p.done
	p.src = nil
	p.mu.Unlock()
	if src == nil {
		return
	}
	_ = src.Close()
	<-done
	p.img.Hide()
}

// CameraOptions are the Controller's cameras; none when it has no video.
func (m *Main) CameraOptions() app.CameraOptions {
	if c, ok := m.Controller.(CameraActions); ok {
		return c.CameraOptions()
	}
	return app.CameraOptions{Problem: app.ReasonNoCamera}
}

// SetCameraDevice chooses the camera, when the Controller can.
func (m *Main) SetCameraDevice(id string) {
	if c, ok := m.Controller.(CameraActions); ok {
		c.SetCameraDevice(id)
	}
}

// OpenCameraPreview opens the Controller's chosen camera.
func (m *Main) OpenCameraPreview() (video.Source, error) {
	if c, ok := m.Controller.(CameraActions); ok {
		return c.OpenCameraPreview()
	}
	return nil, video.ErrUnsupported
}
