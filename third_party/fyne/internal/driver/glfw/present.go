package glfw

import "image"

// softwarePresenter shows software-painted frames in one window.
type softwarePresenter interface {
	// present copies rects of frame (opaque, frame coordinates = window pixels) to the window.
	present(frame *image.NRGBA, rects []image.Rectangle)
	destroy()
}
