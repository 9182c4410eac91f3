//go:build windows && cgo

package video

/*
#cgo LDFLAGS: -lgdi32 -luser32
#include <stdint.h>
#include <windows.h>

// parley_gdi_size is the picture to grab: the primary monitor (w == NULL),
// or the window's client area. 0 when the window is gone.
static int parley_gdi_size(uintptr_t id, int *width, int *height) {
	HWND w = (HWND)id;
	if (w == NULL) {
		*width = GetSystemMetrics(SM_CXSCREEN);
		*height = GetSystemMetrics(SM_CYSCREEN);
		return 1;
	}
	RECT r;
	if (!IsWindow(w) || !GetClientRect(w, &r)) return 0;
	*width = r.right - r.left;
	*height = r.bottom - r.top;
	return 1;
}

// parley_gdi_grab copies width×height pixels from the top left of the
// screen (w == NULL) or of the window's client area into out as 32-bit
// top-down BGRX rows (width*4 bytes each). Every GDI object is made and
// released within the call, so any thread may call it. 0 on failure.
static int parley_gdi_grab(uintptr_t id, int width, int height, void *out) {
	HWND w = (HWND)id;
	HDC src = GetDC(w);
	if (src == NULL) return 0;
	HDC mem = CreateCompatibleDC(src);
	HBITMAP bmp = mem ? CreateCompatibleBitmap(src, width, height) : NULL;
	int ok = 0;
	if (bmp != NULL) {
		HGDIOBJ old = SelectObject(mem, bmp);
		// CAPTUREBLT includes layered (translucent) windows in a screen grab.
		if (BitBlt(mem, 0, 0, width, height, src, 0, 0, SRCCOPY | (w == NULL ? CAPTUREBLT : 0))) {
			SelectObject(mem, old);
			BITMAPINFO bi;
			ZeroMemory(&bi, sizeof bi);
			bi.bmiHeader.biSize = sizeof bi.bmiHeader;
			bi.bmiHeader.biWidth = width;
			bi.bmiHeader.biHeight = -height; // top-down
			bi.bmiHeader.biPlanes = 1;
			bi.bmiHeader.biBitCount = 32;
			bi.bmiHeader.biCompression = BI_RGB;
			ok = GetDIBits(mem, bmp, 0, height, out, &bi, DIB_RGB_COLORS) == height;
		} else {
			SelectObject(mem, old);
		}
		DeleteObject(bmp);
	}
	if (mem != NULL) DeleteDC(mem);
	ReleaseDC(w, src);
	return ok;
}
*/
import "C"

import (
	"fmt"
	"time"
	"unsafe"
)

// OpenScreen shares the primary monitor, or one window (ScreenConfig.Window
// is its HWND), with GDI: each frame is one BitBlt of the screen or the
// window's client area at its current size, cropped to even dimensions and
// converted to I420. Under Wine the screen is the X display Wine draws on.
// Windows has no displays by name: a Display is refused.
func OpenScreen(cfg ScreenConfig) (Source, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Display != "" {
		return nil, fmt.Errorf("%w: display %q (Windows shares the primary monitor or a window)", ErrUnsupported, cfg.Display)
	}
	g := &gdiGrabber{w: C.uintptr_t(cfg.Window)}
	if _, _, err := g.size(); err != nil {
		return nil, err
	}
	return newPaced(g, cfg.FrameRate), nil
}

type gdiGrabber struct {
	w   C.uintptr_t // the HWND; 0 for the screen
	pix []byte      // the last grab's BGRX rows, reused while the size stays
}

func (g *gdiGrabber) size() (int, int, error) {
	var w, h C.int
	if C.parley_gdi_size(g.w, &w, &h) == 0 {
		return 0, 0, fmt.Errorf("%w: window %#x is gone", ErrNoScreen, uint64(g.w))
	}
	return int(w) &^ 1, int(h) &^ 1, nil
}

func (g *gdiGrabber) grab() (Frame, error) {
	w, h, err := g.size()
	if err != nil {
		return Frame{}, err
	}
	if err := checkGrab(w, h); err != nil {
		return Frame{}, err
	}
	if len(g.pix) != w*h*4 {
		g.pix = make([]byte, w*h*4)
	}
	if C.parley_gdi_grab(g.w, C.int(w), C.int(h), unsafe.Pointer(&g.pix[0])) == 0 {
		return Frame{}, fmt.Errorf("%w: BitBlt of %d×%d failed", ErrNoScreen, w, h)
	}
	return bgrxFrame(g.pix, w*4, w, h, time.Now()), nil
}

func (g *gdiGrabber) close() {}
