//go:build !(linux && cgo)

package video

// OpenScreen is X11 only in this build: elsewhere it fails with
// ErrUnsupported (docs/media.md).
func OpenScreen(cfg ScreenConfig) (Source, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return nil, ErrUnsupported
}
