//go:build windows && !wasm && !test_web_driver

package glfw

import (
	"errors"

	"github.com/go-gl/glfw/v3.3/glfw"
)

// newSoftwarePresenter: not yet on Windows (GDI); the window uses GL.
func newSoftwarePresenter(*glfw.Window) (softwarePresenter, error) {
	return nil, errors.New("no software presenter on Windows yet")
}
