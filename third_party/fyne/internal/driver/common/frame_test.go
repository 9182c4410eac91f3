package common

import (
	"bytes"
	"image/color"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/internal"
	"fyne.io/fyne/v2/internal/driver"
	"fyne.io/fyne/v2/internal/painter/software"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// paintFrame is one frame of the GLFW driver with the software renderer
// (its repaintWindow and glCanvas.paint): EnsureMinSize, the freeing of
// the refreshed objects, then Replace for the changed leaves or the paint
// walk, and Finish. It says whether it replaced.
func paintFrame(c *Canvas, p *software.FramePainter, size fyne.Size) (replaced bool) {
	c.EnsureMinSize()
	c.FreeDirtyTextures()
	if leaves, ok := c.ChangedObjects(); ok {
		replaced = true
		for _, l := range leaves {
			if !p.Replace(l.Obj, l.Pos, l.Clip) {
				replaced = false
				break
			}
		}
	}
	if !replaced {
		walkPaint(c, p, size)
	}
	p.Finish()
	return replaced
}

// walkPaint is glCanvas.paint's walk: Clear, then Paint for each object.
func walkPaint(c *Canvas, p *software.FramePainter, size fyne.Size) {
	p.Clear()
	clips := &internal.ClipStack{}
	c.WalkTrees(func(node *RenderCacheNode, pos fyne.Position) {
		obj := node.Obj()
		if driver.IsClip(obj) {
			inner := clips.Push(pos, obj.Size())
			p.StartClipping(inner.Rect())
		}
		p.Paint(obj, pos, size)
	}, func(node *RenderCacheNode, _ fyne.Position) {
		if driver.IsClip(node.Obj()) {
			clips.Pop()
			if top := clips.Top(); top != nil {
				p.StartClipping(top.Rect())
			} else {
				p.StopClipping()
			}
		}
	})
}

// meterWindow is a window of rows of a label, a button and two
// rectangles, with a meter and a timer (monospaced text) in one row and a
// scroller, painted by the software renderer.
type meterWindow struct {
	c     *Canvas
	p     *software.FramePainter
	size  fyne.Size
	meter *meter
	timer *canvas.Text
	box   *canvas.Rectangle // in the scroller
}

// meter is a widget of a bar and a peak mark (hidden at first), as the
// app's level meter.
type meter struct {
	widget.BaseWidget
	rect, peak *canvas.Rectangle
}

func newMeter() *meter {
	m := &meter{rect: rect(40, 10, color.NRGBA{R: 255, A: 255}), peak: rect(4, 10, color.White)}
	m.rect.Resize(fyne.NewSize(40, 10))
	m.peak.Hide()
	m.ExtendBaseWidget(m)
	return m
}

func (m *meter) CreateRenderer() fyne.WidgetRenderer {
	return &meterRenderer{m: m}
}

type meterRenderer struct{ m *meter }

func (r *meterRenderer) Layout(size fyne.Size) {
	r.m.rect.Resize(fyne.NewSize(r.m.rect.Size().Width, size.Height))
	r.m.peak.Move(fyne.NewPos(size.Width-4, 0))
	r.m.peak.Resize(fyne.NewSize(4, size.Height))
}
func (r *meterRenderer) MinSize() fyne.Size           { return fyne.NewSize(40, 10) }
func (r *meterRenderer) Refresh()                     {}
func (r *meterRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.m.rect, r.m.peak} }
func (r *meterRenderer) Destroy()                     {}

func rect(w, h float32, c color.Color) *canvas.Rectangle {
	r := canvas.NewRectangle(c)
	r.SetMinSize(fyne.NewSize(w, h))
	return r
}

func newMeterWindow(t testing.TB, rows int) *meterWindow {
	test.NewTempApp(t)
	w := &meterWindow{meter: newMeter(), timer: canvas.NewText("00:01", color.White), box: rect(30, 10, color.White)}
	w.timer.TextStyle.Monospace = true
	objs := make([]fyne.CanvasObject, 0, rows+2)
	for i := 0; i < rows; i++ {
		o1, o2 := rect(20, 10, color.NRGBA{R: 200, A: 255}), rect(20, 10, color.NRGBA{B: 200, A: 255})
		objs = append(objs, container.NewHBox(widget.NewLabel("row"), widget.NewButton("press", nil), o1, o2))
	}
	scroll := container.NewVScroll(container.NewVBox(w.box, widget.NewLabel("in a scroller")))
	scroll.SetMinSize(fyne.NewSize(100, 30))
	objs = append(objs[:rows/2], append([]fyne.CanvasObject{
		container.NewHBox(widget.NewLabel("mic"), w.meter, w.timer), scroll}, objs[rows/2:]...)...)
	w.c, w.p, w.size = newPaintedCanvas(container.NewVBox(objs...))
	return w
}

