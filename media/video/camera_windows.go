package video

// Camera is one capture device as Settings lists it.
type Camera struct {
	ID    string
	Label string
}

// Cameras lists none on the Windows cross build: pion/mediadevices' Windows
// camera driver is C++ (DirectShow), which the mingw-w64 C compiler the
// build uses does not compile (docs/media.md).
func Cameras() []Camera { return nil }

// OpenCamera fails with ErrUnsupported on the Windows cross build.
func OpenCamera(string, int, int, float64) (Source, error) { return nil, ErrUnsupported }
