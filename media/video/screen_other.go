//go:build !(linux && cgo) && !(windows && cgo)

package video

// OpenScreen is X11 (Linux) and GDI (Windows) only: elsewhere it fails with
// ErrUnsupported (docs/media.md).
func OpenScreen(cfg ScreenConfig) (Source, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return nil, ErrUnsupported
}
