package realwindow_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/software"

	"github.com/parley-voip/parley/ui"
)

// stats is what the app's windows presented so far.
func stats() ui.Rendering {
	r, _ := ui.RenderingOf(fyne.CurrentApp().Driver())
	return r
}

// renderer names the renderer the app's windows use.
func renderer() string { return ui.RendererName(fyne.CurrentApp().Driver()) }

// glLibraries are the process's mapped libraries that belong to Mesa's GL
// (the GLX vendor library, the DRI driver, the LLVM it generates code with).
func glLibraries() ([]string, error) {
	maps, err := os.ReadFile("/proc/self/maps")
	if err != nil {
		return nil, err
	}
	var found []string
	for _, line := range strings.Split(string(maps), "\n") {
		for _, lib := range []string{"libLLVM", "swrast_dri", "libGLX_mesa", "_dri.so"} {
			if strings.Contains(line, lib) {
				found = append(found, strings.TrimSpace(line[strings.LastIndexByte(line, ' ')+1:]))
				break
			}
		}
	}
	return found, nil
}

// TestSoftwareRenderer: the app's window paints without GL (no Mesa library
// is mapped), and what the X server shows equals what Fyne's test painter
// paints of the same objects: after the first (full) paint, after one
// object is refreshed (the damage path: a small part of the window is
// presented), after objects move and hide, and after the window is
// resized; at scale 1 and 2 (HiDPI).
func TestSoftwareRenderer(t *testing.T) {
	for _, scale := range []string{"1", "2"} {
		t.Run("scale"+scale, func(t *testing.T) {
			out := startChild(t, "software", 640, 480, "FYNE_SCALE="+scale)
			t.Logf("app's output:\n%s", out)
			if !bytes.Contains(out, []byte("ok: window closed")) {
				t.Fatal("the app did not get to the end")
			}
		})
	}
}

// scene is the state of the software test's window; objects builds it.
type scene struct {
	label   string
	bar     color.NRGBA
	mover   fyne.Position
	blinker bool // shown
}

type sceneObjects struct {
	root    fyne.CanvasObject
	label   *canvas.Text
	bar     *canvas.Rectangle
	mover   *canvas.Rectangle
	blinker *canvas.Circle
}

func (s scene) objects() sceneObjects {
	at := func(o fyne.CanvasObject, x, y, w, h float32) fyne.CanvasObject {
		o.Move(fyne.NewPos(x, y))
		o.Resize(fyne.NewSize(w, h))
		return o
	}
	label := canvas.NewText(s.label, color.NRGBA{R: 0x20, G: 0x20, B: 0x20, A: 0xff})
	label.TextSize = 14
	bar := canvas.NewRectangle(s.bar)
	mover := canvas.NewRectangle(color.NRGBA{R: 0xc0, G: 0x40, B: 0x10, A: 0xff})
	blinker := canvas.NewCircle(color.NRGBA{R: 0x10, G: 0x80, B: 0x30, A: 0xff})
	if !s.blinker {
		blinker.Hide()
	}
	card := canvas.NewRectangle(color.NRGBA{R: 0xf0, G: 0xf0, B: 0xff, A: 0xff})
	card.CornerRadius = 8
	card.StrokeColor = color.NRGBA{B: 0x80, A: 0xff}
	card.StrokeWidth = 2
	pic := image.NewNRGBA(image.Rect(0, 0, 16, 16))
	for y := range 16 {
		for x := range 16 {
			pic.Set(x, y, color.NRGBA{R: uint8(x * 16), G: uint8(y * 16), B: 0x80, A: 0xff})
		}
	}
	img := canvas.NewImageFromImage(pic)
	img.ScaleMode = canvas.ImageScalePixels
	line := canvas.NewLine(color.NRGBA{R: 0x80, A: 0xff})
	line.StrokeWidth = 2
	background := canvas.NewRectangle(color.NRGBA{R: 0xe0, G: 0xe0, B: 0xe0, A: 0xff})
	free := container.NewWithoutLayout(
		at(card, 10, 10, 120, 60),
		at(label, 20, 20, 100, 20),
		at(bar, 20, 50, 60, 8),
		at(img, 140, 10, 32, 32),
		at(line, 140, 60, 40, 20),
		at(blinker, 140, 90, 30, 30),
		at(mover, s.mover.X, s.mover.Y, 20, 20),
	)
	return sceneObjects{root: container.NewStack(background, free), label: label, bar: bar, mover: mover, blinker: blinker}
}

