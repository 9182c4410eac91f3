package ui

import "fyne.io/fyne/v2"

// Rendering is what the carried Fyne's GLFW driver (third_party/fyne,
// present.go) tells about how it draws: the open windows that paint in
// software, with no GL context, and the frames, rectangles and pixels
// they have presented so far.
type Rendering struct {
	SoftwareWindows       int
	Frames, Rects, Pixels int64
}

// Since is what was presented after earlier (the windows as now).
func (r Rendering) Since(earlier Rendering) Rendering {
	return Rendering{SoftwareWindows: r.SoftwareWindows, Frames: r.Frames - earlier.Frames,
		Rects: r.Rects - earlier.Rects, Pixels: r.Pixels - earlier.Pixels}
}

// renderStats is the driver's method behind Rendering.
type renderStats interface {
	RenderStats() (softwareWindows int, frames, rects, pixels int64)
}

// RenderingOf asks driver d how it draws; false for a driver that does
// not say (Fyne's test driver).
func RenderingOf(d fyne.Driver) (Rendering, bool) {
	rs, ok := d.(renderStats)
	if !ok {
		return Rendering{}, false
	}
	var r Rendering
	r.SoftwareWindows, r.Frames, r.Rects, r.Pixels = rs.RenderStats()
	return r, true
}

// RendererName says how driver d draws the app's windows: "software"
// (painted in memory, only what changed, shown by X11 or GDI), "gl"
// (OpenGL: FYNE_RENDERER=gl, or where no software presenter exists or
// one could not be made) or "unknown" for a driver that does not say.
func RendererName(d fyne.Driver) string {
	r, ok := RenderingOf(d)
	switch {
	case !ok:
		return "unknown"
	case r.SoftwareWindows > 0:
		return "software"
	default:
		return "gl"
	}
}
