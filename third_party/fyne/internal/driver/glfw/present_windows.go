//go:build windows

package glfw

import (
	"errors"
	"fmt"
	"image"
	"syscall"
	"unsafe"

	"fyne.io/fyne/v2"

	"github.com/go-gl/glfw/v3.3/glfw"
)

// The GDI presenter: frames are converted, only in the presented rects,
// into a top-down 32-bit BGRX DIB section the size of the frame, selected
// into a memory DC, and each rect is one BitBlt from there to the window's
// client area (frame pixel (x, y) = client pixel (x, y), which are physical
// pixels: GLFW makes the process per-monitor DPI aware). The window DC is
// taken and released around each present (GLFW's class has CS_OWNDC, so
// this is the window's own DC and costs nothing; without it the pair is
// what Windows requires). A frame of another size makes a new DIB section.

var (
	gdi32 = syscall.NewLazyDLL("gdi32.dll")

	procGetDC              = user32.NewProc("GetDC")
	procReleaseDC          = user32.NewProc("ReleaseDC")
	procIsWindow           = user32.NewProc("IsWindow")
	procCreateCompatibleDC = gdi32.NewProc("CreateCompatibleDC")
	procDeleteDC           = gdi32.NewProc("DeleteDC")
	procCreateDIBSection   = gdi32.NewProc("CreateDIBSection")
	procSelectObject       = gdi32.NewProc("SelectObject")
	procDeleteObject       = gdi32.NewProc("DeleteObject")
	procBitBlt             = gdi32.NewProc("BitBlt")
	procGdiFlush           = gdi32.NewProc("GdiFlush")
)

const (
	biRGB        = 0
	dibRGBColors = 0
	srcCopy      = 0x00CC0020
)

// errGDI is what newSoftwarePresenter returns when GDI cannot present to
// the window; the driver then draws with GL.
var errGDI = errors.New("gdi presenter")

// bitmapInfo is BITMAPINFO with its BITMAPINFOHEADER and one unused RGBQUAD.
type bitmapInfo struct {
	size          uint32
	width         int32
	height        int32
	planes        uint16
	bitCount      uint16
	compression   uint32
	sizeImage     uint32
	xPelsPerMeter int32
	yPelsPerMeter int32
	clrUsed       uint32
	clrImportant  uint32
	colors        [1]uint32
}

// dibSection is a top-down 32-bit DIB section selected into its own memory
// DC: pix is its w×h BGRX rows, w*4 bytes each.
type dibSection struct {
	dc, bmp, old uintptr
	w, h         int
	pix          []byte
}

func newDIBSection(w, h int) (*dibSection, error) {
	if w <= 0 || h <= 0 {
		return nil, fmt.Errorf("%w: a %d×%d DIB section", errGDI, w, h)
	}
	dc, _, _ := procCreateCompatibleDC.Call(0)
	if dc == 0 {
		return nil, fmt.Errorf("%w: CreateCompatibleDC failed", errGDI)
	}
	bi := bitmapInfo{width: int32(w), height: -int32(h), planes: 1, bitCount: 32, compression: biRGB}
	bi.size = uint32(unsafe.Offsetof(bi.colors))
	var bits unsafe.Pointer
	bmp, _, err := procCreateDIBSection.Call(dc, uintptr(unsafe.Pointer(&bi)), dibRGBColors, uintptr(unsafe.Pointer(&bits)), 0, 0)
	if bmp == 0 || bits == nil {
		procDeleteDC.Call(dc)
		return nil, fmt.Errorf("%w: CreateDIBSection of %d×%d failed: %v", errGDI, w, h, err)
	}
	old, _, _ := procSelectObject.Call(dc, bmp)
	return &dibSection{dc: dc, bmp: bmp, old: old, w: w, h: h, pix: unsafe.Slice((*byte)(bits), w*h*4)}, nil
}

func (d *dibSection) free() {
	procSelectObject.Call(d.dc, d.old)
	procDeleteObject.Call(d.bmp)
	procDeleteDC.Call(d.dc)
	d.pix = nil
}

