package ui

import (
	"math"

	"fyne.io/fyne/v2/widget"
)

// meterSteps is how finely a level meter moves: a change smaller than one
// step (1/20 of the bar, 3 dB on the app's -60..0 dBFS scale) is not
// drawn. Every redraw repaints the window, so the meters redraw only when
// what they show changes.
const meterSteps = 20

// levelMeter is a bar for an audio level in [0, 1]. It redraws only when
// the level moves by at least one step.
type levelMeter struct {
	*widget.ProgressBar
	redraws int // how often it redrew, for tests
}

func newLevelMeter() *levelMeter {
	b := widget.NewProgressBar()
	b.TextFormatter = func() string { return "" }
	return &levelMeter{ProgressBar: b}
}

// SetLevel shows v, rounded to a step; it redraws nothing when the
// rounded level is what the bar shows already. Call it on Fyne's thread.
func (m *levelMeter) SetLevel(v float64) {
	q := math.Round(min(max(v, 0), 1)*meterSteps) / meterSteps
	if q == m.Value {
		return
	}
	m.redraws++
	m.SetValue(q)
}
