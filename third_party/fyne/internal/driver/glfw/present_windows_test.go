//go:build windows

package glfw

import (
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"runtime"
	"testing"
	"time"
	"unsafe"

	"github.com/go-gl/glfw/v3.3/glfw"
)

// TestGDIPresent: the GDI presenter puts exactly the presented rects of a
// frame into a GLFW window that has no GL context (read back from the
// window's DC): a frame in three rects, then a second frame presented in one
// sub-rectangle only, which changes that area and nothing else; then, after
// the window is resized, a frame of the new size (one rect reaching past
// it, clipped). The window is 200×120 scaled to its monitor, so frame pixels
// are client-area pixels at any DPI. Run under Wine by
// scripts/test-windows.sh at 96 and 192 DPI.
func TestGDIPresent(t *testing.T) {
	runtime.LockOSThread() // GLFW and the window's messages stay on one thread
	defer runtime.UnlockOSThread()
	if err := glfw.Init(); err != nil {
		t.Fatal(err)
	}
	defer glfw.Terminate()
	glfw.DefaultWindowHints()
	glfw.WindowHint(glfw.ClientAPI, glfw.NoAPI)
	glfw.WindowHint(glfw.Resizable, glfw.True)
	glfw.WindowHint(glfw.ScaleToMonitor, glfw.True)
	w, err := glfw.CreateWindow(200, 120, "present test", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Destroy()
	// GLFW makes the process per-monitor DPI aware: the client area is in
	// physical pixels, 200×120 times the monitor's scale.
	sx, sy := w.GetContentScale()
	if *gdiScale != 0 && (sx != float32(*gdiScale) || sy != float32(*gdiScale)) {
		t.Fatalf("content scale %g×%g, want %g", sx, sy, *gdiScale)
	}
	fw, fh := int(200*sx), int(120*sy)
	t.Logf("content scale %g: the client area is %d×%d pixels", sx, fw, fh)
	p, err := newSoftwarePresenter(w)
	if err != nil {
		t.Fatal(err)
	}
	defer p.destroy()
	hwnd := uintptr(unsafe.Pointer(w.GetWin32Window()))

	first := patternFrame(fw, fh, 1)
	waitClientSize(t, w, fw, fh)
	p.present(first, []image.Rectangle{image.Rect(0, 0, fw, fh/3), image.Rect(0, fh/3, fw/2-7, fh), image.Rect(fw/2-7, fh/3, fw, fh)})
	checkWindow(t, hwnd, "the first frame", first)

	second := patternFrame(fw, fh, 2)
	sub := image.Rect(fw/5, fh/3+3, fw*3/5, fh*5/6)
	p.present(second, []image.Rectangle{sub})
	want := image.NewNRGBA(first.Rect)
	copy(want.Pix, first.Pix)
	for y := sub.Min.Y; y < sub.Max.Y; y++ {
		for x := sub.Min.X; x < sub.Max.X; x++ {
			want.SetNRGBA(x, y, second.NRGBAAt(x, y))
		}
	}
	checkWindow(t, hwnd, fmt.Sprintf("the second frame presented in %v only", sub), want)

	fw, fh = fw+37, fh+51 // GLFW sizes a window on Windows in pixels
	w.SetSize(fw, fh)
	waitClientSize(t, w, fw, fh)
	third := patternFrame(fw, fh, 3)
	p.present(third, []image.Rectangle{image.Rect(-10, -10, 120, 2*fh), image.Rect(120, 0, fw, fh)})
	checkWindow(t, hwnd, "the frame after the resize", third)
}

// gdiScale, when set, is the content scale TestGDIPresent requires of its
// window's monitor: scripts/test-windows.sh runs it at 96 DPI (1) and at
// 192 (2).
var gdiScale = flag.Float64("gdi-scale", 0, "the content scale TestGDIPresent requires (0: any)")

// TestGDIPresenterNoWindow: without a window there is no presenter, and the
// error says so (the driver then draws with GL).
func TestGDIPresenterNoWindow(t *testing.T) {
	for _, hwnd := range []uintptr{0, 0x7ffffff0} {
		if _, err := newGDIPresenter(hwnd); !errors.Is(err, errGDI) {
			t.Errorf("HWND %#x: %v, want errGDI", hwnd, err)
		}
	}
}

// patternFrame is an opaque w×h frame whose every pixel differs from its
// neighbours and from the same pixel of another seed's frame.
func patternFrame(w, h int, seed uint8) *image.NRGBA {
	f := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			f.SetNRGBA(x, y, color.NRGBA{R: uint8(x) + 85*seed, G: uint8(y) ^ (17 * seed), B: uint8(x*3+y*5) + seed, A: 0xff})
		}
	}
	return f
}

