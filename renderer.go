package main

import (
	"log/slog"

	"fyne.io/fyne/v2"
)

// renderStats is what the carried Fyne's GLFW driver answers about its
// windows (third_party/fyne, present.go): how many paint in software,
// with no GL context, and the frames, rectangles and pixels they
// presented.
type renderStats interface {
	RenderStats() (softwareWindows int, frames, rects, pixels int64)
}

// rendererName says how the driver d draws the app's windows: "software"
// (painted in memory, only what changed, shown by X11 or GDI), "gl"
// (OpenGL: FYNE_RENDERER=gl, or where no software presenter exists or
// one could not be made) or "unknown" for a driver that does not say.
func rendererName(d fyne.Driver) string {
	rs, ok := d.(renderStats)
	if !ok {
		return "unknown"
	}
	if n, _, _, _ := rs.RenderStats(); n > 0 {
		return "software"
	}
	return "gl"
}

// logRenderer logs, once the app has started and its window exists, how
// it is drawn, so a report of a slow or blank window says which renderer
// drew it.
func logRenderer(a fyne.App, log *slog.Logger) {
	a.Lifecycle().SetOnStarted(func() {
		log.Info("renderer", "name", rendererName(a.Driver()))
	})
}