// gdiPresenter is used by one goroutine at a time (the driver's painting).
type gdiPresenter struct {
	hwnd   uintptr
	dib    *dibSection // nil until the first present, then the last frame's size
	failed bool        // a present failed and was logged; later failures are not
}

// hasSoftwarePresenter: windows here try the software renderer first.
const hasSoftwarePresenter = true

func newSoftwarePresenter(w *glfw.Window) (softwarePresenter, error) {
	return newGDIPresenter(uintptr(unsafe.Pointer(w.GetWin32Window())))
}

func newGDIPresenter(hwnd uintptr) (*gdiPresenter, error) {
	if hwnd == 0 {
		return nil, fmt.Errorf("%w: the window has no HWND", errGDI)
	}
	if ok, _, _ := procIsWindow.Call(hwnd); ok == 0 {
		return nil, fmt.Errorf("%w: %#x is not a window", errGDI, hwnd)
	}
	// The first frame's DIB section is made by present; one now proves
	// that GDI can make them at all.
	d, err := newDIBSection(1, 1)
	if err != nil {
		return nil, err
	}
	d.free()
	return &gdiPresenter{hwnd: hwnd}, nil
}

func (p *gdiPresenter) present(frame *image.NRGBA, rects []image.Rectangle) {
	b := frame.Rect
	if b.Empty() || len(rects) == 0 {
		return
	}
	if p.dib == nil || p.dib.w != b.Dx() || p.dib.h != b.Dy() {
		if p.dib != nil {
			p.dib.free()
			p.dib = nil
		}
		d, err := newDIBSection(b.Dx(), b.Dy())
		if err != nil {
			p.fail(err)
			return
		}
		p.dib = d
	}
	// The previous present's BitBlts may still be batched: they read the
	// bits about to be overwritten.
	procGdiFlush.Call()
	dc, _, _ := procGetDC.Call(p.hwnd)
	if dc == 0 {
		p.fail(fmt.Errorf("%w: GetDC of %#x failed", errGDI, p.hwnd))
		return
	}
	for _, r := range rects {
		r = r.Intersect(b)
		if r.Empty() {
			continue
		}
		toBGRX(p.dib.pix, p.dib.w*4, frame, r)
		sx, sy := r.Min.X-b.Min.X, r.Min.Y-b.Min.Y
		if ok, _, _ := procBitBlt.Call(dc, uintptr(r.Min.X), uintptr(r.Min.Y), uintptr(r.Dx()), uintptr(r.Dy()),
			p.dib.dc, uintptr(sx), uintptr(sy), srcCopy); ok == 0 {
			p.fail(fmt.Errorf("%w: BitBlt of %v failed", errGDI, r))
		}
	}
	procGdiFlush.Call()
	procReleaseDC.Call(p.hwnd, dc)
}

func (p *gdiPresenter) fail(err error) {
	if !p.failed {
		p.failed = true
		fyne.LogError("software presenter", err)
	}
}

func (p *gdiPresenter) destroy() {
	if p.dib != nil {
		p.dib.free()
		p.dib = nil
	}
}

// toBGRX converts r of src (within src.Rect) to 32-bit BGRX in dst, whose
// rows of stride bytes start at src.Rect.Min; X is 255.
func toBGRX(dst []byte, stride int, src *image.NRGBA, r image.Rectangle) {
	n := r.Dx() * 4
	for y := r.Min.Y; y < r.Max.Y; y++ {
		o := (y-src.Rect.Min.Y)*stride + (r.Min.X-src.Rect.Min.X)*4
		d := dst[o : o+n : o+n]
		s := src.Pix[src.PixOffset(r.Min.X, y):]
		s = s[:len(d)]
		for i := 0; i+3 < len(d); i += 4 {
			d[i], d[i+1], d[i+2], d[i+3] = s[i+2], s[i+1], s[i], 0xff
		}
	}
}
