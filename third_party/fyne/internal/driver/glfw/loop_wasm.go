//go:build wasm || test_web_driver

package glfw

import (
	"image"

	"fyne.io/fyne/v2"

	"github.com/fyne-io/gl-js"
	"github.com/fyne-io/glfw-js"
)

func (d *gLDriver) initGLFW() {
	err := glfw.Init(gl.ContextWatcher)
	if err != nil {
		fyne.LogError("failed to initialise GLFW", err)
		return
	}
}

func (d *gLDriver) pollEvents() {
	glfw.PollEvents() // This call blocks while window is being resized, which prevents freeDirtyTextures from being called
}

// canWait is false here: the main loop ticks at 60 Hz all the time.
const canWait = false

func (d *gLDriver) waitEvents() {}

func postEmptyEvent() {}

func (d *gLDriver) Terminate() {
	glfw.Terminate()
}

func (w *window) presentSoftware([]image.Rectangle) {}

func (w *window) destroySoftware() {}
