//go:build !((linux || freebsd || openbsd || netbsd) && !wayland) && !windows && !wasm && !test_web_driver

package glfw

import (
	"errors"

	"github.com/go-gl/glfw/v3.3/glfw"
)

// hasSoftwarePresenter: none here (macOS, Wayland); windows use GL, and
// no trial window is made.
const hasSoftwarePresenter = false

// newSoftwarePresenter: no software presenter here.
func newSoftwarePresenter(*glfw.Window) (softwarePresenter, error) {
	return nil, errors.New("no software presenter on this platform")
}
