//go:build !wasm && !test_web_driver

package glfw

import (
	"sync"

	"fyne.io/fyne/v2"

	"github.com/go-gl/glfw/v3.3/glfw"
)

func (d *gLDriver) initGLFW() {
	err := glfw.Init()
	if err != nil {
		fyne.LogError("failed to initialise GLFW", err)
		return
	}
	glfwUp.Lock()
	glfwUp.ready = true
	glfwUp.Unlock()

	initCursors()
}

func (d *gLDriver) pollEvents() {
	glfw.PollEvents() // This call blocks while window is being resized, which prevents freeDirtyTextures from being called
}

// canWait says the main loop may block in waitEvents when it has nothing to do.
const canWait = true

// waitEvents blocks until there are window events, which it handles, or
// postEmptyEvent is called.
func (d *gLDriver) waitEvents() {
	glfw.WaitEvents()
}

// glfwUp says whether GLFW is initialised; postEmptyEvent, which any
// goroutine may call, holds it so that GLFW is not terminated under it.
var glfwUp struct {
	sync.RWMutex
	ready bool
}

// postEmptyEvent makes waitEvents return; it may be called from any goroutine.
func postEmptyEvent() {
	glfwUp.RLock()
	defer glfwUp.RUnlock()
	if glfwUp.ready {
		glfw.PostEmptyEvent()
	}
}

func (d *gLDriver) Terminate() {
	glfwUp.Lock()
	glfwUp.ready = false
	glfwUp.Unlock()
	glfw.Terminate()
}
