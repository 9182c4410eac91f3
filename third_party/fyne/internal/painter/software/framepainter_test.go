package software_test

import (
	"image"
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/internal/driver"
	"fyne.io/fyne/v2/internal/painter/software"
	"fyne.io/fyne/v2/test"
)

// frame paints c's content with p as the GLFW driver does (Clear, Paint
// for each visible object, Finish) and returns the damage.
func frame(p *software.FramePainter, c fyne.Canvas) []image.Rectangle {
	p.SetOutputSize(int(c.Size().Width), int(c.Size().Height))
	p.Clear()
	driver.WalkVisibleObjectTree(c.Content(), func(obj fyne.CanvasObject, pos, _ fyne.Position, size fyne.Size) bool {
		p.Paint(obj, pos, size)
		return false
	}, nil)
	return p.Finish()
}

// sameAsTestPainter fails unless p's frame is within rounding of the
// test painter's image of c.
func sameAsTestPainter(t *testing.T, p *software.FramePainter, c test.WindowlessCanvas, when string) {
	t.Helper()
	want := c.Capture()
	got := p.Capture(c)
	b := want.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			w := color.NRGBAModel.Convert(want.At(x, y)).(color.NRGBA)
			g := color.NRGBAModel.Convert(got.At(x, y)).(color.NRGBA)
			if diff(w.R, g.R) > 2 || diff(w.G, g.G) > 2 || diff(w.B, g.B) > 2 {
				t.Fatalf("%s: at (%d,%d) the frame has %v, the test painter %v", when, x, y, g, w)
			}
		}
	}
}

func diff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

func area(rs []image.Rectangle) (n int) {
	for _, r := range rs {
		n += r.Dx() * r.Dy()
	}
	return n
}

// TestFramePainterDamage: the first frame is painted whole; a frame with
// nothing changed paints nothing; a refreshed text, a grown bar, a moved
// and a hidden object paint about their own rectangles; and after each
// the frame equals the test painter's image.
func TestFramePainterDamage(t *testing.T) {
	test.NewTempApp(t)
	label := canvas.NewText("Hello", color.Black)
	bar := canvas.NewRectangle(color.NRGBA{B: 0xff, A: 0xff})
	dot := canvas.NewCircle(color.NRGBA{R: 0xff, A: 0xff})
	box := canvas.NewRectangle(color.NRGBA{G: 0x80, A: 0xff})
	box.CornerRadius = 4
	for _, o := range []struct {
		obj        fyne.CanvasObject
		x, y, w, h float32
	}{{label, 10, 10, 80, 20}, {bar, 10, 40, 20, 8}, {dot, 100, 10, 20, 20}, {box, 100, 50, 30, 30}} {
		o.obj.Move(fyne.NewPos(o.x, o.y))
		o.obj.Resize(fyne.NewSize(o.w, o.h))
	}
	c := test.NewCanvasWithPainter(software.NewPainter())
	c.SetPadded(false)
	c.SetContent(container.NewWithoutLayout(label, bar, dot, box))
	c.Resize(fyne.NewSize(160, 100))
	p := software.NewFramePainter(c)

	if d := frame(p, c); len(d) != 1 || d[0] != image.Rect(0, 0, 160, 100) {
		t.Fatalf("the first frame painted %v, not all of it", d)
	}
	sameAsTestPainter(t, p, c, "first frame")
	if d := frame(p, c); len(d) != 0 {
		t.Fatalf("an unchanged frame painted %v", d)
	}

	label.Text = "Bye"
	label.Refresh()
	p.Free(label)
	d := frame(p, c)
	// (text may overflow its object's height by a pixel or two)
	if len(d) != 1 || !d[0].In(image.Rect(10, 8, 90, 32)) {
		t.Errorf("a refreshed label painted %v, not about its own rectangle", d)
	}
	sameAsTestPainter(t, p, c, "refreshed label")

	p.Free(bar) // a refresh that changes nothing paints nothing
	if d := frame(p, c); len(d) != 0 {
		t.Errorf("a refreshed bar that did not change painted %v", d)
	}
	bar.Resize(fyne.NewSize(50, 8))
	if d := frame(p, c); area(d) != 30*8 {
		t.Errorf("a bar grown by 30×8 painted %v", d)
	}
	sameAsTestPainter(t, p, c, "grown bar")

	box.Move(fyne.NewPos(60, 60))
	dot.Hide()
	d = frame(p, c)
	if a := area(d); a == 0 || a > 2*(34*34)+22*22 {
		t.Errorf("moving a box and hiding a dot painted %v", d)
	}
	sameAsTestPainter(t, p, c, "moved and hidden")
}