// expected is Fyne's test painter's image of s at size and scale.
func (s scene) expected(size fyne.Size, scale float32) image.Image {
	c := software.NewCanvas()
	c.SetScale(scale)
	c.SetPadded(false)
	c.SetContent(s.objects().root)
	c.Resize(size)
	return c.Capture()
}

// matchScreen compares the screen's top left with want: no channel of any
// pixel may differ by more than tolerance (the test painter composites in
// non-premultiplied colour, the renderer in premultiplied: rounding).
func matchScreen(want image.Image) error {
	got, err := screen()
	if err != nil {
		return err
	}
	return matchImage(got, want)
}

// matchImage compares got's top left with want, as matchScreen does.
func matchImage(got, want image.Image) error {
	const tolerance = 2
	b := want.Bounds()
	bad, worst := 0, 0
	var first image.Point
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			w := color.NRGBAModel.Convert(want.At(x, y)).(color.NRGBA)
			g := color.NRGBAModel.Convert(got.At(x, y)).(color.NRGBA)
			d := max(absDiff(w.R, g.R), absDiff(w.G, g.G), absDiff(w.B, g.B))
			worst = max(worst, d)
			if d > tolerance {
				if bad == 0 {
					first = image.Pt(x, y)
				}
				bad++
			}
		}
	}
	if bad > 0 {
		return fmt.Errorf("%d of %d pixels differ by more than %d (the first at %v: screen %v, test painter %v; the worst by %d)",
			bad, b.Dx()*b.Dy(), tolerance, first, got.At(first.X, first.Y), want.At(first.X, first.Y), worst)
	}
	return nil
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

func runSoftware() int {
	a := app.NewWithID("dev.parley.realwindow")
	w := a.NewWindow("realwindow")
	w.SetPadded(false)
	s := scene{label: "Hello", bar: color.NRGBA{G: 0x80, B: 0xff, A: 0xff}, mover: fyne.NewPos(20, 90), blinker: true}
	objs := s.objects()
	w.SetContent(objs.root)
	size := fyne.NewSize(200, 140)
	w.Resize(size)
	w.Show()
	go func() {
		if err := softwareSteps(w, s, objs, size); err != nil {
			fmt.Println("FAIL:", err)
			os.Exit(1)
		}
		fyne.Do(w.Close)
	}()
	a.Run()
	fmt.Println("ok: window closed")
	return 0
}