// waitClientSize pumps the window's messages until its client area is w×h.
func waitClientSize(t *testing.T, win *glfw.Window, w, h int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		glfw.PollEvents()
		if cw, ch := win.GetFramebufferSize(); cw == w && ch == h {
			return
		}
		if time.Now().After(deadline) {
			cw, ch := win.GetFramebufferSize()
			t.Fatalf("the window's client area is %d×%d, not %d×%d", cw, ch, w, h)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// checkWindow reads the window's client area back through its DC (BitBlt
// into a DIB section) and fails unless it is exactly want.
func checkWindow(t *testing.T, hwnd uintptr, what string, want *image.NRGBA) {
	t.Helper()
	w, h := want.Rect.Dx(), want.Rect.Dy()
	d, err := newDIBSection(w, h)
	if err != nil {
		t.Fatal(err)
	}
	defer d.free()
	dc, _, _ := procGetDC.Call(hwnd)
	if dc == 0 {
		t.Fatal("GetDC failed")
	}
	ok, _, _ := procBitBlt.Call(d.dc, 0, 0, uintptr(w), uintptr(h), dc, 0, 0, srcCopy)
	procGdiFlush.Call()
	procReleaseDC.Call(hwnd, dc)
	if ok == 0 {
		t.Fatal("BitBlt from the window failed")
	}
	bad, firstBad := 0, ""
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := want.NRGBAAt(x, y)
			o := y*w*4 + x*4
			if b, g, r := d.pix[o], d.pix[o+1], d.pix[o+2]; r != c.R || g != c.G || b != c.B {
				if bad == 0 {
					firstBad = fmt.Sprintf("(%d,%d) is %02x%02x%02x, want %02x%02x%02x", x, y, r, g, b, c.R, c.G, c.B)
				}
				bad++
			}
		}
	}
	if bad > 0 {
		t.Fatalf("%s: %d of %d pixels differ in the window; first %s", what, bad, w*h, firstBad)
	}
	t.Logf("%s: all %d×%d pixels read back exactly", what, w, h)
}

// BenchmarkGDIPresent: one present into a GL-less window of the whole
// frame (1280×480, or what the screen leaves of it: the name says), and of
// a level meter's strip (200×8) only.
func BenchmarkGDIPresent(b *testing.B) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if err := glfw.Init(); err != nil {
		b.Fatal(err)
	}
	defer glfw.Terminate()
	glfw.DefaultWindowHints()
	glfw.WindowHint(glfw.ClientAPI, glfw.NoAPI)
	w, err := glfw.CreateWindow(1280, 480, "present bench", nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer w.Destroy()
	p, err := newSoftwarePresenter(w)
	if err != nil {
		b.Fatal(err)
	}
	defer p.destroy()
	fw, fh := w.GetFramebufferSize()
	frame := patternFrame(fw, fh, 1)
	for _, bc := range []struct {
		name string
		r    image.Rectangle
	}{{fmt.Sprintf("frame%dx%d", fw, fh), frame.Rect}, {"meter", image.Rect(40, 60, 240, 68)}} {
		b.Run(bc.name, func(b *testing.B) {
			rects := []image.Rectangle{bc.r}
			b.SetBytes(int64(bc.r.Dx() * bc.r.Dy() * 4))
			for i := 0; i < b.N; i++ {
				p.present(frame, rects)
			}
		})
	}
}

// BenchmarkToBGRX: the conversion alone, of a 1280×800 frame.
func BenchmarkToBGRX(b *testing.B) {
	frame := patternFrame(1280, 800, 1)
	dst := make([]byte, len(frame.Pix))
	b.SetBytes(int64(len(frame.Pix)))
	for i := 0; i < b.N; i++ {
		toBGRX(dst, 1280*4, frame, frame.Rect)
	}
}
