//go:build !((linux || freebsd || openbsd || netbsd) && !wayland) && !windows && !wasm && !test_web_driver

package glfw

import (
	"errors"

	"github.com/go-gl/glfw/v3.3/glfw"
)

// newSoftwarePresenter: no software presenter here (macOS, Wayland); the
// window uses GL.
func newSoftwarePresenter(*glfw.Window) (softwarePresenter, error) {
	return nil, errors.New("no software presenter on this platform")
}
