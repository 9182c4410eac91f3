//go:build windows

package glfw

import (
	"errors"
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
// the window grows, a frame of the new size (one rect reaching past it,
// clipped). Run under Wine by scripts/test-windows.sh.
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
	w, err := glfw.CreateWindow(160, 120, "present test", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Destroy()
	p, err := newSoftwarePresenter(w)
	if err != nil {
		t.Fatal(err)
	}
	defer p.destroy()
	hwnd := uintptr(unsafe.Pointer(w.GetWin32Window()))

	first := patternFrame(160, 120, 1)
	waitClientSize(t, w, 160, 120)
	p.present(first, []image.Rectangle{image.Rect(0, 0, 160, 40), image.Rect(0, 40, 70, 120), image.Rect(70, 40, 160, 120)})
	checkWindow(t, hwnd, "the first frame", first)

	second := patternFrame(160, 120, 2)
	sub := image.Rect(30, 50, 95, 101)
	p.present(second, []image.Rectangle{sub})
	want := image.NewNRGBA(first.Rect)
	copy(want.Pix, first.Pix)
	for y := sub.Min.Y; y < sub.Max.Y; y++ {
		for x := sub.Min.X; x < sub.Max.X; x++ {
			want.SetNRGBA(x, y, second.NRGBAAt(x, y))
		}
	}
	checkWindow(t, hwnd, fmt.Sprintf("the second frame presented in %v only", sub), want)

	w.SetSize(230, 171)
	waitClientSize(t, w, 230, 171)
	third := patternFrame(230, 171, 3)
	p.present(third, []image.Rectangle{image.Rect(-10, -10, 120, 500), image.Rect(120, 0, 230, 171)})
	checkWindow(t, hwnd, "the frame after the resize", third)
}

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