// newPaintedCanvas is a canvas of content, at least 400 wide, painted
// once by the software renderer.
func newPaintedCanvas(content fyne.CanvasObject) (*Canvas, *software.FramePainter, fyne.Size) {
	impl := sizedCanvas{test.NewCanvas()}
	impl.SetPadded(false)
	impl.SetContent(content)
	size := content.MinSize().Max(fyne.NewSize(400, 0))
	impl.Resize(size)
	c := &Canvas{}
	c.Initialize(impl, func() {})
	c.SetContentTreeAndFocusMgr(content)
	p := software.NewFramePainter(impl)
	p.SetOutputSize(int(size.Width), int(size.Height))
	c.SetPainter(p)
	paintFrame(c, p, size)
	return c, p, size
}

// fixedLayout lays its objects over its whole size and has a fixed
// MinSize, whatever its objects.
type fixedLayout struct{}

func (fixedLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Resize(size)
	}
}
func (fixedLayout) MinSize([]fyne.CanvasObject) fyne.Size { return fyne.NewSize(40, 10) }

// toggler is a widget of a fixed MinSize whose renderer shows one
// rectangle or none.
type toggler struct {
	widget.BaseWidget
	rect  *canvas.Rectangle
	shown bool
}

func (t *toggler) CreateRenderer() fyne.WidgetRenderer { return &togglerRenderer{t: t} }

type togglerRenderer struct{ t *toggler }

func (r *togglerRenderer) Layout(size fyne.Size) { r.t.rect.Resize(size) }
func (r *togglerRenderer) MinSize() fyne.Size    { return fyne.NewSize(40, 10) }
func (r *togglerRenderer) Refresh()              { r.Layout(r.t.Size()) }
func (r *togglerRenderer) Destroy()              {}
func (r *togglerRenderer) Objects() []fyne.CanvasObject {
	if r.t.shown {
		return []fyne.CanvasObject{r.t.rect}
	}
	return nil
}

// A container whose last object is removed, and a widget whose renderer
// shows none any more, both refreshed and keeping their MinSize: the
// frame must not keep the object painted (the walk of the changed objects
// sees a node with children it no longer has, and the frame walks).
func TestFrameOfAnEmptiedObjectIsTheWalks(t *testing.T) {
	test.NewTempApp(t)
	gone := canvas.NewRectangle(color.NRGBA{R: 255, A: 255})
	box := container.New(fixedLayout{}, gone)
	tog := &toggler{rect: canvas.NewRectangle(color.NRGBA{G: 255, A: 255}), shown: true}
	tog.ExtendBaseWidget(tog)
	content := container.NewVBox(widget.NewLabel("top"), container.NewHBox(box, tog), widget.NewLabel("bottom"))
	c, p, size := newPaintedCanvas(content)
	ref := software.NewFramePainter(c.impl)
	ref.SetOutputSize(int(size.Width), int(size.Height))
	for _, step := range []struct {
		name   string
		change func() fyne.CanvasObject
	}{
		{"the container's only object removed", func() fyne.CanvasObject {
			box.Objects = nil
			return box
		}},
		{"the widget shows nothing", func() fyne.CanvasObject {
			tog.shown = false
			return tog
		}},
	} {
		refresh(c, step.change())
		if paintFrame(c, p, size) {
			t.Errorf("%s: replaced, want a walk", step.name)
		}
		walkPaint(c, ref, size)
		ref.Invalidate()
		ref.Finish()
		if !bytes.Equal(p.Frame().Pix, ref.Frame().Pix) {
			t.Errorf("%s: the frame differs from the walk's", step.name)
		}
	}
}