func softwareSteps(w fyne.Window, s scene, objs sceneObjects, size fyne.Size) error {
	step := func(name string, err error) error {
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		fmt.Println("ok:", name)
		return nil
	}
	// settled waits for the loop to go idle (everything asked is painted)
	// and returns what was presented meanwhile.
	settled := func(change func()) (ui.Rendering, error) {
		before := stats()
		if change != nil {
			fyne.DoAndWait(change)
		}
		err := waitIdle()
		return stats().Since(before), err
	}
	expect := func(s scene, size fyne.Size) (img image.Image) {
		fyne.DoAndWait(func() { img = s.expected(size, w.Canvas().Scale()) })
		return img
	}
	if _, err := settled(nil); err != nil {
		return err
	}
	st := stats()
	if st.SoftwareWindows != 1 || st.Frames == 0 {
		return fmt.Errorf("the driver reports %d software windows and %d frames presented, not 1 and some", st.SoftwareWindows, st.Frames)
	}
	libs, err := glLibraries()
	if err != nil {
		return err
	}
	if len(libs) > 0 {
		return fmt.Errorf("GL libraries are mapped: %v", libs)
	}
	fmt.Println("ok: the window paints in software and no Mesa GL library is mapped")
	if err := step("full paint equals the test painter's", matchScreen(expect(s, size))); err != nil {
		return err
	}
	var captured image.Image
	fyne.DoAndWait(func() { captured = w.Canvas().Capture() })
	if err := step("the window's Capture equals the test painter's", matchImage(captured, expect(s, size))); err != nil {
		return err
	}

	scale := w.Canvas().Scale()
	fmt.Println("canvas scale", scale)
	window := int64(size.Width * size.Height * scale * scale)
	s.label, s.bar = "Bye!", color.NRGBA{R: 0xff, G: 0x80, A: 0xff}
	p, err := settled(func() {
		objs.label.Text = s.label
		objs.label.Refresh()
		objs.bar.FillColor = s.bar
		objs.bar.Refresh()
	})
	if err != nil {
		return err
	}
	fmt.Printf("refreshing a label and a bar presented %d frames, %d rectangles, %d pixels\n", p.Frames, p.Rects, p.Pixels)
	if p.Frames == 0 || p.Pixels > window/4 {
		return fmt.Errorf("refreshing two small objects presented %d pixels in %d frames: not a small part of the window's %d",
			p.Pixels, p.Frames, window)
	}
	if err := step("after a refresh (damage) equals the test painter's", matchScreen(expect(s, size))); err != nil {
		return err
	}

	s.mover, s.blinker = fyne.NewPos(60, 100), false
	p, err = settled(func() {
		objs.mover.Move(s.mover)
		objs.blinker.Hide()
	})
	if err != nil {
		return err
	}
	fmt.Printf("moving and hiding presented %d frames, %d rectangles, %d pixels\n", p.Frames, p.Rects, p.Pixels)
	if p.Frames == 0 || p.Pixels > window/4 {
		return fmt.Errorf("moving and hiding small objects presented %d pixels in %d frames", p.Pixels, p.Frames)
	}
	if err := step("after moving and hiding equals the test painter's", matchScreen(expect(s, size))); err != nil {
		return err
	}

	s.blinker = true
	if _, err := settled(objs.blinker.Show); err != nil {
		return err
	}
	if err := step("after showing again equals the test painter's", matchScreen(expect(s, size))); err != nil {
		return err
	}

	size = fyne.NewSize(300, 200)
	if _, err := settled(func() { w.Resize(size) }); err != nil {
		return err
	}
	if err := step("after a resize equals the test painter's", matchScreen(expect(s, size))); err != nil {
		return err
	}

	// A second window (placed over the first: no window manager runs)
	// paints in software too; once it is closed, the X server exposes
	// what it covered, and the first window presents it again.
	var second fyne.Window
	fyne.DoAndWait(func() {
		second = fyne.CurrentApp().NewWindow("second")
		second.SetPadded(false)
		second.SetContent(canvas.NewRectangle(color.NRGBA{G: 0xff, A: 0xff}))
		second.Resize(fyne.NewSize(80, 50))
		second.Show()
	})
	if err := waitPixel(image.Pt(10, 10), color.NRGBA{G: 0xff, A: 0xff}); err != nil {
		return fmt.Errorf("the second window: %w", err)
	}
	if n := stats().SoftwareWindows; n != 2 {
		return fmt.Errorf("%d windows paint in software, not 2", n)
	}
	fmt.Println("ok: a second window paints in software, over the first")
	if _, err := settled(second.Close); err != nil {
		return err
	}
	if n := stats().SoftwareWindows; n != 1 {
		return fmt.Errorf("%d windows paint in software after closing the second, not 1", n)
	}
	return step("after the second window closed (expose) the first equals the test painter's", matchScreen(expect(s, size)))
}
