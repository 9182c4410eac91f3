//go:build linux && cgo

package video

/*
#cgo pkg-config: x11
#include <stdlib.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

static int parley_x_size(Display *d, Window w, int *width, int *height) {
	XWindowAttributes a;
	if (!XGetWindowAttributes(d, w, &a)) return 0;
	*width = a.width; *height = a.height;
	return 1;
}

static XImage *parley_x_grab(Display *d, Window w, int width, int height) {
	return XGetImage(d, w, 0, 0, width, height, AllPlanes, ZPixmap);
}

static void parley_x_free(XImage *img) { XDestroyImage(img); }

static int parley_x_ignore(Display *d, XErrorEvent *e) { return 0; }
static void parley_x_quiet(void) { XSetErrorHandler(parley_x_ignore); }
*/
import "C"

import (
	"fmt"
	"time"
	"unsafe"
)

// OpenScreen shares an X11 screen or window (works under Xvfb). Each frame
// is one XGetImage of the window at its current size, cropped to even
// dimensions and converted to I420.
func OpenScreen(cfg ScreenConfig) (Source, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	C.parley_x_quiet() // a window that goes away must not exit the process
	var name *C.char
	if cfg.Display != "" {
		name = C.CString(cfg.Display)
		defer C.free(unsafe.Pointer(name))
	}
	d := C.XOpenDisplay(name)
	if d == nil {
		return nil, fmt.Errorf("%w: cannot open display %q", ErrNoScreen, cfg.Display)
	}
	w := C.Window(cfg.Window)
	if w == 0 {
		w = C.XDefaultRootWindow(d)
	}
	g := &x11Grabber{d: d, w: w}
	if _, _, err := g.size(); err != nil {
		C.XCloseDisplay(d)
		return nil, err
	}
	return newPaced(g, cfg.FrameRate), nil
}

type x11Grabber struct {
	d *C.Display
	w C.Window
}

func (g *x11Grabber) size() (int, int, error) {
	var w, h C.int
	if C.parley_x_size(g.d, g.w, &w, &h) == 0 {
		return 0, 0, fmt.Errorf("%w: window %#x is gone", ErrNoScreen, uint64(g.w))
	}
	return int(w) &^ 1, int(h) &^ 1, nil
}

func (g *x11Grabber) grab() (Frame, error) {
	w, h, err := g.size()
	if err != nil {
		return Frame{}, err
	}
	if err := checkGrab(w, h); err != nil {
		return Frame{}, err
	}
	img := C.parley_x_grab(g.d, g.w, C.int(w), C.int(h))
	if img == nil {
		return Frame{}, fmt.Errorf("%w: XGetImage failed", ErrNoScreen)
	}
	defer C.parley_x_free(img)
	captured := time.Now()
	if img.bits_per_pixel != 32 || img.red_mask != 0xff0000 || img.blue_mask != 0xff {
		return Frame{}, fmt.Errorf("%w: %d-bit pixels with red mask %#x", ErrUnsupported, img.bits_per_pixel, uint64(img.red_mask))
	}
	stride := int(img.bytes_per_line)
	pix := unsafe.Slice((*byte)(unsafe.Pointer(img.data)), stride*h)
	return bgrxFrame(pix, stride, w, h, captured), nil
}

func (g *x11Grabber) close() { C.XCloseDisplay(g.d) }
