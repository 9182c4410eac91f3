package ui

import (
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// meterSteps is how finely a level meter moves: a change smaller than one
// step (1/20 of the bar, 3 dB on the app's -60..0 dBFS scale) is not
// drawn. Every redraw repaints the window, so the meters redraw only when
// what they show changes.
const meterSteps = 20

// levelMeter is a bar for an audio level in [0, 1]: the level in the
// theme's primary colour over a track of the same colour at half alpha,
// as Fyne's progress bar draws it, but as two square-cornered rectangles
// and no text, the cheapest objects to paint in software GL (a progress
// bar is two rounded rectangles, whose shader computes the corners for
// every pixel, and a label). It redraws only when the level moves by at
// least one step.
type levelMeter struct {
	widget.BaseWidget
	Value   float64 // the level shown, rounded to a step
	redraws int     // how often it redrew, for tests
}

func newLevelMeter() *levelMeter {
	m := &levelMeter{}
	m.ExtendBaseWidget(m)
	return m
}

// SetLevel shows v, rounded to a step; it redraws nothing when the
// rounded level is what the bar shows already. Call it on Fyne's thread.
func (m *levelMeter) SetLevel(v float64) {
	q := math.Round(min(max(v, 0), 1)*meterSteps) / meterSteps
	if q == m.Value {
		return
	}
	m.redraws++
	m.Value = q
	m.Refresh()
}

func (m *levelMeter) CreateRenderer() fyne.WidgetRenderer {
	r := &meterRenderer{m: m, track: canvas.NewRectangle(color.Transparent), bar: canvas.NewRectangle(color.Transparent)}
	r.Refresh()
	return r
}

type meterRenderer struct {
	m          *levelMeter
	track, bar *canvas.Rectangle
}

func (r *meterRenderer) Layout(size fyne.Size) {
	r.track.Resize(size)
	r.bar.Resize(fyne.NewSize(size.Width*float32(r.m.Value), size.Height))
}

// MinSize is a progress bar's: a line of text and inner padding around it.
func (r *meterRenderer) MinSize() fyne.Size {
	th := r.m.Theme()
	pad := 2 * th.Size(theme.SizeNameInnerPadding)
	h := fyne.MeasureText("0", th.Size(theme.SizeNameText), fyne.TextStyle{}).Height
	return fyne.NewSize(pad, h+pad)
}

func (r *meterRenderer) Refresh() {
	th := r.m.Theme()
	primary := th.Color(theme.ColorNamePrimary, fyne.CurrentApp().Settings().ThemeVariant())
	track := color.NRGBAModel.Convert(primary).(color.NRGBA)
	track.A /= 2
	r.bar.FillColor, r.track.FillColor = primary, track
	// Nothing to paint where the bar is full or empty.
	r.track.Hidden, r.bar.Hidden = r.m.Value == 1, r.m.Value == 0
	r.Layout(r.m.Size())
	r.track.Refresh()
	r.bar.Refresh()
}

func (r *meterRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.track, r.bar} }
func (r *meterRenderer) Destroy()                     {}
