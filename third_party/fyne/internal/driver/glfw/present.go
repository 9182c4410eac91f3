//go:build !wasm && !test_web_driver

package glfw

import (
	"image"
	"os"
	"sync/atomic"

	"github.com/go-gl/glfw/v3.3/glfw"
)

// softwarePresenter shows software-painted frames in one window.
type softwarePresenter interface {
	// present copies rects of frame (opaque, frame coordinates = window pixels) to the window.
	present(frame *image.NRGBA, rects []image.Rectangle)
	destroy()
}

// newSoftwarePresenter(w *glfw.Window) (softwarePresenter, error) and the
// constant hasSoftwarePresenter (false where newSoftwarePresenter always
// fails) are per platform: present_x11.go, present_windows.go,
// present_other.go.

// rendererEnv chooses the renderer: "gl" keeps OpenGL where the software
// renderer would be used.
const rendererEnv = "FYNE_RENDERER"

// wantSoftware says whether windows should first try the software
// renderer (a window without a GL context, painted in memory and shown
// by a softwarePresenter); where that fails they use GL.
func wantSoftware() bool {
	return os.Getenv(rendererEnv) != "gl"
}

// softwareStats counts the windows that paint in software and what they
// presented: frames, rectangles and their pixels.
var softwareStats struct {
	windows, frames, rects, pixels atomic.Int64
}

// RenderStats is for tests, through an interface assertion on the app's
// driver: how many windows are open that paint in software (0: all use
// GL), and the frames, rectangles and pixels they have presented so far.
func (d *gLDriver) RenderStats() (softwareWindows int, frames, rects, pixels int64) {
	return int(softwareStats.windows.Load()), softwareStats.frames.Load(), softwareStats.rects.Load(), softwareStats.pixels.Load()
}

// presentSoftware shows the rects of w's frame that its painter repainted,
// or all of it after an expose.
func (w *window) presentSoftware(rects []image.Rectangle) {
	frame := w.soft.Frame()
	if frame == nil {
		return
	}
	if w.exposed {
		w.exposed = false
		rects = []image.Rectangle{frame.Rect}
	}
	if len(rects) == 0 {
		return
	}
	w.presenter.present(nrgbaView(frame), rects)
	softwareStats.frames.Add(1)
	for _, r := range rects {
		softwareStats.rects.Add(1)
		softwareStats.pixels.Add(int64(r.Dx() * r.Dy()))
	}
}

// nrgbaView is rgba's pixels as an NRGBA image: the frame is opaque, where
// the two are the same bytes.
func nrgbaView(rgba *image.RGBA) *image.NRGBA {
	return &image.NRGBA{Pix: rgba.Pix, Stride: rgba.Stride, Rect: rgba.Rect}
}

// softwareFailed: a software presenter could not be made; windows use GL
// from then on.
var softwareFailed atomic.Bool

// createSoftware creates the window without a GL context, with a presenter
// for it; nil, nil where the software renderer is not wanted or cannot
// present (then the caller creates a GL window).
func (w *window) createSoftware(width, height int) (*glfw.Window, softwarePresenter) {
	if !hasSoftwarePresenter || !wantSoftware() || softwareFailed.Load() {
		return nil, nil // no presenter there (present_other.go): not even a trial window
	}
	glfw.WindowHint(glfw.ClientAPI, glfw.NoAPI)
	win, err := glfw.CreateWindow(width, height, w.title, nil, nil)
	if err != nil {
		softwareFailed.Store(true)
		return nil, nil
	}
	p, err := newSoftwarePresenter(win)
	if err != nil {
		softwareFailed.Store(true)
		win.Destroy()
		return nil, nil
	}
	return win, p
}

// destroySoftware ends the software presenter of a window being destroyed.
func (w *window) destroySoftware() {
	if w.presenter != nil {
		w.presenter.destroy()
		w.presenter = nil
		softwareStats.windows.Add(-1)
	}
}
