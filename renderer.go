package main

import (
	"log/slog"

	"fyne.io/fyne/v2"

	"github.com/parley-voip/parley/ui"
)

// logRenderer logs, once the app has started and its window exists, how
// it is drawn (ui.RendererName), so a report of a slow or blank window
// says which renderer drew it.
func logRenderer(a fyne.App, log *slog.Logger) {
	a.Lifecycle().SetOnStarted(func() {
		log.Info("renderer", "name", ui.RendererName(a.Driver()))
	})
}