// A frame whose only changes are refreshed objects without children that
// kept their MinSize (a meter's bar resized and recoloured, a timer's
// monospaced digits, a rectangle in a scroller) replaces them without the
// walk, and paints what the walk paints; one that changes a MinSize, or
// after a SetDirty, walks.
func TestFrameOfRefreshedObjectsIsTheWalks(t *testing.T) {
	w := newMeterWindow(t, 20)
	ref := software.NewFramePainter(w.c.impl)
	ref.SetOutputSize(int(w.size.Width), int(w.size.Height))
	bar := w.meter.rect
	steps := []struct {
		name    string
		change  func() []fyne.CanvasObject
		replace bool
	}{
		{"meter shrinks", func() []fyne.CanvasObject {
			bar.Resize(fyne.NewSize(15, bar.Size().Height))
			return []fyne.CanvasObject{bar}
		}, true},
		{"meter grows, other colour", func() []fyne.CanvasObject {
			bar.Resize(fyne.NewSize(35, bar.Size().Height))
			bar.FillColor = color.NRGBA{G: 255, A: 255}
			return []fyne.CanvasObject{bar}
		}, true},
		{"timer ticks", func() []fyne.CanvasObject {
			w.timer.Text = "00:02"
			return []fyne.CanvasObject{w.timer}
		}, true},
		{"meter and timer", func() []fyne.CanvasObject {
			bar.Resize(fyne.NewSize(5, bar.Size().Height))
			w.timer.Text = "00:03"
			return []fyne.CanvasObject{bar, w.timer}
		}, true},
		{"in the scroller", func() []fyne.CanvasObject {
			w.box.FillColor = color.NRGBA{R: 255, G: 255, A: 255}
			return []fyne.CanvasObject{w.box}
		}, true},
		{"timer longer", func() []fyne.CanvasObject {
			w.timer.Text = "1:00:03"
			return []fyne.CanvasObject{w.timer}
		}, false},
		{"meter after a SetDirty", func() []fyne.CanvasObject {
			bar.Resize(fyne.NewSize(25, bar.Size().Height))
			w.c.SetDirty()
			return []fyne.CanvasObject{bar}
		}, false},
		{"a widget", func() []fyne.CanvasObject {
			bar.Resize(fyne.NewSize(30, bar.Size().Height))
			return []fyne.CanvasObject{w.meter}
		}, true},
		{"a meter's rectangle shown, its refresh lost", func() []fyne.CanvasObject {
			w.meter.peak.Hidden = false // a rectangle not on the canvas: its Refresh reaches none
			w.meter.peak.FillColor = color.NRGBA{B: 255, A: 255}
			return []fyne.CanvasObject{bar}
		}, false},
		{"a meter's rectangle hidden", func() []fyne.CanvasObject {
			w.meter.peak.Hidden = true
			bar.Resize(fyne.NewSize(20, bar.Size().Height))
			return []fyne.CanvasObject{bar}
		}, false},
		{"the meter again", func() []fyne.CanvasObject {
			bar.Resize(fyne.NewSize(10, bar.Size().Height))
			return []fyne.CanvasObject{bar}
		}, true},
		{"the meter a second after the last walk", func() []fyne.CanvasObject {
			bar.Resize(fyne.NewSize(12, bar.Size().Height))
			w.c.walked = time.Now().Add(-walkEvery)
			return []fyne.CanvasObject{bar}
		}, false},
	}
	for _, step := range steps {
		for _, o := range step.change() {
			refresh(w.c, o)
		}
		if got := paintFrame(w.c, w.p, w.size); got != step.replace {
			t.Errorf("%s: replaced %v, want %v", step.name, got, step.replace)
		}
		walkPaint(w.c, ref, w.size)
		ref.Invalidate()
		ref.Finish()
		if !bytes.Equal(w.p.Frame().Pix, ref.Frame().Pix) {
			t.Errorf("%s: the frame differs from the walk's", step.name)
		}
	}
}

// BenchmarkFrameOneMeter: a frame of the software renderer for a window of
// 30 rows of a label, a button and two rectangles, with a meter, a timer
// and a scroller in one row, whose only change is the meter's bar moving a
// step (the same MinSize), as a call screen's frames are: as the driver
// paints it (replace: no walk) and with the walk.
func BenchmarkFrameOneMeter(b *testing.B) {
	for _, mode := range []string{"replace", "walk"} {
		b.Run(mode, func(b *testing.B) {
			w := newMeterWindow(b, 30)
			bar := w.meter.rect
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				bar.Resize(fyne.NewSize(float32(10+i%20), bar.Size().Height))
				refresh(w.c, bar)
				if mode == "replace" {
					paintFrame(w.c, w.p, w.size)
					continue
				}
				w.c.EnsureMinSize()
				w.c.FreeDirtyTextures()
				walkPaint(w.c, w.p, w.size)
				w.p.Finish()
			}
		})
	}
}
