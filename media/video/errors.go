package video

import "errors"

var (
	// ErrClosed: the source, sender or receiver was closed.
	ErrClosed = errors.New("video: closed")
	// ErrInvalidConfig: a Config or option is out of range.
	ErrInvalidConfig = errors.New("video: invalid config")
	// ErrNoCamera: no camera was found, or the one asked for is gone.
	ErrNoCamera = errors.New("video: no camera")
	// ErrNoScreen: the display could not be opened or captured.
	ErrNoScreen = errors.New("video: no screen")
	// ErrUnsupported: this build has no such capture (e.g. screen capture
	// off X11 and Windows, a display by name on Windows).
	ErrUnsupported = errors.New("video: not supported in this build")
)
